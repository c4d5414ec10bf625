import Foundation
import Hummingbird

/// The page language: Simplified Chinese first, English on request.
enum Language: String, Sendable, CaseIterable {
    case zhHans = "zh-Hans"
    case en

    /// From the `lang` cookie; Chinese when absent or unknown.
    static func of(_ request: Request) -> Language {
        request.cookies["lang"].flatMap { Language(rawValue: $0.value) } ?? .zhHans
    }

    var htmlLang: String { self == .zhHans ? "zh-CN" : "en" }
}

/// Looks up strings in the one localisation table.
struct Localizer: Sendable {
    let language: Language

    /// The string for `key`; a missing key shows itself so that it is noticed, never crashes.
    func callAsFunction(_ key: String) -> String {
        guard let pair = L10n.table[key] else { return key }
        return language == .zhHans ? pair.zh : pair.en
    }

    /// A string with `{0}`, `{1}` … replaced.
    func callAsFunction(_ key: String, _ args: CustomStringConvertible...) -> String {
        var s = self(key)
        for (i, a) in args.enumerated() { s = s.replacingOccurrences(of: "{\(i)}", with: a.description) }
        return s
    }
}
