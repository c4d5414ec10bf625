import Domain
import Foundation
import Testing

@Suite("Ballot chain")
struct BallotChainTests {
    @Test("SHA-256 of known vectors")
    func vectors() {
        #expect(Checksum.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Checksum.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Checksum.sha256Hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("a chain verifies; changing one ballot breaks it from there")
    func chain() {
        let decision = UUID()
        var previous = BallotChain.genesis
        var ballots: [(link: BallotLink, storedHash: String)] = []
        for i in 1...5 {
            let link = BallotLink(sequence: i, decisionId: decision, voterKey: UUID(), ownerId: UUID(), choice: i % 2 == 0 ? "no" : "yes",
                                  channel: .online, paperNumber: nil, castAt: "2026-11-30T02:0\(i):00Z", previousHash: previous)
            ballots.append((link, link.hash))
            previous = link.hash
        }
        #expect(BallotChain.firstBroken(ballots) == nil)
        var tampered = ballots
        tampered[2].link.choice = "no"
        #expect(BallotChain.firstBroken(tampered) == 3)
        var removed = ballots
        removed.remove(at: 1)
        #expect(BallotChain.firstBroken(removed) == 3)
        #expect(BallotLink.receipt(forHash: ballots[0].storedHash).count == 19)
    }

    @Test("election choices round-trip in candidate order")
    func electionText() {
        let text = BallotChain.electionChoice(["乙": .no, "甲": .yes], candidates: ["甲", "乙", "丙"])
        #expect(text == "甲=yes;乙=no;丙=abstain")
        #expect(BallotChain.parseElectionChoice(text) == ["甲": .yes, "乙": .no, "丙": .abstain])
    }

    @Test("the voting window is half-open and closing early needs a reason")
    func window() {
        let opens = Date(timeIntervalSince1970: 1_000), closes = Date(timeIntervalSince1970: 2_000)
        #expect(VotingWindow.accepts(.open, now: opens, opensAt: opens, closesAt: closes))
        #expect(!VotingWindow.accepts(.open, now: closes, opensAt: opens, closesAt: closes))
        #expect(!VotingWindow.accepts(.draft, now: Date(timeIntervalSince1970: 1_500), opensAt: opens, closesAt: closes))
        #expect(VotingWindow.closingNeedsReason(now: Date(timeIntervalSince1970: 1_999), closesAt: closes))
        #expect(!VotingWindow.closingNeedsReason(now: closes, closesAt: closes))
        #expect(VotingWindow.hasEnded(.open, now: closes, closesAt: closes))
    }

    @Test("decisions move draft → open → closed → published only")
    func lifecycle() {
        #expect(DecisionStatus.draft.canMove(to: .open))
        #expect(!DecisionStatus.draft.canMove(to: .closed))
        #expect(!DecisionStatus.closed.canMove(to: .open))
        #expect(DecisionStatus.closed.canMove(to: .published))
    }
}
