import Domain

/// The menu each role needs, and nothing it cannot use.
enum Navigation {
    static func items(for actor: Actor?, t: Localizer) -> [N] {
        guard let actor else { return [] }
        var items: [N] = [H.a(SiteURL.home.link(), t("nav.home"), [("data-nav", "home")])]
        let roles = Set(actor.grants.map(\.role))
        let staff: Set<Role> = [.districtAdmin, .streetStaff, .communityStaff]
        if !roles.isDisjoint(with: staff) {
            items.append(H.a(SiteURL.manageList.link("companies"), t("nav.manage"), [("data-nav", "manage")]))
        }
        if let company = actor.grants.first(where: { $0.role == .companyStaff }) {
            items.append(H.a(SiteURL.manageEdit.link("companies", company.scopeId.uuidString.lowercased()), t("nav.company"), [("data-nav", "company")]))
        }
        if roles.contains(.districtAdmin) {
            items.append(H.a(SiteURL.importRegistry.link(), t("nav.import"), [("data-nav", "import")]))
            items.append(H.a(SiteURL.exportRegistry.link(), t("nav.export"), [("data-nav", "export")]))
            items.append(H.a(SiteURL.auditPage.link(), t("nav.audit"), [("data-nav", "audit")]))
        }
        if !roles.isDisjoint(with: staff) || roles.contains(.companyStaff) {
            items.append(H.a(SiteURL.openAPI.link(), t("nav.api"), [("data-nav", "api")]))
        }
        return items
    }
}
