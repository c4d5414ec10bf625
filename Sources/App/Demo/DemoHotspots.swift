import Domain
import Foundation
import SQLKit

/// Planted hotspots in 大屯街道 so the flags show something: a burst of sanitation requests in
/// 万兴苑 last week (left open for the street to decide), and a burst of public-order requests in
/// another compound three weeks ago that the street made the month's problem with progress; then
/// the detector runs over the last twelve weeks of the whole district.
extension DemoServices {
    func hotspots(now: Date) async throws {
        let requests = RequestService(database: app.database, store: app.store)
        let service = HotspotService(database: app.database, whistle: WhistleService(database: app.database, requests: requests))
        let week = HotspotRules.week(of: Timestamp.today(now))
        let places = try await sql.raw("""
            SELECT p.id, p.name FROM compounds p JOIN communities c ON c.id = p.community_id JOIN streets s ON s.id = c.street_id
            WHERE s.name = '大屯街道' ORDER BY CASE WHEN p.name = '万兴苑' THEN 0 ELSE 1 END, p.name LIMIT 2
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
        guard places.count == 2 else { return }
        let bursts: [(UUID, RequestCategory, Int, [String])] = [
            (places[0].0, .sanitation, -1, ["垃圾桶满溢两天没人清运", "楼道里堆放杂物无人清理", "垃圾分类驿站异味很大", "单元门口垃圾袋堆积", "地下室垃圾无人清理",
                                             "楼后空地垃圾成堆", "垃圾清运车来得太晚"]),
            (places[1].0, .publicOrder, -3, ["小区门口电动车乱停，堵住消防通道", "夜间外来车辆随意进出", "门岗不登记外来人员", "快递车堵在小区主路", "夜里有人在楼下喧哗",
                                              "共享单车堆在单元门口"]),
        ]
        for (compound, category, offset, texts) in bursts {
            for (i, text) in texts.enumerated() {
                let at = CivilTime.beijingMidnight(HotspotRules.monday(ofWeek: week + offset).adding(days: i % 6)).addingTimeInterval(Double(9 + i) * 3_600)
                _ = try await requests.create(.system("demo", source: "demo", now: at), .init(channel: i % 2 == 0 ? .hotline : .phone, category: category, urgency: .general,
                                                                                               compoundId: compound, buildingId: nil, roomId: nil, reporterName: "居民",
                                                                                               reporterPhone: nil, description: text, latitude: nil, longitude: nil))
            }
        }
        _ = try await service.detect(now: now, weeks: 12)
        let street = try await staff("jiedao01", now: now)
        if let flag = try await ids("""
            SELECT id FROM hotspots WHERE compound_id = \(bind: places[1].0) AND category = 'public_order' AND week_start = \(bind: HotspotRules.monday(ofWeek: week - 3).description)
            """).first {
            try await service.monthly(street.at(-18), flag, plan: "街道牵头、社区和物业配合：两周内施划非机动车停放区，门岗恢复外来人员登记，派出所夜间巡逻。")
            try await service.progress(street.at(-12), flag, note: "已在小区主入口施划非机动车停放区 2 处，清理堆放单车 40 余辆。")
            try await service.progress(street.at(-5), flag, note: "门岗恢复登记；本周该类诉求降至 1 件。")
        }
    }
}
