import Foundation

/// Where a decision is in its life.
public enum DecisionStatus: String, RegistryCode, Codable {
    case draft, open, closed, published

    /// draft → open → closed → published, and nothing else.
    public func canMove(to next: DecisionStatus) -> Bool {
        switch (self, next) {
        case (.draft, .open), (.open, .closed), (.closed, .published): true
        default: false
        }
    }
}

/// When ballots are taken and how a decision may be closed.
public enum VotingWindow {
    /// Ballots are taken while the decision is open and the clock is inside [opensAt, closesAt).
    public static func accepts(_ status: DecisionStatus, now: Date, opensAt: Date, closesAt: Date) -> Bool {
        status == .open && now >= opensAt && now < closesAt
    }

    /// Closing before the window ends is the organiser's call and needs a stated reason.
    public static func closingNeedsReason(now: Date, closesAt: Date) -> Bool { now < closesAt }

    /// An open decision whose window has ended is closed by the clock.
    public static func hasEnded(_ status: DecisionStatus, now: Date, closesAt: Date) -> Bool { status == .open && now >= closesAt }
}

/// How a ballot reached the count.
public enum BallotChannel: String, RegistryCode, Codable {
    /// Cast by the owner online.
    case online
    /// Recorded by committee staff from a paper ballot (with its number).
    case paper
}

/// One ballot as it is chained: every field that matters, and the hash of the ballot before it.
public struct BallotLink: Sendable, Hashable {
    public var sequence: Int
    public var decisionId: UUID
    public var voterKey: UUID
    public var ownerId: UUID
    /// `yes`, `no` or `abstain`; for elections `candidate=choice` pairs joined by `;` in list order.
    public var choice: String
    public var channel: BallotChannel
    public var paperNumber: String?
    /// UTC, ISO 8601.
    public var castAt: String
    public var previousHash: String

    public init(sequence: Int, decisionId: UUID, voterKey: UUID, ownerId: UUID, choice: String, channel: BallotChannel,
                paperNumber: String?, castAt: String, previousHash: String) {
        self.sequence = sequence; self.decisionId = decisionId; self.voterKey = voterKey; self.ownerId = ownerId
        self.choice = choice; self.channel = channel; self.paperNumber = paperNumber; self.castAt = castAt; self.previousHash = previousHash
    }

    /// The text that is hashed: fixed field order, lower-case ids, `|` separated.
    public var canonical: String {
        [String(sequence), decisionId.uuidString.lowercased(), voterKey.uuidString.lowercased(), ownerId.uuidString.lowercased(),
         choice, channel.rawValue, paperNumber ?? "", castAt, previousHash].joined(separator: "|")
    }

    public var hash: String { Checksum.sha256Hex(canonical) }

    /// The receipt a voter keeps: the first 16 hex digits of the ballot's hash, in groups of four.
    public static func receipt(forHash hash: String) -> String {
        let head = Array(hash.prefix(16))
        return stride(from: 0, to: head.count, by: 4).map { String(head[$0..<min($0 + 4, head.count)]) }.joined(separator: "-")
    }
}

/// The tamper-evident chain of a decision's ballots.
public enum BallotChain {
    /// The `previousHash` of the first ballot.
    public static let genesis = String(repeating: "0", count: 64)

    /// Recomputes the chain; returns the sequence number of the first ballot whose stored hash or
    /// link does not match, or nil when the whole chain holds.
    public static func firstBroken(_ ballots: [(link: BallotLink, storedHash: String)]) -> Int? {
        var previous = genesis
        for (index, b) in ballots.enumerated() {
            if b.link.sequence != index + 1 || b.link.previousHash != previous || b.link.hash != b.storedHash { return b.link.sequence }
            previous = b.storedHash
        }
        return nil
    }

    /// The canonical choice text of an election ballot.
    public static func electionChoice(_ choices: [String: Choice], candidates: [String]) -> String {
        candidates.map { "\($0)=\((choices[$0] ?? .abstain).rawValue)" }.joined(separator: ";")
    }

    /// Reads an election ballot's choice text back.
    public static func parseElectionChoice(_ text: String) -> [String: Choice] {
        var out: [String: Choice] = [:]
        for pair in text.split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, let c = Choice(rawValue: String(kv[1])) { out[String(kv[0])] = c }
        }
        return out
    }
}
