import Hummingbird

/// The one route table, grouped by capability; handlers live in the controllers. Every route is
/// added through `RouteTable` with its access rule.
extension GongzhiApp {
    func routes(_ routes: RouteTable) {
        // Operations: health, OpenAPI, language.
        OperationsController(database: database, catalog: catalog, auth: auth).register(on: routes)
        // Accounts (issue: accounts and roles): API tokens and keys, web login, audit log.
        AuthAPIController(auth: auth, clock: clock).register(on: routes)
        AccountWebController(auth: auth, clock: clock, secureCookies: config.secureCookies).register(on: routes)
        AuditController(database: database, clock: clock).register(on: routes)
        // Registry (capability 1): the JSON API of every collection …
        ResourceAPIController(store: store, database: database, clock: clock).register(catalog.all, on: routes)
        // … its pages, generic record forms, and CSV import/export.
        RegistryWebController(database: database, store: store, clock: clock).register(on: routes)
        ManageWebController(database: database, store: store, clock: clock).register(on: routes)
        ImportWebController(transfer: RegistryTransfer(database: database), clock: clock).register(on: routes)
        // Owners' joint decisions (capability 4): API and pages.
        DecisionAPIController(service: DecisionService(database: database, store: store), clock: clock).register(on: routes)
        DecisionWebController(service: DecisionService(database: database, store: store), clock: clock).register(on: routes)
        DecisionAttachments(service: DecisionService(database: database, store: store), directory: config.uploadDirectory, clock: clock).register(on: routes)
        // Maintenance fund (capability 5).
        FundController(service: FundService(database: database, store: store, decisions: DecisionService(database: database, store: store)), clock: clock)
            .register(on: routes)
        // Residents' requests (capability 2), whistle-and-report cases (3), rankings, 12345 orders,
        // reception days, and Open311 GeoReport v2.
        let requests = RequestService(database: database, store: store)
        let whistle = WhistleService(database: database, requests: requests)
        let photos = RequestPhotos(service: requests, directory: config.uploadDirectory)
        let hotline = HotlineImport(database: database, requests: requests)
        RequestAPIController(service: requests, whistle: whistle, photos: photos, clock: clock).register(on: routes)
        RequestWebController(service: requests, photos: photos, whistle: whistle, clock: clock).register(on: routes)
        WhistleAPIController(service: whistle, clock: clock).register(on: routes)
        WhistleWebController(service: whistle, clock: clock).register(on: routes)
        RankingController(service: RankingService(database: database, whistle: whistle), clock: clock).register(on: routes)
        HotlineController(importer: hotline, clock: clock).register(on: routes)
        ReceptionController(service: ReceptionService(database: database, requests: requests), clock: clock).register(on: routes)
        Open311Controller(requests: requests, hotline: hotline, auth: auth, clock: clock).register(on: routes)
        // Benchmarks only: the bare insert and select the request routes are measured against.
        if config.benchRoutes { BenchRoutes(database: database).register(on: routes) }
    }
}
