import Domain
import Foundation
import Testing

@Suite("Self-registration")
struct RegistrationTests {
    @Test("certificate numbers compare whatever the brackets, spaces and width")
    func normalize() {
        let a = Registration.normalizedCertificate("京(2019)朝阳区不动产权第0012345号")
        #expect(Registration.normalizedCertificate("京（2019）朝阳区不动产权第 0012345 号") == a)
        #expect(Registration.normalizedCertificate("京(２０１９)朝阳区不动产权第0012345号") == a)
        #expect(a == "京2019朝阳区不动产权第0012345号")
        #expect(Registration.normalizedCertificate("x1234567") == "X1234567")
        #expect(Registration.plausibleCertificate(a) && !Registration.plausibleCertificate("abc") && !Registration.plausibleCertificate("京朝阳区不动产权"))
    }

    @Test("co-owners share a certificate: the name picks exactly one, else the community reviews")
    func match() {
        let zhang = UUID(), li = UUID()
        #expect(Registration.match(name: "张 三", owners: [(zhang, "张三"), (li, "李四")]) == .owner(zhang))
        #expect(Registration.match(name: "王五", owners: [(zhang, "张三")]) == .review)
        #expect(Registration.match(name: "张三", owners: []) == .review)
        #expect(Registration.match(name: "张三", owners: [(zhang, "张三"), (li, "张三")]) == .review)
    }

    @Test("phones and codes")
    func codes() {
        #expect(Registration.validPhone("13912345678") && !Registration.validPhone("12912345678") && !Registration.validPhone("1391234567"))
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(Registration.codeUsable(expiresAt: now.addingTimeInterval(60), attempts: 0, usedAt: nil, now: now))
        #expect(!Registration.codeUsable(expiresAt: now, attempts: 0, usedAt: nil, now: now))
        #expect(!Registration.codeUsable(expiresAt: now.addingTimeInterval(60), attempts: 5, usedAt: nil, now: now))
        #expect(!Registration.codeUsable(expiresAt: now.addingTimeInterval(60), attempts: 0, usedAt: now, now: now))
    }
}
