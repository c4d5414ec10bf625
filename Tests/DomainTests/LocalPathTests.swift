import Domain
import Testing

@Suite("Redirects stay on this site")
struct LocalPathTests {
    @Test("paths on this site pass; other hosts and tricks become /")
    func redirects() {
        #expect(LocalPath.safe("/manage/companies?x=1") == "/manage/companies?x=1")
        #expect(LocalPath.safe("/requests/abc#timeline") == "/requests/abc#timeline")
        for bad in ["//evil.example", "/\\evil.example", "/%5Cevil.example", "/%09/evil.example", "/\t/evil.example", "https://evil.example",
                    "evil.example", "/%2F%2Fevil.example", "/a\nb", "", "javascript:alert(1)"] {
            #expect(LocalPath.safe(bad) == "/", "\(bad)")
        }
        #expect(LocalPath.safe(nil) == "/")
    }
}
