import Foundation

/// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends, an optional UTF-8 BOM.
public enum CSV {
    /// Why a file could not be read as CSV at all.
    public struct SyntaxError: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    /// Splits `text` into records of fields; each record carries the line it started on.
    public static func parse(_ text: String) throws(SyntaxError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        var fieldStarted = false
        func endRecord() {
            fields.append(field)
            fields = fields.map(unguarded)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []; field = ""; fieldStarted = false
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"":
                    guard !fieldStarted else { throw SyntaxError(line: line, message: "quote inside an unquoted field") }
                    inQuotes = true; fieldStarted = true
                case ",":
                    fields.append(field); field = ""; fieldStarted = false
                case "\r":
                    break
                case "\n":
                    endRecord(); line += 1; recordLine = line
                default:
                    field.unicodeScalars.append(c); fieldStarted = true
                }
            }
            i += 1
        }
        if inQuotes { throw SyntaxError(line: recordLine, message: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// One record as a CSV line (quoted where needed), without the line end. A text cell that
    /// starts with = + - @, a tab or a carriage return would run as a formula in a spreadsheet, so
    /// it is written with a leading apostrophe (numbers such as -12.50 stay as they are); `parse`
    /// takes that apostrophe off again.
    public static func line(_ fields: [String]) -> String {
        fields.map { raw in
            let f = guarded(raw)
            return f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",")
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as a spreadsheet will read it as text.
    public static func guarded(_ field: String) -> String {
        guard let first = field.first, formulaStarts.contains(first), !isNumber(field) else { return field }
        return "'" + field
    }

    /// `-12.50`, `+3`: a signed decimal, which a spreadsheet reads as a number, not a formula.
    static func isNumber(_ field: String) -> Bool {
        let body = field.drop { $0 == "-" || $0 == "+" }
        guard field.count - body.count == 1, !body.isEmpty, body.filter({ $0 == "." }).count <= 1 else { return false }
        return body.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." } && body.first != "." && body.last != "."
    }

    /// The cell as it was before `guarded`.
    public static func unguarded(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.dropFirst().first, formulaStarts.contains(second) else { return field }
        return String(field.dropFirst())
    }
}
