import Foundation

/// Counts of one kind (persons, or area in hundredths of m²).
public struct Counts: Sendable, Hashable, Codable {
    public var total: Int64 = 0
    public var participating: Int64 = 0
    public var yes: Int64 = 0
    public var no: Int64 = 0
    public var abstain: Int64 = 0

    public init(total: Int64 = 0, participating: Int64 = 0, yes: Int64 = 0, no: Int64 = 0, abstain: Int64 = 0) {
        self.total = total; self.participating = participating; self.yes = yes; self.no = no; self.abstain = abstain
    }

    mutating func add(_ choice: Choice, _ amount: Int64) {
        participating += amount
        switch choice {
        case .yes: yes += amount
        case .no: no += amount
        case .abstain: abstain += amount
        }
    }
}

/// The result of a decision, counted by head and by area as art. 278 requires.
public struct TallyResult: Sendable, Hashable {
    public var matter: Matter
    public var rule: ApprovalRule
    public var persons: Counts
    public var area: Counts
    /// Participants hold at least 2/3 of the area AND are at least 2/3 of the owners.
    public var quorumMet: Bool
    /// The participants approved under the rule (meaningless without a quorum).
    public var approved: Bool
    public var passed: Bool { quorumMet && approved }
}

/// One candidate's result in an election (elect_committee).
public struct CandidateResult: Sendable, Hashable {
    public var candidate: String
    public var persons: Counts
    public var area: Counts
    public var approved: Bool
    public var elected: Bool
}

/// The Civil Code art. 278 tally: exact, integers only, ratios by cross-multiplication.
public enum Tally {
    /// Quorum: participating area ≥ 2/3 of the total AND participating owners ≥ 2/3 of all owners.
    public static func quorum(persons: Counts, area: Counts) -> Bool {
        Ratio(area.participating, area.total).isAtLeast(Ratio(2, 3))
            && Ratio(persons.participating, persons.total).isAtLeast(Ratio(2, 3))
    }

    /// Counts ballots (`choices[voter.key]`) against the roll. Abstentions participate.
    public static func count(_ matter: Matter, roll: [Voter], choices: [UUID: Choice]) -> TallyResult {
        var persons = Counts(total: Int64(roll.count))
        var area = Counts(total: roll.reduce(0) { $0 + $1.area.hundredths })
        for voter in roll {
            guard let choice = choices[voter.key] else { continue }
            persons.add(choice, 1)
            area.add(choice, voter.area.hundredths)
        }
        let rule = matter.rule
        let approved = rule.approves(yes: persons.yes, of: persons.participating) && rule.approves(yes: area.yes, of: area.participating)
        return TallyResult(matter: matter, rule: rule, persons: persons, area: area, quorumMet: quorum(persons: persons, area: area), approved: approved)
    }

    /// An election: each candidate is approved or not under the matter's rule among those who took
    /// part in the decision; when more are approved than there are seats, the most approvals by
    /// persons, then by area, then the order of the candidate list take the seats.
    public static func election(roll: [Voter], candidates: [String], seats: Int,
                                choices: [UUID: [String: Choice]]) -> (overall: TallyResult, candidates: [CandidateResult]) {
        var participation: [UUID: Choice] = [:]
        for (key, perCandidate) in choices where !perCandidate.isEmpty { participation[key] = .abstain }
        let overall = count(.electCommittee, roll: roll, choices: participation)
        var results: [CandidateResult] = candidates.map { name in
            var persons = Counts(total: Int64(roll.count))
            var area = Counts(total: overall.area.total)
            for voter in roll {
                guard let perCandidate = choices[voter.key] else { continue }
                let choice = perCandidate[name] ?? .abstain
                persons.add(choice, 1)
                area.add(choice, voter.area.hundredths)
            }
            let approved = overall.quorumMet && Matter.electCommittee.rule.approves(yes: persons.yes, of: persons.participating)
                && Matter.electCommittee.rule.approves(yes: area.yes, of: area.participating)
            return CandidateResult(candidate: name, persons: persons, area: area, approved: approved, elected: false)
        }
        let ranked = results.indices.filter { results[$0].approved }.sorted { a, b in
            let x = results[a], y = results[b]
            if x.persons.yes != y.persons.yes { return x.persons.yes > y.persons.yes }
            if x.area.yes != y.area.yes { return x.area.yes > y.area.yes }
            return a < b
        }
        for i in ranked.prefix(max(0, seats)) { results[i].elected = true }
        return (TallyResult(matter: .electCommittee, rule: overall.rule, persons: overall.persons, area: overall.area,
                            quorumMet: overall.quorumMet, approved: results.contains(where: \.elected)), results)
    }
}
