import Domain
import Foundation
import SQLKit

/// A year of assessment in 大屯街道: each compound inspected by the street every month against the
/// standard checklist (findings drawn by fixed rules, worse for some companies than others, one
/// unreported fire-safety hazard in the spring), requests opened from last month's deductions in
/// 万兴苑 and answered by its company, the red and black lists of every complete quarter and of the
/// last two months published, and consequences recorded against the latest quarter's placings.
extension DemoServices {
    func assessment(now: Date) async throws {
        let requests = RequestService(database: app.database, store: app.store)
        let service = AssessmentService(database: app.database, requests: requests, decisions: DecisionService(database: app.database, store: app.store),
                                        uploads: UploadStore(directory: NSTemporaryDirectory()))
        guard let streetId = try await ids("SELECT id FROM streets WHERE name = '大屯街道'").first else { return }
        let street = try await staff("jiedao01", now: now)
        let today = Timestamp.today(now)
        let compounds = try await sql.raw("""
            SELECT p.id, p.name FROM compounds p JOIN communities c ON c.id = p.community_id WHERE c.street_id = \(bind: streetId)
            ORDER BY CASE WHEN p.name = '万兴苑' THEN 0 ELSE 1 END, p.name LIMIT 80
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        // How careful each company is: the order of their names decides, so every demo is the same.
        var companies: [UUID] = []
        for (compound, _) in compounds {
            if let c = try await ServingCompany.of(compound, today: today.description, on: app.database.db), !companies.contains(c) { companies.append(c) }
        }
        var rng = SeededRandom(seed: 0x61_73_73_65_73_73)
        let checklist = InspectionRules.standard
        for monthsAgo in stride(from: 11, through: 0, by: -1) {
            let index = today.year * 12 + today.month - 1 - monthsAgo
            let first = CivilDate(year: index / 12, month: index % 12 + 1, day: 1)
            for (n, (compound, name)) in compounds.enumerated() {
                let day = first.adding(days: 4 + (n * 3) % 20)
                guard day <= today else { continue }
                let serving = try await ServingCompany.of(compound, today: day.description, on: app.database.db)
                let care = serving.flatMap { companies.firstIndex(of: $0) }.map { $0 % 3 } ?? 2
                let chance = [4, 10, 22][care]
                var lines: [AssessmentService.LineInput] = []
                for item in checklist where rng.chance(chance) {
                    lines.append(.init(code: item.code, findings: Int64(rng.int(1...2)), note: nil, hazard: .none))
                }
                // Spring: a blocked fire lane the least careful company had not reported.
                if monthsAgo == 7 && care == 2 && n % 2 == 0 {
                    lines.removeAll { $0.code == "F1" }
                    lines.append(.init(code: "F1", findings: 1, note: "消防通道被杂物堵塞，物业巡查记录中未见上报", hazard: .unreported))
                }
                let ctx = street.at(day.dayNumber - today.dayNumber)
                let id = try await service.startInspection(ctx, compound: compound, on: day)
                if !lines.isEmpty { try await service.score(ctx, id, lines: lines) }
                try await service.submit(ctx, id)
                // Last month's deductions in 万兴苑 go to its company as requests, and it answers.
                if monthsAgo == 1 && name == "万兴苑" {
                    for line in lines.prefix(2) where checklist.first(where: { $0.code == line.code })?.section.requestCategory != nil {
                        _ = try await service.openRequest(ctx, id, code: line.code)
                    }
                    if let company = serving, let user = try await companyStaff(company, now: now) {
                        try await service.answer(user.at(day.dayNumber + 2 - today.dayNumber), id, text: "已安排保洁和工程人员逐项整改，整改照片已上传到工单。")
                    }
                }
            }
        }
        // Lists of every quarter over by now within the year, and of the last two months.
        var periods: [AssessmentPeriod] = []
        var q = AssessmentPeriod.of("quarter", day: today).previous
        for _ in 0..<3 { periods.append(q); q = q.previous }
        var m = AssessmentPeriod.of("month", day: today).previous
        for _ in 0..<2 { periods.append(m); m = m.previous }
        for p in periods.reversed() {
            let published = p.days.to.adding(days: 2)
            guard published <= today else { continue }
            _ = try await service.publish(street.at(published.dayNumber - today.dayNumber), street: streetId, period: p)
        }
        // The latest quarter's consequences: a commendation for its best, a rectification order for its black placings.
        let latest = AssessmentPeriod.of("quarter", day: today).previous
        let ctx = street.at(-(today.dayNumber - latest.days.to.adding(days: 5).dayNumber))
        for p in try await service.placings(ctx, street: streetId, period: latest) {
            if p.list == .red && p.rank == 1 {
                _ = try await service.addConsequence(ctx, placing: p.id, .init(kind: .commendation, note: "街道通报表扬，列入“红色物业”示范。", dueOn: nil, compoundId: nil))
            } else if p.list == .black {
                _ = try await service.addConsequence(ctx, placing: p.id, .init(kind: .interview, note: "街道约谈企业负责人，说明扣分和隐患情况。", dueOn: nil, compoundId: nil))
                _ = try await service.addConsequence(ctx, placing: p.id, .init(kind: .rectification, note: "消防通道和垃圾桶站限期整改，整改后由社区复查。",
                                                                              dueOn: today.adding(days: 20), compoundId: nil))
            }
        }
    }

    /// The first account of a company's staff, if it has one (the demo's company login).
    func companyStaff(_ company: UUID, now: Date) async throws -> DemoActor? {
        guard let username = try await sql.raw("""
            SELECT u.username FROM users u JOIN role_grants g ON g.user_id = u.id WHERE g.role = 'company-staff' AND g.scope_id = \(bind: company) ORDER BY u.username LIMIT 1
            """).first()?.decode(column: "username", as: String.self) else { return nil }
        return try await staff(username, now: now)
    }
}
