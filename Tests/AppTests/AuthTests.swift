@testable import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@Suite("Accounts, tokens and keys")
struct AuthTests {
    @Test("login gives a token; without one the API answers 401; logout revokes it", arguments: TestDatabase.all)
    func tokens(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            // when
            let (status, session) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("quguan01"),
                                                                                              "password": .string(DemoAccounts.password(for: "quguan01"))]), token: nil)
            // then
            #expect(status == .ok)
            let token = try #require(session["token"]?.stringValue)
            #expect(session["user"]?["roles"]?[0]?["role"] == .string("district-admin"))
            #expect(session["expiresAt"]?.stringValue?.hasPrefix("2026-12-01") == true)
            #expect(try await client.json(.get, "/api/v1/streets", token: nil).0 == .unauthorized)
            #expect(try await client.json(.get, "/api/v1/streets", token: "gzs_not-a-token").0 == .unauthorized)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: token).0 == .ok)
            #expect(try await client.json(.post, "/api/v1/auth/logout", token: token).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: token).0 == .unauthorized)
        }
    }

    @Test("after five failures an account waits (429 with Retry-After), the wait doubles and is never more than fifteen minutes", arguments: TestDatabase.all)
    func rateLimit(db: TestDatabase) async throws {
        let clock = TestClock()
        try await withApp(db, clock: clock) { _, client in
            func login(_ password: String) async throws -> (HTTPResponse.Status, String?) {
                let body = ByteBuffer(bytes: JSONValue.object(["username": .string("quguan01"), "password": .string(password)]).encoded())
                return try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"], body: body) {
                    ($0.status, $0.headers[.retryAfter])
                }
            }
            for _ in 0..<5 { #expect(try await login("wrong-password").0 == .unauthorized) }
            let (locked, wait) = try await login(DemoAccounts.password(for: "quguan01"))
            #expect(locked == .tooManyRequests)
            #expect(wait == "1")
            // when the wait is over, a wrong password doubles it
            clock.advance(1.5)
            #expect(try await login("wrong-password").0 == .unauthorized)
            #expect(try await login("wrong-password") == (.tooManyRequests, "2"))
            // a stranger keeping at it for hours only reaches the cap
            for _ in 0..<12 {
                clock.advance(Double(LoginThrottle.maximumDelay) + 1)
                #expect(try await login("wrong-password").0 == .unauthorized)
            }
            #expect(try await login("wrong-password") == (.tooManyRequests, String(LoginThrottle.maximumDelay)))
            // and the owner gets in once it passes; a success starts the account again from zero
            clock.advance(Double(LoginThrottle.maximumDelay) + 1)
            #expect(try await login(DemoAccounts.password(for: "quguan01")).0 == .ok)
            #expect(try await login("wrong-password").0 == .unauthorized)
            #expect(try await login(DemoAccounts.password(for: "quguan01")).0 == .ok)
        }
    }

    @Test("forty concurrent wrong passwords: five reach the password check, the rest wait", arguments: TestDatabase.all)
    func concurrentGuesses(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { _, client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("yezhu01"), "password": .string("guess-\(i)")]), token: nil).0
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 35)
        }
    }

    @Test("a browser that signed in before gets in while a stranger has the account waiting", arguments: TestDatabase.all)
    func knownDevice(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { _, client in
            let password = DemoAccounts.password(for: "yezhu01")
            // given the owner signed in once on their phone
            let (_, page, first) = try await client.page("/login", signedIn: false)
            let anon = try #require(sessionCookies(first))
            let (ok, _, okHeaders) = try await client.form("/login", ["_csrf": try #require(csrfToken(page)), "username": "yezhu01", "password": password],
                                                           cookies: anon, signedIn: false)
            #expect(ok == .seeOther)
            let device = try #require(okHeaders[values: .setCookie].first { $0.hasPrefix("device=gzd_") })
            #expect(device.contains("HttpOnly") && device.contains("SameSite=Strict") && device.contains("Path=/login"))
            let deviceCookie = String(device.split(separator: ";")[0])
            // when a stranger guesses until the account waits
            for i in 0..<8 {
                _ = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("yezhu01"), "password": .string("guess-\(i)")]), token: nil)
            }
            #expect(try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("yezhu01"), "password": .string(password)]), token: nil).0
                    == .tooManyRequests)
            // then a new browser waits too, but the owner's phone signs in
            let (_, page2, second) = try await client.page("/login", signedIn: false)
            let anon2 = try #require(sessionCookies(second))
            let token2 = try #require(csrfToken(page2))
            #expect(try await client.form("/login", ["_csrf": token2, "username": "yezhu01", "password": password], cookies: anon2, signedIn: false).0
                    == .tooManyRequests)
            let (phone, _, phoneHeaders) = try await client.form("/login", ["_csrf": token2, "username": "yezhu01", "password": password],
                                                                 cookies: anon2 + "; " + deviceCookie, signedIn: false)
            #expect(phone == .seeOther)
            #expect(phoneHeaders[values: .setCookie].contains { $0.hasPrefix("session=gzs_") })
            // and the phone is known to that account only: another account waiting stays waiting on it
            for i in 0..<5 {
                _ = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("quguan01"), "password": .string("guess-\(i)")]), token: nil)
            }
            #expect(try await client.form("/login", ["_csrf": token2, "username": "quguan01", "password": DemoAccounts.password(for: "quguan01")],
                                          cookies: anon2 + "; " + deviceCookie, signedIn: false).0 == .tooManyRequests)
        }
    }

    @Test("X-Forwarded-For is believed only from a configured proxy")
    func forwardedFor() throws {
        #expect(ClientAddressMiddleware.client(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: []) == "203.0.113.9")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.2", forwardedFor: ["1.2.3.4, 198.51.100.7"], trusted: ["10.0.0.2"]) == "198.51.100.7")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.2", forwardedFor: ["1.2.3.4", "10.0.0.3"], trusted: ["10.0.0.2", "10.0.0.3"]) == "1.2.3.4")
        #expect(ClientAddressMiddleware.client(peer: "10.0.0.2", forwardedFor: [], trusted: ["10.0.0.2"]) == "10.0.0.2")
    }

    @Test("form tokens belong to one session and change at login; another site's posts and self-made pairs are refused", arguments: TestDatabase.all)
    func csrf(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            // an anonymous browser's token
            let (_, page, first) = try await client.page("/login", signedIn: false)
            let anon = try #require(sessionCookies(first))
            let anonToken = try #require(csrfToken(page))
            // a pair the attacker chose is refused
            let chosen = String(repeating: "a", count: 32)
            #expect(try await client.form("/login", ["_csrf": chosen, "username": "quguan01", "password": "x"], cookies: "csrf=\(chosen)", signedIn: false).0 == .forbidden)
            // the signed-in admin's token differs from the anonymous one and from another session's
            let (_, adminPage, _) = try await client.page("/account/password")
            let adminToken = try #require(csrfToken(adminPage))
            #expect(adminToken != anonToken)
            let (ok, _, okHeaders) = try await client.form("/login", ["_csrf": anonToken, "username": "quguan01", "password": DemoAccounts.password(for: "quguan01")],
                                                           cookies: anon, signedIn: false)
            #expect(ok == .seeOther)
            let second = anon + "; " + String(try #require(okHeaders[values: .setCookie].first { $0.hasPrefix("session=") }).split(separator: ";")[0])
            let (_, secondPage, _) = try await client.page("/account/password", cookies: second, signedIn: false)
            let secondToken = try #require(csrfToken(secondPage))
            #expect(secondToken != adminToken && secondToken != anonToken)
            // a token from the first session does not work in the second, nor the anonymous one after login
            #expect(try await client.form("/logout", ["_csrf": adminToken], cookies: second, signedIn: false).0 == .forbidden)
            #expect(try await client.form("/logout", ["_csrf": anonToken], cookies: second, signedIn: false).0 == .forbidden)
            // another site's form is refused even with the right token; this site's passes
            func post(_ origin: String) async throws -> HTTPResponse.Status {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: second, .origin: origin]
                headers[.referer] = origin + "/"
                return try await client.execute(uri: "/logout", method: .post, headers: headers, body: ByteBuffer(string: "_csrf=\(secondToken)")) { $0.status }
            }
            #expect(try await post("https://evil.example") == .forbidden)
            #expect(try await client.page("/account/password", cookies: second, signedIn: false).0 == .ok)
            #expect(try await client.form("/logout", ["_csrf": secondToken], cookies: second, signedIn: false).0 == .seeOther)
        }
    }

    @Test("a web session is no bearer token and an API token no session cookie", arguments: TestDatabase.all)
    func separateKinds(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let session = try #require(TestSession.current)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: session.webToken).0 == .unauthorized)
            #expect(try await client.json(.get, "/api/v1/auth/me", token: session.token).0 == .ok)
            #expect(try await client.page("/account/password", cookies: "session=\(session.token)", signedIn: false).0 == .seeOther)
            #expect(try await client.page("/account/password", cookies: "session=\(session.webToken)", signedIn: false).0 == .ok)
        }
    }

    @Test("an integration key is shown once, works as a bearer token, is listed without its secret, and can be revoked", arguments: TestDatabase.all)
    func apiKeys(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let district = TestSession.current!.districtId
            let (created, key) = try await client.json(.post, "/api/v1/api-keys", .object(["name": .string("12345 热线导入"), "role": .string("district-admin"),
                                                                                         "scopeId": .string(district)]))
            #expect(created == .created)
            let secret = try #require(key["key"]?.stringValue)
            #expect(secret.hasPrefix("gzk_"))
            #expect(try await client.json(.get, "/api/v1/streets", token: secret).0 == .ok)
            let (_, listed) = try await client.json(.get, "/api/v1/api-keys")
            #expect(listed["items"]?.arrayValue.count == 1)
            #expect(!String(decoding: listed.encoded(), as: UTF8.self).contains(secret))
            let stored = try await app.database.db.sql().raw("SELECT key_hash FROM api_keys").first()!.decode(column: "key_hash", as: String.self)
            #expect(stored != secret && stored.count == 64)
            #expect(try await client.json(.delete, "/api/v1/api-keys/\(key["id"]!.stringValue!)").0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/streets", token: secret).0 == .unauthorized)
            // a street's staff may not issue keys
            let street = try await client.create("streets", ["districtId": .string(district), "name": .string("大屯街道"), "kind": .string("subdistrict")])
            try await app.createUser(username: "jiedao01", password: "password-1", displayName: "街道", role: .streetStaff, scopeId: UUID(uuidString: street)!, now: testNow)
            let (_, s) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("jiedao01"), "password": .string("password-1")]), token: nil)
            let staff = s["token"]!.stringValue!
            #expect(try await client.json(.post, "/api/v1/api-keys", .object(["name": .string("x"), "role": .string("district-admin"), "scopeId": .string(district)]), token: staff).0 == .forbidden)
            #expect(try await client.json(.get, "/api/v1/audit-events", token: staff).0 == .forbidden)
        }
    }

    @Test("changing the password ends the old sessions; a too-short one is refused", arguments: TestDatabase.all.prefix(1))
    func password(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let old = DemoAccounts.password(for: "quguan01")
            let (short, body) = try await client.json(.post, "/api/v1/auth/password", .object(["currentPassword": .string(old), "newPassword": .string("short")]))
            #expect(short == .unprocessableContent)
            #expect(body["error"]?["fields"]?[0]?["field"] == .string("newPassword"))
            let (wrong, _) = try await client.json(.post, "/api/v1/auth/password", .object(["currentPassword": .string("nope"), "newPassword": .string("a-new-password")]))
            #expect(wrong == .unprocessableContent)
            #expect(try await client.json(.post, "/api/v1/auth/password", .object(["currentPassword": .string(old), "newPassword": .string("a-new-password")])).0 == .noContent)
            #expect(try await client.json(.get, "/api/v1/auth/me").0 == .unauthorized)
            let (ok, _) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("quguan01"), "password": .string("a-new-password")]), token: nil)
            #expect(ok == .ok)
        }
    }

    @Test("a disabled user cannot log in and loses their sessions", arguments: TestDatabase.all.prefix(1))
    func disabled(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            try await app.setUserDisabled(username: "quguan01", disabled: true, now: testNow)
            #expect(try await client.json(.get, "/api/v1/auth/me").0 == .unauthorized)
            let (status, _) = try await client.json(.post, "/api/v1/auth/login", .object(["username": .string("quguan01"),
                                                                                        "password": .string(DemoAccounts.password(for: "quguan01"))]), token: nil)
            #expect(status == .unauthorized)
        }
    }

    @Test("web login sets an HttpOnly SameSite cookie; pages without one go to the login form", arguments: TestDatabase.all.prefix(1))
    func webLogin(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let (redirect, _, headers) = try await client.page("/manage/companies", signedIn: false)
            #expect(redirect == .seeOther)
            #expect(headers[.location] == "/login?next=/manage/companies")
            let (_, page, first) = try await client.page("/login", signedIn: false)
            let cookie = try #require(sessionCookies(first))
            let token = try #require(csrfToken(page))
            let (bad, badPage, _) = try await client.form("/login", ["_csrf": token, "username": "quguan01", "password": "wrong"], cookies: cookie, signedIn: false)
            #expect(bad == .unauthorized)
            #expect(badPage.contains("用户名或密码不正确"))
            let (ok, _, okHeaders) = try await client.form("/login", ["_csrf": token, "username": "quguan01", "password": DemoAccounts.password(for: "quguan01"),
                                                                       "next": "/manage/companies"], cookies: cookie, signedIn: false)
            #expect(ok == .seeOther)
            #expect(okHeaders[.location] == "/manage/companies")
            let setCookie = okHeaders[values: .setCookie].first { $0.hasPrefix("session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
            let session = cookie + "; " + (setCookie.split(separator: ";").first.map(String.init) ?? "")
            let (status, companies, _) = try await client.page("/manage/companies", cookies: session, signedIn: false)
            #expect(status == .ok)
            #expect(companies.contains("quguan01"))
        }
    }

    @Test("the language switch and the login form never send a browser off the site", arguments: TestDatabase.all.prefix(1))
    func redirectsStayOnSite(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { _, client in
            // given the tricks a browser would follow to another host
            for back in ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example"] {
                // when the language is switched with one as the way back
                let location = try await client.execute(uri: "/language/en?back=\(back)", method: .get) { $0.headers[.location] }
                // then the answer goes home instead
                #expect(location == "/", "\(back)")
            }
            #expect(try await client.execute(uri: "/language/en?back=/rankings?month=2026-11", method: .get) { $0.headers[.location] } == "/rankings?month=2026-11")
        }
    }

    @Test("pages carry a script-tight CSP, no framing, nosniff, same-origin referrers and no-store", arguments: TestDatabase.all.prefix(1))
    func securityHeaders(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            // when a page and a JSON answer are fetched
            let page = try await client.execute(uri: "/login", method: .get) { $0.headers }
            let json = try await client.execute(uri: "/healthz", method: .get) { $0.headers }
            // then both carry the headers, and the page its policy
            #expect(page[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page[.contentSecurityPolicy]?.contains("unsafe-inline'; img") == true && page[.contentSecurityPolicy]?.contains("script-src 'self' 'unsafe-inline'") == false)
            #expect(page[.xContentTypeOptions] == "nosniff" && json[.xContentTypeOptions] == "nosniff")
            #expect(page[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(page[.cacheControl] == "no-store" && json[.cacheControl] == "no-store")
            // and the stylesheet and script are served
            #expect(try await client.execute(uri: "/favicon.ico", method: .get) { $0.headers[.location] } == "/static/favicon.svg")
            for file in ["/static/site.css", "/static/site.js", "/static/favicon.svg"] {
                #expect(try await client.execute(uri: file, method: .get) { $0.status } == .ok, "\(file)")
            }
        }
    }
}
