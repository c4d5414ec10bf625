import Domain
import Foundation
import Testing

/// A roll of single-room owners with the given areas (hundredths of m²), in the order given.
func roll(_ areas: [Int64]) -> [Voter] {
    let rooms = areas.map { RoomHolding(roomId: UUID(), area: Area(hundredths: $0), ownerIds: [UUID()]) }
    let built = VoterRoll.build(rooms)
    return rooms.map { room in built.first { $0.roomIds == [room.roomId] }! }
}

func votes(_ roll: [Voter], _ choices: [Choice?]) -> [UUID: Choice] {
    var out: [UUID: Choice] = [:]
    for (voter, choice) in zip(roll, choices) { if let choice { out[voter.key] = choice } }
    return out
}

@Suite("Civil Code art. 278 tally")
struct TallyTests {
    @Test("rules by matter: items 6–8 need three quarters")
    func rules() {
        #expect(Matter.allCases.filter { $0.rule == .threeQuarters } == [.raiseMaintenanceFund, .rebuildOrRenovate, .changeCommonUse])
        #expect(Matter.useMaintenanceFund.item == 5)
    }

    @Test("quorum at exactly two thirds by head and by area is met; one hundredth of a m² less is not")
    func quorumBoundary() {
        // 3 owners of 100.00 m² each: 2 participate = exactly 2/3 of persons and of area.
        let r = roll([10_000, 10_000, 10_000])
        let exact = Tally.count(.otherMajor, roll: r, choices: votes(r, [.yes, .yes, nil]))
        #expect(exact.quorumMet)
        #expect(exact.area.participating == 20_000 && exact.area.total == 30_000)
        // Two participants of 100.00 and 99.99 out of 300.00 → 199.99 < 200.00 by area.
        let r2 = roll([10_000, 9_999, 10_001])
        let short = Tally.count(.otherMajor, roll: r2, choices: votes(r2, [.yes, .yes, nil]))
        #expect(short.persons.participating == 2)
        #expect(!short.quorumMet)
        // And one hundredth more reaches it again.
        let r3 = roll([10_000, 10_000, 9_999])
        #expect(Tally.count(.otherMajor, roll: r3, choices: votes(r3, [.yes, .yes, nil])).quorumMet)
    }

    @Test("quorum needs both: enough area but too few heads fails")
    func quorumBoth() {
        // One big owner holds 80% of the area but is 1 of 4 heads.
        let r = roll([40_000, 3_333, 3_333, 3_334])
        let t = Tally.count(.otherMajor, roll: r, choices: votes(r, [.yes, .yes, nil, nil]))
        #expect(Ratio(t.area.participating, t.area.total).isAtLeast(Ratio(2, 3)))
        #expect(!t.quorumMet)
    }

    @Test("majority means more than half: exactly half is not enough, by head or by area")
    func majorityBoundary() {
        let r = roll([10_000, 10_000, 10_000, 10_000])
        let half = Tally.count(.hireOrDismissManager, roll: r, choices: votes(r, [.yes, .yes, .no, .no]))
        #expect(half.quorumMet && !half.passed)
        let more = Tally.count(.hireOrDismissManager, roll: r, choices: votes(r, [.yes, .yes, .yes, .no]))
        #expect(more.passed)
        // Heads 2 of 3 but area exactly half → fails; one hundredth more area → passes.
        let r2 = roll([5_000, 5_000, 10_000])
        #expect(!Tally.count(.useMaintenanceFund, roll: r2, choices: votes(r2, [.yes, .yes, .no])).passed)
        let r3 = roll([5_000, 5_001, 10_000])
        #expect(Tally.count(.useMaintenanceFund, roll: r3, choices: votes(r3, [.yes, .yes, .no])).passed)
    }

    @Test("three quarters means at least: exactly 3/4 passes, one hundredth of a m² less fails")
    func threeQuartersBoundary() {
        let r = roll([10_000, 10_000, 10_000, 10_000])
        #expect(Tally.count(.raiseMaintenanceFund, roll: r, choices: votes(r, [.yes, .yes, .yes, .no])).passed)
        #expect(!Tally.count(.raiseMaintenanceFund, roll: r, choices: votes(r, [.yes, .yes, .no, .no])).passed)
        let r2 = roll([10_000, 10_000, 9_999, 10_001])
        let t = Tally.count(.rebuildOrRenovate, roll: r2, choices: votes(r2, [.yes, .yes, .yes, .no]))
        #expect(t.area.yes == 29_999 && t.area.participating == 40_000)
        #expect(!t.passed)
    }

    @Test("abstentions participate: they count toward quorum and against approval")
    func abstentions() {
        let r = roll([10_000, 10_000, 10_000])
        let t = Tally.count(.otherMajor, roll: r, choices: votes(r, [.yes, .abstain, .abstain]))
        #expect(t.quorumMet)
        #expect(t.persons.abstain == 2 && t.persons.participating == 3)
        #expect(!t.passed)
    }

