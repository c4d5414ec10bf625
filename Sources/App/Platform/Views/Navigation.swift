import Domain

/// The menu each role needs, and nothing it cannot use.
enum Navigation {
    static func items(for actor: Actor?, t: Localizer) -> [N] {
        guard let actor else { return [] }
        var items: [N] = [H.a(SiteURL.home.link(), t("nav.home"), [("data-nav", "home")])]
        let roles = Set(actor.grants.map(\.role))
        let staff: Set<Role> = [.districtAdmin, .streetStaff, .communityStaff]
        // Mediators and menu providers work on disputes and orders only.
        let narrow: Set<Role> = [.mediator, .serviceProvider]
        if !roles.isSubset(of: narrow) {
            items.append(H.a(SiteURL.requests.link(), roles.isSubset(of: [.owner, .resident]) ? t("nav.myRequests") : t("nav.requests"), [("data-nav", "requests")]))
        }
        // The board (overdue requests, open cases) for every level of government, each seeing its own.
        if !roles.isDisjoint(with: staff) {
            items.append(H.a(SiteURL.board.link(), t("nav.board"), [("data-nav", "board")]))
        }
        if roles.contains(.streetStaff) || roles.contains(.districtAdmin) {
            items.append(H.a(SiteURL.hotlineQueue.link(), t("nav.hotline"), [("data-nav", "hotline")]))
        }
        if !roles.isDisjoint(with: [.districtAdmin, .streetStaff, .communityStaff, .departmentLiaison, .companyStaff, .committeeMember]) {
            items.append(H.a(SiteURL.whistleCases.link(), t("nav.whistle"), [("data-nav", "whistle")]))
        }
        if roles.contains(.communityStaff) || roles.contains(.streetStaff) {
            items.append(H.a(SiteURL.receptions.link(), t("nav.receptions"), [("data-nav", "receptions")]))
        }
        if !roles.isSubset(of: narrow.union([.owner, .resident])) {
            items.append(H.a(SiteURL.rankings.link(), t("nav.rankings"), [("data-nav", "rankings")]))
        }
        if !roles.isDisjoint(with: [.districtAdmin, .streetStaff, .communityStaff, .companyStaff, .committeeMember]) {
            items.append(H.a(SiteURL.feesPage.link(), t("nav.fees"), [("data-nav", "fees")]))
        }
        // The dispute register: those who run it, mediators, and the committees and companies party to disputes.
        if !roles.isDisjoint(with: staff.union([.mediator, .committeeMember, .companyStaff])) {
            items.append(H.a(SiteURL.disputes.link(), t("nav.disputes"), [("data-nav", "disputes")]))
        }
        // Consultations: those who convene them, companies and committees seated, residents their published summaries.
        if !roles.isDisjoint(with: staff.union([.committeeMember, .companyStaff, .owner, .resident])) {
            items.append(H.a(SiteURL.consultations.link(), t("nav.consultations"), [("data-nav", "consultations")]))
        }
        // Notices: those who post them and those they reach.
        if !roles.isDisjoint(with: staff.union([.committeeMember, .companyStaff, .owner, .resident])) {
            items.append(H.a(SiteURL.notices.link(), t("nav.notices"), [("data-nav", "notices")]))
        }
        // Committees' life cycle and 物管会s: staff and the committees themselves.
        if !roles.isDisjoint(with: staff.union([.committeeMember])) {
            items.append(H.a(SiteURL.committeesPage.link(), t("nav.committees"), [("data-nav", "committees")]))
        }
        // The three coverage rates and problems found before complaints: district, street and community staff.
        if !roles.isDisjoint(with: [.districtAdmin, .streetStaff, .communityStaff]) {
            items.append(H.a(SiteURL.coveragePage.link(), t("nav.coverage"), [("data-nav", "coverage")]))
            items.append(H.a(SiteURL.hotspotsPage.link(), t("nav.hotspots"), [("data-nav", "hotspots")]))
        }
        // Assessment: staff inspect and publish lists; companies see their inspections and scores; committees their compound's inspections.
        if !roles.isDisjoint(with: staff.union([.companyStaff, .committeeMember])) {
            items.append(H.a(SiteURL.inspectionsPage.link(), t("nav.inspections"), [("data-nav", "inspections")]))
        }
        if !roles.isDisjoint(with: staff.union([.companyStaff])) {
            items.append(H.a(SiteURL.scorecardsPage.link(), t("nav.assessment"), [("data-nav", "assessment")]))
        }
        // Surveys: those who ask and those asked.
        if !roles.isDisjoint(with: staff.union([.committeeMember, .companyStaff, .owner, .resident])) {
            items.append(H.a(SiteURL.surveys.link(), t("nav.surveys"), [("data-nav", "surveys")]))
        }
        // Menu services: residents order, providers work their queue, staff keep the menus.
        if !roles.isDisjoint(with: staff.union([.owner, .resident, .serviceProvider, .companyStaff])) {
            items.append(H.a(SiteURL.menu.link(), t("nav.menu"), [("data-nav", "menu")]))
        }
        // Smart property: the command centres' alert board; devices and access records for staff and companies; the guard's
        // gate page; owners' and residents' visitors.
        if !roles.isDisjoint(with: staff) {
            items.append(H.a(SiteURL.alertsBoard.link(), t("nav.alerts"), [("data-nav", "alerts")]))
        }
        if !roles.isDisjoint(with: staff.union([.companyStaff])) {
            items.append(H.a(SiteURL.devicesPage.link(), t("nav.devices"), [("data-nav", "devices")]))
            items.append(H.a(SiteURL.accessPage.link(), t("nav.access"), [("data-nav", "access")]))
        }
        if !roles.isDisjoint(with: [.companyStaff, .communityStaff]) {
            items.append(H.a(SiteURL.gatePage.link(), t("nav.gate"), [("data-nav", "gate")]))
        }
        if !roles.isDisjoint(with: [.owner, .resident]) {
            items.append(H.a(SiteURL.visitorsPage.link(), t("nav.visitors"), [("data-nav", "visitors")]))
        }
        if !roles.isDisjoint(with: staff) {
            items.append(H.a(SiteURL.manageList.link("companies"), t("nav.manage"), [("data-nav", "manage")]))
            items.append(H.a(SiteURL.registrations.link(), t("registrations.title"), [("data-nav", "registrations")]))
        }
        if let company = actor.grants.first(where: { $0.role == .companyStaff }) {
            items.append(H.a(SiteURL.manageEdit.link("companies", company.scopeId.uuidString.lowercased()), t("nav.company"), [("data-nav", "company")]))
        }
        if roles.contains(.districtAdmin) {
            items.append(H.a(SiteURL.importRegistry.link(), t("nav.import"), [("data-nav", "import")]))
            items.append(H.a(SiteURL.exportRegistry.link(), t("nav.export"), [("data-nav", "export")]))
            items.append(H.a(SiteURL.adminUsers.link(), t("nav.users"), [("data-nav", "users")]))
            items.append(H.a(SiteURL.auditPage.link(), t("nav.audit"), [("data-nav", "audit")]))
        }
        // The API document is for whoever sets up integrations: the district's admins.
        if roles.contains(.districtAdmin) {
            items.append(H.a(SiteURL.openAPI.link(), t("nav.api"), [("data-nav", "api")]))
        }
        return items
    }
}
