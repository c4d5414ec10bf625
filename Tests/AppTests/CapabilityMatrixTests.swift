@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

/// The role × route matrix beyond the registry: requests, transitions, photos, whistle cases and
/// reports, receptions, the 12345 queue, decisions and ballots, the fund, rankings. Inside the
/// caller's scope the answers follow a plain statement of who sees what (written here from the
/// hierarchy, apart from the code's rules); outside it (another district) nothing ever succeeds.
@Suite("Role × route matrix: every capability")
struct CapabilityMatrixTests {
    /// Records of each capability in one compound, made by the system.
    struct Fixtures {
        var compound: UUID, community: UUID, street: UUID, district: UUID, owner: UUID
        var request: UUID, whistleCase: UUID, decision: UUID
        var user: UUID, grant: UUID
        var dispute: UUID, provider: UUID, item: UUID, order: UUID, consultation: UUID
        var notice: UUID, survey: UUID, hotspot: UUID
        var inspection: UUID, placing: UUID
        var device: UUID, deviceKey: String, alert: UUID, pass: UUID, passCode: String
    }

    static func fixtures(_ app: GongzhiApp, compound: UUID, department: UUID?, company: UUID?) async throws -> Fixtures {
        let sql = app.database.db.sql()
        let a = try await Ancestry.of(app, "compounds", compound)
        let ctx = MatrixWorld.system
        let requests = RequestService(database: app.database, store: app.store)
        let request = try await requests.create(ctx, .init(channel: .phone, category: .other, urgency: .general, compoundId: compound, buildingId: nil, roomId: nil,
                                                           reporterName: "来电市民", reporterPhone: "13800138000", description: "楼道灯不亮", latitude: nil, longitude: nil))
        var parties: [WhistleService.PartyInput] = []
        if let department { parties.append(.init(kind: .department, departmentId: department, companyId: nil, name: nil, reportBy: testNow.addingTimeInterval(86_400))) }
        if let company { parties.append(.init(kind: .company, departmentId: nil, companyId: company, name: nil, reportBy: testNow.addingTimeInterval(86_400))) }
        let whistle = try await WhistleService(database: app.database, requests: requests)
            .open(ctx, .init(streetId: nil, compoundId: compound, requestId: nil, title: "外墙脱落", description: "", parties: parties))
        let decision = try await DecisionService(database: app.database, store: app.store)
            .create(ctx, compound: compound, .init(title: "更换电梯", matter: .otherMajor, description: nil, opensAt: testNow.addingTimeInterval(86_400),
                                                   closesAt: testNow.addingTimeInterval(30 * 86_400), candidates: [], seats: nil, companyId: nil, contractId: nil))
        let owner = try await sql.raw("""
            SELECT o.owner_id AS id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound) ORDER BY o.owner_id LIMIT 1
            """).first()?.decode(column: "id", as: UUID.self) ?? UUID()
        // An account of the place's street, with its one role.
        let user = try await app.auth.createUser(ctx, username: "matrix-" + compound.text.prefix(8), password: "Matrix-2026", displayName: "街道甲",
                                                 role: .streetStaff, scopeId: a.street!)
        let grant = try await sql.raw("SELECT id FROM role_grants WHERE user_id = \(bind: user)").first()!.decode(column: "id", as: UUID.self)
        // A dispute the company is party to, with the street's mediator assigned when the place is the mediator's street.
        let disputes = DisputeService(database: app.database, store: app.store, requests: requests)
        let dispute = try await disputes.report(ctx, .init(compoundId: compound, requestId: nil, kind: .leak, source: .partyMember, title: "楼上漏水", description: "",
                                                           roomIds: [], parties: company.map { [.init(kind: .company, name: "", companyId: $0)] } ?? [], receivedOn: nil))
        if let mediator = try await sql.raw("""
            SELECT u.id FROM users u JOIN role_grants g ON g.user_id = u.id WHERE g.role = 'mediator' AND g.scope_id = \(bind: a.street!)
            """).first()?.decode(column: "id", as: UUID.self) {
            _ = try await disputes.assign(ctx, dispute: dispute, user: mediator, kind: .judge)
        }
        // The street's repair team (the demo's, where there is one), an item of its, and an order of it by the owner.
        let menu = MenuService(database: app.database, store: app.store, requests: requests)
        var provider = try await sql.raw("SELECT id FROM service_providers WHERE street_id = \(bind: a.street!) AND kind = 'repair_team'").first()?.decode(column: "id", as: UUID.self)
        if provider == nil { provider = try await menu.addProvider(ctx, street: a.street!, compound: nil, kind: .repairTeam, name: "维修队", phone: nil, company: nil).id }
        let team = provider!
        let item = try await menu.saveItem(ctx, id: nil, .init(streetId: a.street!, compoundId: nil, providerId: team, part: .home, name: "矩阵维修", description: "",
                                                               priceMin: 5_000, priceMax: nil, minutes: 60, active: true)).id
        let ownerUser = try await app.auth.createUser(ctx, username: "matrix-owner-" + compound.text.prefix(8), password: "Matrix-2026", displayName: "业主甲",
                                                      role: .owner, scopeId: owner)
        let ownerActor = Actor(kind: .user, id: ownerUser, label: "matrix-owner", grants: [Grant(role: .owner, scopeId: owner)])
        let room = try await menu.orderRooms(ownerActor, on: app.database.db).first { $0.compoundId == compound }!
        let order = try await menu.order(AccessContext(actor: ownerActor, source: "test", address: nil, now: testNow),
                                         .init(itemId: item, roomId: room.id, windowFrom: testNow.addingTimeInterval(3600), windowTo: testNow.addingTimeInterval(7200),
                                               description: "换水管", phone: nil))
        // A meeting for the compound with the company seated.
        let consultation = try await ConsultationService(database: app.database, store: app.store, requests: requests)
            .convene(ctx, .init(communityId: a.community!, compoundIds: [compound], title: "物业会商", heldAt: testNow, place: "",
                                seats: [.init(party: .partyCommittee, name: "书记", companyId: nil)] + (company.map { [.init(party: .company, name: "经理", companyId: $0)] } ?? []),
                                agenda: [], repeatMonthly: 0))
        // A notice to the whole compound, up today, and a residents' survey of it, open for a week.
        let today = Timestamp.today(testNow)
        let notice = try await NoticeService(database: app.database).post(ctx, .init(compoundId: compound, buildingId: nil, entranceId: nil, author: .community,
                                                                                     title: "停水通知", body: "周三停水", validFrom: today, validUntil: today.adding(days: 6)))
        let survey = try await SurveyService(database: app.database).create(ctx, .init(compoundId: compound, buildingIds: [], author: .community, title: "停车意见",
                                                                                       intro: "", audience: .residents, weighted: false,
                                                                                       closesAt: testNow.addingTimeInterval(7 * 86_400),
                                                                                       questions: [SurveyQuestion(kind: .single, text: "是否同意", options: ["同意", "不同意"])]))
        // A week flagged for the compound, still open.
        let hotspots = HotspotService(database: app.database, whistle: WhistleService(database: app.database, requests: requests))
        _ = try await hotspots.raise(compound: compound, category: "sanitation", week: HotspotRules.week(of: today) - 1,
                                     flag: HotspotFlag(count: 9, expectedHundredths: 100, threshold: 5), now: testNow)
        let hotspot = try await sql.raw("SELECT id FROM hotspots WHERE compound_id = \(bind: compound)").first()!.decode(column: "id", as: UUID.self)
        // A submitted inspection of the compound, and a published black placing of its company.
        let assessment = AssessmentService(database: app.database, requests: requests, decisions: DecisionService(database: app.database, store: app.store),
                                           uploads: UploadStore(directory: NSTemporaryDirectory()))
        let inspection = try await assessment.startInspection(ctx, compound: compound, on: nil)
        try await sql.raw("UPDATE inspections SET status = 'submitted', submitted_at = \(bind: testNow) WHERE id = \(bind: inspection)").run()
        let placing = UUID()
        if let company {
            try await sql.raw("""
                INSERT INTO placings (id, district_id, street_id, period, company_id, list, score, rank, triggers, published_by, created_at, updated_at)
                VALUES (\(bind: placing), \(bind: a.district!), \(bind: a.street!), '2026-10', \(bind: company), 'black', 6500, NULL, 'score_below:', 'matrix', \(bind: testNow), \(bind: testNow))
                """).run()
        }
        // A door controller at the compound's gate with a door-forced alert, and a visitor pass of the owner made above.
        let smart = SmartService(database: app.database, store: app.store, requests: requests, whistle: WhistleService(database: app.database, requests: requests), key: [7])
        let (device, deviceKey) = try await smart.register(ctx, compound: compound, .init(kind: .doorController, name: "东门门禁", place: "东门", buildingId: nil, vendor: "", model: ""))
        try await smart.raise(AlertCandidate(kind: .doorForced, at: testNow, eventId: "f1"), device: device, now: testNow, on: app.database.db)
        let alert = try await sql.raw("SELECT id FROM alerts WHERE device_id = \(bind: device.id)").first()!.decode(column: "id", as: UUID.self)
        let pass = try await smart.registerVisitor(AccessContext(actor: ownerActor, source: "test", address: nil, now: testNow), room: room.id,
                                                   VisitorInput(visitorName: "王阿姨", people: 1, plate: nil, validFrom: testNow, validTo: testNow.addingTimeInterval(7 * 86_400 - 60)))
        return Fixtures(compound: compound, community: a.community!, street: a.street!, district: a.district!, owner: owner, request: request,
                        whistleCase: whistle, decision: decision.id, user: user, grant: grant, dispute: dispute, provider: team, item: item, order: order,
                        consultation: consultation, notice: notice, survey: survey, hotspot: hotspot, inspection: inspection, placing: placing,
                        device: device.id, deviceKey: deviceKey, alert: alert, pass: pass.id, passCode: pass.code)
    }