    @Test("no participants: no quorum, not passed; an empty roll passes nothing")
    func nobody() {
        let r = roll([10_000, 10_000])
        let t = Tally.count(.otherMajor, roll: r, choices: [:])
        #expect(!t.quorumMet && !t.passed)
        let empty = Tally.count(.otherMajor, roll: [], choices: [:])
        #expect(!empty.quorumMet && !empty.passed)
    }
}

@Suite("Voter roll (Beijing regulations art. 20)")
struct VoterRollTests {
    @Test("an owner of several rooms counts once with all their area")
    func multiRoom() {
        let a = UUID(), b = UUID()
        let r = VoterRoll.build([RoomHolding(roomId: UUID(), area: Area(hundredths: 8_950), ownerIds: [a]),
                                 RoomHolding(roomId: UUID(), area: Area(hundredths: 6_000), ownerIds: [a]),
                                 RoomHolding(roomId: UUID(), area: Area(hundredths: 12_000), ownerIds: [b])])
        #expect(r.count == 2)
        #expect(r.first { $0.ownerIds == [a] }?.area == Area(hundredths: 14_950))
        #expect(r.first { $0.ownerIds == [a] }?.roomIds.count == 2)
    }

    @Test("co-owners of one room are one person with that room's area")
    func coOwners() {
        let a = UUID(), b = UUID()
        let r = VoterRoll.build([RoomHolding(roomId: UUID(), area: Area(hundredths: 9_000), ownerIds: [a, b])])
        #expect(r.count == 1)
        #expect(Set(r[0].ownerIds) == [a, b])
        #expect(r[0].area.hundredths == 9_000)
    }

    @Test("all rooms of a developer are one person; rooms linked through a co-owner join")
    func developerAndLinks() {
        let dev = UUID(), a = UUID(), b = UUID()
        let rooms = (0..<5).map { _ in RoomHolding(roomId: UUID(), area: Area(hundredths: 10_000), ownerIds: [dev]) }
            + [RoomHolding(roomId: UUID(), area: Area(hundredths: 7_000), ownerIds: [a, b]),
               RoomHolding(roomId: UUID(), area: Area(hundredths: 3_000), ownerIds: [b]),
               RoomHolding(roomId: UUID(), area: Area(hundredths: 5_000), ownerIds: [])]
        let r = VoterRoll.build(rooms)
        #expect(r.count == 2)
        #expect(r.contains { $0.ownerIds == [dev] && $0.area.hundredths == 50_000 })
        #expect(r.contains { Set($0.ownerIds) == [a, b] && $0.area.hundredths == 10_000 })
    }

    @Test("the roll is the same whatever order the rooms come in")
    func deterministic() {
        let a = UUID()
        var rooms = (0..<20).map { i in RoomHolding(roomId: UUID(), area: Area(hundredths: Int64(5_000 + i)), ownerIds: i % 3 == 0 ? [a] : [UUID()]) }
        let one = VoterRoll.build(rooms)
        rooms.reverse()
        #expect(VoterRoll.build(rooms) == one)
    }
}

@Suite("Elections")
struct ElectionTests {
    @Test("each candidate is approved on its own; the most approvals by head, then area, take the seats")
    func seats() {
        let r = roll([10_000, 10_000, 10_000, 10_000, 20_000])
        var choices: [UUID: [String: Choice]] = [:]
        let ballots: [[String: Choice]] = [
            ["甲": .yes, "乙": .yes, "丙": .yes], ["甲": .yes, "乙": .yes, "丙": .yes], ["甲": .yes, "乙": .yes, "丙": .no],
            ["甲": .no, "乙": .yes, "丙": .yes], ["甲": .yes, "乙": .no, "丙": .yes],
        ]
        for (v, b) in zip(r, ballots) { choices[v.key] = b }
        let result = Tally.election(roll: r, candidates: ["甲", "乙", "丙"], seats: 2, choices: choices)
        #expect(result.overall.quorumMet)
        #expect(result.candidates.allSatisfy { $0.approved })
        // 甲: 4 heads 60.00 m²; 乙: 4 heads 40.00 m²; 丙: 4 heads 60.00 m² → 甲 and 丙 (same, list order).
        #expect(result.candidates.filter { $0.elected }.map { $0.candidate } == ["甲", "丙"])
    }

    @Test("without a quorum nobody is elected")
    func noQuorum() {
        let r = roll([10_000, 10_000, 10_000])
        let result = Tally.election(roll: r, candidates: ["甲"], seats: 1, choices: [r[0].key: ["甲": .yes]])
        #expect(!result.overall.quorumMet)
        #expect(result.candidates.allSatisfy { !$0.elected })
    }
}
