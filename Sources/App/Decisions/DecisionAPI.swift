import Domain
import Foundation
import Hummingbird

/// `/api/v1/compounds/{compoundId}/decisions` and `/api/v1/decisions/{id}/…`.
struct DecisionAPI: Sendable {
    let service: DecisionService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.add(.post, SiteURL.apiCompoundDecisions, .resource("decisions", .create)) { request, context in try await create(request, context) }
        routes.add(.get, SiteURL.apiCompoundDecisions, .resource("decisions", .read)) { _, context in
            let list = try await service.list(try context.access("api", now: clock()), compound: try uuid(context, "id"))
            return .json(.object(["items": .array(list.map(\.json))]))
        }
        routes.add(.get, SiteURL.apiDecision, .resource("decisions", .read)) { _, context in
            .json(try await service.get(try context.access("api", now: clock()), try uuid(context, "id")).json)
        }
        routes.add(.post, SiteURL.apiDecisionOpen, .resource("decisions", .update)) { _, context in
            .json(try await service.open(try context.access("api", now: clock()), try uuid(context, "id")).json)
        }
        routes.add(.post, SiteURL.apiDecisionClose, .resource("decisions", .update)) { request, context in
            let body = try await optionalBody(request, context)
            return .json(try await service.close(try context.access("api", now: clock()), try uuid(context, "id"), reason: body.optionalString("reason")).json)
        }
        routes.add(.post, SiteURL.apiDecisionPublish, .resource("decisions", .update)) { _, context in
            .json(try await service.publish(try context.access("api", now: clock()), try uuid(context, "id")).json)
        }
        routes.add(.post, SiteURL.apiDecisionBallots, .resource("decisions", .read)) { request, context in try await cast(request, context) }
        routes.add(.get, SiteURL.apiDecisionResult, .resource("decisions", .read)) { _, context in
            .json(try await service.result(try context.access("api", now: clock()), try uuid(context, "id")).json)
        }
        routes.add(.post, SiteURL.apiDecisionApply, .resource("decisions", .update)) { request, context in
            let body = try await optionalBody(request, context)
            var errors = FieldErrors()
            var fee: Money?
            if let text = body.optionalString("monthlyFeePerSqm") {
                do { fee = try Money(parsing: text) } catch { errors.add("monthlyFeePerSqm", "invalid_format", "a fee like \"3.50\"") }
            }
            let starts = body.optionalString("startsOn").flatMap(CivilDate.init)
            let ends = body.optionalString("endsOn").flatMap(CivilDate.init)
            if body.optionalString("startsOn") != nil && starts == nil { errors.add("startsOn", "invalid_date", "startsOn must be YYYY-MM-DD") }
            if body.optionalString("endsOn") != nil && ends == nil { errors.add("endsOn", "invalid_date", "endsOn must be YYYY-MM-DD") }
            try errors.throwIfAny()
            return .json(try await service.apply(try context.access("api", now: clock()), try uuid(context, "id"), monthlyFee: fee, startsOn: starts, endsOn: ends))
        }
        routes.add(.get, SiteURL.apiDecisionVerify, .resource("decisions", .read)) { request, context in
            .json(try await service.verify(try context.access("api", now: clock()), try uuid(context, "id"), receipt: request.uri.queryParameters.get("receipt")))
        }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.object(request, context)
        var errors = FieldErrors()
        let title = (body.optionalString("title") ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty || title.count > 200 { errors.add("title", "required", "title is required (at most 200 characters)") }
        let matter = body.optionalString("matter").flatMap(Matter.init(rawValue:))
        if matter == nil { errors.add("matter", "invalid_choice", "matter must be one of \(Matter.codes.joined(separator: ", "))") }
        let opens = body.optionalString("opensAt").flatMap { try? DecisionService.parseISO($0) }
        let closes = body.optionalString("closesAt").flatMap { try? DecisionService.parseISO($0) }
        if opens == nil { errors.add("opensAt", "invalid_time", "opensAt must be a time like 2026-12-01T00:00:00Z") }
        if closes == nil { errors.add("closesAt", "invalid_time", "closesAt must be a time like 2026-12-31T00:00:00Z") }
        if let o = opens, let c = closes, c <= o { errors.add("closesAt", "before_start", "closesAt must be after opensAt") }
        var candidates: [String] = []
        if case .array(let a)? = body.object["candidates"] { candidates = a.compactMap { if case .string(let s) = $0 { s.trimmingCharacters(in: .whitespaces) } else { nil } } }
        var seats: Int?
        if case .int(let n)? = body.object["seats"] { seats = Int(n) }
        if matter == .electCommittee {
            if candidates.isEmpty || Set(candidates).count != candidates.count || candidates.contains(where: { $0.isEmpty || $0.contains(";") || $0.contains("=") }) {
                errors.add("candidates", "invalid", "an election needs a list of distinct candidate names")
            }
            if seats == nil || seats! < 1 || seats! > max(1, candidates.count) { errors.add("seats", "out_of_range", "seats must be from 1 to the number of candidates") }
        } else if !candidates.isEmpty {
            errors.add("candidates", "not_an_election", "only elect_committee decisions have candidates")
        }
        let company = body.optionalString("companyId").flatMap(UUID.init(uuidString:))
        let contract = body.optionalString("contractId").flatMap(UUID.init(uuidString:))
        if body.optionalString("companyId") != nil && company == nil { errors.add("companyId", "invalid_id", "companyId must be an id") }
        if body.optionalString("contractId") != nil && contract == nil { errors.add("contractId", "invalid_id", "contractId must be an id") }
        try errors.throwIfAny()
        let d = try await service.create(try context.access("api", now: clock()), compound: try uuid(context, "id"),
                                         .init(title: title, matter: matter!, description: body.optionalString("description"), opensAt: opens!, closesAt: closes!,
                                               candidates: candidates, seats: seats, companyId: company, contractId: contract))
        return .json(d.json, status: .created, headers: [.location: SiteURL.apiDecision.link(d.id.uuidString.lowercased())])
    }