    @Test("inside: each role reads exactly what it should; outside: every signed-in operation fails for every role", arguments: TestDatabase.all)
    func matrix(db: TestDatabase) async throws {
        try await withApp(db, demo: .small) { app, client in
            let world = try await MatrixWorld.build(app)
            let company = world.grants[.companyStaff]!.scopeId, department = world.grants[.departmentLiaison]!.scopeId
            // The company's own compound: the request goes to it, and the case summons it and the department.
            let inside = try await Self.fixtures(app, compound: world.inside[.companyStaff]!["compounds"]!, department: department, company: company)
            let outside = try await Self.fixtures(app, compound: world.outside["compounds"]!, department: world.outside["departments"], company: world.outside["companies"])
            let place = try await Ancestry.of(app, "compounds", inside.compound)
            // Bills of October in both places.
            let fees = FeeService(database: app.database, store: app.store)
            let insideBills = try await fees.generate(MatrixWorld.system, compound: inside.compound, month: CivilDate("2026-10-01")!).created
            let outsideBills = try await fees.generate(MatrixWorld.system, compound: world.outside["compounds"]!, month: CivilDate("2026-10-01")!).created
            #expect(insideBills > 0 && outsideBills > 0)
            var failures: [String] = []
            var checked = 0

            // Inside: who sees the request, the case, the decisions and the fund.
            for role in world.roles {
                let g = world.grants[role]!
                let staff = [.districtAdmin, .streetStaff, .communityStaff].contains(role) && ExpectedReach.contains(g, place)
                let committee = role == .committeeMember && g.scopeId == inside.compound
                let seesRequest = staff || committee || (role == .companyStaff && g.scopeId == company)
                let seesCase = staff || committee || (role == .companyStaff && g.scopeId == company) || (role == .departmentLiaison && g.scopeId == department)
                let actor = Actor(kind: .user, id: nil, label: role.rawValue, grants: [g])
                let reach = [GrantReach(grant: g, contains: ExpectedReach.contains(g, place),
                                        sees: ExpectedReach.sees(g, place, ownerCompounds: world.ownCompounds[role] ?? []))]
                func status(_ d: Decision) -> Int { switch d { case .allow: 200; case .notFound: 404; case .forbidden: 403 } }
                let expectations: [(String, Int)] = [
                    ("/api/v1/requests/\(inside.request.text)", seesRequest ? 200 : 404),
                    ("/api/v1/whistle-cases/\(inside.whistleCase.text)", seesCase ? 200 : 404),
                    ("/api/v1/decisions/\(inside.decision.text)", status(Policy.decide(actor, .read, "decisions", reach: reach))),
                    ("/api/v1/decisions/\(inside.decision.text)/result", status(Policy.decide(actor, .read, "decisions", reach: reach))),
                    ("/api/v1/compounds/\(inside.compound.text)/decisions", status(Policy.decide(actor, .read, "decisions", reach: reach))),
                    ("/api/v1/compounds/\(inside.compound.text)/fund", status(Policy.decide(actor, .read, "fund", reach: reach))),
                ]
                // Disputes: staff over the place, its committee, the company party to it, the mediator assigned; menus: whoever sees the
                // compound; the order: whoever ordered it (an account made here), the repair team it went to, and staff over the place.
                let mediatorAssigned = role == .mediator && g.scopeId == place.street
                let seesDispute = staff || committee || (role == .companyStaff && g.scopeId == company) || mediatorAssigned
                let seesOrder = staff || (role == .serviceProvider && g.scopeId == inside.provider)
                let disputeExpectations: [(String, Int)] = [
                    ("/api/v1/disputes/\(inside.dispute.text)", seesDispute ? 200 : 404),
                    ("/api/v1/compounds/\(inside.compound.text)/menu", status(Policy.decide(actor, .read, "menu", reach: reach))),
                    ("/api/v1/service-orders/\(inside.order.text)", seesOrder ? 200 : 404),
                    // Not yet published: staff over the place, the company seated, the compound's committee.
                    ("/api/v1/consultations/\(inside.consultation.text)", staff || committee || (role == .companyStaff && g.scopeId == company) ? 200 : 404),
                    ("/api/v1/service-providers/\(inside.provider.text)/stats", staff && role != .communityStaff || role == .communityStaff && g.streetId == place.street
                        || (role == .serviceProvider && g.scopeId == inside.provider) ? 200 : 404),
                ]
                // Notices and surveys of the compound: staff over it, its committee, its company, and those who own or live in it.
                let holderOf = (role == .owner || role == .resident) && (world.ownCompounds[role] ?? []).contains(inside.compound)
                let seesCompoundPosts = staff || committee || (role == .companyStaff && g.scopeId == company) || holderOf
                let postExpectations: [(String, Int)] = [
                    ("/api/v1/notices/\(inside.notice.text)", seesCompoundPosts ? 200 : 404),
                    ("/api/v1/surveys/\(inside.survey.text)", seesCompoundPosts ? 200 : 404),
                    // Results of the community's survey while open: staff over the compound; the others who see it wait for the close.
                    ("/api/v1/surveys/\(inside.survey.text)/results", staff ? 200 : seesCompoundPosts ? 403 : 404),
                    // The three rates: staff over the unit only; a community's staff not their street's.
                    ("/api/v1/coverage?level=communities&id=\(inside.community.text)", staff ? 200 : 404),
                    ("/api/v1/coverage/compounds?level=communities&id=\(inside.community.text)&missing=party", staff ? 200 : 404),
                    ("/api/v1/coverage?level=streets&id=\(inside.street.text)", staff && role != .communityStaff ? 200 : 404),
                    ("/api/v1/coverage?level=districts&id=\(inside.district.text)", staff && role == .districtAdmin ? 200 : 404),
                    // A flag: staff over the compound see it (the community's staff too; only the street decides).
                    ("/api/v1/hotspots/\(inside.hotspot.text)", staff ? 200 : 404),
                    // A submitted inspection: staff over the compound, its committee and the company inspected.
                    ("/api/v1/inspections/\(inside.inspection.text)", staff || committee || (role == .companyStaff && g.scopeId == company) ? 200 : 404),
                    // A published placing: everyone with a role in the district.
                    ("/api/v1/placings/\(inside.placing.text)", g.districtId == place.district || (role == .districtAdmin && g.scopeId == place.district) ? 200 : 404),
                    // A street's assessment settings: its staff and district, and those who work in the district; scorecards of its compounds: its staff.
                    ("/api/v1/streets/\(inside.street.text)/assessment-settings", Self.seesStreet(role, g, place) ? 200 : 404),
                    ("/api/v1/scorecards/compounds/\(inside.compound.text)", Self.readsScores(role, g, place) ? 200 : Self.seesStreet(role, g, place) ? 403 : 404),
                    // Devices and access records: staff over the compound and its company; alerts: staff only; a visitor pass: only who made it.
                    ("/api/v1/compounds/\(inside.compound.text)/devices", staff || (role == .companyStaff && g.scopeId == company) ? 200 : 404),
                    ("/api/v1/devices/\(inside.device.text)", staff || (role == .companyStaff && g.scopeId == company) ? 200 : 404),
                    ("/api/v1/access-events?compoundId=\(inside.compound.text)", staff || (role == .companyStaff && g.scopeId == company) ? 200 : 404),
                    ("/api/v1/compounds/\(inside.compound.text)/access-hours", staff || (role == .companyStaff && g.scopeId == company) ? 200 : 404),
                    ("/api/v1/alerts/\(inside.alert.text)", staff ? 200 : 404),
                    ("/api/v1/visitor-passes/\(inside.pass.text)", 404),
                ]
                for (uri, expected) in expectations + disputeExpectations + postExpectations {
                    let (got, body) = try await client.json(.get, uri, token: world.tokens[role]!)
                    checked += 1
                    if Int(got.code) != expected { failures.append("GET \(uri) as \(role.rawValue) inside: \(got.code), expected \(expected) — \(body)") }
                }
                // Bills: staff over the place, its committee, the company that billed, and owners or residents of its rooms (their own only).
                let holder = (role == .owner || role == .resident) && (world.ownCompounds[role] ?? []).contains(inside.compound)
                let seesBills = staff || committee || (role == .companyStaff && g.scopeId == company) || holder
                let bills = try await client.json(.get, "/api/v1/bills?compoundId=\(inside.compound.text)", token: world.tokens[role]!).1["items"]?.arrayValue ?? []
                checked += 1
                if bills.isEmpty == seesBills { failures.append("bills of the inside compound as \(role.rawValue): \(bills.count), expected \(seesBills ? "some" : "none")") }
                if holder && bills.count >= insideBills { failures.append("an \(role.rawValue) sees every room's bills") }
                let everyBill = try await client.json(.get, "/api/v1/bills", token: world.tokens[role]!).1["items"]?.arrayValue ?? []
                if everyBill.contains(where: { $0["compoundId"] == .string(outside.compound.text) }) { failures.append("\(role.rawValue) sees the other district's bills") }
                // Lists hold the inside request and case exactly when the role sees them.
                let requests = try await client.json(.get, "/api/v1/requests?limit=500", token: world.tokens[role]!).1["items"]?.arrayValue ?? []
                let cases = try await client.json(.get, "/api/v1/whistle-cases", token: world.tokens[role]!).1["items"]?.arrayValue ?? []
                checked += 2
                if requests.contains(where: { $0["id"] == .string(inside.request.text) }) != seesRequest { failures.append("request list as \(role.rawValue)") }
                if cases.contains(where: { $0["id"] == .string(inside.whistleCase.text) }) != seesCase { failures.append("case list as \(role.rawValue)") }
                // … and never anything of the other district.
                let disputes = try await client.json(.get, "/api/v1/disputes", token: world.tokens[role]!).1["items"]?.arrayValue ?? []
                let orders = try await client.json(.get, "/api/v1/service-orders", token: world.tokens[role]!).1["items"]?.arrayValue ?? []
                checked += 2
                if disputes.contains(where: { $0["id"] == .string(inside.dispute.text) }) != seesDispute { failures.append("dispute list as \(role.rawValue)") }
                if orders.contains(where: { $0["id"] == .string(inside.order.text) }) != seesOrder { failures.append("order list as \(role.rawValue)") }
                // A scan runs over the caller's own district: street and district staff only.
                let scanned = try await client.json(.post, "/api/v1/hotspots/scan", token: world.tokens[role]!).0
                checked += 1
                let scans = role == .districtAdmin || role == .streetStaff
                if scanned != (scans ? .ok : .forbidden) { failures.append("hotspot scan as \(role.rawValue): \(scanned.code)") }
                // The other district's rates are no one's here.
                for (level, id) in [("districts", outside.district), ("streets", outside.street), ("communities", outside.community)] {
                    let got = try await client.json(.get, "/api/v1/coverage?level=\(level)&id=\(id.text)", token: world.tokens[role]!).0
                    checked += 1
                    if got != .notFound { failures.append("the other district's \(level) coverage as \(role.rawValue): \(got.code)") }
                }
                for (list, id) in [(requests, outside.request), (cases, outside.whistleCase), (disputes, outside.dispute), (orders, outside.order)]
                    where list.contains(where: { $0["id"] == .string(id.text) }) {
                    failures.append("a list as \(role.rawValue) shows the other district's \(id)")
                }
            }

            // Outside: every signed-in operation of every capability, aimed at the other district.
            let bodies = Self.bodies(outside, world: world)
            for entry in app.routeTable().entries where entry.pattern.hasPrefix("/api/v1/") && entry.access != .open {
                if case .resource(let c, _) = entry.access, app.catalog[c] != nil { continue }  // the registry's own matrix
                if entry.pattern.hasPrefix("/api/v1/auth/") || entry.pattern == "/api/v1/audit-events" || entry.pattern == "/api/v1/api-keys" { continue }
                guard entry.pattern.contains(":id") || entry.method != .get else { continue }  // lists are checked above
                if entry.pattern == "/api/v1/hotspots/scan" { continue }  // scans the caller's own district only: checked inside
                if entry.access == .device { continue }  // a device's key, not a person's: checked below
                if entry.pattern == "/api/v1/visitor-passes/check" { continue }  // answers "unknown" outside: checked below
                let key = "\(entry.method.rawValue) \(entry.pattern)"
                let path = entry.pattern.replacingOccurrences(of: ":id", with: Self.target(entry.pattern, outside, world: world).text)
                for role in world.roles {
                    var headers: HTTPFields = [.authorization: "Bearer \(world.tokens[role]!)", .contentType: "application/json"]
                    var body = ByteBuffer(bytes: (bodies[key] ?? .object([:])).encoded())
                    if entry.pattern.hasSuffix("/photos") { headers[.contentType] = "image/png"; body = ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) }
                    if entry.pattern.hasSuffix("/attachments") && entry.method == .post { headers[.contentType] = "application/pdf"; body = ByteBuffer(string: "%PDF-1.4") }
                    let uri = path + (entry.pattern.hasSuffix("/attachments") && entry.method == .post ? "?name=a.pdf" : "")
                    let got = try await client.execute(uri: uri, method: entry.method, headers: headers, body: body) { $0.status }
                    checked += 1
                    let expected: Set<Int> = entry.access == .administer && role != .districtAdmin ? [403]
                        : entry.pattern.contains(":id") ? [404] : [403, 404, 422]
                    if !expected.contains(Int(got.code)) { failures.append("\(key) as \(role.rawValue) outside: \(got.code), expected \(expected.sorted())") }
                }
            }
            // A guard of any role hears "unknown" for the other district's pass, and learns nothing of it; its own gate device cannot use it.
            for role in world.roles {
                let (got, answer) = try await client.json(.post, "/api/v1/visitor-passes/check", .object(["code": .string(outside.passCode)]), token: world.tokens[role]!)
                checked += 1
                if got != .ok || answer["verdict"] != .string("unknown") || answer["pass"] != .null { failures.append("pass check as \(role.rawValue) outside: \(got.code) \(answer)") }
            }
            // Devices: the inside compound's key posts for no device of the other district, checks none of its passes, lists only its own compound's.
            let (posted, ingest) = try await client.json(.post, "/api/v1/device-events", .object(["events": .array([.object([
                "id": .string("m1"), "type": .string("heartbeat"), "at": .string(Timestamp.iso(testNow)), "deviceId": .string(outside.device.text)])])]), token: inside.deviceKey)
            let (_, devicePass) = try await client.json(.post, "/api/v1/device-passes", .object(["code": .string(outside.passCode)]), token: inside.deviceKey)
            let (_, deviceList) = try await client.json(.get, "/api/v1/device-events/devices", token: inside.deviceKey)
            checked += 3
            if posted != .ok || ingest["accepted"] != .int(0) || ingest["rejected"]?.arrayValue.count != 1 { failures.append("an inside device posted for the outside one: \(ingest)") }
            if devicePass["verdict"] != .string("unknown") { failures.append("an inside device checked the other district's pass: \(devicePass)") }
            if deviceList["items"]?.arrayValue.map({ $0["id"] }) != [.string(inside.device.text)] { failures.append("a device lists: \(deviceList)") }
            #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(checked) checks disagree:\n" + failures.prefix(40).joined(separator: "\n")))
            #expect(checked > 8 * 30)
        }
    }

    /// Who sees a street's assessment settings (and so is told 403 rather than 404 when refused more).
    static func seesStreet(_ role: Role, _ g: Grant, _ place: Ancestry) -> Bool {
        switch role {
        case .districtAdmin: g.scopeId == place.district
        case .streetStaff: g.scopeId == place.street
        case .communityStaff, .companyStaff, .committeeMember, .departmentLiaison: g.districtId == place.district
        default: false
        }
    }

    /// Who reads a compound's scorecard: the district's admins, the street's staff and its communities' staff.
    static func readsScores(_ role: Role, _ g: Grant, _ place: Ancestry) -> Bool {
        switch role {
        case .districtAdmin: g.scopeId == place.district
        case .streetStaff: g.scopeId == place.street
        case .communityStaff: g.streetId == place.street
        default: false
        }
    }

    /// The other district's record a path's id names.
    static func target(_ pattern: String, _ f: Fixtures, world: MatrixWorld) -> UUID {
        if pattern.hasPrefix("/api/v1/requests/") { return f.request }
        if pattern.hasPrefix("/api/v1/whistle-cases/") { return f.whistleCase }
        if pattern.hasPrefix("/api/v1/decisions/") { return f.decision }
        if pattern.hasPrefix("/api/v1/compounds/") { return f.compound }
        if pattern.hasPrefix("/api/v1/districts/") { return f.district }
        if pattern.hasPrefix("/api/v1/users/") { return f.user }
        if pattern.hasPrefix("/api/v1/role-grants/") { return f.grant }
        if pattern.hasPrefix("/api/v1/communities/") { return f.community }
        if pattern.hasPrefix("/api/v1/disputes/") { return f.dispute }
        if pattern.hasPrefix("/api/v1/consultations/") { return f.consultation }
        if pattern.hasPrefix("/api/v1/service-providers/") { return f.provider }
        if pattern.hasPrefix("/api/v1/menu-items/") { return f.item }
        if pattern.hasPrefix("/api/v1/service-orders/") { return f.order }
        if pattern.hasPrefix("/api/v1/notices/") { return f.notice }
        if pattern.hasPrefix("/api/v1/surveys/") { return f.survey }
        if pattern.hasPrefix("/api/v1/hotspots/") { return f.hotspot }
        if pattern.hasPrefix("/api/v1/inspections/") { return f.inspection }
        if pattern.hasPrefix("/api/v1/placings/") { return f.placing }
        if pattern.hasPrefix("/api/v1/streets/") { return f.street }
        if pattern.hasPrefix("/api/v1/scorecards/compounds/") { return f.compound }
        if pattern.hasPrefix("/api/v1/devices/") { return f.device }
        if pattern.hasPrefix("/api/v1/alerts/") { return f.alert }
        if pattern.hasPrefix("/api/v1/visitor-passes/") { return f.pass }
        return UUID()  // fund plans, hotline orders: none of the other district's is ever shown
    }

    /// A well-formed body for each operation, so that only the scope can refuse it.
    static func bodies(_ f: Fixtures, world: MatrixWorld) -> [String: JSONValue] {
        let soon = Timestamp.iso(testNow.addingTimeInterval(86_400)), later = Timestamp.iso(testNow.addingTimeInterval(20 * 86_400))
        return [
            "POST /api/v1/requests": .object(["category": .string("other"), "compoundId": .string(f.compound.text), "description": .string("漏水"),
                                              "reporterName": .string("王")]),
            "POST /api/v1/requests/:id/transitions": .object(["event": .string("note"), "note": .string("跟进")]),
            "PUT /api/v1/districts/:id/request-settings": .object([:]),
            "POST /api/v1/whistle-cases": .object(["title": .string("外墙"), "compoundId": .string(f.compound.text), "parties": .array([])]),
            "POST /api/v1/whistle-cases/:id/reports": .object(["partyId": .string(UUID().uuidString), "response": .string("已到场")]),
            "POST /api/v1/whistle-cases/:id/log": .object(["note": .string("进展")]),
            "POST /api/v1/whistle-cases/:id/close": .object(["note": .string("办结")]),
            "POST /api/v1/receptions": .object(["communityId": .string(f.community.text), "heldOn": .string("2026-11-30")]),
            "POST /api/v1/hotline-orders/:id/assign": .object(["compoundId": .string(f.compound.text)]),
            "POST /api/v1/compounds/:id/decisions": .object(["title": .string("续聘"), "matter": .string("other_major"), "opensAt": .string(soon),
                                                             "closesAt": .string(later)]),
            "POST /api/v1/decisions/:id/ballots": .object(["ownerId": .string(f.owner.text), "channel": .string("online"), "choice": .string("yes")]),
            "POST /api/v1/decisions/:id/paper-ballots": .object(["number": .string("12345678"), "ownerId": .string(f.owner.text), "choice": .string("yes")]),
            "POST /api/v1/compounds/:id/fund/deposits": .object(["ratePerSqm": .string("1.00")]),
            "POST /api/v1/compounds/:id/fund/interest": .object(["amount": .string("1.00")]),
            "POST /api/v1/compounds/:id/fund/plans": .object(["project": .string("修缮"), "amount": .string("1.00"), "emergency": .string("lift")]),
            "POST /api/v1/fund-plans/:id/report": .object(["report": .string("已完成")]),
            "POST /api/v1/users": .object(["username": .string("outsider"), "displayName": .string("外区"), "password": .string("Outside-2026"),
                                           "role": .string("street-staff"), "scopeId": .string(f.street.text)]),
            "POST /api/v1/compounds/:id/bills": .object(["month": .string("2026-10")]),
            "POST /api/v1/rooms/:id/payments": .object(["method": .string("cash"), "amount": .string("1.00")]),
            "POST /api/v1/payments/:id/refund": .object(["amount": .string("1.00"), "reason": .string("多收")]),
            "POST /api/v1/rooms/:id/vacancies": .object(["startsOn": .string("2026-10-16")]),
            "POST /api/v1/vacancies/:id/end": .object(["endsOn": .string("2026-10-31")]),
            "PUT /api/v1/districts/:id/fee-settings": .object(["vacantDiscountPercent": .int(10)]),
            "PUT /api/v1/districts/:id/public-pages": .object(["open": .bool(false)]),
            "POST /api/v1/hotspots/:id/whistle": .object(["parties": .array([.object(["kind": .string("company"), "reportBy": .string(soon)])])]),
            "POST /api/v1/hotspots/:id/monthly-problem": .object(["plan": .string("方案")]),
            "POST /api/v1/hotspots/:id/dismiss": .object(["reason": .string("误报")]),
            "POST /api/v1/hotspots/:id/progress": .object(["note": .string("进展")]),
            "PUT /api/v1/streets/:id/assessment-settings": .object([
                "checklist": .array(InspectionRules.standard.map { i in
                    .object(["code": .string(i.code), "section": .string(i.section.rawValue), "text": .string(i.text), "weight": .string(FixedPoint2.format(i.weight)),
                             "deduction": .string(FixedPoint2.format(i.deduction))])
                }),
                "weightInspection": .int(50), "weightRequests": .int(25), "weightResidents": .int(15), "weightParty": .int(10),
                "redTop": .int(3), "redMinimum": .string("90.00"), "blackBelow": .string("70.00"), "monthFloor": .string("60.00")]),
            "POST /api/v1/inspections": .object(["compoundId": .string(f.compound.text)]),
            "PUT /api/v1/districts/:id/coverage-settings": .object(["countStateFallback": .bool(true), "countSelfManaged": .bool(false)]),
            "PUT /api/v1/inspections/:id/lines": .object(["lines": .array([.object(["code": .string("C1"), "findings": .int(1)])])]),
            "POST /api/v1/inspections/:id/answer": .object(["answer": .string("已整改")]),
            "POST /api/v1/streets/:id/lists": .object(["period": .string("2026-10")]),
            "POST /api/v1/placings/:id/consequences": .object(["kind": .string("warning"), "note": .string("警示")]),
            "POST /api/v1/compounds/:id/meters": .object(["name": .string("公区电表"), "kind": .string("electricity"), "unitPrice": .string("0.49")]),
            "POST /api/v1/compounds/:id/meter-readings": .object(["readings": .array([.object(["meter": .string("公区电表"), "month": .string("2026-10"),
                                                                                              "reading": .string("1.00")])])]),
            "POST /api/v1/registrations/:id/review": .object(["reason": .string("证件不清")]),
            "PUT /api/v1/ownerships/:id/certificate": .object(["number": .string("京(2019)朝阳区不动产权第0012345号")]),
            "POST /api/v1/rooms/:id/charges": .object(["item": .string("parking"), "month": .string("2026-11"), "amount": .string("300.00")]),
            "POST /api/v1/bills/:id/dispute": .object(["reason": .string("空置")]),
            "POST /api/v1/bills/:id/settle": .object(["note": .string("已核实")]),
            "POST /api/v1/users/:id/password": .object(["password": .string("Taken-over-1")]),
            "POST /api/v1/users/:id/grants": .object(["role": .string("community-staff"), "scopeId": .string(f.community.text)]),
            "PUT /api/v1/users/:id/party-member": .object(["partyMember": .bool(true)]),
            "POST /api/v1/consultations": .object(["communityId": .string(f.community.text), "compoundIds": .array([.string(f.compound.text)]), "title": .string("会商"),
                                                   "heldAt": .string(soon), "seats": .array([.object(["party": .string("residents"), "name": .string("代表")])])]),
            "POST /api/v1/consultations/:id/agenda": .object(["kind": .string("text"), "title": .string("电梯")]),
            "POST /api/v1/consultations/:id/attendance": .object(["seatIds": .array([])]),
            "POST /api/v1/consultations/:id/minutes": .object(["minutes": .string("纪要")]),
            "POST /api/v1/consultations/:id/publish": .object(["summary": .string("摘要")]),
            "POST /api/v1/action-items/:id/progress": .object(["note": .string("进展")]),
            "POST /api/v1/disputes/:id/agenda": .object(["consultationId": .string(f.consultation.text)]),
            "POST /api/v1/disputes": .object(["compoundId": .string(f.compound.text), "kind": .string("noise"), "title": .string("装修噪音")]),
            "POST /api/v1/requests/:id/dispute": .object(["kind": .string("leak"), "title": .string("漏水")]),
            "POST /api/v1/disputes/:id/events": .object(["kind": .string("note"), "note": .string("回访")]),
            "POST /api/v1/disputes/:id/mediators": .object(["userId": .string(f.user.text), "kind": .string("judge")]),
            "POST /api/v1/communities/:id/legal-activities": .object(["heldOn": .string("2026-11-20"), "topic": .string("民法典")]),
            "POST /api/v1/service-providers": .object(["streetId": .string(f.street.text), "kind": .string("vendor"), "name": .string("外区商户")]),
            "PUT /api/v1/compounds/:id/service-routing": .object(["bigPropertyId": .string(f.provider.text)]),
            "POST /api/v1/menu-items": .object(["streetId": .string(f.street.text), "providerId": .string(f.provider.text), "part": .string("home"),
                                                "name": .string("疏通"), "priceMin": .string("30.00")]),
            "PUT /api/v1/menu-items/:id": .object(["part": .string("home"), "name": .string("疏通"), "priceMin": .string("1.00")]),
            "POST /api/v1/service-orders": .object(["itemId": .string(f.item.text), "roomId": .string(UUID().uuidString), "windowFrom": .string(soon),
                                                    "windowTo": .string(Timestamp.iso(testNow.addingTimeInterval(90_000))), "description": .string("修")]),
            "POST /api/v1/service-orders/:id/events": .object(["event": .string("accept")]),
            "POST /api/v1/notices": .object(["compoundId": .string(f.compound.text), "title": .string("通知"), "body": .string("内容"),
                                             "validFrom": .string("2026-12-01"), "validUntil": .string("2026-12-07")]),
            "PATCH /api/v1/notices/:id": .object(["title": .string("改")]),
            "POST /api/v1/surveys": .object(["compoundId": .string(f.compound.text), "title": .string("意见"), "audience": .string("owners"), "closesAt": .string(later),
                                             "questions": .array([.object(["kind": .string("text"), "text": .string("意见")])])]),
            "POST /api/v1/surveys/:id/responses": .object(["answers": .array([.object(["question": .int(0), "choices": .array([.int(0)])])])]),
            "POST /api/v1/committee-cycles/:id/preparatory-group": .object(["members": .array((0..<3).map { .object(["name": .string("成员\($0)"), "owner": .bool(true)]) }),
                                                                            "leader": .int(0), "formedOn": .string("2026-11-30")]),
            "POST /api/v1/committee-cycles/:id/election": .object(["decisionId": .string(f.decision.text)]),
            "POST /api/v1/committee-cycles/:id/filing": .object(["filedOn": .string("2026-11-30")]),
            "POST /api/v1/committee-cycles/:id/abandon": .object(["reason": .string("无法召开")]),
            "POST /api/v1/management-committees/:id/meetings": .object(["heldOn": .string("2026-11-30"), "subject": .string("议题"), "minutes": .string("纪要")]),
            "POST /api/v1/management-committees/:id/duties": .object(["kind": .string("inspection"), "on": .string("2026-11-30"), "note": .string("检查")]),
            "PUT /api/v1/districts/:id/smart-settings": .object(["feverTenths": .int(373), "confirmMinutes": .int(10), "offlineMinutes": .int(10), "denialCount": .int(5),
                                                                 "denialWindowMinutes": .int(5), "retentionDays": .int(180)]),
            "POST /api/v1/compounds/:id/devices": .object(["kind": .string("camera"), "name": .string("摄像头"), "place": .string("北门")]),
            "PUT /api/v1/devices/:id": .object(["kind": .string("door_controller"), "name": .string("门禁"), "place": .string("东门")]),
            "POST /api/v1/alerts/:id/actions": .object(["action": .string("acknowledge")]),
            "POST /api/v1/access-events/person-search": .object(["districtId": .string(f.district.text), "person": .string("face-1"), "reason": .string("协查走失老人"),
                                                                 "from": .string(Timestamp.iso(testNow.addingTimeInterval(-86_400))), "to": .string(Timestamp.iso(testNow))]),
            "POST /api/v1/visitor-passes": .object(["roomId": .string(UUID().uuidString), "visitorName": .string("访客"), "validFrom": .string(soon),
                                                    "validTo": .string(Timestamp.iso(testNow.addingTimeInterval(90_000)))]),
            "POST /api/v1/surveys/:id/paper-responses": .object(["ownerId": .string(f.owner.text), "answers": .array([.object(["question": .int(0), "choices": .array([.int(0)])])])]),
        ]
    }
}
