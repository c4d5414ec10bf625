@testable import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import SQLKit
import Plot
import Testing

@Suite("Request pages")
struct RequestPagesTests {
    @Test("a refused form shows its page again, signed in, with what was typed and a Chinese message for each field", arguments: TestDatabase.all.prefix(1))
    func refusedForm(db: TestDatabase) async throws {
        try await withApp(db) { _, client in
            let h = try await makeHierarchy(client)
            let id = try await client.json(.post, "/api/v1/requests", .object([
                "channel": .string("phone"), "category": .string("greening"), "compoundId": .string(h.compound), "description": .string("树枝挡窗"),
                "reporterName": .string("李先生"), "reporterPhone": .string("13912345678"),
            ])).1["id"]!.stringValue!
            let (_, page, _) = try await client.page("/requests/\(id)")
            let token = try #require(csrfToken(page))
            // when a transfer is sent without saying to whom
            let body = "_csrf=\(token)&event=transfer&note=\(formEncode("请园林局处理，已拍照"))"
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: withSession(nil, true)!,
                                       .referer: "http://localhost/requests/\(id)"]
            let (status, html) = try await client.execute(uri: "/requests/\(id)", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                ($0.status, String(buffer: $0.body))
            }
            // then the request's page comes back, not an error page, with the header still signed in
            #expect(status == .unprocessableContent)
            #expect(html.contains("id=\"form-errors\""))
            #expect(html.contains("没有保存"))
            #expect(html.contains("必须填写") || html.contains("请从列出的选项中选择"))
            #expect(html.contains("id=\"who\""))
            #expect(!html.contains("出错了"))
            // and the typed note, not the token, goes back into the form
            let state = try #require(html.range(of: "<script type=\"application/json\" id=\"form-state\">").map { html[$0.upperBound...] }?
                .prefix { $0 != "<" })
            let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(state.utf8))
            #expect(parsed["action"] == .string("/requests/\(id)"))
            #expect(parsed["values"]?["note"] == .string("请园林局处理，已拍照"))
            #expect(parsed["values"]?["_csrf"] == nil)
            #expect(parsed["errors"]?["handler"] != nil)
            // a failure that is no form's mistake is the error page, still signed in
            let (missing, missingPage, _) = try await client.page("/requests/\(UUID().uuidString.lowercased())")
            #expect(missing == .notFound)
            #expect(missingPage.contains("id=\"who\""))
        }
    }

    @Test("an owner files from their own room, with the phone on record; the handler sees name, room and full phone", arguments: TestDatabase.all)
    func ownRoom(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let web = try await app.auth.login(username: "yezhu01", password: DemoAccounts.password(for: "yezhu01"), address: nil, kind: .web, now: testNow)
            let cookie = "session=\(web.token)"
            let (status, html, _) = try await client.page("/requests/new", cookies: cookie, signedIn: false)
            #expect(status == .ok)
            #expect(html.contains("id=\"roomId\"") && html.contains("id=\"reporterPhone\""))
            let room = try #require(html.range(of: "<option value=\"").map { String(html[$0.upperBound...].prefix(36)) })
            let token = try #require(csrfToken(html))
            let body = "_csrf=\(token)&roomId=\(room)&category=sanitation&urgency=general&description=\(formEncode("楼道堆物"))&reporterName=\(formEncode("张先生"))&reporterPhone=13900001111"
            let (filed, _, headers) = try await client.execute(uri: "/requests/new", method: .post,
                                                               headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                                               body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body), $0.headers) }
            #expect(filed == .seeOther)
            let location = try #require(headers[.location])
            // the district admin (an overseer) sees the name, the room and the whole phone
            let (_, detail, _) = try await client.page(location)
            #expect(detail.contains("张先生 13900001111"))
            #expect(detail.contains("<dt>房屋</dt>"))
        }
    }

    @Test("the filing form's multipart body is read only with the token in its address; a hostile boundary costs nothing", arguments: TestDatabase.all.prefix(1))
    func multipartToken(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let (_, page, _) = try await client.page("/requests/new")
            let token = try #require(csrfToken(page))
            #expect(page.contains("action=\"/requests/new?_csrf=\(token)\""))
            func post(_ uri: String, boundary: String, fields: [String: String]) async throws -> HTTPResponse.Status {
                var body = ""
                for (k, v) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n" }
                body += "--\(boundary)--\r\n"
                let headers: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: withSession(nil, true)!]
                return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0.status }
            }
            let fields = ["_csrf": token, "compoundId": h.compound, "category": "greening", "urgency": "general", "description": "树倒了"]
            // without the token in the address: refused before parsing, even with the right one inside
            #expect(try await post("/requests/new", boundary: "b0undary", fields: fields) == .forbidden)
            #expect(try await post("/requests/new?_csrf=\(String(repeating: "0", count: 32))", boundary: String(repeating: "-", count: 4000), fields: [:]) == .forbidden)
            #expect(try await count(app, "requests") == 0)
            // with it: filed
            #expect(try await post("/requests/new?_csrf=\(token)", boundary: "b0undary", fields: fields) == .seeOther)
            #expect(try await count(app, "requests") == 1)
        }
    }

    @Test("the board lists the 50 newest overdue requests, counts them all, and links to the queue filtered to overdue", arguments: TestDatabase.all)
    func boardCapsItsList(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let h = try await makeHierarchy(client)
            let service = RequestService(database: app.database, store: app.store)
            func file(_ n: Int, hoursAgo: Double) async throws {
                for _ in 0..<n {
                    _ = try await service.file(MatrixWorld.system, .init(
                        channel: .phone, category: .greening, urgency: .general, compoundId: UUID(uuidString: h.compound)!, buildingId: nil, roomId: nil,
                        reporterName: "来电", reporterPhone: nil, description: "树枝挡窗", latitude: nil, longitude: nil,
                        receivedAt: testNow.addingTimeInterval(-hoursAgo * 3600), hotlineOrderNo: nil, receptionId: nil))
                }
            }
            // 40 past their respond-by (a day and more ago): all listed, no link
            try await file(40, hoursAgo: 30)
            try await file(3, hoursAgo: 1)
            var board = try await client.page("/board").1
            #expect(board.contains("id=\"overdue-count\">40<"))
            #expect(board.components(separatedBy: "<li class=\"overdue\"").count - 1 == 40)
            #expect(!board.contains("id=\"all-overdue\""))
            // 15 more: the newest 50 listed, all 55 counted, and a link to the rest
            try await file(15, hoursAgo: 26)
            board = try await client.page("/board").1
            #expect(board.contains("id=\"overdue-count\">55<"))
            #expect(board.components(separatedBy: "<li class=\"overdue\"").count - 1 == RequestWeb.boardRows)
            #expect(board.contains("href=\"/requests?overdue=1\">查看全部 55 件超时诉求</a>"))
            let queue = try await client.json(.get, "/api/v1/requests?overdue=1&limit=100").1
            #expect(queue["items"]?.arrayValue.count == 55)
        }
    }

    @Test("staff pages render with their data; a reception form files its requests; a whistle case opens from the form", arguments: TestDatabase.all.prefix(1))
    func pages(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given a compound and one phone request
            let h = try await makeHierarchy(client)
            let id = try await client.json(.post, "/api/v1/requests", .object([
                "channel": .string("phone"), "category": .string("greening"), "compoundId": .string(h.compound), "description": .string("树枝<挡窗>"),
                "reporterName": .string("李先生"), "reporterPhone": .string("13912345678"),
            ])).1["id"]!.stringValue!
            let department = try await client.create("departments", ["districtId": .string(h.district), "name": .string("区园林绿化局"), "kind": .string("other")])

            // the queue, the request (escaped, phone in full for staff), the board, the rankings, the 12345 queue
            let (queueStatus, queue, _) = try await client.page("/requests?category=greening")
            #expect(queueStatus == .ok)
            #expect(queue.contains("树枝&lt;挡窗&gt;"))
            #expect(queue.contains("GZ20261130-000001"))
            let (_, detail, _) = try await client.page("/requests/\(id)")
            #expect(detail.contains("13912345678"))
            // the timeline in words: the channel and the handler, not their codes
            #expect(detail.contains("渠道：电话"))
            #expect(detail.contains("承办单位："))
            #expect(!detail.contains("<p>phone</p>") && !detail.contains("<p>community:") && !detail.contains("<p>company:"))
            #expect(detail.contains("id=\"form-transfer\"") && detail.contains("id=\"escalate-link\""))
            #expect(try await client.page("/board").1.contains("id=\"overdue-count\">0<"))
            #expect(try await client.page("/rankings?level=community&month=2026-11").1.contains("欧陆经典社区"))
            #expect(try await client.page("/hotline-queue").0 == .ok)
            #expect(try await client.page("/requests/\(UUID().uuidString)").0 == .notFound)

            // a reception day with one request raised, from the form
            try await app.createUser(username: "shequ01", password: DemoAccounts.password(for: "shequ01"), displayName: "社区", role: .communityStaff,
                                     scopeId: UUID(uuidString: h.community)!, now: testNow)
            let community = try await app.auth.login(username: "shequ01", password: DemoAccounts.password(for: "shequ01"), address: "127.0.0.1", kind: .web, now: testNow)
            let (_, form, formHeaders) = try await client.page("/receptions", cookies: "session=\(community.token)", signedIn: false)
            #expect(form.contains("id=\"save-reception\""))
            let cookie = ["session=\(community.token)", sessionCookies(formHeaders)].compactMap { $0 }.joined(separator: "; ")
            let (saved, _, _) = try await client.form("/receptions", [
                "_csrf": try #require(csrfToken(form)), "communityId": h.community, "kind": "walkabout", "heldOn": "2026-11-29", "place": "万兴苑北门",
                "attendees": "社区书记, 物业经理", "r0.compoundId": h.compound, "r0.category": "public_order", "r0.description": "门口占道", "r0.reporterName": "王女士",
            ], cookies: cookie, signedIn: false)
            #expect(saved == .seeOther)
            let walkabout = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM requests WHERE channel = 'walkabout'").first()!.decode(column: "n", as: Int.self)
            #expect(walkabout == 1)
            #expect(try await client.page("/receptions", cookies: "session=\(community.token)", signedIn: false).1.contains("万兴苑北门"))

            // the admin blows the whistle on the request from the form
            let (_, casePage, caseHeaders) = try await client.page("/whistle-cases?requestId=\(id)")
            let (opened, _, openedHeaders) = try await client.form("/whistle-cases", [
                "_csrf": try #require(csrfToken(casePage)), "requestId": id, "title": "树木遮挡需园林部门处理", "dept-\(department)": "1", "reportBy": "2026-12-02T18:00",
            ], cookies: sessionCookies(caseHeaders))
            #expect(opened == .seeOther)
            #expect(openedHeaders[.location]?.hasPrefix("/whistle-cases/") == true)
            #expect(try await client.json(.get, "/api/v1/requests/\(id)").1["status"] == .string("escalated"))
        }
    }

    @Test("the handler's photos of the finished work are shown to the reporter above the rating form; the reporter's show the problem", arguments: TestDatabase.all)
    func completionPhotos(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = try await compoundId(app, "万兴苑")
            let owner = try await token(client, "yezhu01"), company = try await token(client, "wuye01")
            let id = try #require(try await client.json(.post, "/api/v1/requests", .object([
                "category": .string("shared_facilities"), "compoundId": .string(compound), "description": .string("单元门禁坏了"),
            ]), token: owner).1["id"]?.stringValue)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
            func photo(_ token: String) async throws -> (HTTPResponse.Status, String?) {
                try await client.execute(uri: "/api/v1/requests/\(id)/photos", method: .post, headers: [.contentType: "image/png", .authorization: "Bearer \(token)"],
                                         body: ByteBuffer(bytes: png)) { r in
                    (r.status, (try? JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: r.body).utf8)))?["url"]?.stringValue)
                }
            }
            let (a, problem) = try await photo(owner)
            let (b, work) = try await photo(company)
            #expect(a == .created && b == .created)
            for event in ["respond", "start"] { _ = try await transition(client, id, ["event": .string(event)], token: company) }
            _ = try await transition(client, id, ["event": .string("resolve"), "reply": .string("已更换门禁控制器")], token: company)
            let detail = try await client.json(.get, "/api/v1/requests/\(id)", token: owner).1
            #expect(detail["photos"]?.arrayValue == [.string(problem!)])
            #expect(detail["completionPhotos"]?.arrayValue == [.string(work!)])

            // the owner's page: the finished work before the rating form
            let web = try await app.auth.login(username: "yezhu01", password: DemoAccounts.password(for: "yezhu01"), address: "127.0.0.1", kind: .web, now: testNow)
            let (_, html, _) = try await client.page("/requests/\(id)", cookies: "session=\(web.token)", signedIn: false)
            let shown = try #require(html.range(of: "id=\"completion-photos\""))
            let rating = try #require(html.range(of: "name=\"satisfaction\""))
            #expect(shown.lowerBound < rating.lowerBound)
            #expect(html.contains(work!) && html.contains(problem!))
            // the company's page offers to add photos of the finished work
            let staff = try await app.auth.login(username: "wuye01", password: DemoAccounts.password(for: "wuye01"), address: "127.0.0.1", kind: .web, now: testNow)
            let (_, companyPage, _) = try await client.page("/requests/\(id)", cookies: "session=\(staff.token)", signedIn: false)
            #expect(companyPage.contains("上传完工照片"))
        }
    }

    @Test("a ranking table shows 50 rows a page, clamps a page past the end, and links both ways keeping the other table's page")
    func rankingPages() {
        let rows = Array(1...120)
        let last = RankingPages.Paging(total: rows.count, page: 9, param: "page", link: "/rankings?month=2026-11&level=compound", other: "&apartPage=2")
        #expect(last.page == 3)
        #expect(last.slice(rows) == Array(101...120))
        let first = RankingPages.Paging(total: rows.count, page: 0, param: "page", link: "/rankings?level=compound", other: "")
        #expect(first.slice(rows) == Array(1...50))
        let t = Localizer(language: .zhHans)
        let html = last.links(t: t).render()
        #expect(html.contains("&amp;apartPage=2&amp;page=2") && !html.contains("rel=\"next\""))
        #expect(html.contains("第 3 / 3 页，共 120 个"))
        #expect(RankingPages.Paging(total: 50, page: 1, param: "page", link: "/r?", other: "").links(t: t).render().isEmpty)
    }
}
