import Domain
import Foundation
import Hummingbird
import SQLKit

/// The `/receptions` page, where community staff record a reception day or walkabout and file
/// what was raised there in one go.
struct ReceptionWeb: Sendable {
    let service: ReceptionService
    let clock: @Sendable () -> Date

    static let formRows = 5

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.receptions, .signedIn) { call in try await page(call, errors: [], status: .ok) }
        routes.page(.post, SiteURL.receptions, .signedIn) { call in try await submit(call) }
    }

    /// Communities the actor may record receptions in, with their compounds.
    func places(_ ctx: AccessContext) async throws -> [(community: (UUID, String), compounds: [(UUID, String)])] {
        var parts: [SQLQueryString] = []
        for g in ctx.actor.grants {
            switch g.role {
            case .communityStaff: parts.append("m.id = \(bind: g.scopeId)")
            case .streetStaff: parts.append("m.street_id = \(bind: g.scopeId)")
            default: break
            }
        }
        guard !parts.isEmpty else { return [] }
        let rows = try await service.database.db.sql().raw("""
            SELECT m.id AS mid, m.name AS mname, p.id AS pid, p.name AS pname FROM communities m JOIN compounds p ON p.community_id = m.id
            WHERE \("(" + parts.joined(separator: " OR ") + ")") ORDER BY m.name, p.name LIMIT 2000
            """).all()
        var out: [(community: (UUID, String), compounds: [(UUID, String)])] = []
        for r in rows {
            let m = try r.decode(column: "mid", as: UUID.self)
            let p = (try r.decode(column: "pid", as: UUID.self), try r.decode(column: "pname", as: String.self))
            if out.last?.community.0 == m { out[out.count - 1].compounds.append(p) } else { out.append(((m, try r.decode(column: "mname", as: String.self)), [p])) }
        }
        return out
    }

    func page(_ call: SignedIn, errors: [FieldError], status: HTTPResponse.Status) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let list = try await service.list(ctx)
        let places = try await places(ctx)
        var content: [N] = [H.el("h1", [], text: t("reception.title"))]
        if !errors.isEmpty {
            content.append(H.el("div", [("class", "errors"), ("role", "alert")], [H.el("ul", [], errors.map { e in let m = FormState.message(e, t: t); return H.el("li", [], text: "\(m.label)：\(m.text)") })]))
        }
        content.append(H.table([t("reception.heldOn"), t("reception.kind"), t("reception.community"), t("reception.place"), t("reception.attendees"), t("reception.requests")],
                               list.map { r in [H.t(r.heldOn), H.t(t("enum.reception_kind.\(r.kind.rawValue)")), H.t(r.communityName), H.t(r.place), H.t(r.attendees),
                                                H.a(SiteURL.requests.link() + "?reception=\(r.id.uuidString.lowercased())", "\(r.requests)")] }, numericFrom: 5))
        if !places.isEmpty { content.append(ReceptionPages.form(places, csrf: page.csrfToken, today: ctx.today, rows: Self.formRows, t: t)) }
        return .html(Layout.render(page, actor: ctx.actor, title: t("reception.title"), crumbs: [Crumb(title: t("reception.title"), href: nil)], content: content), status: status)
    }

    func submit(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        var errors = FieldErrors()
        let community = UUID(uuidString: form["communityId"] ?? "")
        if community == nil { errors.add("communityId", "required", Localizer(language: context.language)("reception.community")) }
        let held = CivilDate(form["heldOn"] ?? "")
        if held == nil { errors.add("heldOn", "invalid_date", "YYYY-MM-DD") }
        var items: [RequestService.NewRequest] = []
        for i in 0..<Self.formRows {
            let text = (form["r\(i).description"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            var o: [String: JSONValue] = ["description": .string(text)]
            for k in ["compoundId", "category", "urgency", "reporterName", "reporterPhone"] { if let v = form["r\(i).\(k)"], !v.isEmpty { o[k] = .string(v) } }
            do {
                items.append(try FieldReader.decode(FileRequestBody.self, from: o, prefix: "r\(i).").request(defaultChannel: .reception))
            } catch DomainError.invalid(let fields) {
                fields.forEach { errors.add($0) }
            }
        }
        let attendees = (form["attendees"] ?? "").split(whereSeparator: { ",，、\n".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard errors.isEmpty else { return try await page(call, errors: errors.all, status: .unprocessableContent) }
        do {
            _ = try await service.record(ctx, .init(communityId: community!, kind: ReceptionService.Kind(rawValue: form["kind"] ?? "") ?? .receptionDay, heldOn: held!,
                                                    place: form["place"] ?? "", attendees: attendees, requests: items))
            return .seeOther(to: SiteURL.receptions.link(), flash: "flash.saved")
        } catch DomainError.invalid(let fields) {
            return try await page(call, errors: fields, status: .unprocessableContent)
        }
    }
}
