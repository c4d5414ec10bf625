import Domain
import Foundation

/// A web form that was refused, while its page is shown again: where it was posted, what was
/// typed, and what was wrong with each field. `Layout` lists the messages at the top of the page
/// and hands values and messages to `site.js`, which puts each value back into the form posted to
/// `action` and each message beside its field.
struct FormState: Sendable {
    /// The path the form was posted to (its `action` without a query).
    let action: String
    let values: [String: String]
    let errors: [FieldError]

    @TaskLocal static var current: FormState?

    /// Never sent back into a page: the form token and passwords.
    static func keeps(_ name: String) -> Bool {
        name != "_csrf" && !name.lowercased().contains("password")
    }

    /// A field's problem as a person reads it: its label and the message for its code, in the
    /// page's language (the English detail when no translation of the code exists).
    static func message(_ error: FieldError, t: Localizer) -> (label: String, text: String) {
        let field = error.field.split(separator: ".").last.map(String.init) ?? error.field
        let bare = field.replacingOccurrences(of: #"\[\d+\]"#, with: "", options: .regularExpression)
        let label = L10n.table["field." + bare] != nil ? t("field." + bare) : bare
        let text = L10n.table["fielderror." + error.code] != nil ? t("fielderror." + error.code) : error.message
        return (label, text)
    }

    /// The JSON `site.js` reads: `{"action", "values", "errors": {field: message}}`, with `<`
    /// escaped so it cannot end the data block early.
    func json(t: Localizer) -> String {
        var messages: [String: JSONValue] = [:]
        for e in errors where messages[e.field] == nil { messages[e.field] = .string(Self.message(e, t: t).text) }
        let value: JSONValue = .object([
            "action": .string(action),
            "values": .object(values.filter { Self.keeps($0.key) }.mapValues { .string($0) }),
            "errors": .object(messages),
        ])
        return String(decoding: value.encoded(), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }
}
