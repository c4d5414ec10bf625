import Domain
import Foundation

/// Options for a reference field: a select when the target is small, a text box for an id otherwise.
struct ReferenceOptions: Sendable {
    let options: [(id: String, label: String)]?
}

/// The generic create/edit form of any resource, with every field error shown beside its field.
enum FormPage {
    static func render(spec: ResourceSpec, action: String, values: [String: String], errors: [FieldError],
                       references: [String: ReferenceOptions], page: PageContext, title: String) -> [N] {
        let t = page.t
        var nodes: [N] = [H.el("h1", [], text: title)]
        if !errors.isEmpty {
            nodes.append(H.el("div", [("class", "errors"), ("role", "alert")], [
                H.el("p", [], text: t("form.errors", errors.count)),
                H.el("ul", [], errors.map { e in
                    let m = FormState.message(e, t: t)
                    return H.el("li", [], text: "\(m.label)：\(m.text)")
                }),
            ]))
        }
        var fields: [N] = [H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])]
        for field in spec.fields {
            let id = "f-\(field.name)"
            let value = values[field.name] ?? ""
            let fieldErrors = errors.filter { $0.field == field.name }
            var label: [N] = [H.t(t("field.\(field.name)"))]
            if !field.required { label.append(H.el("span", [("class", "optional")], text: " (\(t("form.optional")))")) }
            let invalid: [(String, String?)] = fieldErrors.isEmpty ? [] : [("aria-invalid", "true"), ("aria-describedby", id + "-error")]
            let control: N
            switch field.kind {
            case .boolean:
                control = H.void("input", [("type", "checkbox"), ("id", id), ("name", field.name), ("value", "true")]
                                 + (value == "true" ? [("checked", nil)] : []) + invalid)
            case .code(let family, let codes):
                control = H.el("select", [("id", id), ("name", field.name)] + invalid,
                               [H.el("option", [("value", "")], text: t("form.choose"))] + codes.map { code in
                                   H.el("option", [("value", code)] + (code == value ? [("selected", nil)] : []), text: t("enum.\(family).\(code)"))
                               })
            case .reference:
                if let options = references[field.name]?.options {
                    control = H.el("select", [("id", id), ("name", field.name)] + invalid,
                                   [H.el("option", [("value", "")], text: t("form.choose"))] + options.map { o in
                                       H.el("option", [("value", o.id)] + (o.id == value ? [("selected", nil)] : []), text: o.label)
                                   })
                } else {
                    control = H.void("input", [("type", "text"), ("id", id), ("name", field.name), ("value", value),
                                               ("pattern", "[0-9a-fA-F-]{36}"), ("placeholder", "UUID")] + invalid)
                }
            default:
                control = H.void("input", [("id", id), ("name", field.name), ("value", value)] + inputAttributes(field.kind) + invalid
                                 + (field.required ? [("required", nil)] : []))
            }
            var group: [N] = [H.el("label", [("for", id)], label), control]
            for e in fieldErrors { group.append(H.el("p", [("class", "field-error"), ("id", id + "-error")], text: FormState.message(e, t: t).text)) }
            fields.append(H.el("div", [("class", fieldErrors.isEmpty ? "field" : "field has-error")], group))
        }
        fields.append(H.el("div", [("class", "form-actions")], [
            H.el("button", [("type", "submit"), ("class", "primary")], text: t("action.save")),
            H.a("javascript:history.back()", t("action.cancel"), [("class", "button")]),
        ]))
        nodes.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("novalidate", nil)], fields))
        return nodes
    }

    static func inputAttributes(_ kind: FieldKind) -> [(String, String?)] {
        switch kind {
        case .text(let max): [("type", "text"), ("maxlength", String(max))]
        case .integer(let r): [("type", "number"), ("min", String(r.lowerBound)), ("max", String(r.upperBound)), ("step", "1")]
        case .area, .money: [("type", "text"), ("inputmode", "decimal"), ("placeholder", "0.00")]
        case .date: [("type", "date")]
        case .coordinate: [("type", "number"), ("step", "any")]
        case .creditCode: [("type", "text"), ("maxlength", "18"), ("autocapitalize", "characters")]
        case .phone: [("type", "tel")]
        case .boolean, .code, .reference: [("type", "text")]
        }
    }

    /// Turns posted strings into the JSON the API takes, so forms and the API share one validation.
    static func json(from form: FormInput, spec: ResourceSpec) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for field in spec.fields {
            let raw = (form[field.name] ?? "").trimmingCharacters(in: .whitespaces)
            switch field.kind {
            case .boolean: object[field.name] = .bool(raw == "true" || raw == "on")
            case .integer: object[field.name] = raw.isEmpty ? .null : Int64(raw).map { .int($0) } ?? .string(raw)
            case .coordinate: object[field.name] = raw.isEmpty ? .null : Double(raw).map { .double($0) } ?? .string(raw)
            case .text, .phone: object[field.name] = .string(raw)
            default: object[field.name] = raw.isEmpty ? .null : .string(raw)
            }
        }
        return .object(object)
    }

    /// A record's values as form strings.
    static func strings(_ record: Record, spec: ResourceSpec) -> [String: String] {
        var out: [String: String] = [:]
        for field in spec.fields {
            switch FieldCodec.encode(record[field.name], field: field) {
            case .string(let s): out[field.name] = s
            case .int(let i): out[field.name] = String(i)
            case .double(let d): out[field.name] = String(d)
            case .bool(let b): out[field.name] = b ? "true" : "false"
            default: break
            }
        }
        return out
    }
}
