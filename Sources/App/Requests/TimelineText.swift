import Domain

/// What a timeline entry says, in the reader's language. Notes that the server itself writes
/// (the channel on receipt, the handler on dispatch and transfer, the rating) are stored in a
/// fixed form, read here by the event that wrote them and shown with their labels; what a person
/// typed is shown as typed.
enum TimelineText {
    static func note(_ event: RequestEventKind, _ note: String?, t: Localizer) -> String? {
        guard let note, !note.isEmpty else { return nil }
        switch event {
        case .receive:
            // The channel's code.
            return RequestChannel(rawValue: note).map { t("request.channel") + "：" + t($0.labelKey) } ?? note
        case .dispatch:
            return handler(note, t: t).map { t("request.handler") + "：" + $0 } ?? note
        case .transfer:
            // "kind:name — reason"
            let parts = note.components(separatedBy: " — ")
            guard let to = handler(parts[0], t: t) else { return note }
            return t("request.handler") + "：" + to + (parts.count > 1 ? "；" + t("request.reason") + "：" + parts.dropFirst().joined(separator: " — ") : "")
        case .rate:
            // "resolved|unresolved · satisfaction[ · comment]"
            let parts = note.components(separatedBy: " · ")
            guard parts.count >= 2, ["resolved", "unresolved"].contains(parts[0]), let s = Satisfaction(rawValue: parts[1]) else { return note }
            let head = t(parts[0] == "resolved" ? "request.rated.resolved" : "request.rated.unresolved") + " · " + t(s.labelKey)
            return parts.count > 2 ? head + "；" + parts.dropFirst(2).joined(separator: " · ") : head
        case .merge:
            // "into:GZ… · note" on the duplicate, "in:GZ…" on the one that carries on.
            if note.hasPrefix("into:") { return t("request.mergedInto") + String(note.dropFirst(5)) }
            if note.hasPrefix("in:") { return t("request.mergedIn") + String(note.dropFirst(3)) }
            return note
        case .dispute:
            return t("dispute.fromRequest") + note
        default:
            return note
        }
    }

    /// "company:万科物业" → "物业企业 · 万科物业".
    static func handler(_ code: String, t: Localizer) -> String? {
        guard let colon = code.firstIndex(of: ":"), let kind = HandlerKind(rawValue: String(code[..<colon])) else { return nil }
        return t(kind.labelKey) + " · " + code[code.index(after: colon)...]
    }

    /// A whistle case's log line: "opened: A、B" is the server's own.
    static func whistleLog(_ note: String, t: Localizer) -> String {
        if note.hasPrefix("opened: ") { return t("whistle.log.opened") + String(note.dropFirst("opened: ".count)) }
        return note
    }

    /// An audit action in words: its own label, else the request event's, else the code.
    static func auditAction(_ action: String, t: Localizer) -> String {
        if L10n.table["audit.action." + action] != nil { return t("audit.action." + action) }
        if L10n.table["enum.request_event_kind." + action] != nil { return t("enum.request_event_kind." + action) }
        return action
    }

    /// Where a change came from: the web, the API, the command line …
    static func source(_ source: String, t: Localizer) -> String {
        L10n.table["audit.source." + source] != nil ? t("audit.source." + source) : source
    }

    /// An audited entity in words.
    static func entity(_ entity: String, t: Localizer) -> String {
        L10n.table["resource." + entity] != nil ? t("resource." + entity) : entity
    }
}
