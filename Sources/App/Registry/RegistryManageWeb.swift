import Domain
import FluentKit
import Foundation
import Hummingbird
import SQLKit

/// The generic record pages of every resource: a filtered, paged list, and create, edit and
/// delete forms that go through the same validation and store as the JSON API.
struct RegistryManageWeb: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let clock: @Sendable () -> Date

    /// A reference field offers a select when its target has at most this many rows.
    static let selectLimit = 600

    /// The collection is a path parameter, so these routes require a signed-in actor and leave
    /// each record's decision to the store, which asks the policy.
    func register(on routes: RouteTable) {
        routes.signedIn(.get, SiteURL.manageList.pattern, .signedIn, source: "web") { call in try await list(call) }
        routes.page(.get, SiteURL.manageNew, .signedIn) { call in try await newForm(call) }
        routes.signedIn(.post, SiteURL.manageNew.pattern, .signedIn, source: "web") { call in try await create(call) }
        routes.signedIn(.get, SiteURL.manageEdit.pattern, .signedIn, source: "web") { call in try await editForm(call) }
        routes.signedIn(.post, SiteURL.manageEdit.pattern, .signedIn, source: "web") { call in try await update(call) }
        routes.signedIn(.post, SiteURL.manageDelete.pattern, .signedIn, source: "web") { call in try await delete(call) }
    }

    func list(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let spec = try resource(context)
        let ctx = call.access
        let page = context.page(request), t = page.t
        let query = try ListQuery(request.uri.queryParameters, spec: spec)
        let result = try await store.list(ctx, spec, filters: query.filters, search: query.search, after: query.cursor, limit: query.limit, on: database.db)
        let labels = try await referenceLabels(spec, result.records)
        let shown = spec.fields.prefix(6)
        let rows: [[N]] = result.records.map { r in
            shown.map { f in H.t(display(r[f.name], f, labels: labels, t: t)) } + [
                H.a(SiteURL.manageEdit.link(spec.name, r.id.uuidString.lowercased()), t("action.edit")),
            ]
        }
        let tabs = store.catalog.all.filter { ["companies", "departments", "owners", "alliances", "party-organizations", "contracts", "committees"].contains($0.name) }
        var content: [N] = [
            H.el("nav", [("class", "tabs")], tabs.map { s in
                H.a(SiteURL.manageList.link(s.name), t(s.labelKey), s.name == spec.name ? [("aria-current", "page")] : [])
            }),
            RegistryPages.heading(t(spec.labelKey), actions: Policy.mayWrite(ctx.actor, spec.name)
                ? [RegistryPages.button(SiteURL.manageNew.link(spec.name), t("action.add") + t(spec.labelKey))] : []),
        ]
        if spec.fields.contains(where: \.searchable) {
            content.append(H.el("form", [("method", "get"), ("action", SiteURL.manageList.link(spec.name)), ("class", "filters"), ("role", "search")], [
                H.el("label", [], [H.t(t("request.search")), H.void("input", [("type", "search"), ("name", "q"), ("id", "list-q"), ("value", query.search ?? ""),
                                                                              ("maxlength", "100")])]),
                H.el("button", [("type", "submit")], text: t("filter.apply")),
            ]))
        }
        content += [
            result.records.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty"))
                : H.table(shown.map { t("field.\($0.name)") } + [""], rows),
        ]
        if let next = result.next {
            var params = query.filters.compactMap { k, v in FormPage.strings(Record(id: UUID.random(), values: [k: v], createdAt: Date(), updatedAt: Date()), spec: spec)[k].map { "\(k)=\($0)" } }
            params.append("cursor=\(next.uuidString.lowercased())")
            if let q = query.search { params.append("q=" + Layout.percentEncode(q)) }
            content.append(H.a(SiteURL.manageList.link(spec.name) + "?" + params.joined(separator: "&"), t("list.more"), [("class", "button")]))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: t(spec.labelKey), content: content))
    }

    func newForm(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let spec = try resource(context)
        guard Policy.mayWrite(try context.requireActor(), spec.name) else { throw DomainError.forbidden(reason: "you may not add \(spec.name)") }
        var values: [String: String] = [:]
        for field in spec.fields { if let v = request.uri.queryParameters.get(field.name) { values[field.name] = v } }
        return try await form(spec, call, action: SiteURL.manageNew.link(spec.name), values: values, errors: [], status: .ok)
    }

    func create(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let spec = try resource(context)
        let ctx = call.access
        let input = try await FormInput.read(request, context)
        do {
            let values = try FieldCodec.decode(FormPage.json(from: input, spec: spec), spec: spec, partial: false)
            let record = try await database.db.transaction { tx in try await store.create(ctx, spec, values: values, on: tx) }
            return .seeOther(to: destination(spec, record), flash: "flash.saved")
        } catch DomainError.invalid(let errors) {
            return try await form(spec, call, action: SiteURL.manageNew.link(spec.name), values: input.fields, errors: errors,
                                  status: .unprocessableContent)
        }
    }

    func editForm(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let spec = try resource(context)
        let ctx = call.access
        let id = try id(context, spec)
        try await store.access.authorize(ctx, .update, spec, id: id, on: database.db)
        let record = try await store.require(spec, id: id, on: database.db)
        return try await form(spec, call, action: SiteURL.manageEdit.link(spec.name, record.id.uuidString.lowercased()),
                              values: FormPage.strings(record, spec: spec), errors: [], status: .ok, existing: record)
    }

    func update(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let spec = try resource(context)
        let id = try id(context, spec)
        let ctx = call.access
        let input = try await FormInput.read(request, context)
        do {
            let values = try FieldCodec.decode(FormPage.json(from: input, spec: spec), spec: spec, partial: false)
            let record = try await database.db.transaction { tx in try await store.update(ctx, spec, id: id, changes: values, on: tx) }
            return .seeOther(to: destination(spec, record), flash: "flash.saved")
        } catch DomainError.invalid(let errors) {
            let existing = try await store.require(spec, id: id, on: database.db)
            return try await form(spec, call, action: SiteURL.manageEdit.link(spec.name, id.uuidString.lowercased()),
                                  values: input.fields, errors: errors, status: .unprocessableContent, existing: existing)
        }
    }

    func delete(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let spec = try resource(context)
        let id = try id(context, spec)
        let ctx = call.access
        _ = try await FormInput.read(request, context)
        let record = try await store.get(ctx, spec, id: id, on: database.db)
        try await database.db.transaction { tx in try await store.delete(ctx, spec, id: id, on: tx) }
        return .seeOther(to: parentDestination(spec, record) ?? SiteURL.manageList.link(spec.name), flash: "flash.deleted")
    }

    // MARK: - Helpers

    func form(_ spec: ResourceSpec, _ call: SignedIn, action: String, values: [String: String],
              errors: [FieldError], status: HTTPResponse.Status, existing: Record? = nil) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let page = context.page(request), t = page.t
        var references: [String: ReferenceOptions] = [:]
        let ctx = call.access
        for field in spec.fields {
            guard let target = field.referencedResource, let targetSpec = store.catalog[target] else { continue }
            let chain = store.access.chain(targetSpec)
            let labelColumn = targetSpec.field(targetSpec.labelField)?.column ?? "id"
            let rows = try await database.db.sql().raw("""
                SELECT t0.id AS id, t0.\(unsafeRaw: labelColumn) AS label FROM \(unsafeRaw: chain.from)
                WHERE \(ctx.scope.visible(ctx.actor, chain)) ORDER BY label LIMIT \(literal: Self.selectLimit + 1)
                """).all()
            references[field.name] = ReferenceOptions(options: rows.count > Self.selectLimit ? nil : try rows.map {
                (try $0.decode(column: "id", as: UUID.self).uuidString.lowercased(), try labelText($0, targetSpec, t: t))
            })
        }
        let title = existing == nil ? t("form.new", t(spec.labelKey)) : t("form.edit", t(spec.labelKey))
        var content = FormPage.render(spec: spec, action: action, values: values, errors: errors, references: references, page: page, title: title)
        if let existing {
            content.append(H.el("form", [("method", "post"), ("class", "delete-form"), ("data-confirm", t("action.deleteConfirm")),
                                         ("action", SiteURL.manageDelete.link(spec.name, existing.id.uuidString.lowercased()))], [
                H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                H.el("button", [("type", "submit"), ("class", "danger")], text: t("action.delete")),
            ]))
        }
        return .html(Layout.render(page, actor: ctx.actor, title: title, content: content), status: status)
    }

    func labelText(_ row: any SQLRow, _ spec: ResourceSpec, t: Localizer) throws -> String {
        if let field = spec.field(spec.labelField), case .code(let family, _) = field.kind {
            return t("enum.\(family).\(try row.decode(column: "label", as: String.self))")
        }
        if spec.field(spec.labelField)?.referencedResource != nil || spec.labelField == "id" {
            return try row.decode(column: "label", as: UUID.self).uuidString.lowercased()
        }
        return try row.decode(column: "label", as: String.self)
    }

    /// Labels of every referenced row on a page of records, fetched per field in one query.
    func referenceLabels(_ spec: ResourceSpec, _ records: [Record]) async throws -> [UUID: String] {
        var out: [UUID: String] = [:]
        for field in spec.fields {
            guard let target = field.referencedResource, let targetSpec = store.catalog[target],
                  let labelColumn = targetSpec.field(targetSpec.labelField)?.column else { continue }
            let ids = Set(records.compactMap { $0[field.name].uuid })
            guard !ids.isEmpty else { continue }
            let rows = try await database.db.sql().select().column("id").column(SQLIdentifier(labelColumn), as: "label").from(targetSpec.table)
                .where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))).all()
            for row in rows {
                if let id = try? row.decode(column: "id", as: UUID.self), let label = try? row.decode(column: "label", as: String.self) { out[id] = label }
            }
        }
        return out
    }

    func display(_ value: FieldValue, _ field: FieldSpec, labels: [UUID: String], t: Localizer) -> String {
        switch (value, field.kind) {
        case (.null, _): return "—"
        case (.uuid(let u), _): return labels[u] ?? u.uuidString.lowercased()
        case (.text(let s), .code(let family, _)): return t("enum.\(family).\(s)")
        case (.boolean(let b), _): return b ? t("yes") : t("no")
        default:
            if case .string(let s) = FieldCodec.encode(value, field: field) { return s }
            if case .int(let i) = FieldCodec.encode(value, field: field) { return String(i) }
            if case .double(let d) = FieldCodec.encode(value, field: field) { return String(d) }
            return ""
        }
    }

    /// Where to go after saving: the record's own page, or its parent's, or the list.
    func destination(_ spec: ResourceSpec, _ record: Record) -> String {
        if let level = Level.allCases.first(where: { $0.table == spec.name }), let url = RegistryWeb.pageURL(level) {
            return url.link(record.id.uuidString.lowercased())
        }
        return parentDestination(spec, record) ?? SiteURL.manageList.link(spec.name)
    }

    func parentDestination(_ spec: ResourceSpec, _ record: Record) -> String? {
        guard let parentField = spec.parentField, let parentSpec = spec.field(parentField)?.referencedResource,
              let parentId = record[parentField].uuid else { return nil }
        if parentSpec == "districts" { return SiteURL.manageList.link(spec.name) }
        if let level = Level.allCases.first(where: { $0.table == parentSpec }), let url = RegistryWeb.pageURL(level) {
            return url.link(parentId.uuidString.lowercased())
        }
        return SiteURL.manageList.link(spec.name) + "?\(parentField)=\(parentId.uuidString.lowercased())"
    }

    func resource(_ context: AppRequestContext) throws -> ResourceSpec {
        let name = context.parameters.get("resource") ?? ""
        guard let spec = store.catalog[name] else { throw DomainError.notFound(entity: "resource", id: name) }
        return spec
    }

    func id(_ context: AppRequestContext, _ spec: ResourceSpec) throws -> UUID {
        let raw = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(entity: spec.name, id: raw) }
        return id
    }
}
