import Foundation

/// What a dispute between neighbours, or with the company, is about (物业纠纷的类型).
public enum DisputeKind: String, RegistryCode, Codable {
    case daylight, noise, leak, fees, parking, renovation, pets
    case sharedParts = "shared_parts"
    case contract, other
}

/// How a dispute came to the branch's list.
public enum DisputeSource: String, RegistryCode, Codable {
    /// A party member collected it among the neighbours (党员收集).
    case partyMember = "party_member"
    /// Turned from a resident's request.
    case request
    /// Raised at a consultation (议事协商).
    case consultation
    /// Found on a walkabout (走访).
    case walkabout
}

/// Who a dispute is between.
public enum DisputePartyKind: String, RegistryCode, Codable {
    case owner, resident, company, committee, other
}

/// Who mediates a session.
public enum MediatorKind: String, RegistryCode, Codable {
    /// The community (社区).
    case community
    /// The property-service alliance's party branch (联盟党支部).
    case alliance
    /// The judge seated in the branch (法官席位制).
    case judge
    /// A people's mediation committee (人民调解委员会).
    case peopleMediation = "people_mediation"
}

/// How a dispute ended.
public enum DisputeOutcome: String, RegistryCode, Codable {
    /// Mediated with an agreement (调解成功).
    case mediated
    /// Referred to court (转诉讼).
    case referred
    case withdrawn
    case unresolved
}

/// Where a dispute stands.
public enum DisputeStatus: String, RegistryCode, Codable {
    /// On the list, no session yet.
    case received
    /// At least one mediation session held.
    case mediating
    case mediated, referred, withdrawn, unresolved

    public var isClosed: Bool { ![.received, .mediating].contains(self) }
    /// The status an outcome closes a dispute with.
    public init(_ outcome: DisputeOutcome) { self = DisputeStatus(rawValue: outcome.rawValue)! }
}

/// What happens to a dispute.
public enum DisputeEventKind: String, RegistryCode, Codable {
    /// A mediation session (调解), with its mediator and notes.
    case session
    /// The settlement plan (化解方案), written or revised.
    case plan
    /// The outcome, which closes it.
    case outcome
    /// A note on progress.
    case note
    /// A company improvement that came out of it (物业整改).
    case improvement
}

/// The rules of the dispute register.
public enum DisputeRules {
    /// The state after `event`, or nil when it may not happen now. A closed dispute takes notes and
    /// improvements only; the first session moves a received dispute into mediation.
    public static func next(_ status: DisputeStatus, _ event: DisputeEventKind, outcome: DisputeOutcome? = nil) -> DisputeStatus? {
        switch (event, status.isClosed) {
        case (.note, _), (.improvement, _): return status
        case (_, true): return nil
        case (.session, false): return .mediating
        case (.plan, false): return status
        case (.outcome, false): return outcome.map(DisputeStatus.init)
        }
    }

    /// A dispute's age in days: from receipt to its outcome, or to today while open.
    public static func ageDays(receivedOn: CivilDate, closedOn: CivilDate?, today: CivilDate) -> Int {
        max(0, (closedOn ?? today).dayNumber - receivedOn.dayNumber)
    }

    /// Who may do what with a dispute. Staff of its community, street and district run it (assign
    /// mediators, record everything); an assigned mediator records sessions, the plan and the
    /// outcome of the disputes they mediate and sees only those; whoever reported it and a company
    /// that is a party to it follow it.
    public static func standing(_ actor: Actor, _ place: DisputePlace) -> DisputeStanding {
        if actor.isSystem { return DisputeStanding(runs: true, mediates: true, sees: true) }
        var s = DisputeStanding(runs: Policy.isStaffOver(actor, district: place.districtId, street: place.streetId, community: place.communityId))
        for g in actor.grants {
            switch g.role {
            case .mediator where actor.id.map(place.mediatorUserIds.contains) == true:
                s.mediates = true
            case .companyStaff where place.companyIds.contains(g.scopeId):
                s.sees = true
            case .committeeMember where g.scopeId == place.compoundId:
                s.sees = true
            default: break
            }
        }
        if let id = actor.id, id == place.reporterUserId { s.sees = true }
        s.mediates = s.mediates || s.runs
        s.sees = s.sees || s.mediates
        return s
    }

    /// Who may put a dispute on the branch's list: community, street and district staff in their
    /// scope, mediators of the street, and anyone flagged a party member who can see the compound.
    public static func mayReport(_ actor: Actor, partyMember: Bool, place: DisputePlace, seesCompound: Bool) -> Bool {
        if actor.isSystem { return true }
        if partyMember && seesCompound { return true }
        return actor.grants.contains { g in
            switch g.role {
            case .districtAdmin: g.scopeId == place.districtId
            case .streetStaff, .mediator: g.scopeId == place.streetId
            case .communityStaff: g.scopeId == place.communityId
            default: false
            }
        }
    }
}

/// Where a dispute sits and who is tied to it, as the access rules see it.
public struct DisputePlace: Sendable {
    public var districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID
    public var mediatorUserIds: Set<UUID>
    public var companyIds: Set<UUID>
    public var reporterUserId: UUID?

    public init(districtId: UUID, streetId: UUID, communityId: UUID, compoundId: UUID, mediatorUserIds: Set<UUID> = [], companyIds: Set<UUID> = [],
                reporterUserId: UUID? = nil) {
        self.districtId = districtId; self.streetId = streetId; self.communityId = communityId; self.compoundId = compoundId
        self.mediatorUserIds = mediatorUserIds; self.companyIds = companyIds; self.reporterUserId = reporterUserId
    }
}

/// How a caller stands towards a dispute.
public struct DisputeStanding: Sendable, Equatable {
    /// Assigns mediators, records anything, links it to a consultation.
    public var runs = false
    /// Records sessions, the plan and the outcome.
    public var mediates = false
    public var sees = false

    public init(runs: Bool = false, mediates: Bool = false, sees: Bool = false) {
        self.runs = runs; self.mediates = mediates; self.sees = sees
    }
}
