import Foundation

// Plain values of the registry (三级联动 and the organisations around it). The App stores them;
// the demo generator and the CSV import produce them.

/// 区: the top of the hierarchy and the scope of district admins.
public struct District: Sendable, Hashable {
    public var id: UUID; public var name: String; public var code: String
    public init(id: UUID, name: String, code: String) { self.id = id; self.name = name; self.code = code }
}

/// 街道 or 乡.
public struct Street: Sendable, Hashable {
    public var id: UUID; public var districtId: UUID; public var name: String; public var kind: StreetKind
    public init(id: UUID, districtId: UUID, name: String, kind: StreetKind) {
        self.id = id; self.districtId = districtId; self.name = name; self.kind = kind
    }
}

/// 社区.
public struct Community: Sendable, Hashable {
    public var id: UUID; public var streetId: UUID; public var name: String
    public init(id: UUID, streetId: UUID, name: String) { self.id = id; self.streetId = streetId; self.name = name }
}

/// 小区: the unit that property service, committees and votes are about.
public struct Compound: Sendable, Hashable {
    public var id: UUID
    public var communityId: UUID
    public var name: String
    public var address: String
    public var latitude: Double?
    public var longitude: Double?
    public var housingKind: HousingKind
    public var yearBuilt: Int
    public var managementMode: ManagementMode
    public init(id: UUID, communityId: UUID, name: String, address: String, latitude: Double?, longitude: Double?,
                housingKind: HousingKind, yearBuilt: Int, managementMode: ManagementMode) {
        self.id = id; self.communityId = communityId; self.name = name; self.address = address
        self.latitude = latitude; self.longitude = longitude; self.housingKind = housingKind
        self.yearBuilt = yearBuilt; self.managementMode = managementMode
    }
}

/// 楼栋.
public struct Building: Sendable, Hashable {
    public var id: UUID; public var compoundId: UUID; public var number: String; public var floors: Int; public var hasLift: Bool
    public init(id: UUID, compoundId: UUID, number: String, floors: Int, hasLift: Bool) {
        self.id = id; self.compoundId = compoundId; self.number = number; self.floors = floors; self.hasLift = hasLift
    }
}

/// 单元 / 楼门.
public struct Entrance: Sendable, Hashable {
    public var id: UUID; public var buildingId: UUID; public var number: String
    public init(id: UUID, buildingId: UUID, number: String) { self.id = id; self.buildingId = buildingId; self.number = number }
}

/// 房屋, with its registered exclusive area (专有部分建筑面积).
public struct Room: Sendable, Hashable {
    public var id: UUID; public var entranceId: UUID; public var number: String; public var floor: Int
    public var use: RoomUse; public var area: Area
    public init(id: UUID, entranceId: UUID, number: String, floor: Int, use: RoomUse, area: Area) {
        self.id = id; self.entranceId = entranceId; self.number = number; self.floor = floor; self.use = use; self.area = area
    }
}

/// 业主: a person, an organisation or a developer, registered in a district.
public struct Owner: Sendable, Hashable {
    public var id: UUID; public var districtId: UUID; public var kind: OwnerKind; public var name: String; public var phone: String?
    public init(id: UUID, districtId: UUID, kind: OwnerKind, name: String, phone: String?) {
        self.id = id; self.districtId = districtId; self.kind = kind; self.name = name; self.phone = phone
    }
}

/// Room ↔ owner; several co-owners of one room share one vote.
public struct Ownership: Sendable, Hashable {
    public var id: UUID; public var roomId: UUID; public var ownerId: UUID
    public init(id: UUID, roomId: UUID, ownerId: UUID) { self.id = id; self.roomId = roomId; self.ownerId = ownerId }
}

/// 居民: who lives in a room (owner or tenant).
public struct Resident: Sendable, Hashable {
    public var id: UUID; public var roomId: UUID; public var name: String; public var phone: String?
    public init(id: UUID, roomId: UUID, name: String, phone: String?) { self.id = id; self.roomId = roomId; self.name = name; self.phone = phone }
}

/// 物业服务企业.
public struct Company: Sendable, Hashable {
    public var id: UUID; public var districtId: UUID; public var name: String; public var creditCode: String
    public var stateOwned: Bool; public var associationMember: Bool
    public init(id: UUID, districtId: UUID, name: String, creditCode: String, stateOwned: Bool, associationMember: Bool) {
        self.id = id; self.districtId = districtId; self.name = name; self.creditCode = creditCode
        self.stateOwned = stateOwned; self.associationMember = associationMember
    }
}

