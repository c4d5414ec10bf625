import Foundation

/// Who holds a seat at a consultation (五方会商 / 议事协商).
public enum SeatParty: String, RegistryCode, Codable {
    /// 社区党委 (the community party committee).
    case partyCommittee = "party_committee"
    /// 居委会.
    case residentsCommittee = "residents_committee"
    /// 物业企业.
    case company
    /// 业委会 or 物管会.
    case ownersCommittee = "owners_committee"
    /// 居民代表.
    case residents
    /// An invited government department.
    case department
    case other

    /// The five parties of 六里屯's "五方共治".
    public static let five: [SeatParty] = [.partyCommittee, .residentsCommittee, .company, .ownersCommittee, .residents]
}

/// Where a consultation stands.
public enum ConsultationStatus: String, RegistryCode, Codable {
    /// Convened, not yet held.
    case scheduled
    /// Held: attendance and minutes recorded.
    case held
    /// Its summary is published to the compounds' residents.
    case published
}

/// What an agenda item is about.
public enum AgendaKind: String, RegistryCode, Codable {
    case text, request
    case whistleCase = "whistle_case"
    case decision, dispute
    /// A survey (征求意见); its result is quoted in the minutes.
    case survey
    /// An action item of an earlier meeting, carried until done.
    case action
}

/// Whether a resolution's action item is done.
public enum ActionStatus: String, RegistryCode, Codable {
    case open, done
}

/// The rules of consultations.
public enum ConsultationRules {
    /// The five parties missing from those who signed in.
    public static func missing(attended: Set<SeatParty>) -> [SeatParty] { SeatParty.five.filter { !attended.contains($0) } }

    /// A meeting is five-party only when each of the five signed in.
    public static func isFiveParty(attended: Set<SeatParty>) -> Bool { missing(attended: attended).isEmpty }

    /// An open action item past its due date (due today is not yet overdue).
    public static func isOverdue(due: CivilDate, status: ActionStatus, today: CivilDate) -> Bool { status == .open && due < today }

    /// The next `count` dates of a monthly schedule after `first`, `every` months apart, on the
    /// same day of the month (the last day when the month is shorter).
    public static func schedule(after first: CivilDate, every: Int, count: Int) -> [CivilDate] {
        guard every > 0 else { return [] }
        return (1...max(1, count)).prefix(count).map { n in
            let index = first.year * 12 + (first.month - 1) + n * every
            let year = index / 12, month = index % 12 + 1
            return CivilDate(year: year, month: month, day: min(first.day, CivilDate.daysIn(month: month, year: year)))
        }
    }

    /// Who may do what with a consultation: its community's, street's and district's staff run it;
    /// a company seated in it and the committee of one of its compounds read it; owners and
    /// residents of its compounds read its published summary only.
    public static func standing(_ actor: Actor, _ place: ConsultationPlace) -> ConsultationStanding {
        if actor.isSystem { return ConsultationStanding(runs: true, seesAll: true, seesSummary: true) }
        var s = ConsultationStanding(runs: Policy.isStaffOver(actor, district: place.districtId, street: place.streetId, community: place.communityId))
        for g in actor.grants {
            switch g.role {
            case .companyStaff where place.seatedCompanies.contains(g.scopeId):
                s.seesAll = true
            case .committeeMember where place.compounds.contains(g.scopeId):
                s.seesAll = true
            default: break
            }
        }
        s.seesAll = s.seesAll || s.runs
        s.seesSummary = s.seesAll || (place.published && place.holderOfCompound)
        return s
    }
}

/// Where a consultation sits, as the access rules see it.
public struct ConsultationPlace: Sendable {
    public var districtId: UUID, streetId: UUID, communityId: UUID
    public var compounds: Set<UUID>
    public var seatedCompanies: Set<UUID>
    public var published: Bool
    /// The caller owns or lives in a room of one of its compounds.
    public var holderOfCompound: Bool

    public init(districtId: UUID, streetId: UUID, communityId: UUID, compounds: Set<UUID>, seatedCompanies: Set<UUID>, published: Bool, holderOfCompound: Bool) {
        self.districtId = districtId; self.streetId = streetId; self.communityId = communityId; self.compounds = compounds
        self.seatedCompanies = seatedCompanies; self.published = published; self.holderOfCompound = holderOfCompound
    }
}

/// How a caller stands towards a consultation.
public struct ConsultationStanding: Sendable, Equatable {
    public var runs = false
    /// Reads everything: seats with names, minutes.
    public var seesAll = false
    /// Reads the published summary (no personal data).
    public var seesSummary = false

    public init(runs: Bool = false, seesAll: Bool = false, seesSummary: Bool = false) {
        self.runs = runs; self.seesAll = seesAll; self.seesSummary = seesSummary
    }
}
