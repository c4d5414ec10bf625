import Domain
import Testing

@Suite("Drafting a decision")
struct DecisionRulesTests {
    @Test("an election needs distinct candidates without separators")
    func candidates() {
        #expect(DecisionRules.validCandidates(["张三", "李四"]))
        #expect(!DecisionRules.validCandidates([]))
        #expect(!DecisionRules.validCandidates(["张三", "张三"]))
        #expect(!DecisionRules.validCandidates(["张三", ""]))
        #expect(!DecisionRules.validCandidates(["a;b"]))
        #expect(!DecisionRules.validCandidates(["a=b"]))
    }

    @Test("seats run from one to the number of candidates")
    func seats() {
        #expect(DecisionRules.validSeats(1, candidates: 3))
        #expect(DecisionRules.validSeats(3, candidates: 3))
        #expect(!DecisionRules.validSeats(4, candidates: 3))
        #expect(!DecisionRules.validSeats(0, candidates: 3))
        #expect(!DecisionRules.validSeats(nil, candidates: 3))
    }
}
