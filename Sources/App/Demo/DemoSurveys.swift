import Domain
import Foundation
import SQLKit

/// Surveys in 万兴苑: a closed one on adding lifts, weighted by area, answered by most owners on
/// paper (entered by the community) with its result; and an open residents' one on parking that
/// the demo owner and resident can still answer. Choices follow fixed rules, so every demo is the same.
extension DemoServices {
    func surveys(now: Date) async throws {
        let service = SurveyService(database: app.database)
        guard let compound = try await ids("SELECT id FROM compounds WHERE name = '万兴苑'").first else { return }
        let asked = now.addingTimeInterval(-30 * 86_400)
        let ctx = { (d: Date) in AccessContext.system("demo", source: "demo", now: d) }
        let lift = try await service.create(ctx(asked), .init(
            compoundId: compound, buildingIds: [], author: .community, title: "老旧小区加装电梯意见征询",
            intro: "根据居民申请，社区拟组织各楼门加装电梯。请业主就是否同意加装及费用分摊方式发表意见。", audience: .owners, weighted: true,
            closesAt: asked.addingTimeInterval(21 * 86_400),
            questions: [SurveyQuestion(kind: .single, text: "是否同意本楼门加装电梯", options: ["同意", "不同意", "无所谓"]),
                        SurveyQuestion(kind: .single, text: "费用分摊方式", options: ["按楼层递增分摊", "按面积分摊", "政府补贴后均摊"]),
                        SurveyQuestion(kind: .multiple, text: "最关心的问题", options: ["采光与噪音", "施工安全", "后期维护费用", "占用绿地"]),
                        SurveyQuestion(kind: .text, text: "其他意见", options: [])]))
        let owners = try await sql.raw("""
            SELECT DISTINCT o.owner_id AS id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: compound) ORDER BY o.owner_id
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        let remarks = ["希望低楼层住户的利益得到照顾", "施工期间请做好围挡", "尽快公示设计方案", "建议同步改造单元门"]
        for (i, owner) in owners.enumerated() where i % 5 != 4 {
            let yes = i % 7 < 5, at = asked.addingTimeInterval(Double(i % 20 + 1) * 86_400 / 1.5)
            var answers: [Int: SurveyAnswer] = [0: SurveyAnswer(choices: [yes ? 0 : (i % 2 == 0 ? 1 : 2)]), 1: SurveyAnswer(choices: [i % 3]),
                                                2: SurveyAnswer(choices: Array(Set([i % 4, (i / 3) % 4])).sorted())]
            if i % 6 == 0 { answers[3] = SurveyAnswer(text: remarks[(i / 6) % remarks.count]) }
            _ = try await service.paper(ctx(at), lift, owner: owner, resident: nil, answers: answers)
        }
        let parking = try await service.create(ctx(now.addingTimeInterval(-3 * 86_400)), .init(
            compoundId: compound, buildingIds: [], author: .committee, title: "小区停车管理方案征求意见",
            intro: "业委会拟调整小区停车管理办法，欢迎全体居民提出意见。", audience: .residents, weighted: false,
            closesAt: now.addingTimeInterval(11 * 86_400),
            questions: [SurveyQuestion(kind: .single, text: "是否赞成外来车辆限时停放", options: ["赞成", "不赞成"]),
                        SurveyQuestion(kind: .text, text: "对停车收费的建议", options: [])]))
        // The demo owner's account is left to answer it.
        let withAccounts = Set(try await ids("SELECT scope_id AS id FROM role_grants WHERE role = 'owner'"))
        for (i, owner) in owners.enumerated() where i % 4 == 1 && !withAccounts.contains(owner) {
            _ = try await service.paper(ctx(now.addingTimeInterval(-Double(i % 3 + 1) * 86_400)), parking, owner: owner, resident: nil,
                                        answers: [0: SurveyAnswer(choices: [i % 3 == 0 ? 1 : 0])])
        }
    }
}
