import Domain
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/inspections…`, `/api/v1/scorecards…`, `/api/v1/streets/{id}/lists…`, `/api/v1/placings…`
/// and a street's assessment settings.
struct AssessmentAPI: Sendable {
    let service: AssessmentService

    func register(on routes: RouteTable) {
        let street = "streets"
        routes.api(.get, SiteURL.apiAssessmentSettings, .signedIn,
                   OperationDoc("get-assessment-settings", "A street's checklist, score weights and list rules (the standard ones until it sets its own)", tag: "assessment")) { call in
            let id = try call.id(street)
            _ = try await service.streetPlace(call.access, id)
            return AssessmentSettingsAnswer(street: id, try await service.settings(street: id))
        }
        routes.api(.put, SiteURL.apiAssessmentSettings, .signedIn,
                   OperationDoc("put-assessment-settings", "Street staff set the checklist (DB11/T 751's seven sections and party building, 100 points), weights and list rules", tag: "assessment"),
                   body: AssessmentSettingsBody.self) { call, body in
            let id = try call.id(street)
            return AssessmentSettingsAnswer(street: id, try await service.saveSettings(call.access, street: id, body.settings))
        }
        routes.api(.get, SiteURL.apiInspections, .signedIn,
                   OperationDoc("list-inspections", "Inspections the caller sees, newest first", tag: "assessment",
                                parameters: [.query("compoundId", .uuid, "one compound's"), .query("status", .choice(InspectionRecord.Status.self), "in this state"),
                                             .query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "of this month")])) { call in
            let q = call.query
            let compound = try Self.optionalID(q.get("compoundId"), "compoundId")
            let status = try Self.optionalChoice(q.get("status"), "status", InspectionRecord.Status.self)
            let month = q.get("month").flatMap { $0.isEmpty ? nil : $0 }
            if let month, CivilDate(month: month) == nil { throw DomainError.invalid([FieldError(field: "month", code: "invalid_format", message: "a month like 2026-11")]) }
            return Items(items: try await service.inspections(call.access, compound: compound, status: status, month: month).map(InspectionAnswer.init))
        }
        routes.api(.post, SiteURL.apiInspections, .signedIn,
                   OperationDoc("start-inspection", "A street or community inspector starts an inspection of a compound with the street's checklist", tag: "assessment"),
                   body: StartInspectionBody.self, status: .created) { call, body in
            try await detail(call.access, try await service.startInspection(call.access, compound: body.compoundId, on: body.inspectedOn))
        }
        routes.api(.get, SiteURL.apiInspection, .signedIn, OperationDoc("get-inspection", "An inspection with its items, photos and requests", tag: "assessment")) { call in
            try await detail(call.access, try call.id("inspections"))
        }
        let draft: [Int: String] = [409: "The inspection is submitted already"]
        routes.api(.put, SiteURL.apiInspectionLines, .signedIn,
                   OperationDoc("score-inspection", "The inspector records findings, notes and hazards against items", tag: "assessment", errors: draft),
                   body: InspectionLinesBody.self) { call, body in
            let id = try call.id("inspections")
            try await service.score(call.access, id, lines: body.lines)
            return try await detail(call.access, id)
        }
        routes.api(.post, SiteURL.apiInspectionSubmit, .signedIn,
                   OperationDoc("submit-inspection", "The inspector submits: the score counts and the company sees it", tag: "assessment", errors: draft)) { call in
            let id = try call.id("inspections")
            try await service.submit(call.access, id)
            return try await detail(call.access, id)
        }
        routes.api(.post, SiteURL.apiInspectionRequest, .signedIn,
                   OperationDoc("inspection-request", "Open a request to the company about an item's deduction", tag: "assessment",
                                errors: [409: "No deduction, a party-building item, or a request already open"]), status: .created) { call in
            let id = try call.id("inspections")
            _ = try await service.openRequest(call.access, id, code: call.context.parameters.get("code") ?? "")
            return try await detail(call.access, id)
        }
        routes.api(.post, SiteURL.apiInspectionAnswer, .signedIn,
                   OperationDoc("answer-inspection", "The company inspected answers", tag: "assessment", errors: [409: "Not submitted yet"]),
                   body: InspectionReplyBody.self) { call, body in
            let id = try call.id("inspections")
            try await service.answer(call.access, id, text: body.answer)
            return try await detail(call.access, id)
        }
        var photoDoc = OperationDoc("add-inspection-photo", "A JPEG or PNG photo of an item's deduction (the body is the image, at most 5 MiB)", tag: "assessment",
                                    errors: [409: "No finding recorded, or the item has its most photos"], rawBody: ["image/jpeg", "image/png"])
        photoDoc = photoDoc.answering(PhotoAnswer.self, status: .created, access: .signedIn)
        routes.signedIn(.post, SiteURL.apiInspectionPhotos.pattern, .signedIn, source: "api", operation: photoDoc) { call in
            let type = (call.request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let bytes = Array(try await call.request.readBody(limit: BodyLimits.photo).readableBytesView)
            let photo = try await service.addPhoto(call.access, try call.id("inspections"), code: call.context.parameters.get("code") ?? "", bytes: bytes, contentType: type)
            return try RouteTable.encode(PhotoAnswer(id: photo.text, url: SiteURL.inspectionPhoto.link(photo.text)), status: .created)
        }
        routes.page(.get, SiteURL.inspectionPhoto, .signedIn) { call in
            let (type, data) = try await service.photo(call.access, try call.id("photos"))
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "private, max-age=86400", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                            body: .init(byteBuffer: data))
        }
        routes.api(.get, SiteURL.apiScorecards, .signedIn,
                   OperationDoc("list-scorecards", "Scores of a street's (or the district's) compounds or companies for a month, quarter or year, best first", tag: "assessment",
                                parameters: [.query("period", .string(pattern: "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"), "2026-10, 2026-Q3 or 2026; this quarter when missing"),
                                             .query("level", .choice(AssessmentService.Level.self), "company (default) or compound"),
                                             .query("streetId", .uuid, "one street's; a district admin gets every street's when missing")])) { call in
            let q = call.query
            let period = try Self.period(q.get("period"), today: call.access.today)
            let level = try Self.optionalChoice(q.get("level"), "level", AssessmentService.Level.self) ?? .company
            let rows = try await service.scorecards(call.access, street: try Self.optionalID(q.get("streetId"), "streetId"), period: period, level: level)
            return ScorecardsAnswer(period: period.description, level: level.rawValue, rows: rows.map(ScoreRowAnswer.init))
        }
        routes.api(.get, SiteURL.apiCompoundScore, .signedIn,
                   OperationDoc("get-compound-score", "A compound's score with the inspections and requests it came from", tag: "assessment",
                                parameters: [.query("period", .string(pattern: "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"), "this quarter when missing")])) { call in
            let period = try Self.period(call.query.get("period"), today: call.access.today)
            let d = try await service.compoundDetail(call.access, compound: try call.id("compounds"), period: period)
            return CompoundScoreAnswer(period: period.description, row: d.row.map(ScoreRowAnswer.init), inspections: d.inspections.map(InspectionAnswer.init),
                                       requests: d.requests.map { .init(id: $0.id.text, number: $0.number, category: $0.category, status: $0.status, rating: $0.rated) })
        }
        routes.api(.get, SiteURL.apiStreetList, .signedIn,
                   OperationDoc("get-street-list", "A street's red and black list for a period: as published, or what publishing now would place", tag: "assessment")) { call in
            let id = try call.id(street)
            guard let period = AssessmentPeriod(call.context.parameters.get("period") ?? "") else { throw DomainError.notFound(entity: "lists", id: call.context.parameters.get("period") ?? "") }
            return try await list(call.access, street: id, period: period)
        }
        routes.api(.post, SiteURL.apiStreetLists, .signedIn,
                   OperationDoc("publish-street-list", "Street staff publish the red and black list of a period that is over (once)", tag: "assessment",
                                errors: [409: "The period is not over, or its list is published already"]), body: PublishListBody.self, status: .created) { call, body in
            let id = try call.id(street)
            _ = try await service.publish(call.access, street: id, period: body.period)
            return try await list(call.access, street: id, period: body.period)
        }
        routes.api(.get, SiteURL.apiPlacings, .signedIn,
                   OperationDoc("list-placings", "Published placings in the caller's district: a company's history, a period's or a street's", tag: "assessment",
                                parameters: [.query("companyId", .uuid, "one company's history"), .query("streetId", .uuid, "one street's"),
                                             .query("period", .string(pattern: "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"), "one period's")])) { call in
            let q = call.query
            let periodText = q.get("period").flatMap { $0.isEmpty ? nil : $0 }
            let period = try periodText.map { t in
                guard let p = AssessmentPeriod(t) else { throw DomainError.invalid([FieldError(field: "period", code: "invalid_format", message: "2026-10, 2026-Q3 or 2026")]) }
                return p
            }
            return Items(items: try await service.placings(call.access, street: try Self.optionalID(q.get("streetId"), "streetId"), period: period,
                                                           company: try Self.optionalID(q.get("companyId"), "companyId")).map(PlacingAnswer.init))
        }
        routes.api(.get, SiteURL.apiPlacing, .signedIn, OperationDoc("get-placing", "A placing with the consequences recorded against it", tag: "assessment")) { call in
            try await placing(call.access, try call.id("placings"))
        }
        routes.api(.post, SiteURL.apiPlacingConsequences, .signedIn,
                   OperationDoc("add-consequence", "The street records a consequence: commendation, warning, interview, rectification order or the start of replacing the company",
                                tag: "assessment", errors: [409: "The consequence does not go with this list"]), body: ConsequenceBody.self, status: .created) { call, body in
            let id = try call.id("placings")
            _ = try await service.addConsequence(call.access, placing: id, body.input)
            return try await placing(call.access, id)
        }
    }

    func detail(_ ctx: AccessContext, _ id: UUID) async throws -> InspectionAnswer {
        var answer = InspectionAnswer(try await service.inspection(ctx, id))
        let photos = try await service.photos(id)
        answer.lines = try await service.lines(id).map { l in
            .init(code: l.item.code, section: l.item.section.rawValue, text: l.item.text, weight: FixedPoint2.format(l.item.weight), deduction: FixedPoint2.format(l.item.deduction),
                  findings: l.findings, deducted: FixedPoint2.format(l.deducted), note: l.note, hazard: l.hazard.rawValue, requestId: l.requestId?.text,
                  requestNumber: l.requestNumber, photos: photos.filter { $0.lineId == l.id }.map { SiteURL.inspectionPhoto.link($0.id.text) })
        }
        return answer
    }

    func list(_ ctx: AccessContext, street: UUID, period: AssessmentPeriod) async throws -> ListAnswer {
        let place = try await service.streetPlace(ctx, street)
        let published = try await service.placings(ctx, street: street, period: period)
        if !published.isEmpty {
            return ListAnswer(streetId: street.text, street: place.name, period: period.description, published: true, lines: published.map { p in
                .init(placingId: p.id.text, companyId: p.companyId.text, company: p.companyName, list: p.list.rawValue, score: Points.text(p.score), rank: p.rank,
                      triggers: p.triggers.map { .init(code: $0.code, detail: $0.detail) })
            })
        }
        guard Policy.isStaffOver(ctx.actor, district: place.district, street: street, community: nil)
            || ctx.actor.grants.contains(where: { $0.role == .communityStaff && $0.streetId == street }) else {
            throw DomainError.notFound(entity: "lists", id: period.description)
        }
        let (rows, placings) = try await service.preview(street: street, district: place.district, period: period, now: ctx.now, on: service.db)
        let names = Dictionary(rows.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return ListAnswer(streetId: street.text, street: place.name, period: period.description, published: false, lines: placings.map { p in
            .init(placingId: nil, companyId: p.id.text, company: names[p.id] ?? "—", list: p.list.rawValue, score: Points.text(p.score), rank: p.rank.map(Int64.init),
                  triggers: p.triggers.map { .init(code: $0.code, detail: $0.detail) })
        })
    }

    func placing(_ ctx: AccessContext, _ id: UUID) async throws -> PlacingAnswer {
        var answer = PlacingAnswer(try await service.placing(ctx, id))
        answer.consequences = try await service.actions(id).map(ConsequenceAnswer.init)
        return answer
    }

    static func optionalID(_ raw: String?, _ field: String) throws -> UUID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw) else { throw DomainError.invalid([FieldError(field: field, code: "invalid_format", message: "a UUID")]) }
        return id
    }

    static func optionalChoice<E: RegistryCode>(_ raw: String?, _ field: String, _ type: E.Type) throws -> E? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let v = E(rawValue: raw) else {
            throw DomainError.invalid([FieldError(field: field, code: "invalid_choice", message: E.allCases.map(\.rawValue).joined(separator: ", "))])
        }
        return v
    }

    /// A period from the query, or this quarter.
    static func period(_ raw: String?, today: String) throws -> AssessmentPeriod {
        guard let raw, !raw.isEmpty else { return AssessmentPeriod.of("quarter", day: CivilDate(today) ?? CivilDate(year: 2026, month: 1, day: 1)) }
        guard let p = AssessmentPeriod(raw) else { throw DomainError.invalid([FieldError(field: "period", code: "invalid_format", message: "2026-10, 2026-Q3 or 2026")]) }
        return p
    }
}
