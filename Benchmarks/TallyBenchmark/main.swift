import Domain
import Foundation

// Tallying a decision of a 20,000-owner compound: building the frozen roll (with multi-room
// owners, co-owners and a developer), counting by head and by area, an election with five
// candidates, and recomputing the SHA-256 ballot chain. Run: swift run -c release gongzhi-bench

func measure(_ label: String, repeats: Int = 5, _ body: () -> Void) {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        best = min(best, Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
    print(String(format: "%-58@ %9.2f ms (best of %d)", label as NSString, best, repeats))
}

var rng = SeededRandom(seed: 278)
var rooms: [RoomHolding] = []
let developer = rng.uuid()
var lastOwner = rng.uuid()
while rooms.count < 22_000 {
    let room = rng.uuid()
    let area = Area(hundredths: Int64(rng.int(3_500...18_000)))
    if rng.chance(4) { rooms.append(RoomHolding(roomId: room, area: area, ownerIds: [developer])); continue }
    if rng.chance(8) { rooms.append(RoomHolding(roomId: room, area: area, ownerIds: [lastOwner])); continue }
    lastOwner = rng.uuid()
    rooms.append(RoomHolding(roomId: room, area: area, ownerIds: rng.chance(8) ? [lastOwner, rng.uuid()] : [lastOwner]))
}

var roll: [Voter] = []
measure("voter roll of \(rooms.count) rooms") { roll = VoterRoll.build(rooms) }
print("  persons on the roll: \(roll.count)")

var choices: [UUID: Choice] = [:]
for v in roll where rng.chance(85) { choices[v.key] = rng.chance(70) ? .yes : (rng.chance(50) ? .no : .abstain) }
var result: TallyResult?
measure("art. 278 tally, \(choices.count) ballots") { result = Tally.count(.useMaintenanceFund, roll: roll, choices: choices) }
print("  quorum \(result!.quorumMet), passed \(result!.passed), yes \(result!.persons.yes) persons / \(result!.area.yes) hundredths m²")

let candidates = ["甲", "乙", "丙", "丁", "戊"]
var electionChoices: [UUID: [String: Choice]] = [:]
for v in roll where rng.chance(80) { electionChoices[v.key] = Dictionary(uniqueKeysWithValues: candidates.map { ($0, rng.chance(60) ? Choice.yes : .no) }) }
measure("election, 5 candidates, \(electionChoices.count) ballots") { _ = Tally.election(roll: roll, candidates: candidates, seats: 3, choices: electionChoices) }

let decision = rng.uuid()
var chain: [(link: BallotLink, storedHash: String)] = []
var previous = BallotChain.genesis
measure("hash chain of \(choices.count) ballots (build)", repeats: 1) {
    chain = []
    previous = BallotChain.genesis
    for (i, (key, choice)) in choices.enumerated() {
        let link = BallotLink(sequence: i + 1, decisionId: decision, voterKey: key, ownerId: key, choice: choice.rawValue, channel: .online,
                              paperNumber: nil, castAt: "2026-11-30T02:00:00Z", previousHash: previous)
        let hash = link.hash
        chain.append((link, hash))
        previous = hash
    }
}
measure("hash chain of \(chain.count) ballots (verify)", repeats: 3) { precondition(BallotChain.firstBroken(chain) == nil) }
