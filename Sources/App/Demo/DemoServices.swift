import Domain
import Foundation
import SQLKit

/// The demo's menu services and dispute register in 大屯街道: providers, each 欧陆经典社区 compound's
/// rule and catalogue (`setUp`, before the demo accounts, so the provider's login has its scope),
/// and a year of disputes in every state with sessions, plans, improvements and legal-awareness
/// activities, and a few months of orders (`history`, for `serve --demo`). Chosen by fixed rules,
/// so every demo is the same.
public struct DemoServices: Sendable {
    let app: GongzhiApp

    public init(app: GongzhiApp) { self.app = app }

    var sql: any SQLDatabase { app.database.db.sql() }

    func ids(_ q: SQLQueryString) async throws -> [UUID] { try await sql.raw(q).all().map { try $0.decode(column: "id", as: UUID.self) } }

    /// Providers, rules and catalogues.
    public func setUp(now: Date) async throws {
        let ctx = AccessContext.system("demo", source: "demo", now: now)
        let menu = MenuService(database: app.database, store: app.store, requests: RequestService(database: app.database, store: app.store))
        guard let street = try await ids("SELECT id FROM streets WHERE name = '大屯街道'").first else { return }
        let team = try await menu.addProvider(ctx, street: street, compound: nil, kind: .repairTeam, name: "大屯街道专业维修队", phone: "010-64960110", company: nil)
        let vendor = try await menu.addProvider(ctx, street: street, compound: nil, kind: .vendor, name: "安心开锁换锁服务部", phone: "010-64960220", company: nil)
        for (name, part, min, max, minutes, provider) in [("上门水电维修", ServicePart.home, Int64(5_000), Int64?(20_000), Int64(90), team.id),
                                                          ("卫生间防水维修", .home, 30_000, 120_000, 480, team.id),
                                                          ("开锁换锁", .home, 8_000, 30_000, 60, vendor.id)] {
            _ = try await menu.saveItem(ctx, id: nil, .init(streetId: street, compoundId: nil, providerId: provider, part: part, name: name,
                                                            description: "街道引入的专业队伍，收费低于市场价。", priceMin: min, priceMax: max, minutes: minutes, active: true))
        }
        let today = Timestamp.today(now).description
        for compound in try await ids("SELECT p.id FROM compounds p JOIN communities c ON c.id = p.community_id WHERE c.name = '欧陆经典社区' ORDER BY p.name") {
            var rule: [UUID: UUID] = [:]
            var big: UUID?
            if let company = try await ServingCompany.of(compound, today: today, on: app.database.db),
               let name = try await sql.raw("SELECT name FROM companies WHERE id = \(bind: company)").first()?.decode(column: "name", as: String.self) {
                big = try await menu.addProvider(ctx, street: nil, compound: compound, kind: .bigProperty, name: name, phone: nil, company: company).id
            }
            // 万兴苑's first two buildings keep their former owner unit's service (the small property).
            let buildings = try await ids("SELECT id FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number LIMIT 2")
            if try await sql.raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) == "万兴苑" {
                let small = try await menu.addProvider(ctx, street: nil, compound: compound, kind: .smallProperty, name: "原产权单位物业服务中心", phone: "010-64960330", company: nil)
                for b in buildings { rule[b] = small.id }
            }
            _ = try await menu.setRouting(ctx, compound: compound, big: big, small: rule)
            for (name, part, min, max, minutes) in [("公共区域深度保洁", ServicePart.compound, Int64(20_000), Int64?(nil), Int64(240)),
                                                    ("绿化修剪与补种", .compound, 15_000, 50_000, 180), ("楼道灯与单元门维修", .building, 0, nil, 60),
                                                    ("管道疏通", .home, 8_000, 15_000, 60), ("水龙头、角阀更换", .home, 3_000, 8_000, 30)] {
                _ = try await menu.saveItem(ctx, id: nil, .init(streetId: nil, compoundId: compound, providerId: nil, part: part, name: name, description: "",
                                                                priceMin: min, priceMax: max, minutes: minutes, active: true))
            }
        }
    }

    /// A year of disputes and legal-awareness activities in 大屯街道, months of orders in 万兴苑,
    /// consultations, notices, surveys, and committees in every stage of their life cycle.
    public func history(now: Date) async throws {
        try await disputes(now: now)
        try await orders(now: now)
        try await consultations(now: now)
        try await notices(now: now)
        try await surveys(now: now)
        try await committees(now: now)
        try await hotspots(now: now)
        try await assessment(now: now)
        try await smartProperty(now: now)
        // A year of coverage snapshots from the registry's dated terms and contracts.
        let coverage = CoverageService(database: app.database)
        for day in CoverageRules.monthEnds(through: Timestamp.today(now), count: 12) { _ = try await coverage.record(day: day, now: now) }
    }

    /// A few notices in 万兴苑 so its owners' start pages and the community's list show something:
    /// the community's, the company's to one building, and an expired one.
    func notices(now: Date) async throws {
        let service = NoticeService(database: app.database)
        guard let compound = try await ids("SELECT id FROM compounds WHERE name = '万兴苑'").first else { return }
        let building = try await ids("SELECT id FROM buildings WHERE compound_id = \(bind: compound) ORDER BY number").first
        let today = Timestamp.today(now)
        let system = AccessContext.system("demo", source: "demo", now: now)
        let posts: [(NoticeAuthor, UUID?, String, String, Int, Int)] = [
            (.community, nil, "关于开展冬季消防安全检查的通知", "社区将于本月中旬联合物业开展楼道消防安全检查，请各户清理楼道堆物，保持消防通道畅通。", -3, 14),
            (.company, building, "二次供水设备检修停水通知", "因二次供水设备年度检修，本楼将于检修当日9:00至15:00停水，请提前储水。给您带来不便，敬请谅解。", -1, 5),
            (.community, nil, "垃圾分类桶站改造完成公示", "小区垃圾分类桶站改造已完成，共改造桶站4处，欢迎居民监督。", -40, 10),
        ]
        for (author, b, title, body, from, days) in posts {
            _ = try await service.post(system, .init(compoundId: compound, buildingId: b, entranceId: nil, author: author, title: title, body: body,
                                                     validFrom: today.adding(days: from), validUntil: today.adding(days: from + days)))
        }
    }

    /// 欧陆经典社区's monthly five-party meetings over the last year: signed in (a few without the
    /// residents' representative), minutes with resolutions mostly done, summaries published; the
    /// coming month's meeting scheduled with what is still open on its agenda.
    func consultations(now: Date) async throws {
        let service = ConsultationService(database: app.database, store: app.store, requests: RequestService(database: app.database, store: app.store))
        guard let community = try await ids("SELECT id FROM communities WHERE name = '欧陆经典社区'").first else { return }
        let compounds = try await ids("SELECT id FROM compounds WHERE community_id = \(bind: community) ORDER BY name")
        guard let first = compounds.first else { return }
        let today = Timestamp.today(now)
        let start = DisputeFigures.months(endingWith: today.firstOfMonth, count: 12)[0].adding(days: 9)
        let at = { (d: CivilDate, hour: Int) in CivilTime.beijingMidnight(d).addingTimeInterval(TimeInterval(hour * 3600)) }
        let system = { (d: Date) in AccessContext.system("demo", source: "demo", now: d) }
        let company = try await ServingCompany.of(first, today: today.description, on: app.database.db)
        var companyName: String?
        if let company { companyName = try await sql.raw("SELECT name FROM companies WHERE id = \(bind: company)").first()?.decode(column: "name", as: String.self) }
        let seats: [ConsultationService.SeatInput] = [.init(party: .partyCommittee, name: "社区党委书记", companyId: nil), .init(party: .residentsCommittee, name: "居委会主任", companyId: nil),
                                                      .init(party: .company, name: companyName ?? "物业企业", companyId: company),
                                                      .init(party: .ownersCommittee, name: "万兴苑业委会主任", companyId: nil), .init(party: .residents, name: "居民代表", companyId: nil)]
        let firstId = try await service.convene(system(at(start, 9).addingTimeInterval(-7 * 86_400)), .init(
            communityId: community, compoundIds: compounds, title: "欧陆经典社区五方会商", heldAt: at(start, 19), place: "社区议事厅", seats: seats,
            agenda: [.init(kind: .text, title: "本月物业服务问题汇总")], repeatMonthly: 12))
        let series = try await ids("""
            SELECT id FROM consultations WHERE series_id = (SELECT series_id FROM consultations WHERE id = \(bind: firstId)) ORDER BY held_at
            """)
        let topics = ["地面停车位划线", "3号楼电梯维保", "楼道堆物清理", "绿化补种", "垃圾分类桶站改造", "单元门禁维修"]
        var n = 0
        for id in series {
            let v = try await service.get(system(now), id)
            let day = Timestamp.today(v.record.heldAt)
            guard v.record.heldAt < now.addingTimeInterval(-86_400) else { break }
            n += 1
            let held = system(v.record.heldAt.addingTimeInterval(2 * 3600))
            let present = v.seats.filter { !(n % 4 == 0 && $0.party == .residents) }.map(\.id)
            _ = try await service.attendance(held, consultation: id, attended: Set(present))
            let topic = topics[n % topics.count]
            _ = try await service.minutes(held, consultation: id, minutes: "五方就\(topic)逐项协商，物业提出方案，业委会与居民代表同意。",
                                          resolutions: [.init(title: topic, party: n % 3 == 0 ? .ownersCommittee : .company, dueOn: day.adding(days: 20))])
            _ = try await service.publish(held, consultation: id, summary: "本次会商议定：\(topic)，20日内完成，下次会议通报进展。")
            // Most items are done within the month; every fifth stays open and is carried.
            for item in try await service.get(held, id).resolutions where n % 5 != 0 {
                _ = try await service.progress(system(at(day.adding(days: 12), 10)), actionItem: item.id, note: "已完成：\(item.title)", done: true)
            }
        }
    }

    func disputes(now: Date) async throws {
        let requests = RequestService(database: app.database, store: app.store)
        let service = DisputeService(database: app.database, store: app.store, requests: requests)
        guard let street = try await ids("SELECT id FROM streets WHERE name = '大屯街道'").first else { return }
        let judge = try await ids("SELECT u.id FROM users u JOIN role_grants g ON g.user_id = u.id WHERE g.role = 'mediator' AND g.scope_id = \(bind: street)").first
        let communities = try await ids("SELECT id FROM communities WHERE street_id = \(bind: street) ORDER BY CASE WHEN name = '欧陆经典社区' THEN 0 ELSE 1 END, name LIMIT 6")
        let today = Timestamp.today(now)
        let kinds = DisputeKind.allCases
        let titles: [DisputeKind: String] = [.daylight: "新装空调外机遮挡采光", .noise: "楼上夜间装修噪音", .leak: "楼上卫生间漏水至楼下", .fees: "对物业费标准有异议",
                                             .parking: "车位被长期占用", .renovation: "装修拆改承重墙", .pets: "犬只不拴绳", .sharedParts: "楼道堆物占用公共部位",
                                             .contract: "物业服务不到位要求减免", .other: "邻里间晾晒纠纷"]
        var n = 0
        for (ci, community) in communities.enumerated() {
            let compounds = try await ids("SELECT id FROM compounds WHERE community_id = \(bind: community) ORDER BY name LIMIT 3")
            guard !compounds.isEmpty else { continue }
            for back in (0..<12).reversed() {
                let month = DisputeFigures.months(endingWith: today.firstOfMonth, count: back + 1)[0]
                // A legal-awareness activity most months.
                if (back + ci) % 4 != 3 {
                    let held = CivilDate(year: month.year, month: month.month, day: min(8 + ci, 28))
                    if !(today < held) {
                        _ = try await service.addActivity(.system("demo", source: "demo", now: CivilTime.beijingMidnight(held).addingTimeInterval(10 * 3600)), community: community,
                                                          heldOn: held, topic: ["《民法典》物业服务合同篇", "装修管理规定解读", "文明养犬与邻里相处", "住宅专项维修资金使用"][(back + ci) % 4],
                                                          audience: "社区居民", attendance: Int64(20 + (back * 7 + ci * 5) % 40))
                    }
                }
                for k in 0..<(1 + (back * 5 + ci * 7) % 4) {
                    let received = CivilDate(year: month.year, month: month.month, day: min(3 + k * 9 + ci, 28))
                    guard !(today < received) else { continue }
                    n += 1
                    let kind = kinds[(n * 7) % kinds.count]
                    let compound = compounds[n % compounds.count]
                    let rooms = try await ids("""
                        SELECT r.id FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound)
                        ORDER BY b.number, e.number, r.number LIMIT 2 OFFSET \(bind: (n * 3) % 20)
                        """)
                    let at = { (d: CivilDate) in AccessContext.system("demo", source: "demo", now: CivilTime.beijingMidnight(d).addingTimeInterval(15 * 3600)) }
                    let company = try await ServingCompany.of(compound, today: received.description, on: app.database.db)
                    let parties: [DisputeService.PartyInput] = kind == .contract || kind == .fees
                        ? [.init(kind: .owner, name: "业主", companyId: nil)] + (company.map { [.init(kind: .company, name: "", companyId: $0)] } ?? [])
                        : [.init(kind: .owner, name: "楼上住户", companyId: nil), .init(kind: .owner, name: "楼下住户", companyId: nil)]
                    let id = try await service.report(at(received), .init(compoundId: compound, requestId: nil, kind: kind, source: n % 5 == 0 ? .walkabout : .partyMember,
                                                                          title: titles[kind] ?? "邻里纠纷", description: "党员在走访中收集，报联盟党支部。", roomIds: rooms,
                                                                          parties: parties, receivedOn: received))
                    let age = today.dayNumber - received.dayNumber
                    if let judge, n % 3 == 0 { _ = try await service.assign(at(received), dispute: id, user: judge, kind: .judge) }
                    guard age >= 3 else { continue }
                    let day = { (offset: Int) in CivilDate(year: received.year, month: received.month, day: received.day).adding(days: offset) }
                    _ = try await service.record(at(day(2)), dispute: id, .init(kind: .session, on: day(2), mediatorKind: n % 3 == 0 ? .judge : .alliance,
                                                                              mediatorName: n % 3 == 0 ? "驻支部法官" : "联盟党支部书记", note: "双方到场，说明诉求。", outcome: nil, companyId: nil))
                    guard age >= 12 else { continue }
                    _ = try await service.record(at(day(5)), dispute: id, .init(kind: .plan, on: day(5), mediatorKind: nil, mediatorName: nil,
                                                                              note: "约定整改期限，社区跟进复查。", outcome: nil, companyId: nil))
                    let outcome: DisputeOutcome = n % 11 == 0 ? .referred : n % 13 == 0 ? .withdrawn : n % 17 == 0 ? .unresolved : .mediated
                    let closed = day(6 + n % 20)
                    guard !(today < closed) else { continue }
                    _ = try await service.record(at(closed), dispute: id, .init(kind: .outcome, on: closed, mediatorKind: nil, mediatorName: nil,
                                                                              note: outcome == .mediated ? "签订调解协议。" : "", outcome: outcome, companyId: nil))
                    if let company, kind == .contract || kind == .fees, outcome == .mediated {
                        _ = try await service.record(at(closed), dispute: id, .init(kind: .improvement, on: closed, mediatorKind: nil, mediatorName: nil,
                                                                                  note: "物业公示收费明细，增加保洁频次。", outcome: nil, companyId: company))
                    }
                }
            }
        }
    }

    func orders(now: Date) async throws {
        let menu = MenuService(database: app.database, store: app.store, requests: RequestService(database: app.database, store: app.store))
        let users = try await sql.raw("""
            SELECT u.id, u.username, g.role, g.scope_id FROM users u JOIN role_grants g ON g.user_id = u.id WHERE u.username IN ('yezhu01', 'jumin01') ORDER BY u.username
            """).all().map { r in
            Actor(kind: .user, id: try r.decode(column: "id", as: UUID.self), label: try r.decode(column: "username", as: String.self),
                  grants: [Grant(role: Role(rawValue: try r.decode(column: "role", as: String.self)) ?? .owner, scopeId: try r.decode(column: "scope_id", as: UUID.self))])
        }
        let today = Timestamp.today(now)
        var n = 0
        for actor in users {
            guard let room = try await menu.orderRooms(actor, on: app.database.db).first else { continue }
            let items = try await menu.catalogue(.system("demo", source: "demo", now: now), compound: room.compoundId)
            guard !items.isEmpty else { continue }
            for back in stride(from: 150, through: 1, by: -9) {
                n += 1
                let day = today.adding(days: -back)
                let at = CivilTime.beijingMidnight(day).addingTimeInterval(8 * 3600)
                let item = items[n % items.count]
                let ctx = AccessContext(actor: actor, source: "demo", address: nil, now: at)
                let id = try await menu.order(ctx, .init(itemId: item.id, roomId: room.id, windowFrom: at.addingTimeInterval(3600 * Double(1 + n % 3)),
                                                         windowTo: at.addingTimeInterval(3600 * Double(3 + n % 3)), description: "请上门处理：\(item.name)", phone: nil))
                let provider = AccessContext.system("demo", source: "demo", now: at.addingTimeInterval(1800))
                if n % 10 == 7 {
                    _ = try await menu.change(provider, order: id, .init(event: .decline, reason: "该时段人手不足，请改约"))
                    continue
                }
                _ = try await menu.change(provider, order: id, .init(event: .accept))
                guard back > 2 else { continue }
                let done = AccessContext.system("demo", source: "demo", now: at.addingTimeInterval(3600 * Double(3 + n % 5)))
                _ = try await menu.change(done, order: id, .init(event: .complete, price: item.priceMax.map { (item.priceMin + $0) / 2 } ?? item.priceMin,
                                                                 paymentMethod: [.wechat, .alipay, .cash][n % 3]))
                let rated = AccessContext(actor: actor, source: "demo", address: nil, now: at.addingTimeInterval(86_400))
                _ = try await menu.change(rated, order: id, .init(event: .confirm, rating: [5, 5, 4, 5, 3][n % 5], comment: n % 2 == 0 ? "师傅准时，干活利索" : nil))
            }
        }
    }
}
