import Domain
import Testing

@Suite("Text the platform stores")
struct TextRulesTests {
    @Test("control characters are refused except tab and line breaks")
    func controls() {
        #expect(TextRules.hasControlCharacter("before\u{0}after"))
        #expect(TextRules.hasControlCharacter("bell\u{7}"))
        #expect(TextRules.hasControlCharacter("del\u{7F}"))
        #expect(TextRules.hasControlCharacter("c1\u{85}"))
        #expect(!TextRules.hasControlCharacter("一行\n二行\r\n\t缩进"))
        #expect(!TextRules.hasControlCharacter("朝阳区 大屯街道 3号楼"))
    }

    @Test("file names: no path parts, controls or bidi overrides")
    func fileNames() {
        #expect(TextRules.isSafeFileName("会议纪要.pdf"))
        #expect(!TextRules.isSafeFileName("../etc/passwd"))
        #expect(!TextRules.isSafeFileName("a/b.pdf"))
        #expect(!TextRules.isSafeFileName("evil\u{202E}fdp.exe"))
        #expect(!TextRules.isSafeFileName("x\u{2066}.pdf"))
        #expect(!TextRules.isSafeFileName("nul\u{0}.pdf"))
        #expect(!TextRules.isSafeFileName(""))
    }
}
