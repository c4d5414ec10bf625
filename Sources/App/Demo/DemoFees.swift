import Domain
import Foundation
import SQLKit

/// Three months of property fees for the demo community (欧陆经典社区), so the fee pages of
/// `serve --demo` have something to show: bills by the contracts, most rooms paid, some part paid,
/// a few not at all — chosen by a fixed rule, so every demo is the same.
public struct DemoFees: Sendable {
    let app: GongzhiApp

    public init(app: GongzhiApp) { self.app = app }

    public func load(now: Date) async throws {
        let ctx = AccessContext.system("demo", source: "demo", now: now)
        let fees = FeeService(database: app.database, store: app.store)
        let sql = app.database.db.sql()
        let compounds = try await sql.raw("""
            SELECT p.id FROM compounds p JOIN communities c ON c.id = p.community_id WHERE c.name = '欧陆经典社区' ORDER BY p.name
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        let today = Timestamp.today(now)
        var months: [CivilDate] = []
        var m = CivilDate(year: today.year, month: today.month, day: 1)
        for _ in 0..<3 {
            m = m.month == 1 ? CivilDate(year: m.year - 1, month: 12, day: 1) : CivilDate(year: m.year, month: m.month - 1, day: 1)
            months.insert(m, at: 0)
        }
        let methods: [PaymentMethod] = [.wechat, .alipay, .cash, .bankTransfer]
        for compound in compounds {
            for month in months { _ = try await fees.generate(ctx, compound: compound, month: month) }
            let rooms = try await sql.raw("SELECT DISTINCT room_id FROM bills WHERE compound_id = \(bind: compound) ORDER BY room_id").all()
                .map { try $0.decode(column: "room_id", as: UUID.self) }
            for (i, room) in rooms.enumerated() {
                // One room in nine pays nothing; one in six pays all but the last month; the rest pay everything.
                if i % 9 == 4 { continue }
                let bills = try await fees.bills(ctx, room: room, limit: 50).filter { $0.outstanding > 0 }.sorted { $0.periodStart < $1.periodStart }
                let paying = i % 6 == 1 ? Array(bills.dropLast()) : bills
                guard !paying.isEmpty else { continue }
                _ = try await fees.pay(ctx, room: room, method: methods[i % methods.count], reference: nil, amount: paying.reduce(0) { $0 + $1.outstanding },
                                       billIds: paying.map(\.id))
            }
        }
    }
}
