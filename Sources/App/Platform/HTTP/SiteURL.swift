/// Every path of the site, once: routes are registered from `pattern` and links are made with
/// `link(…)`, so a route and the links to it cannot drift apart.
struct SiteURL: Sendable, Hashable {
    /// The route pattern, with `:name` placeholders.
    let pattern: String

    /// The path with each placeholder replaced, in order, by the given values.
    func link(_ values: CustomStringConvertible...) -> String {
        var parts: [String] = []
        var it = values.makeIterator()
        for segment in pattern.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.hasPrefix(":"), let v = it.next() { parts.append(v.description) } else { parts.append(String(segment)) }
        }
        return parts.joined(separator: "/")
    }

    // Operations
    static let healthz = SiteURL(pattern: "/healthz")
    static let metrics = SiteURL(pattern: "/metrics")
    static let favicon = SiteURL(pattern: "/static/favicon.svg")
    /// Browsers ask for it whatever the page says.
    static let faviconICO = SiteURL(pattern: "/favicon.ico")
    static let css = SiteURL(pattern: "/static/site.css")
    static let js = SiteURL(pattern: "/static/site.js")

    // JSON API
    static let apiRoot = "/api/v1"
    static let openAPI = SiteURL(pattern: "/api/v1/openapi.json")
    static func apiCollection(_ resource: String) -> SiteURL { SiteURL(pattern: "/api/v1/\(resource)") }
    static func apiItem(_ resource: String) -> SiteURL { SiteURL(pattern: "/api/v1/\(resource)/:id") }

    // Accounts
    static let login = SiteURL(pattern: "/login")
    static let logout = SiteURL(pattern: "/logout")
    static let password = SiteURL(pattern: "/account/password")
    static let apiLogin = SiteURL(pattern: "/api/v1/auth/login")
    static let apiLogout = SiteURL(pattern: "/api/v1/auth/logout")
    static let apiMe = SiteURL(pattern: "/api/v1/auth/me")
    static let apiPassword = SiteURL(pattern: "/api/v1/auth/password")
    static let apiKeys = SiteURL(pattern: "/api/v1/api-keys")
    // Accounts, managed by district admins
    static let apiUsers = SiteURL(pattern: "/api/v1/users")
    static let apiUser = SiteURL(pattern: "/api/v1/users/:id")
    static let apiUserDisable = SiteURL(pattern: "/api/v1/users/:id/disable")
    static let apiUserEnable = SiteURL(pattern: "/api/v1/users/:id/enable")
    static let apiUserPassword = SiteURL(pattern: "/api/v1/users/:id/password")
    static let apiUserGrants = SiteURL(pattern: "/api/v1/users/:id/grants")
    static let apiRoleGrant = SiteURL(pattern: "/api/v1/role-grants/:id")
    static let adminUsers = SiteURL(pattern: "/admin/users")
    // Self-registration and tenants
    static let apiRegistrationCode = SiteURL(pattern: "/api/v1/registrations/code")
    static let apiRegistrations = SiteURL(pattern: "/api/v1/registrations")
    static let apiRegistrationReview = SiteURL(pattern: "/api/v1/registrations/:id/review")
    static let apiOwnershipCertificate = SiteURL(pattern: "/api/v1/ownerships/:id/certificate")
    static let apiRoomInvitations = SiteURL(pattern: "/api/v1/rooms/:id/invitations")
    static let apiRoomTenants = SiteURL(pattern: "/api/v1/rooms/:id/tenants")
    static let apiResidentEnd = SiteURL(pattern: "/api/v1/residents/:id/end-tenancy")
    static let register = SiteURL(pattern: "/register")
    static let registerCode = SiteURL(pattern: "/register/code")
    static let registrations = SiteURL(pattern: "/registrations")
    static let registrationPage = SiteURL(pattern: "/registrations/:id")
    static let registrationPhoto = SiteURL(pattern: "/registrations/:id/photo")
    static let outbox = SiteURL(pattern: "/outbox")
    static let roomTenants = SiteURL(pattern: "/rooms/:id/tenants")
    static let adminUserNew = SiteURL(pattern: "/admin/users/new")
    static let adminUser = SiteURL(pattern: "/admin/users/:id")
    static let apiKey = SiteURL(pattern: "/api/v1/api-keys/:id")
    static let auditEvents = SiteURL(pattern: "/api/v1/audit-events")
    static let auditPage = SiteURL(pattern: "/audit")

    // Owners' joint decisions
    static let apiCompoundDecisions = SiteURL(pattern: "/api/v1/compounds/:id/decisions")
    static let apiDecision = SiteURL(pattern: "/api/v1/decisions/:id")
    static let apiDecisionOpen = SiteURL(pattern: "/api/v1/decisions/:id/open")
    static let apiDecisionClose = SiteURL(pattern: "/api/v1/decisions/:id/close")
    static let apiDecisionPublish = SiteURL(pattern: "/api/v1/decisions/:id/publish")
    static let apiDecisionBallots = SiteURL(pattern: "/api/v1/decisions/:id/ballots")
    static let apiDecisionResult = SiteURL(pattern: "/api/v1/decisions/:id/result")
    static let apiDecisionVerify = SiteURL(pattern: "/api/v1/decisions/:id/verify")
    static let apiDecisionApply = SiteURL(pattern: "/api/v1/decisions/:id/apply")
    static let apiDecisionAttachments = SiteURL(pattern: "/api/v1/decisions/:id/attachments")
    static let apiPaperBallots = SiteURL(pattern: "/api/v1/decisions/:id/paper-ballots")
    static let apiPaperBallotConfirm = SiteURL(pattern: "/api/v1/decisions/:id/paper-ballots/:number/confirm")
    static let apiPaperBallotDispute = SiteURL(pattern: "/api/v1/decisions/:id/paper-ballots/:number/dispute")
    static let paperRegister = SiteURL(pattern: "/decisions/:id/paper-ballots")
    static let paperConfirm = SiteURL(pattern: "/decisions/:id/paper-ballots/:number/confirm")
    static let paperDispute = SiteURL(pattern: "/decisions/:id/paper-ballots/:number/dispute")
    static let decisionAttachment = SiteURL(pattern: "/attachments/:id")
    static let compoundDecisions = SiteURL(pattern: "/compounds/:id/decisions")
    static let decisionPage = SiteURL(pattern: "/decisions/:id")
    static let decisionBallot = SiteURL(pattern: "/decisions/:id/ballot")
    static let decisionPublication = SiteURL(pattern: "/decisions/:id/publication")

    // Maintenance fund
    static let apiFund = SiteURL(pattern: "/api/v1/compounds/:id/fund")
    static let apiFundDeposits = SiteURL(pattern: "/api/v1/compounds/:id/fund/deposits")
    static let apiFundInterest = SiteURL(pattern: "/api/v1/compounds/:id/fund/interest")
    static let apiFundPlans = SiteURL(pattern: "/api/v1/compounds/:id/fund/plans")
    static let apiFundPlanNotice = SiteURL(pattern: "/api/v1/fund-plans/:id/notice")
    static let apiFundPlanPay = SiteURL(pattern: "/api/v1/fund-plans/:id/pay")
    static let apiFundPlanReport = SiteURL(pattern: "/api/v1/fund-plans/:id/report")
    static let fundPage = SiteURL(pattern: "/compounds/:id/fund")
    // Property fees
    static let apiCompoundBills = SiteURL(pattern: "/api/v1/compounds/:id/bills")
    static let apiCompoundArrears = SiteURL(pattern: "/api/v1/compounds/:id/arrears")
    static let apiBills = SiteURL(pattern: "/api/v1/bills")
    static let apiBill = SiteURL(pattern: "/api/v1/bills/:id")
    static let apiBillDispute = SiteURL(pattern: "/api/v1/bills/:id/dispute")
    static let apiBillSettle = SiteURL(pattern: "/api/v1/bills/:id/settle")
    static let apiRoomPayments = SiteURL(pattern: "/api/v1/rooms/:id/payments")
    static let apiRoomCharges = SiteURL(pattern: "/api/v1/rooms/:id/charges")
    static let apiPayment = SiteURL(pattern: "/api/v1/payments/:id")
    static let apiPaymentRefund = SiteURL(pattern: "/api/v1/payments/:id/refund")
    static let apiCollectionRates = SiteURL(pattern: "/api/v1/collection-rates")
    static let apiFeeSettings = SiteURL(pattern: "/api/v1/districts/:id/fee-settings")
    static let apiRoomVacancies = SiteURL(pattern: "/api/v1/rooms/:id/vacancies")
    static let apiVacancyEnd = SiteURL(pattern: "/api/v1/vacancies/:id/end")
    static let apiCompoundMeters = SiteURL(pattern: "/api/v1/compounds/:id/meters")
    static let apiCompoundMeterReadings = SiteURL(pattern: "/api/v1/compounds/:id/meter-readings")
    static let compoundMeters = SiteURL(pattern: "/compounds/:id/meters")
    static let feesPage = SiteURL(pattern: "/fees")
    static let feesCSV = SiteURL(pattern: "/fees.csv")
    static let compoundFees = SiteURL(pattern: "/compounds/:id/fees")
    static let roomBills = SiteURL(pattern: "/rooms/:id/bills")
    static let roomNotice = SiteURL(pattern: "/rooms/:id/notice")
    static let billPage = SiteURL(pattern: "/bills/:id")
    static let receipt = SiteURL(pattern: "/payments/:id/receipt")
    static let fundDeposits = SiteURL(pattern: "/compounds/:id/fund/deposits")
    static let fundInterest = SiteURL(pattern: "/compounds/:id/fund/interest")
    static let fundPlans = SiteURL(pattern: "/compounds/:id/fund/plans")
    static let fundPlan = SiteURL(pattern: "/fund-plans/:id")

    // Disputes settled at the source
    static let apiDisputes = SiteURL(pattern: "/api/v1/disputes")
    static let apiDispute = SiteURL(pattern: "/api/v1/disputes/:id")
    static let apiDisputeEvents = SiteURL(pattern: "/api/v1/disputes/:id/events")
    static let apiDisputeMediators = SiteURL(pattern: "/api/v1/disputes/:id/mediators")
    static let apiRequestDispute = SiteURL(pattern: "/api/v1/requests/:id/dispute")
    static let apiDisputeFigures = SiteURL(pattern: "/api/v1/dispute-figures")
    static let apiLegalActivities = SiteURL(pattern: "/api/v1/communities/:id/legal-activities")
    static let disputes = SiteURL(pattern: "/disputes")
    static let newDispute = SiteURL(pattern: "/disputes/new")
    static let dispute = SiteURL(pattern: "/disputes/:id")
    static let disputeFigures = SiteURL(pattern: "/dispute-figures")
    static let disputeFiguresCSV = SiteURL(pattern: "/dispute-figures.csv")
    static let requestDispute = SiteURL(pattern: "/requests/:id/dispute")
    // Menu services
    static let apiProviders = SiteURL(pattern: "/api/v1/service-providers")
    static let apiProviderStats = SiteURL(pattern: "/api/v1/service-providers/:id/stats")
    static let apiServiceRouting = SiteURL(pattern: "/api/v1/compounds/:id/service-routing")
    static let apiMenuItems = SiteURL(pattern: "/api/v1/menu-items")
    static let apiMenuItem = SiteURL(pattern: "/api/v1/menu-items/:id")
    static let apiCompoundMenu = SiteURL(pattern: "/api/v1/compounds/:id/menu")
    static let apiOrders = SiteURL(pattern: "/api/v1/service-orders")
    static let apiOrder = SiteURL(pattern: "/api/v1/service-orders/:id")
    static let apiOrderEvents = SiteURL(pattern: "/api/v1/service-orders/:id/events")
    static let menu = SiteURL(pattern: "/menu")
    static let menuOrder = SiteURL(pattern: "/menu/orders/:id")
    static let menuProvider = SiteURL(pattern: "/menu/providers/:id")
    static let compoundMenu = SiteURL(pattern: "/compounds/:id/menu")

    // Residents' requests, whistle cases, rankings, hotline orders, receptions
    static let apiRequests = SiteURL(pattern: "/api/v1/requests")
    static let apiRequest = SiteURL(pattern: "/api/v1/requests/:id")
    static let apiRequestTransitions = SiteURL(pattern: "/api/v1/requests/:id/transitions")
    static let apiRequestJoin = SiteURL(pattern: "/api/v1/requests/:id/join")
    static let apiRequestsSimilar = SiteURL(pattern: "/api/v1/requests/similar")
    static let requestJoin = SiteURL(pattern: "/requests/:id/join")
    static let apiRequestPhotos = SiteURL(pattern: "/api/v1/requests/:id/photos")
    static let requestPhoto = SiteURL(pattern: "/request-photos/:id")
    static let apiRequestSettings = SiteURL(pattern: "/api/v1/districts/:id/request-settings")
    static let apiRankings = SiteURL(pattern: "/api/v1/rankings")
    static let apiHotlineOrders = SiteURL(pattern: "/api/v1/hotline-orders")
    static let apiHotlineAssign = SiteURL(pattern: "/api/v1/hotline-orders/:id/assign")
    static let apiWhistleCases = SiteURL(pattern: "/api/v1/whistle-cases")
    static let apiWhistleCase = SiteURL(pattern: "/api/v1/whistle-cases/:id")
    static let apiWhistleReports = SiteURL(pattern: "/api/v1/whistle-cases/:id/reports")
    static let apiWhistleLog = SiteURL(pattern: "/api/v1/whistle-cases/:id/log")
    static let apiWhistleClose = SiteURL(pattern: "/api/v1/whistle-cases/:id/close")
    static let apiReceptions = SiteURL(pattern: "/api/v1/receptions")
    static let requests = SiteURL(pattern: "/requests")
    static let requestNew = SiteURL(pattern: "/requests/new")
    static let requestPage = SiteURL(pattern: "/requests/:id")
    static let requestPhotosPage = SiteURL(pattern: "/requests/:id/photos")
    static let board = SiteURL(pattern: "/board")
    static let rankings = SiteURL(pattern: "/rankings")
    static let rankingsCSV = SiteURL(pattern: "/rankings.csv")
    static let hotlineQueue = SiteURL(pattern: "/hotline-queue")
    static let whistleCases = SiteURL(pattern: "/whistle-cases")
    static let whistleCasePage = SiteURL(pattern: "/whistle-cases/:id")
    static let receptions = SiteURL(pattern: "/receptions")

    // Open311 GeoReport v2
    static let open311Root = "/open311/v2"

    // Web pages
    static let home = SiteURL(pattern: "/")
    static let street = SiteURL(pattern: "/streets/:id")
    static let community = SiteURL(pattern: "/communities/:id")
    static let compound = SiteURL(pattern: "/compounds/:id")
    static let building = SiteURL(pattern: "/buildings/:id")
    static let language = SiteURL(pattern: "/language/:code")
    static let importRegistry = SiteURL(pattern: "/registry/import")
    static let exportRegistry = SiteURL(pattern: "/registry/export.csv")
    static let manageList = SiteURL(pattern: "/manage/:resource")
    static let manageNew = SiteURL(pattern: "/manage/:resource/new")
    static let manageEdit = SiteURL(pattern: "/manage/:resource/:id/edit")
    static let manageDelete = SiteURL(pattern: "/manage/:resource/:id/delete")
}
