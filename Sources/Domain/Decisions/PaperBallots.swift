import Foundation

/// Where a paper ballot (书面表决票) is: issued to one voter when voting opens, recorded from the
/// returned sheet by an organiser, confirmed by a second organiser or the community's witness
/// (监票) — only then counted — or set aside because the owner disputes it.
public enum PaperBallotStatus: String, RegistryCode, Codable {
    case issued, recorded, confirmed, disputed
}

/// The rules that keep anyone from voting in another person's name on paper.
public enum PaperBallotRules {
    /// Eight-digit ballot numbers, distinct, one per voter on the frozen roll.
    public static func numbers(count: Int, using rng: inout some RandomNumberGenerator) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        while out.count < count {
            let n = String(UInt32.random(in: 10_000_000...99_999_999, using: &rng))
            if seen.insert(n).inserted { out.append(n) }
        }
        return out
    }

    /// Why a returned sheet cannot be recorded for `voter`, or nil when it can: the number must be
    /// the one issued to that very voter, and still unused.
    public static func refusal(toRecord number: String, issuedTo: UUID?, status: PaperBallotStatus?, voter: UUID) -> (code: String, message: String)? {
        guard let issuedTo, let status else { return ("unknown_number", "no ballot of this decision has that number") }
        guard issuedTo == voter else { return ("not_this_voters_number", "that ballot number was issued to another voter") }
        guard status == .issued else { return ("number_used", "that ballot number has already been recorded") }
        return nil
    }

    /// A recorded sheet counts once someone other than the recorder confirms it: another
    /// organiser, or the community's staff as witness.
    public static func mayConfirm(recordedBy: UUID?, confirmer: UUID?, confirmerIsOrganiser: Bool, confirmerIsWitness: Bool) -> Bool {
        guard let confirmer, confirmer != recordedBy else { return false }
        return confirmerIsOrganiser || confirmerIsWitness
    }

    /// The owner may dispute a paper ballot recorded in their name while voting is open.
    public static func mayDispute(_ status: PaperBallotStatus, votingOpen: Bool) -> Bool {
        votingOpen && (status == .recorded || status == .confirmed)
    }

    /// Integration keys act for systems, never for a person: no key carries a person's role.
    public static func keyMayCarry(_ role: Role) -> Bool {
        ![.owner, .resident, .committeeMember].contains(role)
    }
}
