import Foundation

/// How big a demo district to make.
public enum DemoScale: String, CaseIterable, Sendable {
    /// One street (大屯), a handful of communities: for tests.
    case small
    /// All 43 streets and townships, about 12 communities each, small buildings: the default demo.
    case district
    /// A Chaoyang-sized registry (about 1.5 million rooms): for benchmarks.
    case full
}

/// What the whole district shares: the district, its streets, companies and departments.
public struct DemoDistrictPlan: Sendable {
    public var district: District
    public var streets: [Street]
    public var companies: [Company]
    public var departments: [Department]
    /// The state-owned company that takes over old compounds (北京朝阳家园物业管理有限公司).
    public var fallbackCompanyId: UUID
    /// Per street: how many old compounds the fallback company serves there (26 in all at district scale).
    var fallbackQuota: [Int]
    /// Per street: the companies active there (the street alliance's members).
    var localCompanies: [[Int]]
    /// Per company: the street where its party branch sits.
    var companyHome: [Int]
}

/// Everything under one street, generated in one piece so the loader can insert street by street.
public struct DemoStreetBundle: Sendable {
    public var communities: [Community] = []
    public var compounds: [Compound] = []
    public var buildings: [Building] = []
    public var entrances: [Entrance] = []
    public var rooms: [Room] = []
    public var owners: [Owner] = []
    public var ownerships: [Ownership] = []
    public var residents: [Resident] = []
    public var contracts: [ServiceContract] = []
    public var committees: [Committee] = []
    public var committeeMembers: [CommitteeMember] = []
    public var partyOrganizations: [PartyOrganization] = []
    public var partyCoverages: [PartyCoverage] = []
    public var alliances: [Alliance] = []
    public var allianceMembers: [AllianceMember] = []
    public var crossAppointments: [CrossAppointment] = []

    /// Rows in the bundle, for progress reporting.
    public var rowCount: Int {
        communities.count + compounds.count + buildings.count + entrances.count + rooms.count + owners.count
            + ownerships.count + residents.count + contracts.count + committees.count + committeeMembers.count
            + partyOrganizations.count + partyCoverages.count + alliances.count + allianceMembers.count + crossAppointments.count
    }
}

/// Generates a deterministic demo district sized by the seed report's numbers (43 streets, 26 old
/// compounds under the state-owned fallback company, about 10% of compounds without property
/// service and 15% without a committee).
public struct DemoGenerator: Sendable {
    public let scale: DemoScale
    public let seed: UInt64
    /// The day the demo is "as of": contracts and terms are arranged around it.
    public let today: CivilDate

    public init(scale: DemoScale, seed: UInt64, today: CivilDate) {
        self.scale = scale
        self.seed = seed
        self.today = today
    }

    /// The number of streets generated at this scale.
    public var streetCount: Int { scale == .small ? 1 : DemoNames.streetsPerDistrict }

    struct Sizes {
        var communities: ClosedRange<Int>
        var compounds = 2...6
        var buildings: ClosedRange<Int>
        var entrances: ClosedRange<Int>
        var floors: ClosedRange<Int>
    }

    var sizes: Sizes {
        switch scale {
        case .small: return Sizes(communities: 4...4, buildings: 2...3, entrances: 1...2, floors: 5...8)
        case .district: return Sizes(communities: 10...14, buildings: 2...3, entrances: 1...2, floors: 5...6)
        case .full: return Sizes(communities: 10...14, buildings: 9...18, entrances: 2...3, floors: 6...20)
        }
    }

    /// The district-wide part of the demo.
    public func plan() -> DemoDistrictPlan {
        var rng = SeededRandom(seed: seed)
        let district = District(id: rng.uuid(), name: "朝阳区", code: "110105")
        var streets: [Street] = []
        let names: [(String, StreetKind)] = scale == .small
            ? [("大屯", .subdistrict)]
            : DemoNames.subdistricts.map { ($0, .subdistrict) } + DemoNames.townships.map { ($0, .township) }
        for (name, kind) in names {
            streets.append(Street(id: rng.uuid(), districtId: district.id, name: name + (kind == .subdistrict ? "街道" : "乡"), kind: kind))
        }
        let companyCount = scale == .small ? 8 : (scale == .district ? 300 : 320)
        var companies: [Company] = []
        let fallback = Company(id: rng.uuid(), districtId: district.id, name: "北京朝阳家园物业管理有限公司",
                               creditCode: Self.creditCode(&rng), stateOwned: true, associationMember: true)
        companies.append(fallback)
        var usedNames: Set<String> = [fallback.name, "北京三园物业管理有限公司"]
        companies.append(Company(id: rng.uuid(), districtId: district.id, name: "北京三园物业管理有限公司",
                                 creditCode: Self.creditCode(&rng), stateOwned: false, associationMember: true))
        while companies.count < companyCount {
            let name = "北京" + rng.pick(DemoNames.companyHeads) + rng.pick(DemoNames.companyMids) + rng.pick(DemoNames.companySuffixes)
            guard usedNames.insert(name).inserted else { continue }
            companies.append(Company(id: rng.uuid(), districtId: district.id, name: name, creditCode: Self.creditCode(&rng),
                                     stateOwned: rng.chance(5), associationMember: rng.chance(70)))
        }
        let departments = [("区房管局", DepartmentKind.housing), ("区民防局", .civilDefense), ("区卫健委", .health),
                           ("区消防支队", .fire), ("区城管执法局", .urbanManagement), ("区民政局", .other), ("区科信局", .other)]
            .map { Department(id: rng.uuid(), districtId: district.id, name: $0.0, kind: $0.1) }
        // 26 old compounds under the fallback company, spread over the streets (fewer when small).
        var quota = Array(repeating: 0, count: streets.count)
        for _ in 0..<(scale == .small ? 3 : 26) { quota[rng.int(0...(streets.count - 1))] += 1 }
        // Companies 2… are private; each street draws its local set from them.
        let privateRange = 1...(companies.count - 1)
        var local: [[Int]] = []
        for _ in streets {
            var set: Set<Int> = []
            while set.count < min(privateRange.count, scale == .small ? 6 : 9) { set.insert(rng.int(privateRange)) }
            local.append(set.sorted())
        }
        let home = companies.indices.map { $0 % streets.count }
        return DemoDistrictPlan(district: district, streets: streets, companies: companies, departments: departments,
                                fallbackCompanyId: fallback.id, fallbackQuota: quota, localCompanies: local, companyHome: home)
    }

    /// A credit code with a correct GB 32100 check character (registered in Chaoyang, 110105).
    static func creditCode(_ rng: inout SeededRandom) -> String {
        let alphabet = CreditCode.alphabet
        var body = "91110105"
        for _ in 0..<9 { body.append(alphabet[rng.int(0...30)]) }
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    static func personName(_ rng: inout SeededRandom) -> String {
        rng.pick(DemoNames.surnames) + rng.pick(DemoNames.givenChars) + (rng.chance(60) ? rng.pick(DemoNames.givenChars) : "")
    }

    static func phone(_ rng: inout SeededRandom) -> String {
        rng.pick(["138", "139", "136", "150", "186", "189", "133", "177"]) + String(format: "%08d", rng.int(0...99_999_999))
    }
}