/// 物业服务合同: which company serves which compound, from when to when, at what monthly fee per m².
public struct ServiceContract: Sendable, Hashable {
    public var id: UUID; public var companyId: UUID; public var compoundId: UUID
    public var startsOn: CivilDate; public var endsOn: CivilDate?; public var monthlyFeePerSqm: Money
    public init(id: UUID, companyId: UUID, compoundId: UUID, startsOn: CivilDate, endsOn: CivilDate?, monthlyFeePerSqm: Money) {
        self.id = id; self.companyId = companyId; self.compoundId = compoundId
        self.startsOn = startsOn; self.endsOn = endsOn; self.monthlyFeePerSqm = monthlyFeePerSqm
    }
    /// Whether the contract covers `date` (both ends inclusive; an open end runs on).
    public func covers(_ date: CivilDate) -> Bool { startsOn <= date && (endsOn.map { date <= $0 } ?? true) }
}

/// 筹备组, 业委会 or 物管会 of one compound, for one term.
public struct Committee: Sendable, Hashable {
    public var id: UUID; public var compoundId: UUID; public var kind: CommitteeKind
    public var termStart: CivilDate; public var termEnd: CivilDate?
    public init(id: UUID, compoundId: UUID, kind: CommitteeKind, termStart: CivilDate, termEnd: CivilDate?) {
        self.id = id; self.compoundId = compoundId; self.kind = kind; self.termStart = termStart; self.termEnd = termEnd
    }
}

/// A seat on a committee.
public struct CommitteeMember: Sendable, Hashable {
    public var id: UUID; public var committeeId: UUID; public var name: String; public var role: CommitteeRole
    public init(id: UUID, committeeId: UUID, name: String, role: CommitteeRole) {
        self.id = id; self.committeeId = committeeId; self.name = name; self.role = role
    }
}

/// A party organisation; `communityId` is set for community committees and compound branches.
public struct PartyOrganization: Sendable, Hashable {
    public var id: UUID; public var streetId: UUID; public var communityId: UUID?; public var kind: PartyOrgKind; public var name: String
    public init(id: UUID, streetId: UUID, communityId: UUID?, kind: PartyOrgKind, name: String) {
        self.id = id; self.streetId = streetId; self.communityId = communityId; self.kind = kind; self.name = name
    }
}

/// One compound or one company that a party organisation covers (exactly one of the two is set).
public struct PartyCoverage: Sendable, Hashable {
    public var id: UUID; public var partyOrganizationId: UUID; public var compoundId: UUID?; public var companyId: UUID?
    public init(id: UUID, partyOrganizationId: UUID, compoundId: UUID?, companyId: UUID?) {
        self.id = id; self.partyOrganizationId = partyOrganizationId; self.compoundId = compoundId; self.companyId = companyId
    }
}

/// A street's property service alliance (物业服务联盟).
public struct Alliance: Sendable, Hashable {
    public var id: UUID; public var streetId: UUID; public var name: String; public var foundedOn: CivilDate
    public init(id: UUID, streetId: UUID, name: String, foundedOn: CivilDate) {
        self.id = id; self.streetId = streetId; self.name = name; self.foundedOn = foundedOn
    }
}

/// A company's membership of a street's alliance.
public struct AllianceMember: Sendable, Hashable {
    public var id: UUID; public var allianceId: UUID; public var companyId: UUID; public var joinedOn: CivilDate
    public init(id: UUID, allianceId: UUID, companyId: UUID, joinedOn: CivilDate) {
        self.id = id; self.allianceId = allianceId; self.companyId = companyId; self.joinedOn = joinedOn
    }
}

/// A government department that streets may summon.
public struct Department: Sendable, Hashable {
    public var id: UUID; public var districtId: UUID; public var name: String; public var kind: DepartmentKind
    public init(id: UUID, districtId: UUID, name: String, kind: DepartmentKind) {
        self.id = id; self.districtId = districtId; self.name = name; self.kind = kind
    }
}

/// 双向进入、交叉任职: a person of one organisation holding a post in the other.
public struct CrossAppointment: Sendable, Hashable {
    public var id: UUID; public var communityId: UUID; public var companyId: UUID
    public var personName: String; public var direction: AppointmentDirection; public var post: String; public var startsOn: CivilDate
    public init(id: UUID, communityId: UUID, companyId: UUID, personName: String, direction: AppointmentDirection, post: String, startsOn: CivilDate) {
        self.id = id; self.communityId = communityId; self.companyId = companyId; self.personName = personName
        self.direction = direction; self.post = post; self.startsOn = startsOn
    }
}
