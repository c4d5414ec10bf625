@testable import App
import Domain
import Foundation
import Testing

@Suite("Localisation")
struct LocalizationTests {
    /// Every conflict code in the app's sources, as written at `DomainError.conflict(code: "…"`.
    static func conflictCodes() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/App")
        let pattern = try NSRegularExpression(pattern: #"conflict\(code: "([a-z_]+)""#)
        var codes = Set<String>()
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                codes.insert(String(text[Range(m.range(at: 1), in: text)!]))
            }
        }
        return codes
    }

    @Test("every conflict code has a Chinese and an English sentence for the error page")
    func conflictsAreTranslated() throws {
        let codes = try Self.conflictCodes()
        #expect(codes.count > 40)
        let missing = codes.filter { L10n.table["conflict." + $0] == nil }.sorted()
        #expect(missing.isEmpty, "no conflict.<code> entry: \(missing)")
        for code in codes { #expect(L10n.table["conflict." + code].map { !$0.zh.isEmpty && !$0.en.isEmpty } ?? false) }
    }

    @Test("the HTML error page shows the Chinese sentence of a conflict, not the API's English message")
    func errorPageIsChinese() {
        let failure = HTTPFailure(DomainError.conflict(code: "system_notice", message: "a notice the platform posts as the law requires cannot be changed"))!
        let html = ErrorPage.render(failure, lang: .zhHans, requestId: "r1")
        #expect(html.contains("依法由系统发布的公示不能修改或撤下。"))
        #expect(!html.contains("the law requires"))
    }
}
