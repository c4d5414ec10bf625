import Domain
import Foundation
import Hummingbird

/// The registry pages: the district tree, and a page per street, community, compound and building.
struct RegistryWebController: Sendable {
    let database: AppDatabase
    let store: ResourceStore
    let clock: @Sendable () -> Date

    func register(on router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.home.pattern)) { request, context in try await tree(request, context) }
        router.get(RouterPath(SiteURL.street.pattern)) { request, context in try await level(.street, request, context) }
        router.get(RouterPath(SiteURL.community.pattern)) { request, context in try await level(.community, request, context) }
        router.get(RouterPath(SiteURL.compound.pattern)) { request, context in try await level(.compound, request, context) }
        router.get(RouterPath(SiteURL.building.pattern)) { request, context in try await building(request, context) }
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

    func tree(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = context.page(request), t = page.t
        let queries = RegistryQueries(db: database.db)
        let today = Timestamp.today(clock())
        var content: [N] = []
        let districts = try await queries.children(at: .district, under: nil, today: today)
        if districts.isEmpty { content.append(H.el("p", [("class", "empty")], text: t("tree.empty"))) }
        for district in districts {
            let streets = try await queries.children(at: .street, under: district.id, today: today)
            content.append(RegistryPages.heading(district.label, actions: [
                RegistryPages.addLink("streets", parentField: "districtId", parentId: district.id, t: t),
            ]))
            content.append(RegistryPages.summary(streets, level: .street, t: t))
            content.append(RegistryPages.childTable(streets, level: .street, link: .street, t: t))
        }
        return .html(Layout.render(page, title: t("tree.title"), content: content))
    }

    func level(_ level: Level, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = context.page(request), t = page.t
        let id = try pathId(context, level)
        let queries = RegistryQueries(db: database.db)
        guard let path = try await queries.path(level, id) else { throw DomainError.notFound(entity: level.table, id: id.uuidString) }
        let today = Timestamp.today(clock())
        let child = level.child!
        let rows = try await queries.children(at: child, under: id, today: today)
        let title = path.last!.2
        var content: [N] = [RegistryPages.heading(title, subtitle: t("resource.\(level.table)"), actions: [
            RegistryPages.editLink(level.table, id, t: t),
            RegistryPages.addLink(child.table, parentField: child.parentColumn!.camelCased, parentId: id, t: t),
        ])]
        if level == .compound {
            let record = try await store.require(store.catalog["compounds"]!, id: id, on: database.db)
            let facts = try await queries.compoundFacts(id, communityId: record["communityId"].uuid!, today: today)
            content.append(CompoundPage.facts(facts, compound: record, t: t))
            content.append(CompoundPage.contracts(facts, t: t))
        }
        content.append(H.el("h2", [], text: t("list.children") + t("resource.\(child.table)")))
        if level != .compound { content.append(RegistryPages.summary(rows, level: child, t: t)) }
        content.append(RegistryPages.childTable(rows, level: child, link: Self.pageURL(child), t: t))
        return .html(Layout.render(page, title: title, crumbs: crumbs(path), content: content))
    }

    func building(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let page = context.page(request), t = page.t
        let id = try pathId(context, .building)
        let queries = RegistryQueries(db: database.db)
        guard let path = try await queries.path(.building, id) else { throw DomainError.notFound(entity: "buildings", id: id.uuidString) }
        let building = try await store.require(store.catalog["buildings"]!, id: id, on: database.db)
        let rooms = try await queries.rooms(ofBuilding: id)
        let title = "\(path[path.count - 2].2) \(path.last!.2)"
        let facts = "\(t("field.floors")) \(building["floors"].integer ?? 0) · \(t("field.hasLift")) \(building["hasLift"].boolean == true ? t("yes") : t("no"))"
        let content: [N] = [
            RegistryPages.heading(title, subtitle: facts, actions: [
                RegistryPages.editLink("buildings", id, t: t),
                RegistryPages.addLink("entrances", parentField: "buildingId", parentId: id, t: t),
            ]),
            RegistryPages.figure(t("count.rooms"), String(rooms.count)),
            H.table([t("resource.entrances"), t("resource.rooms"), t("field.floor"), t("field.use"), t("field.area"),
                     t("count.owners"), t("count.residents"), ""], rooms.map { r in
                [H.t(r.entrance), H.t(r.number), H.t(String(r.floor)), H.t(t("enum.room_use.\(r.use)")), H.t(FixedPoint2.format(r.area)),
                 H.t(String(r.owners)), H.t(String(r.residents)),
                 H.a(SiteURL.manageEdit.link("rooms", r.id.uuidString.lowercased()), t("action.edit"))]
            }, numericFrom: 2),
        ]
        return .html(Layout.render(page, title: title, crumbs: crumbs(path), content: content))
    }

    func crumbs(_ path: [(Level, UUID, String)]) -> [Crumb] {
        path.enumerated().map { i, step in
            let href: String? = i == path.count - 1 ? nil
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

extension String {
    /// `street_id` → `streetId`.
    var camelCased: String {
        let parts = split(separator: "_")
        return parts.enumerated().map { $0 == 0 ? String($1) : $1.prefix(1).uppercased() + $1.dropFirst() }.joined()
    }
}