    func cast(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.object(request, context)
        var errors = FieldErrors()
        let owner = body.optionalString("ownerId").flatMap(UUID.init(uuidString:))
        if owner == nil { errors.add("ownerId", "invalid_id", "ownerId must be an id") }
        let channel = body.optionalString("channel").flatMap(BallotChannel.init(rawValue:))
        if channel == nil { errors.add("channel", "invalid_choice", "channel must be online or paper") }
        let choice = body.optionalString("choice").flatMap(Choice.init(rawValue:))
        if body.optionalString("choice") != nil && choice == nil { errors.add("choice", "invalid_choice", "choice must be yes, no or abstain") }
        var choices: [String: Choice] = [:]
        if case .object(let o)? = body.object["choices"] {
            for (k, v) in o {
                if case .string(let s) = v, let c = Choice(rawValue: s) { choices[k] = c } else { errors.add("choices", "invalid_choice", "each choice must be yes, no or abstain") }
            }
        }
        try errors.throwIfAny()
        let result = try await service.cast(try context.access("api", now: clock()), try uuid(context, "id"),
                                            .init(ownerId: owner!, choice: choice, choices: choices, channel: channel!, paperNumber: body.optionalString("paperNumber")))
        return .json(.object(["sequence": .int(Int64(result.sequence)), "receipt": .string(result.receipt), "hash": .string(result.hash)]), status: .created)
    }

    func optionalBody(_ request: Request, _ context: AppRequestContext) async throws -> JSONBody {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        if buffer.readableBytes == 0 { return JSONBody(object: [:]) }
        guard case .object(let o) = try JSONValue.parse(Data(buffer.readableBytesView)) else { throw DomainError.badRequest(message: "The body must be a JSON object.") }
        return JSONBody(object: o)
    }

    func uuid(_ context: AppRequestContext, _ name: String) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get(name) ?? "") else { throw DomainError.notFound(entity: name == "id" ? "decisions" : "compounds", id: context.parameters.get(name) ?? "") }
        return id
    }
}
