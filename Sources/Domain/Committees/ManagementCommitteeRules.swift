import Foundation

/// A seat on a 物管会 (物业管理委员会), formed by the street where no owners' assembly or owners'
/// committee exists (Beijing regs 2020, arts. 29–30).
public enum ManagementSeat: String, RegistryCode, Codable {
    /// The residents' committee's representative, who chairs it.
    case chair
    /// An owner representative designated as vice-chair.
    case viceChair = "vice_chair"
    /// An owner representative.
    case ownerRepresentative = "owner_representative"
    /// Others: the community's party organisation, the police station, the company's staff …
    case other
}

/// A 物管会's standing duties, kept as dated, attributable work lists (光辉里's practice).
public enum ManagementDuty: String, RegistryCode, Codable {
    /// Collecting residents' opinions on the company.
    case opinions
    /// Inspecting the company's service.
    case inspection
    /// Reporting to the community party committee and the residents' committee.
    case report
    /// Mobilising residents.
    case mobilisation
    /// Guiding payment of property fees.
    case feeGuidance = "fee_guidance"
}

/// The 物管会's rules: its make-up, when a meeting must be called, quorum, decisions and posting.
public enum ManagementCommitteeRules {
    /// Owner representatives sit as vice-chair or owner representative.
    public static func isOwnerRepresentative(_ seat: ManagementSeat) -> Bool { seat == .viceChair || seat == .ownerRepresentative }

    /// Problems with a make-up: one chair (the residents' committee's representative), one
    /// vice-chair, and owner representatives (the vice-chair among them) more than half of all.
    public static func compositionErrors(_ seats: [ManagementSeat]) -> [(field: String, code: String, message: String)] {
        var out: [(String, String, String)] = []
        if seats.filter({ $0 == .chair }).count != 1 { out.append(("members", "one_chair", "one chair, the residents' committee's representative")) }
        if seats.filter({ $0 == .viceChair }).count != 1 { out.append(("members", "one_vice_chair", "one vice-chair, an owner representative")) }
        let owners = Int64(seats.filter(isOwnerRepresentative).count)
        if !Ratio(owners, Int64(seats.count)).isMoreThan(Ratio(1, 2)) { out.append(("members", "owners_share", "owner representatives are more than half of the members")) }
        return out
    }

    /// The chair must call a meeting when at least a third of the members ask.
    public static func mustCall(requests: Int, members: Int) -> Bool { members > 0 && Ratio(Int64(requests), Int64(members)).isAtLeast(Ratio(1, 3)) }

    /// A meeting is quorate only with more than half of all members present AND more than half of
    /// the owner representatives present in person (no proxies for owner representatives).
    public static func isQuorate(present: Int, members: Int, ownerRepsPresent: Int, ownerReps: Int) -> Bool {
        Ratio(Int64(present), Int64(members)).isMoreThan(Ratio(1, 2)) && Ratio(Int64(ownerRepsPresent), Int64(ownerReps)).isMoreThan(Ratio(1, 2))
    }

    /// A decision needs the signatures of more than half of all members.
    public static func decisionPasses(signatures: Int, members: Int) -> Bool { Ratio(Int64(signatures), Int64(members)).isMoreThan(Ratio(1, 2)) }

    /// Minutes and decisions are posted within 3 days of the meeting …
    public static func postingDeadline(heldOn: CivilDate) -> CivilDate { heldOn.adding(days: 3) }

    public static func isPostedLate(heldOn: CivilDate, postedOn: CivilDate) -> Bool { postedOn > postingDeadline(heldOn: heldOn) }
}
