import Hummingbird

/// The one route table, grouped by capability; handlers live in the controllers. Every route is
/// added through `RouteTable` with its access rule.
extension GongzhiApp {
    func routes(_ routes: RouteTable) {
        // Operations: health, OpenAPI, language.
        OperationsAPI(database: database, catalog: catalog, auth: auth, metricsKey: config.metricsKey, clock: clock).register(on: routes)
        // Accounts (issue: accounts and roles): API tokens and keys, web login, audit log.
        AccountAPI(auth: auth, clock: clock).register(on: routes)
        AccountWeb(auth: auth, clock: clock, secureCookies: config.secureCookies).register(on: routes)
        AuditAPI(database: database, clock: clock).register(on: routes)
        // Accounts managed by district admins on pages and in the API (the CLI stays).
        UserAdminAPI(admin: UserAdmin(auth: auth)).register(on: routes)
        UserAdminWeb(admin: UserAdmin(auth: auth)).register(on: routes)
        // Owners who register themselves, tenants invited by owners, the outbox of codes.
        let registration = RegistrationService(database: database, auth: auth, store: store, key: csrfKey,
                                               sender: CodeSender(database: database, webhook: config.smsWebhook), uploads: UploadStore(directory: config.uploadDirectory))
        RegistrationAPI(service: registration).register(on: routes)
        RegistrationWeb(service: registration).register(on: routes)
        // Registry (capability 1): the JSON API of every collection …
        RegistryAPI(store: store, database: database, clock: clock).register(catalog.all, on: routes)
        // … its pages, generic record forms, and CSV import/export.
        RegistryWeb(database: database, store: store, clock: clock).register(on: routes)
        RegistryManageWeb(database: database, store: store, clock: clock).register(on: routes)
        RegistryImportWeb(transfer: RegistryTransfer(database: database), clock: clock).register(on: routes)
        // Owners' joint decisions (capability 4): API and pages.
        DecisionAPI(service: DecisionService(database: database, store: store), clock: clock).register(on: routes)
        DecisionWeb(service: DecisionService(database: database, store: store), clock: clock).register(on: routes)
        DecisionPaperWeb(service: DecisionService(database: database, store: store)).register(on: routes)
        DecisionAttachments(service: DecisionService(database: database, store: store), directory: config.uploadDirectory, clock: clock).register(on: routes)
        // Maintenance fund (capability 5).
        let fund = FundService(database: database, store: store, decisions: DecisionService(database: database, store: store))
        FundAPI(service: fund, clock: clock).register(on: routes)
        FundWeb(service: fund, clock: clock).register(on: routes)
        // Property fees and their collection rate (issue: fees, self-registration, duplicates).
        let fees = FeeService(database: database, store: store)
        FeeAPI(service: fees).register(on: routes)
        FeeWeb(service: fees).register(on: routes)
        // Residents' requests (capability 2), whistle-and-report cases (3), rankings, 12345 orders,
        // reception days, and Open311 GeoReport v2.
        let requests = RequestService(database: database, store: store)
        let whistle = WhistleService(database: database, requests: requests)
        let photos = RequestPhotos(service: requests, directory: config.uploadDirectory)
        let hotline = HotlineImport(database: database, requests: requests)
        RequestAPI(service: requests, whistle: whistle, photos: photos, clock: clock).register(on: routes)
        RequestWeb(service: requests, photos: photos, whistle: whistle, clock: clock).register(on: routes)
        WhistleAPI(service: whistle, clock: clock).register(on: routes)
        WhistleWeb(service: whistle, clock: clock).register(on: routes)
        RankingAPI(service: RankingService(database: database, whistle: whistle)).register(on: routes)
        RankingWeb(service: RankingService(database: database, whistle: whistle), clock: clock).register(on: routes)
        HotlineAPI(importer: hotline, clock: clock).register(on: routes)
        ReceptionAPI(service: ReceptionService(database: database, requests: requests)).register(on: routes)
        ReceptionWeb(service: ReceptionService(database: database, requests: requests), clock: clock).register(on: routes)
        Open311API(requests: requests, hotline: hotline, auth: auth, clock: clock).register(on: routes)
        // Disputes settled at the source and menu services (issue: disputes and menu services).
        let disputes = DisputeService(database: database, store: store, requests: requests)
        DisputeAPI(service: disputes).register(on: routes)
        let consultations = ConsultationService(database: database, store: store, requests: requests)
        ConsultationAPI(service: consultations).register(on: routes)
        ConsultationWeb(service: consultations).register(on: routes)
        DisputeWeb(service: disputes, consultations: consultations).register(on: routes)
        // Notices with read receipts (issue: co-governance); system notices are posted by the services above.
        let notices = NoticeService(database: database)
        NoticeAPI(service: notices).register(on: routes)
        NoticeWeb(service: notices).register(on: routes)
        NoticeAttachments(service: notices, directory: config.uploadDirectory, clock: clock).register(on: routes)
        // Surveys (征求意见): asked of a compound's owners or residents, answered once, counted by persons and area.
        let surveys = SurveyService(database: database)
        SurveyAPI(service: surveys).register(on: routes)
        SurveyWeb(service: surveys, notices: NoticeWeb(service: notices)).register(on: routes)
        // The owners' committee's life cycle and the 物管会.
        let committees = CommitteeService(database: database)
        CommitteeAPI(service: committees).register(on: routes)
        CommitteeWeb(service: committees).register(on: routes)
        // The three coverage rates, rolled up from the registry's dated facts, with monthly snapshots.
        let coverage = CoverageService(database: database)
        CoverageAPI(service: coverage).register(on: routes)
        CoverageWeb(service: coverage).register(on: routes)
        // Problems found before complaints: weekly flags over the request stream, decided by the street.
        let hotspots = HotspotService(database: database, whistle: whistle)
        HotspotAPI(service: hotspots).register(on: routes)
        HotspotWeb(service: hotspots).register(on: routes)
        // Compound pages anyone with the link may open, unless the district turned them off.
        let publicPages = PublicPageService(database: database, rankings: RankingService(database: database, whistle: whistle),
                                            decisions: DecisionService(database: database, store: store), fund: fund)
        PublicPageAPI(service: publicPages).register(on: routes)
        PublicPageWeb(service: publicPages).register(on: routes)
        // Assessment: inspections (日查), scorecards, red and black lists with their consequences.
        let assessment = AssessmentService(database: database, requests: requests, decisions: DecisionService(database: database, store: store),
                                           uploads: UploadStore(directory: config.uploadDirectory))
        AssessmentAPI(service: assessment).register(on: routes)
        InspectionWeb(service: assessment).register(on: routes)
        ScorecardWeb(service: assessment).register(on: routes)
        AssessmentSettingsWeb(service: assessment).register(on: routes)
        let menu = MenuService(database: database, store: store, requests: requests)
        MenuAPI(service: menu).register(on: routes)
        MenuWeb(service: menu).register(on: routes)
        // Smart property: devices and their events, alerts on the command centres' boards, access records, visitors.
        let smart = SmartService(database: database, store: store, requests: requests, whistle: whistle, key: csrfKey)
        SmartAPI(service: smart).register(on: routes)
        SmartWeb(service: smart).register(on: routes)
        // Benchmarks only: the bare insert and select the request routes are measured against.
        if config.benchRoutes { BenchRoutes(database: database).register(on: routes) }
    }
}
