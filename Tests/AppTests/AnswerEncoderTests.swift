@testable import App
import Foundation
import Testing

/// `AnswerEncoder` writes the same bytes as Foundation's `JSONEncoder` with sorted keys and
/// unescaped slashes, which it replaced for speed.
@Suite struct AnswerEncoderTests {
    static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Two values encode to the same text (for types without `Equatable`).
    static func same<T: Encodable>(_ a: T, _ b: T) -> Bool {
        guard let x = try? foundation(a), let y = try? foundation(b) else { return false }
        return x == y
    }

    static func ours<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try AnswerEncoder.encode(value), as: UTF8.self)
    }

    struct Inner: Encodable {
        let when: Date
        let blob: Data
        let link: URL
        let amount: Decimal
        let tiny: Float
    }

    enum Kind: String, Encodable { case first, second }

    struct Sample: Encodable {
        let id: UUID
        let name: String
        let nothing: String?
        let count: Int64
        let ratio: Double
        let flags: [Bool]
        let kind: Kind
        let inner: Inner
        let nested: [[Int]]
        let map: [String: String]
        let optionalInner: Inner?

        enum CodingKeys: String, CodingKey {
            case id, name, nothing, count, ratio, flags, kind, inner, nested, map, optionalInner
            case zeta = "Zeta", item10 = "item10", item9 = "item9", item09 = "item009", upper = "ABC", lower = "abd", under = "a_b", dash = "a-b"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(nothing, forKey: .nothing)
            try c.encode(count, forKey: .count)
            try c.encode(ratio, forKey: .ratio)
            try c.encode(flags, forKey: .flags)
            try c.encode(kind, forKey: .kind)
            try c.encode(inner, forKey: .inner)
            try c.encode(nested, forKey: .nested)
            try c.encode(map, forKey: .map)
            try c.encodeIfPresent(optionalInner, forKey: .optionalInner)
            for key in [CodingKeys.zeta, .item10, .item9, .item09, .upper, .lower, .under, .dash] { try c.encode(key.rawValue, forKey: key) }
            // a key written twice keeps its last value
            try c.encode("again", forKey: .name)
        }
    }

    @Test func sameBytesAsFoundation() throws {
        let inner = Inner(when: Date(timeIntervalSince1970: 1_796_004_000.125), blob: Data([0, 1, 2, 250, 255]), link: URL(string: "https://example.org/a/b?c=d")!,
                          amount: Decimal(string: "12345.678")!, tiny: 0.1)
        let text = "引号\" 反斜杠\\ 斜杠/ 换行\n 回车\r 制表\t 退格\u{08} 换页\u{0C} 控制\u{01}\u{1F} 表情😀 \u{7F}"
        let sample = Sample(id: UUID(uuidString: "3F2A0000-1111-2222-3333-444455556666")!, name: text, nothing: nil, count: -9_223_372_036_854_775_807,
                            ratio: 2.5, flags: [true, false], kind: .second, inner: inner, nested: [[1, 2], []],
                            map: ["b": "2", "a10": "x", "a9": "y", "A": "z", "中文": "键", "": "empty"], optionalInner: nil)
        let (ours, theirs) = (try Self.ours(sample), try Self.foundation(sample))
        #expect(ours == theirs)
        for d in [0.0, 1.0, -1.0, 0.1, 1e20, 1e-7, 123456789.125, Double.greatestFiniteMagnitude, 5e-324] {
            #expect(try Self.ours([d]) == Self.foundation([d]), "double \(d)")
        }
        let json: JSONValue = .object(["b": .array([.int(1), .double(1.5), .null, .bool(true)]), "a": .object(["z": .string("/"), "Y": .int(-3)])])
        #expect(try Self.ours(json) == Self.foundation(json))
        #expect(String(decoding: json.encoded(), as: UTF8.self) == (try Self.foundation(json)))
    }

    @Test func keyOrder() throws {
        let keys = ["respondedAt", "respondBy", "item10", "item9", "item009", "ABC", "abd", "a_b", "a-b", "Zeta", "id", "ID", "x2y10", "x2y9", "中文", "é", ""]
        let map = Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) })
        #expect(try Self.ours(map) == Self.foundation(map))
        // remembered orders answer the same as fresh ones
        #expect(try Self.ours(map) == Self.foundation(map))
        #expect(JSONKeyOrder.order(["b", "a", "b", "c"]) == [1, 2, 3])
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try AnswerEncoder.encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try AnswerEncoder.encode(["x": Double.infinity]) }
    }
}
