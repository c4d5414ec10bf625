import Domain
import Foundation

/// Reads a new request from JSON fields (the API, receptions), reporting every bad field at once.
enum RequestInput {
    static func parse(_ o: [String: JSONValue], defaultChannel: RequestChannel, prefix: String = "", errors: inout FieldErrors) -> RequestService.NewRequest? {
        func string(_ k: String) -> String? { if case .string(let s)? = o[k] { s } else { nil } }
        func uuid(_ k: String) -> UUID? {
            guard let s = string(k) else { return nil }
            guard let u = UUID(uuidString: s) else { errors.add(prefix + k, "invalid_id", "\(k) must be an id"); return nil }
            return u
        }
        func number(_ k: String) -> Double? {
            switch o[k] {
            case .double(let d)?: d
            case .int(let i)?: Double(i)
            case nil, .null?: nil
            default: { errors.add(prefix + k, "invalid_format", "\(k) must be a number"); return nil }()
            }
        }
        let channel = string("channel").map { RequestChannel(rawValue: $0) } ?? defaultChannel
        if channel == nil { errors.add(prefix + "channel", "invalid_choice", "channel must be one of \(RequestChannel.codes.joined(separator: ", "))") }
        let category = string("category").flatMap(RequestCategory.init(rawValue:))
        if category == nil { errors.add(prefix + "category", "invalid_choice", "category must be one of \(RequestCategory.codes.joined(separator: ", "))") }
        let urgency = string("urgency").map { Urgency(rawValue: $0) } ?? .general
        if urgency == nil { errors.add(prefix + "urgency", "invalid_choice", "urgency must be one of \(Urgency.codes.joined(separator: ", "))") }
        let compound = uuid("compoundId")
        if compound == nil && string("compoundId") == nil { errors.add(prefix + "compoundId", "required", "the compound is required") }
        let description = (string("description") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty || description.count > 2000 { errors.add(prefix + "description", "required", "a description of at most 2000 characters") }
        let name = string("reporterName")
        if let n = name, n.count > 50 { errors.add(prefix + "reporterName", "too_long", "at most 50 characters") }
        let lat = number("latitude"), lon = number("longitude")
        if let lat, !(-90...90).contains(lat) { errors.add(prefix + "latitude", "out_of_range", "-90 to 90") }
        if let lon, !(-180...180).contains(lon) { errors.add(prefix + "longitude", "out_of_range", "-180 to 180") }
        let building = uuid("buildingId"), room = uuid("roomId")
        guard let channel, let category, let urgency, let compound else { return nil }
        return .init(channel: channel, category: category, urgency: urgency, compoundId: compound, buildingId: building, roomId: room,
                     reporterName: name, reporterPhone: string("reporterPhone"), description: description, latitude: lat, longitude: lon)
    }

    /// Reads a transition body: `{"event": "respond", "note": …}` and the event's own fields.
    static func action(_ body: JSONBody) throws -> RequestAction {
        var errors = FieldErrors()
        let note = body.optionalString("note")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard let event = body.optionalString("event") else {
            throw DomainError.invalid([FieldError(field: "event", code: "required", message: "event is one of transfer, respond, start, resolve, rate, close, note, escalate")])
        }
        switch event {
        case "respond": return .respond(note: note)
        case "start": return .start(note: note)
        case "close": return .close(note: note)
        case "note":
            guard let note else { throw DomainError.invalid([FieldError(field: "note", code: "required", message: "the note's text")]) }
            return .note(note)
        case "resolve":
            guard let reply = (body.optionalString("reply") ?? note)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
                throw DomainError.invalid([FieldError(field: "reply", code: "required", message: "the handler's reply to the reporter")])
            }
            return .resolve(reply: reply)
        case "rate":
            var resolved: Bool?
            if case .bool(let b)? = body.object["resolved"] { resolved = b } else { errors.add("resolved", "required", "resolved is true or false") }
            let satisfaction = body.optionalString("satisfaction").flatMap(Satisfaction.init(rawValue:))
            if satisfaction == nil { errors.add("satisfaction", "invalid_choice", "satisfaction is one of \(Satisfaction.codes.joined(separator: ", "))") }
            try errors.throwIfAny()
            return .rate(resolved: resolved!, satisfaction: satisfaction!, comment: note)
        case "transfer":
            let kind = body.optionalString("handlerKind").flatMap(HandlerKind.init(rawValue:))
            if kind == nil { errors.add("handlerKind", "invalid_choice", "handlerKind is one of \(HandlerKind.codes.joined(separator: ", "))") }
            let id = body.optionalString("handlerId").flatMap(UUID.init(uuidString:))
            if id == nil { errors.add("handlerId", "invalid_id", "handlerId is the new handler's id") }
            let reason = (body.optionalString("reason") ?? note)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            if reason == nil { errors.add("reason", "required", "re-routing needs a reason") }
            try errors.throwIfAny()
            return .transfer(kind: kind!, id: id!, reason: reason!)
        default:
            throw DomainError.invalid([FieldError(field: "event", code: "invalid_choice", message: "event is one of transfer, respond, start, resolve, rate, close, note, escalate")])
        }
    }
}
