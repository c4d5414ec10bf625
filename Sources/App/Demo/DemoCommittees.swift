import Domain
import Foundation
import SQLKit

/// Committees in every stage of their life cycle in 大屯街道, and 物管会s at work. Of the
/// street's compounds with no owners' committee or 物管会 in term (by name): the first is
/// triggered by owners asking, the second has its preparatory group, the third is elected and
/// awaiting filing, the fourth elected and filed, the fifth given up and served by a 物管会 the
/// street formed; an owners' committee whose term ends within 90 days is re-electing through an
/// open vote; 万兴苑 (the demo committee account's compound) gets a 物管会 if it has none in term,
/// and its 物管会 a year of meetings and duty work lists. Paper ballots are recorded by the
/// street's account and confirmed by the district's, as two organisers would. Fixed rules, so
/// every demo of the same day is the same.
extension DemoServices {
    func committees(now: Date) async throws {
        let service = CommitteeService(database: app.database)
        let today = Timestamp.today(now)
        let ctx = { (days: Int) in AccessContext.system("demo", source: "demo", now: now.addingTimeInterval(Double(days) * 86_400)) }
        guard let street = try await ids("SELECT id FROM streets WHERE name = '大屯街道'").first else { return }
        let inTerm: SQLQueryString = """
            EXISTS (SELECT 1 FROM committees k WHERE k.compound_id = p.id AND k.kind IN ('owners_committee', 'management_committee')
            AND k.term_start <= \(bind: today.description) AND (k.term_end IS NULL OR k.term_end >= \(bind: today.description)))
            """
        let free = try await ids("""
            SELECT p.id FROM compounds p JOIN communities c ON c.id = p.community_id WHERE c.street_id = \(bind: street) AND p.name <> '万兴苑' AND NOT
            """ + " " + inTerm + " ORDER BY p.name LIMIT 5")
        let ending = try await ids("""
            SELECT k.compound_id AS id FROM committees k JOIN compounds p ON p.id = k.compound_id JOIN communities c ON c.id = p.community_id
            WHERE c.street_id = \(bind: street) AND p.name <> '万兴苑' AND k.kind = 'owners_committee' AND k.term_end >= \(bind: today.description)
            AND k.term_end <= \(bind: today.adding(days: 90).description) ORDER BY k.term_end, p.name LIMIT 1
            """).first
        func owners(_ compound: UUID) async throws -> Int64 {
            try await sql.raw("""
                SELECT COUNT(DISTINCT o.owner_id) AS n FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
                JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound)
                """).first()?.decode(column: "n", as: Int64.self) ?? 0
        }
        let group = ["李建国", "王秀英", "张志强", "刘淑珍", "陈卫东", "杨桂兰", "赵明"].enumerated().map { CommitteeService.GroupMember(name: $0.element, owner: $0.offset < 6) }
        func triggered(_ p: UUID, _ trigger: CycleTrigger, daysAgo: Int) async throws -> UUID {
            let persons = trigger == .ownersRequest ? (try await owners(p) + 4) / 5 : nil
            return try await service.trigger(ctx(-daysAgo), .init(compoundId: p, trigger: trigger, on: today.adding(days: -daysAgo), persons: persons, area: nil))
        }
        func prepared(_ p: UUID, daysAgo: Int, formedAfter: Int) async throws -> UUID {
            let id = try await triggered(p, .developerReport, daysAgo: daysAgo)
            return try await service.formGroup(ctx(-daysAgo + formedAfter), id, members: group, leader: 0, formedOn: today.adding(days: -daysAgo + formedAfter))
        }
        func managed(_ p: UUID, daysAgo: Int) async throws -> UUID {
            let id = try await triggered(p, .ownersRequest, daysAgo: daysAgo + 40)
            _ = try await service.abandon(ctx(-daysAgo - 10), id, reason: "业主多为出租户，经两次动员仍无法召开首次业主大会，街道决定组建物业管理委员会。")
            let seats: [(String, ManagementSeat)] = [("孙丽华（居委会）", .chair), ("周国平", .viceChair), ("吴海燕", .ownerRepresentative),
                                                      ("郑德福", .ownerRepresentative), ("冯春梅", .ownerRepresentative), ("褚建军（社区民警）", .other), ("何静（社区卫生服务站）", .other)]
            return try await service.formManagement(ctx(-daysAgo), compound: p, formedOn: today.adding(days: -daysAgo), termEnd: today.adding(days: -daysAgo + 3 * 365),
                                                    members: seats.map { .init(name: $0.0, seat: $0.1) })
        }

        if free.count > 0 { _ = try await triggered(free[0], .ownersRequest, daysAgo: 20) }
        if free.count > 1 { _ = try await prepared(free[1], daysAgo: 70, formedAfter: 24) }
        if free.count > 2 {
            let id = try await prepared(free[2], daysAgo: 120, formedAfter: 30)
            let d = try await election(free[2], opensDaysAgo: 30, closesIn: -6, turnout: 9, ctx: ctx)
            _ = try await service.linkElection(ctx(-31), id, decision: d)
            try await decided(d, at: ctx(-5))
        }
        if free.count > 3 {
            let id = try await prepared(free[3], daysAgo: 200, formedAfter: 40)
            let d = try await election(free[3], opensDaysAgo: 90, closesIn: -70, turnout: 9, ctx: ctx)
            _ = try await service.linkElection(ctx(-91), id, decision: d)
            try await decided(d, at: ctx(-68))
            _ = try await service.file(ctx(-50), id, on: today.adding(days: -50))
        }
        if free.count > 4 { try await managementYear(try await managed(free[4], daysAgo: 290), formedDaysAgo: 290, ctx: ctx) }
        if let p = ending {
            let id = try await triggered(p, .termEnding, daysAgo: 45)
            let d = try await election(p, opensDaysAgo: 5, closesIn: 12, turnout: 3, ctx: ctx)
            _ = try await service.linkElection(ctx(-6), id, decision: d)
        }
        if let p = try await ids("SELECT p.id FROM compounds p JOIN communities c ON c.id = p.community_id WHERE c.street_id = \(bind: street) AND p.name = '万兴苑'").first {
            if try await sql.raw("SELECT 1 AS x FROM compounds p WHERE p.id = \(bind: p) AND " + inTerm).first() == nil {
                try await managementYear(try await managed(p, daysAgo: 200), formedDaysAgo: 200, ctx: ctx)
            } else if let k = try await ids("""
                SELECT id FROM committees WHERE compound_id = \(bind: p) AND kind = 'management_committee' AND term_start <= \(bind: today.description)
                AND term_end >= \(bind: today.description)
                """).first {
                let started = try await sql.raw("SELECT term_start FROM committees WHERE id = \(bind: k)").first()?.decode(column: "term_start", as: String.self)
                let days = started.flatMap { CivilDate($0) }.map { today.dayNumber - $0.dayNumber } ?? 200
                try await managementYear(k, formedDaysAgo: days, ctx: ctx)
            }
        }
    }

