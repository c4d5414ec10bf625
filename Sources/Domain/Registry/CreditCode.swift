/// The 18-character unified social credit code (统一社会信用代码) of GB 32100-2015.
public enum CreditCode {
    /// The 31 characters the standard uses (no I, O, S, V, Z).
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Why a code was refused.
    public enum Problem: Error, Equatable, Sendable { case length, character, divisionCode, checkCharacter }

    /// The check character for the first 17 characters, or nil if one is outside the alphabet.
    public static func checkCharacter(for body: String) -> Character? {
        let chars = Array(body)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (i, ch) in chars.enumerated() {
            guard let v = alphabet.firstIndex(of: ch) else { return nil }
            sum += v * weights[i]
        }
        let c = (31 - sum % 31) % 31
        return alphabet[c]
    }

    /// Validates length, alphabet, the six-digit division code and the check character.
    public static func validate(_ code: String) throws(Problem) {
        let chars = Array(code)
        guard chars.count == 18 else { throw .length }
        guard chars.allSatisfy({ alphabet.contains($0) }) else { throw .character }
        guard chars[2..<8].allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .divisionCode }
        guard checkCharacter(for: String(chars[0..<17])) == chars[17] else { throw .checkCharacter }
    }
}
