import Domain
import Testing

@Suite("Unified social credit code (GB 32100)")
struct CreditCodeTests {
    @Test("published examples validate", arguments: ["91350100M000100Y43", "91110000600037341L"])
    func validExamples(code: String) throws {
        try CreditCode.validate(code)
    }

    @Test("a changed check character or body is caught")
    func wrong() {
        #expect(throws: CreditCode.Problem.checkCharacter) { try CreditCode.validate("91350100M000100Y44") }
        #expect(throws: CreditCode.Problem.checkCharacter) { try CreditCode.validate("91350100M000200Y43") }
        #expect(throws: CreditCode.Problem.length) { try CreditCode.validate("91350100M000100Y4") }
        #expect(throws: CreditCode.Problem.character) { try CreditCode.validate("91350100M000100I43") }
        #expect(throws: CreditCode.Problem.divisionCode) { try CreditCode.validate("91A50100M000100Y43") }
    }

    @Test("the check character is computed from the 17-character body")
    func computes() {
        #expect(CreditCode.checkCharacter(for: "91350100M000100Y4") == "3")
        #expect(CreditCode.checkCharacter(for: "91350100M000100I4") == nil)
    }
}