    /// An elect_committee decision of the compound with seven candidates for five seats, opened
    /// `opensDaysAgo` and closing in `closesIn` days; `turnout` in ten owners return paper sheets
    /// while it is open (the street records, the district confirms), choosing by fixed rules.
    func election(_ compound: UUID, opensDaysAgo: Int, closesIn: Int, turnout: Int, ctx: (Int) -> AccessContext) async throws -> UUID {
        let decisions = DecisionService(database: app.database, store: app.store)
        let candidates = ["李建国", "王秀英", "张志强", "刘淑珍", "陈卫东", "杨桂兰", "赵明"]
        let made = try await decisions.create(ctx(-opensDaysAgo - 1), compound: compound, .init(
            title: "选举业主委员会委员", matter: .electCommittee, description: "首次业主大会（书面征求意见形式）选举业主委员会委员，应选 5 名，每位业主最多同意 5 名候选人。",
            opensAt: ctx(-opensDaysAgo).now, closesAt: ctx(closesIn).now, candidates: candidates, seats: 5, companyId: nil, contractId: nil))
        _ = try await decisions.open(ctx(-opensDaysAgo), made.id)
        let recorder = try await staff("jiedao01", now: ctx(0).now), confirmer = try await staff("quguan01", now: ctx(0).now)
        let sheets = try await decisions.paperRegister(ctx(-opensDaysAgo), made.id)
        let voters = try await sql.raw("SELECT voter_key, owner_ids FROM decision_voters WHERE decision_id = \(bind: made.id) ORDER BY owner_ids").all()
        let span = max(1, min(opensDaysAgo, opensDaysAgo + closesIn) - 1)
        for (i, v) in voters.enumerated() where i % 10 < turnout {
            let key = try v.decode(column: "voter_key", as: UUID.self)
            guard let owner = try v.decode(column: "owner_ids", as: String.self).split(separator: ",").first.flatMap({ UUID(uuidString: String($0)) }),
                  let sheet = sheets.first(where: { $0.voterKey == key }) else { continue }
            // Most back the first five; every fourth swaps one of them for 杨桂兰 or 赵明; at most five yes.
            let swapped = i % 4 == 0 ? (i / 4) % 5 : -1, instead = 5 + (i / 4) % 2
            var choices: [String: Choice] = [:]
            for (c, name) in candidates.enumerated() {
                choices[name] = (c < 5 && c != swapped) || (swapped >= 0 && c == instead) ? .yes : (c == 6 && i % 3 == 0 ? .abstain : .no)
            }
            let day = -opensDaysAgo + 1 + i % span
            _ = try await decisions.recordPaper(recorder.at(day), made.id, number: sheet.number, owner: owner, choice: nil, choices: choices)
            _ = try await decisions.confirmPaper(confirmer.at(day), made.id, number: sheet.number)
        }
        return made.id
    }

