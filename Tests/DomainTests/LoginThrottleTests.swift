import Domain
import Testing

@Suite("Login throttling, form tokens and origins")
struct LoginThrottleTests {
    @Test("an account waits after five failures, doubling up to fifteen minutes and never longer")
    func delays() {
        #expect((1...5).map { LoginThrottle.delay(afterFailures: $0, .account) } == [0, 0, 0, 0, 1])
        #expect((6...10).map { LoginThrottle.delay(afterFailures: $0, .account) } == [2, 4, 8, 16, 32])
        #expect(LoginThrottle.delay(afterFailures: 14, .account) == 512)
        #expect(LoginThrottle.delay(afterFailures: 15, .account) == 900)
        #expect(LoginThrottle.delay(afterFailures: 10_000, .account) == 900)
        #expect(LoginThrottle.steps(.account) == 5...15)
        // an address behind which a building or an office may sit allows thirty
        #expect(LoginThrottle.delay(afterFailures: 29, .address) == 0)
        #expect(LoginThrottle.delay(afterFailures: 30, .address) == 1)
    }

    @Test("a known browser draws only on its own bucket; any other on the account's and the address's")
    func buckets() {
        #expect(LoginThrottle.buckets(username: "YeZhu01", address: "10.0.0.1", knownDevice: nil).map(\.key) == ["account:yezhu01", "address:10.0.0.1"])
        #expect(LoginThrottle.buckets(username: "yezhu01", address: "10.0.0.1", knownDevice: "ab12").map(\.key) == ["device:ab12"])
        #expect(LoginThrottle.buckets(username: "yezhu01", address: nil, knownDevice: nil).map(\.key) == ["account:yezhu01", "address:-"])
    }

    @Test("form tokens are bound to their session and differ between sessions, pre-sessions and keys")
    func tokens() {
        let key = Array(repeating: UInt8(7), count: 32)
        let a = CSRFToken.make(key: key, .session("gzs_a"))
        #expect(a.count == 32)
        #expect(a == CSRFToken.make(key: key, .session("gzs_a")))
        #expect(a != CSRFToken.make(key: key, .session("gzs_b")))
        #expect(a != CSRFToken.make(key: key, .anonymous("gzs_a")))
        #expect(a != CSRFToken.make(key: Array(repeating: UInt8(8), count: 32), .session("gzs_a")))
        #expect(CSRFToken.matches(a, expected: a))
        #expect(!CSRFToken.matches(String(a.dropLast()) + (a.last == "0" ? "1" : "0"), expected: a))
        #expect(!CSRFToken.matches(nil, expected: a))
        #expect(!CSRFToken.matches("", expected: ""))
    }

    @Test("a post is same-site only when its Origin, or else its Referer, names this host")
    func origins() {
        #expect(RequestOrigin.isSameSite(origin: "http://127.0.0.1:8080", referer: nil, host: "127.0.0.1:8080"))
        #expect(RequestOrigin.isSameSite(origin: nil, referer: "http://127.0.0.1:8080/requests/new", host: "127.0.0.1:8080"))
        #expect(RequestOrigin.isSameSite(origin: nil, referer: nil, host: "127.0.0.1:8080"))
        #expect(RequestOrigin.isSameSite(origin: "https://gz.example.cn", referer: nil, host: "gz.example.cn:443"))
        #expect(RequestOrigin.isSameSite(origin: "https://gz.example.cn", referer: nil, host: "10.0.0.5:8080", publicOrigin: "https://gz.example.cn"))
        #expect(!RequestOrigin.isSameSite(origin: "https://evil.example", referer: nil, host: "127.0.0.1:8080"))
        #expect(!RequestOrigin.isSameSite(origin: "null", referer: nil, host: "127.0.0.1:8080"))
        #expect(!RequestOrigin.isSameSite(origin: "http://127.0.0.1:9999", referer: nil, host: "127.0.0.1:8080"))
        #expect(!RequestOrigin.isSameSite(origin: nil, referer: "https://evil.example/x", host: "127.0.0.1:8080"))
        #expect(!RequestOrigin.isSameSite(origin: "http://127.0.0.1:8080.evil.example", referer: nil, host: "127.0.0.1:8080"))
    }
}
