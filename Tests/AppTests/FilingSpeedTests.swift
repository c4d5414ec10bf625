@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import SQLiteNIO
import Testing

/// The paths made fast for the speed issue keep their answers: filings sharing a transaction
/// (`GroupCommit`), the list read branch by branch, ids written from their bytes.
@Suite("Speed paths: group-committed filing, branch-wise lists")
struct FilingSpeedTests {
    static func phoneCall(_ compound: UUID, hotline: String? = nil) -> RequestService.NewRequest {
        .init(channel: .phone, category: .sanitation, urgency: .general, compoundId: compound, buildingId: nil, roomId: nil, reporterName: "来电",
              reporterPhone: nil, description: "楼道堆物", latitude: nil, longitude: nil, receivedAt: nil, hotlineOrderNo: hotline, receptionId: nil)
    }

    @Test("filings at once share transactions: each is answered as stored, the day's numbers run without gaps or repeats, and one that fails in a shared transaction fails alone",
          arguments: TestDatabase.all)
    func groupCommit(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let compound = UUID(uuidString: try await compoundId(app, "万兴苑"))!
            let service = RequestService(database: app.database, store: app.store)
            let before = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM requests").first()!.decode(column: "n", as: Int.self)
            // 60 filings at once, two of them with the same hotline order number (unique): one of those must fail, alone.
            let outcomes = await withTaskGroup(of: Result<RequestRecord, any Error>.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        let hotline = i == 10 || i == 40 ? "12345-SAME" : nil
                        do { return .success(try await service.file(MatrixWorld.system, Self.phoneCall(compound, hotline: hotline))) } catch { return .failure(error) }
                    }
                }
                var all: [Result<RequestRecord, any Error>] = []
                for await r in group { all.append(r) }
                return all
            }
            let filed = outcomes.compactMap { try? $0.get() }
            #expect(filed.count == 59)
            if case .sqlite = db {
                // On SQLite each batch ran in one visit to the writer's thread (`NumberedInserts.inOneVisit`).
                let lite = try #require(app.database.db as? any SQLiteDatabase)
                let direct = try await lite.withConnection { conn in conn.eventLoop.makeSucceededFuture(SQLiteStatements.connection(conn)?.isKept("BEGIN IMMEDIATE")) }.get()
                #expect(direct == true)
            }
            #expect(outcomes.count - filed.count == 1)
            let after = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM requests").first()!.decode(column: "n", as: Int.self)
            #expect(after == before + 59)
            // Numbers: one day's prefix, consecutive sequences, none repeated (the failed filing's
            // batch was rolled back and its jobs written one by one, so it took no number).
            let numbers = filed.map(\.number).sorted()
            #expect(Set(numbers).count == 59)
            let day = String(numbers[0].prefix(11))
            #expect(numbers.allSatisfy { $0.hasPrefix(day) })
            let sequences = numbers.map { Int($0.dropFirst(11))! }.sorted()
            #expect(sequences.last! - sequences.first! == 58)
            // Each answer is the row as stored, with its timeline and audit entry.
            for record in filed.prefix(5) {
                let stored = try await service.load(record.id, on: app.database.db)
                #expect(stored.number == record.number && stored.handlerName == record.handlerName && stored.compoundName == record.compoundName)
                #expect(stored.handlerKind == .company || stored.handlerKind == .community)
                #expect(try await service.timeline(record.id).map(\.event) == [.receive, .dispatch])
                let audits = try await app.database.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE entity = 'requests' AND entity_id = \(bind: record.id)").first()!
                    .decode(column: "n", as: Int.self)
                #expect(audits == 1)
            }
            // The same through HTTP: the answer equals what a read gives back.
            let owner = try await token(client, "yezhu01")
            let (status, made) = try await client.json(.post, "/api/v1/requests", .object(["category": .string("sanitation"), "compoundId": .string(compound.text),
                                                                                         "description": .string("楼道堆物")]), token: owner)
            #expect(status == .created || status == .ok, "\(made)")
            let (_, read) = try await client.json(.get, "/api/v1/requests/\(made["id"]!.stringValue!)", token: owner)
            for key in ["number", "status", "compoundName", "receivedAt", "respondBy", "resolveBy", "handler", "reporter", "overdue"] {
                #expect(made[key] == read[key], "\(key)")
            }
        }
    }

    @Test("a list read branch by branch pages through exactly what one OR of the conditions finds, newest first", arguments: TestDatabase.all)
    func branchwiseList(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            // Community staff see their community's requests and the ones they handle: two branches.
            let staff = try await token(client, "shequ01")
            var seen: [String] = []
            var path = "/api/v1/requests?limit=7"
            while true {
                let (status, page) = try await client.json(.get, path, token: staff)
                #expect(status == .ok)
                seen += page["items"]!.arrayValue.map { $0["id"]!.stringValue! }
                guard let next = page["next"]?.stringValue else { break }
                path = "/api/v1/requests?limit=7&cursor=\(next)"
            }
            let user = try await app.database.db.sql().raw("SELECT g.scope_id FROM role_grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'shequ01'").first()!
            let community = try user.decode(column: "scope_id", as: UUID.self)
            let expected = try await app.database.db.sql().raw("""
                SELECT id FROM requests WHERE community_id = \(bind: community) OR handler_community_id = \(bind: community) ORDER BY received_at DESC, id DESC
                """).all().map { try $0.decode(column: "id", as: UUID.self).text }
            #expect(expected.count > 7)
            #expect(seen == expected)
        }
    }

    @Test("A row read by hand reads every stored request exactly as SQLKit's decoder does, and refuses a code no enum case has", arguments: TestDatabase.all)
    func rowReader(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            // Rows with every kind of column set: rated, merged, transferred, with coordinates and phone.
            let rows = try await app.database.db.sql().raw("SELECT * FROM requests ORDER BY received_at").all()
            #expect(rows.count > 20)
            for row in rows {
                let ours = try RequestRow.read(row), sqlkit = try row.decode(model: RequestRow.self)
                #expect(AnswerEncoderTests.same(ours, sqlkit), "request \(ours.id)")
            }
            #expect(rows.contains { (try? RequestRow.read($0).ratingScore) ?? nil != nil })
            let first = rows[0]
            #expect(try RequestRow.read(first).id == first.decode(column: "id", as: UUID.self))
            let id = try RequestRow.read(first).id
            try await app.database.db.sql().raw("UPDATE requests SET status = 'lost' WHERE id = \(bind: id)").run()
            let broken = try await app.database.db.sql().raw("SELECT * FROM requests WHERE id = \(bind: id)").first()!
            #expect(throws: DecodingError.self) { try RequestRow.read(broken) }
        }
        for text in ["3f2a0000-1111-2222-3333-444455556666", "3F2A0000-1111-2222-3333-44445555666A"] {
            #expect(RowSource.uuid(text: text) == UUID(uuidString: text))
        }
        for bad in ["3f2a0000-1111-2222-3333-44445555666", "3f2a0000x1111-2222-3333-444455556666", "3g2a0000-1111-2222-3333-444455556666", ""] {
            #expect(RowSource.uuid(text: bad) == nil)
        }
    }

    @Test("the database's own rows (RowSource: SQLite's, PostgresNIO's) read every stored request as SQLKit's decoder does, names included", arguments: TestDatabase.all)
    func rowSource(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            let query: SQLQueryString = "\(unsafeRaw: RequestRecord.select) ORDER BY r.received_at"
            let theirs = try await app.database.db.sql().raw(query).all()
            let ours = try await RowSource.all(query, on: app.database.reads)
            #expect(ours.count == theirs.count && ours.count > 20)
            if case .postgres = db { #expect(ours.allSatisfy { if case .postgres = $0 { true } else { false } }) } else {
                #expect(ours.allSatisfy { if case .sqlite = $0 { true } else { false } })
            }
            for (a, b) in zip(ours, theirs) {
                let x = try RequestRecord(source: a), y = try b.decode(model: RequestRow.self)
                #expect(AnswerEncoderTests.same(x.row, y), "request \(y.id)")
                #expect(x.compoundName == (try b.decode(column: "compound_name", as: String.self)))
                #expect(x.handlerName == (try b.decode(column: "handler_name", as: String?.self)))
            }
            #expect(try ours.contains { try RequestRecord(source: $0).handlerName != nil })
            // Binds of every kind reach the database as SQLKit would send them; a nil bind goes through SQLKit.
            let first = try RequestRecord(source: ours[0])
            let found = try await RowSource.all("\(unsafeRaw: RequestRecord.select) WHERE r.id = \(bind: first.id) AND r.received_at = \(bind: first.receivedAt) AND r.number = \(bind: first.number) AND r.version >= \(bind: 1)",
                                                on: app.database.reads)
            #expect(found.count == 1)
            let none: UUID? = nil
            let viaSQLKit = try await RowSource.all("\(unsafeRaw: RequestRecord.select) WHERE r.id = \(bind: first.id) OR r.id = \(bind: none)", on: app.database.reads)
            #expect(try viaSQLKit.map { try RequestRecord(source: $0).id } == [first.id])
            // Inside a transaction, on its connection: a row locked for update is read there.
            let service = RequestService(database: app.database, store: app.store)
            let locked = try await app.database.db.transaction { tx in try await service.load(first.id, on: tx, lock: true) }
            #expect(AnswerEncoderTests.same(locked.row, first.row))
        }
    }

    @Test("a request and a page of them write themselves as the generic encoder writes them", arguments: TestDatabase.all)
    func requestAnswerWritesItself(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            // Text with every escape, and a request with nothing optional set.
            let rows = try await RowSource.all("\(unsafeRaw: RequestRecord.select) ORDER BY r.received_at", on: app.database.reads)
            var records = try rows.map { try RequestRecord(source: $0) }
            var bare = records[0].row
            bare.description = "引号\" 反斜杠\\ 斜杠/ 换行\n 制表\t 控制\u{01} 表情😀"
            bare.buildingId = nil; bare.roomId = nil; bare.reporterUserId = nil; bare.reporterName = nil; bare.reporterPhone = nil
            bare.handlerKind = nil; bare.latitude = nil; bare.longitude = nil; bare.ratingSatisfaction = nil; bare.reply = nil
            records.append(RequestRecord(row: bare, compoundName: "", handlerName: nil))
            var full = records[1].row
            full.latitude = 39.9042; full.longitude = 116.4074; full.ratingSatisfaction = .satisfied; full.ratingResolved = 1; full.reply = "已处理 \"好\""
            records.append(RequestRecord(row: full, compoundName: "名\u{1F}", handlerName: "处理方"))
            for r in records {
                for phone in [false, true] {
                    var answer = RequestAnswer(r, now: testNow, fullPhone: phone)
                    #expect(try AnswerEncoderTests.ours(answer) == AnswerEncoderTests.foundation(answer), "request \(r.id)")
                    answer.timeline = [TimelineAnswer(TimelineEntry(sequence: 1, event: .receive, from: nil, to: .received, actor: "业主", at: testNow, note: nil))]
                    answer.photos = ["/a"]; answer.completionPhotos = []; answer.allowed = ["rate", "reopen"]
                    #expect(try AnswerEncoderTests.ours(answer) == AnswerEncoderTests.foundation(answer), "request \(r.id) in full")
                }
            }
            let page = Page(items: records.map { RequestAnswer($0, now: testNow) }, next: "1796004000.5_x")
            #expect(try AnswerEncoderTests.ours(page) == AnswerEncoderTests.foundation(page))
            let empty = Page<RequestAnswer>(items: [], next: nil)
            #expect(try AnswerEncoderTests.ours(empty) == AnswerEncoderTests.foundation(empty))
        }
    }

    @Test("a request row bound value by value is stored as SQLKit's model encoder stores it: every column, nothing optional lost or invented", arguments: TestDatabase.all)
    func rowBinds(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, _ in
            let sql = app.database.db.sql()
            let stored = try await sql.raw("SELECT * FROM requests ORDER BY received_at").all().map { try RequestRow.read($0) }
            // The columns are the model's, in full.
            let encoded = try SQLQueryEncoder(nilEncodingStrategy: .asNil).encode(stored[0])
            #expect(RequestRow.columns == encoded.map(\.0))
            #expect(RequestRow.columns.count == stored[0].binds.count)
            // Every optional set (merged, rated, placed, with a reply), and none set.
            var full = stored.first { $0.ratingScore != nil } ?? stored[0]
            full.id = UUID.random(); full.number = "GZ-BINDS-FULL"; full.latitude = 39.9042; full.longitude = 116.4074; full.reply = "已处理"
            full.mergedInto = stored[0].id; full.whistleCaseId = nil; full.hotlineOrderNo = "12345-BINDS"; full.ratingSatisfaction = .satisfied
            full.ratingResolved = 1; full.ratingScore = 100; full.ratedAt = testNow; full.closedAt = testNow; full.respondedAt = testNow
            var bare = stored[0]
            bare.id = UUID.random(); bare.number = "GZ-BINDS-BARE"; bare.buildingId = nil; bare.roomId = nil; bare.reporterUserId = nil
            bare.reporterName = nil; bare.reporterPhone = nil; bare.handlerKind = nil; bare.handlerCompanyId = nil; bare.handlerCommunityId = nil
            bare.handlerDepartmentId = nil; bare.handlerStreetId = nil; bare.dispatchedAt = nil; bare.respondedAt = nil; bare.resolvedAt = nil
            bare.ratedAt = nil; bare.closedAt = nil; bare.reply = nil; bare.ratingResolved = nil; bare.ratingSatisfaction = nil; bare.ratingScore = nil
            bare.hotlineOrderNo = nil; bare.whistleCaseId = nil; bare.receptionId = nil; bare.latitude = nil; bare.longitude = nil; bare.mergedInto = nil
            try await RequestRow.insert([full, bare], on: app.database.db)
            // The same rows written by the model encoder, under other ids, read back the same.
            var (full2, bare2) = (full, bare)
            full2.id = UUID.random(); full2.number = "GZ-BINDS-FULL2"; full2.hotlineOrderNo = "12345-BINDS2"
            bare2.id = UUID.random(); bare2.number = "GZ-BINDS-BARE2"
            try await sql.insert(into: "requests").models([full2, bare2], nilEncodingStrategy: .asNil).run()
            for (ours, theirs) in [(full, full2), (bare, bare2)] {
                let a = try RequestRow.read(try await sql.raw("SELECT * FROM requests WHERE id = \(bind: ours.id)").first()!)
                var b = try RequestRow.read(try await sql.raw("SELECT * FROM requests WHERE id = \(bind: theirs.id)").first()!)
                b.id = a.id; b.number = a.number; b.hotlineOrderNo = a.hotlineOrderNo
                #expect(AnswerEncoderTests.same(a, b), "\(ours.number)")
                #expect(a.mergedInto == ours.mergedInto && a.latitude == ours.latitude && a.reporterName == ours.reporterName)
            }
        }
    }

    @Test("on PostgreSQL the hot reads run as named statements, one name per text and parameter types, read back as unnamed ones read", arguments: TestDatabase.all)
    func namedStatements(db: TestDatabase) async throws {
        let a = PostgresStatements.name(sql: "SELECT $1", types: [.uuid]), b = PostgresStatements.name(sql: "SELECT $1", types: [.text])
        #expect(a != nil && a == PostgresStatements.name(sql: "SELECT $1", types: [.uuid]) && a != b)
        // Parameters are hidden from the planner; quoted text is left alone.
        #expect(PostgresStatements.blind("SELECT '$1', \"a$2\", $1, $12::uuid, 'it''s $3' FROM t WHERE x IN ($3,$4) AND y = 'z'")
                == "SELECT '$1', \"a$2\", (SELECT $1), (SELECT $12)::uuid, 'it''s $3' FROM t WHERE x IN ((SELECT $3),(SELECT $4)) AND y = 'z'")
        guard case .postgres = db else { return }
        try await withApp(db, demo: .small) { app, _ in
            let query: SQLQueryString = "\(unsafeRaw: RequestRecord.select) WHERE r.version >= \(bind: 1) ORDER BY r.received_at, r.id"
            let plain = try await app.database.db.sql().raw(query).all().map { try $0.decode(model: RequestRow.self) }
            // Several runs on each connection: the first prepares, the rest reuse the statement.
            for _ in 0..<6 {
                let named = try await RowSource.all(query, on: app.database.reads).map { try RequestRecord(source: $0).row }
                #expect(named.count == plain.count && zip(named, plain).allSatisfy { AnswerEncoderTests.same($0, $1) })
            }
            let prepared = try await app.database.db.transaction { tx in
                _ = try await RowSource.all(query, on: tx)
                return try await tx.sql().raw("SELECT name FROM pg_prepared_statements WHERE name LIKE 'gz_%'").all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(!prepared.isEmpty)
            // A street's page, run again and again on one connection, keeps one generic plan
            // instead of being planned per call (PostgreSQL's choice once no plan sees the street).
            let street = try #require(plain.first?.streetId)
            let page: SQLQueryString = "SELECT r.id FROM requests r WHERE r.street_id = \(bind: street) AND r.version >= \(bind: 1) ORDER BY r.received_at DESC, r.id DESC LIMIT 51"
            let expected = plain.filter { $0.streetId == street }.sorted { ($0.receivedAt, $0.id.uuidString) > ($1.receivedAt, $1.id.uuidString) }.prefix(51).map(\.id)
            let generic = try await app.database.db.transaction { tx -> Int in
                for _ in 0..<8 {
                    let ids = try await RowSource.all(page, on: tx).map { try $0.uuid("id") }
                    #expect(ids == Array(expected))
                }
                let row = try await tx.sql().raw("SELECT COALESCE(MAX(generic_plans), 0) AS n FROM pg_prepared_statements WHERE name LIKE 'gz_%' AND statement LIKE '%street_id = (SELECT $1)%'").first()
                return try row?.decode(column: "n", as: Int.self) ?? 0
            }
            #expect(generic > 0)
        }
    }

    @Test("record ids are random version-4 UUIDs, each one new")
    func recordIds() {
        var seen = Set<UUID>()
        for _ in 0..<10_000 {
            let id = UUID.random()
            let text = id.uuidString
            #expect(Array(text)[14] == "4")
            #expect("89AB".contains(Array(text)[19]))
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test("time-ordered ids are version 7: the millisecond first, so later ids sort after earlier ones (as text and as bytes), each one new")
    func timeOrderedIds() {
        let t = Date(timeIntervalSince1970: 1_796_004_000.123)
        let id = UUID.timeOrdered(now: t)
        let text = Array(id.uuidString)
        #expect(text[14] == "7" && "89AB".contains(text[19]))
        // 1,796,004,000,123 ms since 1970: the first 48 bits.
        #expect(id.uuidString.hasPrefix(String(format: "%08X-%04X", UInt32(1_796_004_000_123 >> 16), UInt32(1_796_004_000_123 & 0xFFFF))))
        var seen = Set<UUID>()
        var previous = UUID.timeOrdered(now: t)
        for i in 1...5_000 {
            let next = UUID.timeOrdered(now: t.addingTimeInterval(Double(i) * 0.002))
            #expect(next.uuidString > previous.uuidString)
            #expect(withUnsafeBytes(of: next.uuid) { a in withUnsafeBytes(of: previous.uuid) { b in a.lexicographicallyPrecedes(b) == false } })
            seen.insert(next)
            previous = next
        }
        for _ in 0..<5_000 { seen.insert(UUID.timeOrdered(now: t)) }
        #expect(seen.count == 10_000)
    }

    @Test("an id is written in lower case from its bytes, as uuidString.lowercased() writes it")
    func uuidText() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.text == id.uuidString.lowercased())
        }
        #expect(UUID(uuidString: "00000000-0000-0000-0000-00000000000F")!.text == "00000000-0000-0000-0000-00000000000f")
    }

    @Test("a shared transaction that never finishes is given up after its bound, so the filings queued behind it are answered")
    func boundedCommit() async throws {
        let started = Date()
        await #expect(throws: GroupCommitTimeout.self) {
            _ = try await GroupCommit<Int, Int>.bounded(seconds: 1) { try await Task.sleep(for: .seconds(30)); return 1 }
        }
        // Given up long before the work's 30 s would end (not a timing goal: a loaded machine
        // running the suite in parallel once took 5.1 s to fire the 1 s timer).
        #expect(Date().timeIntervalSince(started) < 25)
        #expect(try await GroupCommit<Int, Int>.bounded(seconds: 5) { 7 } == 7)
        await #expect(throws: DomainError.self) {
            _ = try await GroupCommit<Int, Int>.bounded(seconds: 5) { throw DomainError.badRequest(message: "no") }
        }
    }


    @Test("the city benchmark's COPY rows write times in UTC and the month in Beijing, NULL as \\N")
    func copyRow() {
        var row = CopyRow()
        row.time(1_796_004_000)       // 2026-11-30 10:00 Beijing
        row.month(1_798_761_600 - 1)  // 2026-12-31 23:59:59 UTC is already January in Beijing
        row.time(nil)
        row.int(-3)
        row.end()
        #expect(String(decoding: row.bytes, as: UTF8.self) == "2026-11-30 02:00:00+00\t2027-01\t\\N\t-3\n")
    }

}