    /// Closes (at its window's end), publishes and applies an election: the committee is installed.
    func decided(_ id: UUID, at: AccessContext) async throws {
        let decisions = DecisionService(database: app.database, store: app.store)
        _ = try await decisions.get(at, id)
        if try await decisions.load(id, on: app.database.db).status == .open { _ = try await decisions.close(at, id, reason: nil) }
        _ = try await decisions.publish(at, id)
        _ = try await decisions.apply(at, id, monthlyFee: nil, startsOn: nil, endsOn: nil)
    }

    /// A year of a 物管会's meetings (every second month, one called by members) and duty entries.
    func managementYear(_ committee: UUID, formedDaysAgo: Int, ctx: (Int) -> AccessContext) async throws {
        let service = CommitteeService(database: app.database)
        let k = try await service.committee(ctx(0), committee, on: app.database.db)
        let ids = k.members.map(\.id)
        let subjects = [("物业服务费收缴情况及催缴方式", "督促物业公司按季度公示收支情况"), ("小区停车秩序整治方案", "同意划定临时停车位并试行三个月"),
                        ("冬季供暖保障与楼道保温", "请物业公司在供暖季前完成楼道窗户维修"), ("垃圾分类桶站位置调整", "同意将3号楼桶站移至东侧空地")]
        let first = min(formedDaysAgo - 10, 330)
        for (i, offset) in stride(from: first, to: 0, by: -60).enumerated() {
            let (subject, decision) = subjects[i % subjects.count]
            let present = i == 2 ? Array(ids.prefix(3)) : ids.enumerated().filter { $0.offset % 5 != 4 }.map(\.element)
            let signatures = present.count > ids.count / 2 ? Array(present.prefix(ids.count / 2 + 1)) : []
            let minutes = "会议由主任主持。物业公司项目经理列席并汇报近期工作，委员逐项提出意见。\n议定：\(decision)。"
            _ = try? await service.meeting(ctx(-offset + 1), committee: committee, .init(
                heldOn: Timestamp.today(ctx(-offset).now), calledBy: i == 1 ? "members" : "chair", requests: i == 1 ? (ids.count + 2) / 3 : 0, present: present,
                subject: subject, minutes: minutes, decisions: signatures.isEmpty ? [] : [(decision, signatures)]))
        }
        let duties: [(ManagementDuty, String)] = [
            (.opinions, "入户及线上收集居民对物业服务的意见 36 条，已汇总反馈物业公司。"), (.inspection, "检查小区公共区域保洁与绿化，发现 2 处垃圾堆放，已要求物业当日清理。"),
            (.report, "向社区党委、居委会报告本季度物业服务情况及居民主要诉求。"), (.mobilisation, "动员楼门长和志愿者参与小区环境整治，参与居民 45 人次。"),
            (.feeGuidance, "走访欠费业主 12 户，讲解物业服务内容和收费标准，8 户已补缴。"), (.inspection, "随物业公司检查消防通道和消防设施，督促更换过期灭火器 6 具。"),
        ]
        for (i, (kind, note)) in duties.enumerated() {
            let day = -max(1, formedDaysAgo - 20 - i * (formedDaysAgo - 20) / duties.count)
            _ = try await service.duty(ctx(day), committee: committee, kind: kind, on: Timestamp.today(ctx(day).now), note: note)
        }
    }

    /// The signed-in context of a demo account, so acts that need a person (confirming a paper
    /// ballot someone else recorded) are theirs.
    func staff(_ username: String, now: Date) async throws -> DemoActor {
        guard let id = try await ids("SELECT id FROM users WHERE username = \(bind: username)").first else {
            throw DomainError.notFound(entity: "users", id: username)
        }
        let info = try await app.auth.userInfo(id, on: app.database.db)
        return DemoActor(actor: Actor(kind: .user, id: id, label: username, grants: info.grants), now: now)
    }

    struct DemoActor {
        let actor: Actor, now: Date
        /// Acting `days` days from the demo's now.
        func at(_ days: Int) -> AccessContext {
            AccessContext(actor: actor, source: "demo", address: nil, now: now.addingTimeInterval(Double(days) * 86_400))
        }
    }
}
