import Domain
import Foundation
import Hummingbird
import SQLKit

/// The registry pages: the district tree, and a page per street, community, compound and building.
struct RegistryWeb: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.home, .signedIn) { call in try await home(call) }
        routes.signedIn(.get, SiteURL.street.pattern, .resource("streets", .read), source: "web") { call in try await level(.street, call) }
        routes.signedIn(.get, SiteURL.community.pattern, .resource("communities", .read), source: "web") { call in try await level(.community, call) }
        routes.signedIn(.get, SiteURL.compound.pattern, .resource("compounds", .read), source: "web") { call in try await level(.compound, call) }
        routes.page(.get, SiteURL.building, .resource("buildings", .read)) { call in try await building(call) }
    }

    /// Rows of `level` the actor may see, as the children query wants them.
    func visible(_ level: Level, _ ctx: AccessContext) -> (ScopeChain, SQLQueryString) {
        let chain = store.access.chain(store.catalog[level.table]!)
        return (chain, ctx.scope.visible(ctx.actor, chain))
    }

    /// The page of a level's row links to its children's pages.
    static func pageURL(_ level: Level) -> SiteURL? {
        switch level {
        case .street: .street
        case .community: .community
        case .compound: .compound
        case .building: .building
        default: nil
        }
    }

    /// The start page: the district tree for admins; the street, community or compound page for
    /// staff of one; the compounds a company serves; an owner's or resident's rooms.
    func home(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let grants = ctx.actor.grants
        if grants.count == 1, let g = grants.first {
            switch g.role {
            case .streetStaff: return .seeOther(to: SiteURL.street.link(g.scopeId.uuidString.lowercased()))
            case .communityStaff: return .seeOther(to: SiteURL.community.link(g.scopeId.uuidString.lowercased()))
            case .committeeMember: return .seeOther(to: SiteURL.compound.link(g.scopeId.uuidString.lowercased()))
            default: break
            }
        }
        let page = context.page(request), t = page.t
        var content: [N] = []
        if grants.contains(where: { $0.role == .districtAdmin }) { content += try await tree(ctx, t: t) }
        content += try await HomeSections(database: database, store: store).render(ctx, t: t)
        if content.isEmpty { content.append(H.el("p", [("class", "empty")], text: t("home.nothing"))) }
        return .html(Layout.render(page, actor: ctx.actor, title: t("tree.title"), content: content))
    }

    func tree(_ ctx: AccessContext, t: Localizer) async throws -> [N] {
        let queries = RegistryStore(db: database.db)
        let today = Timestamp.today(ctx.now)
        var content: [N] = []
        let districts = try await queries.children(at: .district, under: nil, today: today, visible: visible(.district, ctx))
        if districts.isEmpty { content.append(H.el("p", [("class", "empty")], text: t("tree.empty"))) }
        for district in districts where Policy.mayAdminister(ctx.actor, district: district.id) {
            let streets = try await queries.children(at: .street, under: district.id, today: today, visible: visible(.street, ctx))
            content.append(RegistryPages.heading(district.label, actions: [
                RegistryPages.addLink("streets", parentField: "districtId", parentId: district.id, t: t),
            ]))
            content.append(RegistryPages.summary(streets, level: .street, t: t))
            content.append(RegistryPages.childTable(streets, level: .street, link: .street, t: t))
        }
        return content
    }

    func level(_ level: Level, _ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let ctx = call.access
        let page = context.page(request), t = page.t
        let id = try pathId(context, level)
        try await store.access.authorize(ctx, .read, store.catalog[level.table]!, id: id, on: database.db)
        let queries = RegistryStore(db: database.db)
        guard let path = try await queries.path(level, id) else { throw DomainError.notFound(entity: level.table, id: id.uuidString) }
        let today = Timestamp.today(clock())
        let child = level.child!
        let rows = try await queries.children(at: child, under: id, today: today, visible: visible(child, ctx))
        let title = path.last!.2
        var actions: [N] = []
        if Policy.mayWrite(ctx.actor, level.table) { actions.append(RegistryPages.editLink(level.table, id, t: t)) }
        if Policy.mayWrite(ctx.actor, child.table) {
            actions.append(RegistryPages.addLink(child.table, parentField: child.parentColumn!.camelCased, parentId: id, t: t))
        }
        // A compound's public page, to share with residents (it opens without signing in).
        if level == .compound { actions.append(H.a(SiteURL.publicCompound.link(id.text), t("public.link"), [("class", "button"), ("id", "public-link")])) }
        var content: [N] = [RegistryPages.heading(title, subtitle: t("resource.\(level.table)"), actions: actions)]
        if level == .compound {
            let record = try await store.require(store.catalog["compounds"]!, id: id, on: database.db)
            let facts = try await queries.compoundFacts(id, communityId: record["communityId"].uuid!, today: today)
            content.append(CompoundPage.facts(facts, compound: record, t: t))
            content.append(CompoundPage.contracts(facts, canEdit: Policy.mayWrite(ctx.actor, "contracts"), t: t))
        }
        content.append(H.el("h2", [], text: t("list.children") + t("resource.\(child.table)")))
        if level != .compound { content.append(RegistryPages.summary(rows, level: child, t: t)) }
        content.append(RegistryPages.childTable(rows, level: child, link: Self.pageURL(child), t: t))
        return .html(Layout.render(page, actor: ctx.actor, title: title, crumbs: crumbs(path, ctx), content: content))
    }

    func building(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let id = try pathId(context, .building)
        try await store.access.authorize(ctx, .read, store.catalog["buildings"]!, id: id, on: database.db)
        let queries = RegistryStore(db: database.db)
        guard let path = try await queries.path(.building, id) else { throw DomainError.notFound(entity: "buildings", id: id.uuidString) }
        let building = try await store.require(store.catalog["buildings"]!, id: id, on: database.db)
        let rooms = try await queries.rooms(ofBuilding: id)
        let title = "\(path[path.count - 2].2) \(path.last!.2)"
        let facts = "\(t("field.floors")) \(building["floors"].integer ?? 0) · \(t("field.hasLift")) \(building["hasLift"].boolean == true ? t("yes") : t("no"))"
        let content: [N] = [
            RegistryPages.heading(title, subtitle: facts, actions: Policy.mayWrite(ctx.actor, "buildings") ? [
                RegistryPages.editLink("buildings", id, t: t),
                RegistryPages.addLink("entrances", parentField: "buildingId", parentId: id, t: t),
            ] : []),
            RegistryPages.figure(t("count.rooms"), String(rooms.count)),
            H.table([t("resource.entrances"), t("resource.rooms"), t("field.floor"), t("field.use"), t("field.area"),
                     t("count.owners"), t("count.residents"), ""], rooms.map { r in
                [H.t(r.entrance), H.t(r.number), H.t(String(r.floor)), H.t(t("enum.room_use.\(r.use)")), H.t(FixedPoint2.grouped(r.area)),
                 H.t(String(r.owners)), H.t(String(r.residents)),
                 Policy.mayWrite(ctx.actor, "rooms") ? H.a(SiteURL.manageEdit.link("rooms", r.id.uuidString.lowercased()), t("action.edit")) : H.t("")]
            }, numericFrom: 2),
        ]
        return .html(Layout.render(page, actor: ctx.actor, title: title, crumbs: crumbs(path, ctx), content: content))
    }

    /// The way down from the district; levels above the actor's own are shown but not linked.
    func crumbs(_ path: [(Level, UUID, String)], _ ctx: AccessContext) -> [Crumb] {
        let admin = ctx.actor.grants.contains { $0.role == .districtAdmin }
        let top = ctx.actor.grants.compactMap { g -> Int? in
            switch g.role {
            case .districtAdmin: 0
            case .streetStaff: Level.street.rawValue
            case .communityStaff: Level.community.rawValue
            case .committeeMember: Level.compound.rawValue
            default: nil
            }
        }.min() ?? Level.compound.rawValue
        return path.enumerated().map { i, step in
            let linkable = i < path.count - 1 && step.0.rawValue >= top
            let href: String? = !linkable ? (step.0 == .district && admin ? SiteURL.home.link() : nil)
                : (step.0 == .district ? SiteURL.home.link() : Self.pageURL(step.0)?.link(step.1.uuidString.lowercased()))
            return Crumb(title: step.2, href: href)
        }
    }

    func pathId(_ context: AppRequestContext, _ level: Level) throws -> UUID {
        let raw = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(entity: level.table, id: raw) }
        return id
    }
}
