import Domain
import Foundation

/// `GET /api/v1/public/compounds/{id}`: a compound's public page as data — no person's name,
/// phone or room anywhere in it. Money in yuan with two decimals, area in m² with two.
struct PublicCompoundAnswer: APIAnswer {
    struct Company: Codable, Sendable { let name: String, startsOn: String, endsOn: String?, monthlyFeePerSqm: String }
    struct Committee: Codable, Sendable { let kind: String, termStart: String, termEnd: String?, members: Int64 }
    struct Rates: Codable, Sendable {
        let month: String, requests: Int64, responseRate: String?, resolutionRate: String?, satisfactionRate: String?, composite: String?, rank: Int64?, of: Int64
    }
    struct Vote: Codable, Sendable {
        let title: String, matter: String, closedOn: String, passed: Bool
        let personsParticipating: Int64, personsTotal: Int64, personsYes: Int64, areaParticipating: String, areaTotal: String, areaYes: String
    }
    struct Spending: Codable, Sendable { let project: String, amount: String, status: String }
    struct Notice: Codable, Sendable { let title: String, author: String, validFrom: String, validUntil: String }
    struct Placing: Codable, Sendable { let period: String, street: String, company: String, list: String, score: String?, rank: Int64? }

    let id: String, name: String, address: String, community: String, street: String, yearBuilt: Int64, managementMode: String
    let buildings: Int64, rooms: Int64, area: String
    let company: Company?, committee: Committee?, rates: [Rates], votes: [Vote]
    let fundBalance: String, fundDeposited: String, spending: [Spending], notices: [Notice], placings: [Placing]

    init(_ p: PublicPageService.Page) {
        func pct(_ r: Ratio) -> String? { r.basisPoints.map(FixedPoint2.format) }
        id = p.id.text; name = p.name; address = p.address; community = p.community; street = p.street; yearBuilt = p.yearBuilt; managementMode = p.mode.rawValue
        buildings = p.buildings; rooms = p.rooms; area = FixedPoint2.format(p.area)
        company = p.company.map { Company(name: $0.name, startsOn: $0.startsOn, endsOn: $0.endsOn, monthlyFeePerSqm: FixedPoint2.format($0.monthlyFeePerSqm)) }
        committee = p.committee.map { Committee(kind: $0.kind.rawValue, termStart: $0.termStart, termEnd: $0.termEnd, members: $0.members) }
        rates = p.rates.map { r in
            Rates(month: r.month, requests: r.requests, responseRate: r.rates.flatMap { pct($0.response) }, resolutionRate: r.rates.flatMap { pct($0.resolution) },
                  satisfactionRate: r.rates.flatMap { pct($0.satisfaction) }, composite: r.composite.map(FixedPoint2.format), rank: r.rank.map(Int64.init), of: Int64(r.of))
        }
        votes = p.decisions.map { d in
            Vote(title: d.title, matter: d.matter.rawValue, closedOn: d.closedOn, passed: d.passed, personsParticipating: d.persons.participating,
                 personsTotal: d.persons.total, personsYes: d.persons.yes, areaParticipating: FixedPoint2.format(d.area.participating),
                 areaTotal: FixedPoint2.format(d.area.total), areaYes: FixedPoint2.format(d.area.yes))
        }
        fundBalance = FixedPoint2.format(p.fundBalance); fundDeposited = FixedPoint2.format(p.fundDeposited)
        spending = p.spending.map { Spending(project: $0.project, amount: FixedPoint2.format($0.amount), status: $0.status) }
        notices = p.notices.map { Notice(title: $0.title, author: $0.author, validFrom: $0.validFrom, validUntil: $0.validUntil) }
        placings = p.placings.map { Placing(period: $0.period, street: $0.street, company: $0.company, list: $0.list.rawValue, score: $0.score.map(FixedPoint2.format), rank: $0.rank) }
    }

    static var schema: Schema {
        let company: Schema = .object([.req("name", .string()), .req("startsOn", .date), .null("endsOn", .date), .req("monthlyFeePerSqm", .decimal)])
        let committee: Schema = .object([.req("kind", .choice(CommitteeKind.self)), .req("termStart", .date), .null("termEnd", .date), .req("members", .integer(minimum: 0))])
        let rates: Schema = .object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("requests", .integer(minimum: 0)), .null("responseRate", .decimal),
                                     .null("resolutionRate", .decimal), .null("satisfactionRate", .decimal), .null("composite", .decimal),
                                     .null("rank", .integer(minimum: 1)), .req("of", .integer(minimum: 0))])
        let vote: Schema = .object([.req("title", .string()), .req("matter", .choice(Matter.self)), .req("closedOn", .string()), .req("passed", .boolean),
                                    .req("personsParticipating", .integer(minimum: 0)), .req("personsTotal", .integer(minimum: 0)), .req("personsYes", .integer(minimum: 0)),
                                    .req("areaParticipating", .decimal), .req("areaTotal", .decimal), .req("areaYes", .decimal)])
        let spending: Schema = .object([.req("project", .string()), .req("amount", .decimal), .req("status", .string())])
        let notice: Schema = .object([.req("title", .string()), .req("author", .string()), .req("validFrom", .date), .req("validUntil", .date)])
        return .object([.req("id", .uuid), .req("name", .string()), .req("address", .string()), .req("community", .string()), .req("street", .string()),
                        .req("yearBuilt", .integer()), .req("managementMode", .choice(ManagementMode.self)), .req("buildings", .integer(minimum: 0)),
                        .req("rooms", .integer(minimum: 0)), .req("area", .decimal), .null("company", company), .null("committee", committee),
                        .req("rates", .array(rates)), .req("votes", .array(vote)), .req("fundBalance", .decimal), .req("fundDeposited", .decimal),
                        .req("spending", .array(spending)), .req("notices", .array(notice)),
                        .req("placings", .array(.object([.req("period", .string()), .req("street", .string()), .req("company", .string()), .req("list", .choice(ListKind.self)),
                                                         .null("score", .decimal), .null("rank", .integer(minimum: 1))])))])
    }
}

/// `PUT /api/v1/districts/{id}/public-pages`: whether the district's compound pages are public.
struct PublicPagesBody: APIBody {
    let open: Bool

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let open = r.optional("open", Bool.self, "open is true or false")
        if open == nil { r.fail("open", "required", "open is true or false") }
        try r.finish()
        self.open = open ?? true
    }

    static var schema: Schema { .object([.req("open", .boolean)]) }
}

/// Whether a district's compound pages are public.
struct PublicPagesAnswer: APIAnswer {
    let districtId: String, open: Bool
    static var schema: Schema { .object([.req("districtId", .uuid), .req("open", .boolean)]) }
}
