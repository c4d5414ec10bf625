import Domain
import FluentKit
import Foundation
import NIOCore
import SQLKit

/// Inspections: a street or community inspector starts one for a compound with the street's
/// checklist, records findings, notes and hazards item by item (with photos), submits it; any
/// deduction can open a request to the company in one step; the company answers.
extension AssessmentService {
    /// What an inspector records against one item.
    struct LineInput: Sendable, Hashable {
        var code: String
        var findings: Int64
        var note: String?
        var hazard: HazardMark
    }

    /// Staff see the inspections of their places, drafts included; the company inspected and the
    /// compound's committee see the submitted ones.
    static func visible(_ actor: Actor, alias i: String) -> SQLQueryString {
        let staff = PlaceScope.staff(actor, alias: i)
        let others: [SQLQueryString] = actor.grants.compactMap { g in
            switch g.role {
            case .companyStaff: "\(unsafeRaw: i).company_id = \(bind: g.scopeId)"
            case .committeeMember: "\(unsafeRaw: i).compound_id = \(bind: g.scopeId)"
            default: nil
            }
        }
        if others.isEmpty { return staff }
        return "(" + staff + " OR (\(unsafeRaw: i).status <> 'draft' AND (" + others.joined(separator: " OR ") + ")))"
    }

    func inspections(_ ctx: AccessContext, compound: UUID? = nil, status: InspectionRecord.Status? = nil, month: String? = nil, limit: Int = 200) async throws -> [InspectionRecord] {
        var filter = Self.visible(ctx.actor, alias: "i")
        if let compound { filter += " AND i.compound_id = \(bind: compound)" }
        if let status { filter += " AND i.status = \(bind: status.rawValue)" }
        if let month { filter += " AND i.month = \(bind: month)" }
        return try await db.sql().raw("\(unsafeRaw: InspectionRecord.select) WHERE " + filter + " ORDER BY i.inspected_on DESC, i.created_at DESC LIMIT \(unsafeRaw: String(limit))")
            .all().map(InspectionRecord.init)
    }

    func inspection(_ ctx: AccessContext, _ id: UUID, on given: (any Database)? = nil) async throws -> InspectionRecord {
        guard let row = try await (given ?? db).sql().raw("\(unsafeRaw: InspectionRecord.select) WHERE i.id = \(bind: id) AND " + Self.visible(ctx.actor, alias: "i")).first() else {
            throw DomainError.notFound(entity: "inspections", id: id.text)
        }
        return try InspectionRecord(row: row)
    }

    func lines(_ id: UUID, on given: (any Database)? = nil) async throws -> [InspectionLineRecord] {
        try await (given ?? db).sql().raw("\(unsafeRaw: InspectionLineRecord.select) WHERE l.inspection_id = \(bind: id) ORDER BY l.position").all().map(InspectionLineRecord.init)
    }

