import SQLKit

/// A text search in SQL, the one way: `column LIKE '%…%' ESCAPE '\'`, with `%`, `_` and `\`
/// typed by a person matched as themselves, on SQLite and PostgreSQL alike.
enum SQLSearch {
    /// `%words%` with the wildcards in `words` escaped.
    static func pattern(_ words: String) -> String {
        "%" + words.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// `column LIKE pattern ESCAPE '\'`.
    static func contains(_ column: String, _ words: String) -> SQLQueryString {
        "\(unsafeRaw: column) LIKE \(bind: pattern(words)) ESCAPE '\\'"
    }
}
