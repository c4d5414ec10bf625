import Foundation
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

/// `(a, b, c)` of bound ids for `IN`, and `(NULL)` — which matches nothing — for none.
enum SQLIDs {
    static func list(_ ids: some Collection<UUID>) -> SQLQueryString {
        ids.isEmpty ? "(NULL)" : "(" + ids.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
    }

    /// `(?, ?, …)` of texts; `(NULL)` when there are none (matches nothing).
    static func texts(_ values: some Collection<String>) -> SQLQueryString {
        values.isEmpty ? "(NULL)" : "(" + values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
    }
}