    func photos(_ id: UUID) async throws -> [(id: UUID, lineId: UUID)] {
        try await db.sql().raw("SELECT id, line_id FROM inspection_photos WHERE inspection_id = \(bind: id) ORDER BY created_at").all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "line_id", as: UUID.self))
        }
    }

    /// Starts an inspection of a compound the caller is staff over, with every item of its street's checklist at no findings.
    func startInspection(_ ctx: AccessContext, compound: UUID, on day: CivilDate?) async throws -> UUID {
        // An inspection is signed by the person who walked the compound, never by an integration key.
        guard ctx.actor.kind == .user || ctx.actor.isSystem else { throw DomainError.forbidden(reason: "inspections are made by a person signed in") }
        guard let place = try await requests.place(ofCompound: compound, on: db),
              Policy.isStaffOver(ctx.actor, district: place.districtId, street: place.streetId, community: place.communityId) else {
            throw DomainError.invalid([FieldError(field: "compoundId", code: "unknown_reference", message: "no compound you inspect has id \(compound.text)")])
        }
        let today = ctx.today, inspected = day ?? CivilDate(today) ?? CivilDate(year: 2026, month: 1, day: 1)
        guard inspected <= (CivilDate(today) ?? inspected), inspected > (CivilDate(today) ?? inspected).adding(days: -366) else {
            throw DomainError.invalid([FieldError(field: "inspectedOn", code: "out_of_range", message: "a day of the past year, not in the future")])
        }
        let checklist = try await settings(street: place.streetId).checklist
        let id = UUID.random()
        try await db.transaction { tx in
            let company = try await ServingCompany.of(compound, today: inspected.description, on: tx)
            let score = InspectionRules.score(checklist.map { InspectionFinding(item: $0, findings: 0) })
            try await tx.sql().insert(into: "inspections").columns("id", "district_id", "street_id", "community_id", "compound_id", "company_id", "inspected_on", "month",
                                                                   "status", "inspector", "inspector_user_id", "service_earned", "service_weight", "party_earned",
                                                                   "party_weight", "score", "submitted_at", "answer", "answered_by", "answered_at", "created_at", "updated_at")
                .values([Bind.uuid(id), Bind.uuid(place.districtId), Bind.uuid(place.streetId), Bind.uuid(place.communityId), Bind.uuid(compound), Bind.uuid(company),
                         Bind.text(inspected.description), Bind.text(inspected.monthText), Bind.text(InspectionRecord.Status.draft.rawValue), Bind.text(ctx.actor.label),
                         Bind.uuid(ctx.actor.kind == .user ? ctx.actor.id : nil), Bind.int(score.serviceEarned), Bind.int(score.serviceWeight), Bind.int(score.partyEarned), Bind.int(score.partyWeight),
                         Bind.int(score.total), SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, SQLLiteral.null, Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            for (i, item) in checklist.enumerated() {
                try await tx.sql().insert(into: "inspection_lines").columns("id", "inspection_id", "position", "code", "section", "text", "weight", "deduction", "findings",
                                                                            "deducted", "note", "hazard", "request_id", "created_at", "updated_at")
                    .values([Bind.uuid(UUID.random()), Bind.uuid(id), Bind.int(Int64(i)), Bind.text(item.code), Bind.text(item.section.rawValue), Bind.text(item.text),
                             Bind.int(item.weight), Bind.int(item.deduction), Bind.int(0), Bind.int(0), SQLLiteral.null, Bind.text(HazardMark.none.rawValue),
                             SQLLiteral.null, Bind.date(ctx.now), Bind.date(ctx.now)]).run()
            }
            try await audit.record(ctx, action: "create", entity: "inspections", entityId: id, districtId: place.districtId, before: nil,
                                   after: .object(["compoundId": .string(compound.text), "inspectedOn": .string(inspected.description)]), on: tx)
        }
        return id
    }

    /// The inspection, if the caller is its inspector and it is still a draft.
    func forScoring(_ ctx: AccessContext, _ id: UUID, on tx: any Database) async throws -> InspectionRecord {
        let i = try await inspection(ctx, id, on: tx)
        guard i.inspectorUserId != nil && i.inspectorUserId == ctx.actor.id else { throw DomainError.forbidden(reason: "only the inspector scores an inspection") }
        guard i.status == .draft else { throw DomainError.conflict(code: "already_submitted", message: "a submitted inspection is not scored again") }
        return i
    }

    /// Records findings against the items named; items not named keep what they had.
    func score(_ ctx: AccessContext, _ id: UUID, lines input: [LineInput]) async throws {
        try await db.transaction { tx in
            let i = try await forScoring(ctx, id, on: tx)
            let current = try await lines(id, on: tx)
            var errors = FieldErrors()
            for (n, line) in input.enumerated() {
                guard let found = current.first(where: { $0.item.code == line.code }) else {
                    errors.add("lines[\(n)].code", "unknown_reference", "the checklist has no item \(line.code)"); continue
                }
                if !(0...InspectionRules.maxFindings).contains(line.findings) { errors.add("lines[\(n)].findings", "out_of_range", "0–99 findings") }
                if line.hazard != .none && !found.item.section.mayBeHazard {
                    errors.add("lines[\(n)].hazard", "invalid_choice", "only fire safety and shared parts findings are safety hazards")
                }
                if line.hazard != .none && line.findings == 0 { errors.add("lines[\(n)].hazard", "invalid_choice", "a hazard is a finding: record at least one") }
                if let note = line.note, note.count > 500 { errors.add("lines[\(n)].note", "too_long", "at most 500 characters") }
            }
            try errors.throwIfAny()
            for line in input {
                guard let found = current.first(where: { $0.item.code == line.code }) else { continue }
                let taken = InspectionRules.deducted(found.item, findings: line.findings)
                let note = line.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
                try await tx.sql().raw("""
                    UPDATE inspection_lines SET findings = \(bind: line.findings), deducted = \(bind: taken), note = \(bind: note), hazard = \(bind: line.hazard.rawValue),
                    updated_at = \(bind: ctx.now) WHERE id = \(bind: found.id)
                    """).run()
            }
            let after = try await lines(id, on: tx)
            let s = InspectionRules.score(after.map { InspectionFinding(item: $0.item, findings: $0.findings, hazard: $0.hazard) })
            try await tx.sql().raw("""
                UPDATE inspections SET service_earned = \(bind: s.serviceEarned), service_weight = \(bind: s.serviceWeight), party_earned = \(bind: s.partyEarned),
                party_weight = \(bind: s.partyWeight), score = \(bind: s.total), updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "score", entity: "inspections", entityId: id, districtId: i.districtId, before: .object(["score": .int(i.score)]),
                                   after: .object(["score": .int(s.total), "lines": .array(input.map { .string("\($0.code)×\($0.findings)") })]), on: tx)
        }
    }

    /// Submits the inspection: its score counts from now on and the company sees it.
    func submit(_ ctx: AccessContext, _ id: UUID) async throws {
        try await db.transaction { tx in
            let i = try await forScoring(ctx, id, on: tx)
            try await tx.sql().raw("UPDATE inspections SET status = 'submitted', submitted_at = \(bind: ctx.now), updated_at = \(bind: ctx.now) WHERE id = \(bind: id) AND status = 'draft'").run()
            try await audit.record(ctx, action: "submit", entity: "inspections", entityId: id, districtId: i.districtId, before: .object(["status": .string("draft")]),
                                   after: .object(["status": .string("submitted"), "score": .int(i.score)]), on: tx)
        }
    }

    /// Opens a request to the serving company about a deduction, filed as an inspection, and links it to the line.
    func openRequest(_ ctx: AccessContext, _ id: UUID, code: String) async throws -> UUID {
        try await db.transaction { tx in
            let i = try await inspection(ctx, id, on: tx)
            guard i.inspectorUserId == ctx.actor.id || Policy.isStaffOver(ctx.actor, district: i.districtId, street: i.streetId, community: nil) else {
                throw DomainError.forbidden(reason: "the inspector or the street opens requests from an inspection")
            }
            guard let line = try await lines(id, on: tx).first(where: { $0.item.code == code }) else { throw DomainError.notFound(entity: "inspection-lines", id: code) }
            guard line.deducted > 0 else { throw DomainError.conflict(code: "no_deduction", message: "the item has no deduction to act on") }
            guard line.requestId == nil else { throw DomainError.conflict(code: "already_requested", message: "a request is open for this item already") }
            guard let category = line.item.section.requestCategory else {
                throw DomainError.conflict(code: "not_a_service_item", message: "party-building items are taken up with the company's party organisation, not as requests")
            }
            let text = "日查扣分（\(i.inspectedOn)，\(line.item.code)）：\(line.item.text)。发现 \(line.findings) 处，扣 \(FixedPoint2.format(line.deducted)) 分。" + (line.note.map { "说明：\($0)" } ?? "")
            let requestId = try await requests.create(ctx, .init(channel: .inspection, category: category, urgency: line.hazard == .none ? .general : .emergency,
                                                                 compoundId: i.compoundId, buildingId: nil, roomId: nil, reporterName: ctx.actor.label, reporterPhone: nil,
                                                                 description: text, latitude: nil, longitude: nil, receivedAt: nil, hotlineOrderNo: nil, receptionId: nil), on: tx)
            try await tx.sql().raw("UPDATE inspection_lines SET request_id = \(bind: requestId), updated_at = \(bind: ctx.now) WHERE id = \(bind: line.id) AND request_id IS NULL").run()
            try await audit.record(ctx, action: "open-request", entity: "inspections", entityId: id, districtId: i.districtId, before: nil,
                                   after: .object(["code": .string(code), "requestId": .string(requestId.text)]), on: tx)
            return requestId
        }
    }

    /// The company inspected answers the inspection (what it put right, what it disputes).
    func answer(_ ctx: AccessContext, _ id: UUID, text: String) async throws {
        let answer = try Self.requireText("answer", text, "the company's answer, 1–2,000 characters")
        try await db.transaction { tx in
            let i = try await inspection(ctx, id, on: tx)
            guard let company = i.companyId, ctx.actor.grants.contains(where: { $0.role == .companyStaff && $0.scopeId == company }) else {
                throw DomainError.forbidden(reason: "the company inspected answers")
            }
            guard i.status != .draft else { throw DomainError.conflict(code: "not_submitted", message: "the inspection is not submitted yet") }
            try await tx.sql().raw("""
                UPDATE inspections SET status = 'answered', answer = \(bind: answer), answered_by = \(bind: ctx.actor.label), answered_at = \(bind: ctx.now),
                updated_at = \(bind: ctx.now) WHERE id = \(bind: id)
                """).run()
            try await audit.record(ctx, action: "answer", entity: "inspections", entityId: id, districtId: i.districtId, before: i.answer.map { .object(["answer": .string($0)]) },
                                   after: .object(["answer": .string(answer)]), on: tx)
        }
    }

    // MARK: - Photos

    /// A photo of a deduction, by the inspector: JPEG or PNG up to 5 MiB, at most 9 per item.
    func addPhoto(_ ctx: AccessContext, _ id: UUID, code: String, bytes: [UInt8], contentType: String) async throws -> UUID {
        guard !bytes.isEmpty else { throw DomainError.invalid([FieldError(field: "photo", code: "required", message: "choose a photo")]) }
        guard bytes.count <= RequestPhotos.maxSize else { throw DomainError.invalid([FieldError(field: "photo", code: "too_large", message: "a photo may be at most 5 MiB")]) }
        guard let ext = RequestPhotos.kind(bytes, contentType: contentType) else {
            throw DomainError.invalid([FieldError(field: "photo", code: "unsupported", message: "send a JPEG or PNG photo")])
        }
        let i = try await inspection(ctx, id)
        guard i.inspectorUserId != nil && i.inspectorUserId == ctx.actor.id else { throw DomainError.forbidden(reason: "the inspector adds photos") }
        guard let line = try await lines(id).first(where: { $0.item.code == code }) else { throw DomainError.notFound(entity: "inspection-lines", id: code) }
        guard line.findings > 0 else { throw DomainError.conflict(code: "no_deduction", message: "photos go with a deduction: record the finding first") }
        let photoId = UUID.random(), stored = UploadStore.name(folder: "inspections", id: photoId, ext: ext)
        let digest = try await uploads.write(bytes, as: stored)
        do {
            try await db.transaction { tx in
                let n = try await tx.sql().raw("SELECT COUNT(*) AS n FROM inspection_photos WHERE line_id = \(bind: line.id)").first()?.decode(column: "n", as: Int.self) ?? 0
                guard n < RequestPhotos.maxPerRequest else { throw DomainError.conflict(code: "too_many_photos", message: "an item has at most \(RequestPhotos.maxPerRequest) photos") }
                try await tx.sql().insert(into: "inspection_photos").columns("id", "inspection_id", "line_id", "content_type", "size", "sha256", "stored_name", "created_at", "updated_at")
                    .values([Bind.uuid(photoId), Bind.uuid(id), Bind.uuid(line.id), Bind.text(contentType), Bind.int(Int64(bytes.count)), Bind.text(digest), Bind.text(stored),
                             Bind.date(ctx.now), Bind.date(ctx.now)]).run()
                try await audit.record(ctx, action: "photo", entity: "inspections", entityId: id, districtId: i.districtId, before: nil,
                                       after: .object(["code": .string(code), "photoId": .string(photoId.text), "sha256": .string(digest)]), on: tx)
            }
        } catch {
            await uploads.remove(stored)
            throw error
        }
        return photoId
    }

    /// The photo, to whoever may see its inspection.
    func photo(_ ctx: AccessContext, _ photo: UUID) async throws -> (contentType: String, bytes: NIOCore.ByteBuffer) {
        guard let row = try await db.sql().raw("SELECT * FROM inspection_photos WHERE id = \(bind: photo)").first() else { throw DomainError.notFound(entity: "photos", id: photo.text) }
        _ = try await inspection(ctx, try row.decode(column: "inspection_id", as: UUID.self))
        guard let data = try await uploads.read(try row.decode(column: "stored_name", as: String.self)) else { throw DomainError.notFound(entity: "photos", id: photo.text) }
        return (try row.decode(column: "content_type", as: String.self), data)
    }
}
