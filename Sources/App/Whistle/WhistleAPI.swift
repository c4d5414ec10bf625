import Domain
import Foundation
import Hummingbird

/// `/api/v1/whistle-cases…`: open, list, read, report in, log, close.
struct WhistleAPI: Sendable {
    let service: WhistleService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.add(.post, SiteURL.apiWhistleCases, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let body = try await JSONBody.object(request, context)
            let requestId = try Self.optionalId(body, "requestId")
            let id = try await service.open(ctx, try Self.newCase(body, requestId: requestId))
            return .json(try await service.get(ctx, id).json(now: ctx.now), status: .created, headers: [.location: SiteURL.apiWhistleCase.link(id.uuidString.lowercased())])
        }
        routes.add(.get, SiteURL.apiWhistleCases, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let q = request.uri.queryParameters
            var errors = FieldErrors()
            let status = q.get("status").flatMap { $0.isEmpty ? nil : $0 }.map { WhistleStatus(rawValue: $0) }
            if status == .some(nil) { errors.add("status", "invalid_choice", "open or closed") }
            let street = q.get("streetId").flatMap { $0.isEmpty ? nil : $0 }.map { UUID(uuidString: $0) }
            if street == .some(nil) { errors.add("streetId", "invalid_id", "streetId must be an id") }
            try errors.throwIfAny()
            let list = try await service.list(ctx, status: status ?? nil, streetId: street ?? nil)
            return .json(.object(["items": .array(list.map(\.json))]))
        }
        routes.add(.get, SiteURL.apiWhistleCase, .signedIn) { _, context in
            let ctx = try context.access("api", now: clock())
            return .json(try await service.get(ctx, try Self.id(context)).json(now: ctx.now))
        }
        routes.add(.post, SiteURL.apiWhistleReports, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let body = try await JSONBody.object(request, context)
            let (party, response, commitments) = try Self.report(body)
            let id = try Self.id(context)
            try await service.report(ctx, case: id, party: party, response: response, commitments: commitments)
            return .json(try await service.get(ctx, id).json(now: ctx.now), status: .created)
        }
        routes.add(.post, SiteURL.apiWhistleLog, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let body = try await JSONBody.object(request, context)
            guard let note = body.optionalString("note")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
                throw DomainError.invalid([FieldError(field: "note", code: "required", message: "the log line")])
            }
            let id = try Self.id(context)
            try await service.addLog(ctx, case: id, note: note)
            return .json(try await service.get(ctx, id).json(now: ctx.now), status: .created)
        }
        routes.add(.post, SiteURL.apiWhistleClose, .signedIn) { request, context in
            let ctx = try context.access("api", now: clock())
            let body = try await JSONBody.object(request, context)
            guard let note = body.optionalString("note")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
                throw DomainError.invalid([FieldError(field: "note", code: "required", message: "the street's confirmation")])
            }
            let id = try Self.id(context)
            try await service.close(ctx, case: id, note: note)
            return .json(try await service.get(ctx, id).json(now: ctx.now))
        }
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "whistle-cases", id: context.parameters.get("id") ?? "") }
        return id
    }

    static func optionalId(_ body: JSONBody, _ name: String) throws -> UUID? {
        guard let s = body.optionalString(name) else { return nil }
        guard let u = UUID(uuidString: s) else { throw DomainError.invalid([FieldError(field: name, code: "invalid_id", message: "\(name) must be an id")]) }
        return u
    }

    /// `{title, description, streetId?, compoundId?, parties: [{kind, departmentId|companyId|name, reportBy}]}`.
    static func newCase(_ body: JSONBody, requestId: UUID?) throws -> WhistleService.NewCase {
        var errors = FieldErrors()
        var parties: [WhistleService.PartyInput] = []
        if case .array(let items)? = body.object["parties"] {
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else { errors.add("parties[\(i)]", "invalid", "each party is an object"); continue }
                let p = JSONBody(object: o)
                let kind = p.optionalString("kind").flatMap(WhistlePartyKind.init(rawValue:))
                if kind == nil { errors.add("parties[\(i)].kind", "invalid_choice", WhistlePartyKind.codes.joined(separator: ", ")) }
                let reportBy = p.optionalString("reportBy").flatMap { try? DecisionService.parseISO($0) }
                if reportBy == nil { errors.add("parties[\(i)].reportBy", "invalid_time", "a time like 2026-12-01T08:00:00Z") }
                let dept = p.optionalString("departmentId").flatMap(UUID.init(uuidString:)), company = p.optionalString("companyId").flatMap(UUID.init(uuidString:))
                if let kind, let reportBy { parties.append(.init(kind: kind, departmentId: dept, companyId: company, name: p.optionalString("name"), reportBy: reportBy)) }
            }
        } else if body.object["parties"] != nil {
            errors.add("parties", "invalid", "parties is a list")
        }
        let street = body.optionalString("streetId").flatMap(UUID.init(uuidString:))
        if body.optionalString("streetId") != nil && street == nil { errors.add("streetId", "invalid_id", "streetId must be an id") }
        let compound = body.optionalString("compoundId").flatMap(UUID.init(uuidString:))
        if body.optionalString("compoundId") != nil && compound == nil { errors.add("compoundId", "invalid_id", "compoundId must be an id") }
        try errors.throwIfAny()
        return .init(streetId: street, compoundId: compound, requestId: requestId, title: (body.optionalString("title") ?? "").trimmingCharacters(in: .whitespaces),
                     description: body.optionalString("description") ?? "", parties: parties)
    }

    /// `{partyId, response, commitments: [{task, amount: "12000.00", dueOn: "2026-12-31"}]}`.
    static func report(_ body: JSONBody) throws -> (UUID, String, [WhistleService.Commitment]) {
        var errors = FieldErrors()
        let party = body.optionalString("partyId").flatMap(UUID.init(uuidString:))
        if party == nil { errors.add("partyId", "invalid_id", "the summoned party's id") }
        let response = (body.optionalString("response") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if response.isEmpty { errors.add("response", "required", "the party's response") }
        var commitments: [WhistleService.Commitment] = []
        if case .array(let items)? = body.object["commitments"] {
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else { errors.add("commitments[\(i)]", "invalid", "each commitment is an object"); continue }
                let c = JSONBody(object: o)
                let task = (c.optionalString("task") ?? "").trimmingCharacters(in: .whitespaces)
                if task.isEmpty { errors.add("commitments[\(i)].task", "required", "what will be done") }
                var amount: Money?
                do { amount = try Money(parsing: c.optionalString("amount") ?? "0") } catch { errors.add("commitments[\(i)].amount", "invalid_format", "yuan like \"12000.00\"") }
                let due = c.optionalString("dueOn").flatMap(CivilDate.init)
                if due == nil { errors.add("commitments[\(i)].dueOn", "invalid_date", "YYYY-MM-DD") }
                if let amount, let due, !task.isEmpty { commitments.append(.init(task: task, amount: amount, dueOn: due)) }
            }
        }
        try errors.throwIfAny()
        return (party!, response, commitments)
    }
}
