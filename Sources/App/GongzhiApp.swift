import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The composition root: configuration, database, router and middleware, nothing else.
public struct GongzhiApp: Sendable {
    public let config: AppConfig
    public let database: AppDatabase
    let catalog = ResourceCatalog(RegistryResources.all)
    let clock: @Sendable () -> Date
    public let logger: Logger
    /// The installation's key for form tokens (`SiteSecrets`).
    let csrfKey: [UInt8]

    var store: ResourceStore { ResourceStore(catalog: catalog) }
    public var auth: AuthService { AuthService(database: database, bcryptCost: config.bcryptCost) }

    /// Opens (and migrates) the configured database.
    public static func open(_ config: AppConfig, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) async throws -> GongzhiApp {
        let database = try await AppDatabase(storage: config.storage, logger: logger, timeoutSeconds: config.databaseTimeoutSeconds,
                                             sqliteReaders: config.sqliteReaders)
        let key: [UInt8]
        do {
            try await database.migrate()
            key = try await SiteSecrets.csrfKey(database, now: clock())
            if config.benchRoutes { try await BenchRoutes.prepare(database) }
        } catch {
            await database.shutdown()
            throw error
        }
        // The dummy hash an unknown username is checked against, made now so that even the first such login costs what any does.
        let cost = config.bcryptCost
        Task.detached(priority: .utility) { _ = DummyHash.for(cost: cost) }
        return GongzhiApp(config: config, database: database, clock: clock, logger: logger, csrfKey: key)
    }

    public func router() -> Router<AppRequestContext> { routeTable().router }

    /// The router with its table of routes and their access rules.
    func routeTable() -> RouteTable {
        let router = Router(context: AppRequestContext.self)
        AppMetrics.bootstrap()
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: FileMiddleware(config.publicDirectory, urlBasePath: "/static", logger: logger))
        router.add(middleware: ClientAddressMiddleware(trustedProxies: config.trustedProxies))
        router.add(middleware: AuthMiddleware(auth: auth, clock: clock))
        router.add(middleware: WebSessionMiddleware(key: csrfKey, publicOrigin: config.publicOrigin))
        let pages = PageResponder()
        router.add(middleware: WebFormMiddleware(pages: pages))
        router.add(middleware: IdempotencyMiddleware(database: database, clock: clock))
        let table = RouteTable(router: router, clock: clock)
        routes(table)
        pages.responder = router.buildResponder()
        return table
    }

    /// The HTTP application; the database closes when it shuts down.
    public func application() -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "gongzhi"),
                    services: [DatabaseService(database: database)], logger: logger)
    }

    /// Serves until SIGTERM or SIGINT. Shutdown is bounded: requests still running after 8 s
    /// (one stuck on a connection the database dropped, say) are cancelled, and `ShutdownWatchdog`
    /// ends the process 10 s after the signal whatever is still running, so a supervisor's stop
    /// always works.
    public func serve() async throws {
        let coverage = CoverageService(database: database)
        let hotspots = HotspotService(database: database, whistle: WhistleService(database: database, requests: RequestService(database: database, store: store)))
        let jobs = HourlyJobs(jobs: [
            .init(name: "coverage-snapshot") { now in _ = try await coverage.record(day: Timestamp.today(now), now: now) },
            .init(name: "hotspots") { now in _ = try await hotspots.detect(now: now) },
        ], clock: clock, logger: logger)
        // Every minute: devices gone silent raise their alert; events past the retention are purged;
        let requests = RequestService(database: database, store: store)
        let smart = SmartService(database: database, store: store, requests: requests, whistle: WhistleService(database: database, requests: requests), key: csrfKey)
        // And the requests whose deadline passed since are counted late in the ranking's cells.
        let minutely = HourlyJobs(jobs: [.init(name: "devices") { now in _ = try await smart.sweep(now: now) },
                                         .init(name: "late-requests") { [database] now in try await RankingTotals.sweep(now: now, on: database.db.sql()) }],
                                  clock: clock, logger: logger, interval: .seconds(60))
        var configuration = ServiceGroupConfiguration(services: [application(), jobs, minutely, ShutdownWatchdog(logger: logger)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(8)
        try await ServiceGroup(configuration: configuration).run()
    }
}
