import Foundation

/// An answer that writes its own JSON: the same bytes `AnswerEncoder` would make of its
/// `Encodable` conformance (keys in sorted order, `null` for missing values), without building a
/// tree of nodes first. Only for answers read in bulk (a page of 50 requests), where encoding was a
/// fifth of the call; each conformance is held to the generic encoding by a test.
protocol JSONWritable {
    func writeJSON(to w: inout JSONWriter) throws
}

/// Writes JSON text into one byte array. The caller writes an object's keys in sorted order
/// (UTF-8 byte order, as `JSONEncoder`'s `.sortedKeys`); commas are placed here.
struct JSONWriter {
    var out: [UInt8] = []
    /// Whether the next key or array item needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 1024) { out.reserveCapacity(capacity) }

    mutating func beginObject() { out.append(UInt8(ascii: "{")); needsComma = false }
    mutating func endObject() { out.append(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { out.append(UInt8(ascii: "[")); needsComma = false }
    mutating func endArray() { out.append(UInt8(ascii: "]")); needsComma = true }

    /// The next key of the object being written (a plain ASCII key: written as is).
    mutating func key(_ key: StaticString) {
        if needsComma { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
        needsComma = true
    }

    /// Before each item of the array being written.
    mutating func item() {
        if needsComma { out.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    mutating func null() { out.append(contentsOf: "null".utf8) }
    mutating func bool(_ b: Bool) { out.append(contentsOf: (b ? "true" : "false").utf8) }
    mutating func int(_ i: Int64) { out.append(contentsOf: String(i).utf8) }
    mutating func double(_ d: Double) throws { out.append(contentsOf: try JSONNode.numberText(d).utf8) }
    mutating func string(_ s: String) { JSONNode.write(string: s, to: &out) }
    mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    mutating func double(_ d: Double?) throws { if let d { try double(d) } else { null() } }

    /// Any other value, through the generic encoding.
    mutating func value<T: Encodable>(_ value: T) throws {
        let saved = needsComma
        out.append(contentsOf: try AnswerEncoder.bytes(value))
        needsComma = saved
    }

    mutating func field(_ key: StaticString, _ s: String) { self.key(key); string(s) }
    mutating func field(_ key: StaticString, _ s: String?) { self.key(key); string(s) }
}

extension Page: JSONWritable where Item: JSONWritable {
    func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.key("items")
        w.beginArray()
        for item in items {
            w.item()
            try item.writeJSON(to: &w)
        }
        w.endArray()
        w.field("next", next)
        w.endObject()
    }
}
