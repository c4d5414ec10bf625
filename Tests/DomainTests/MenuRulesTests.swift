import Domain
import Foundation
import Testing

@Suite("Menu services: routing by the compound's rule, the order's life, prices, windows, provider figures")
struct MenuRulesTests {
    let big = UUID(), small = UUID(), team = UUID(), one = UUID(), two = UUID()

    @Test("compound-wide items go to the big property; building and home items to the building's small property, else the big one; a team's item to the team")
    func routing() {
        let rule = ServiceRouting(bigProperty: big, smallProperty: [one: small])
        #expect(MenuRules.route(itemProvider: nil, part: .compound, building: one, rule: rule) == big)
        #expect(MenuRules.route(itemProvider: nil, part: .building, building: one, rule: rule) == small)
        #expect(MenuRules.route(itemProvider: nil, part: .home, building: one, rule: rule) == small)
        #expect(MenuRules.route(itemProvider: nil, part: .home, building: two, rule: rule) == big)
        #expect(MenuRules.route(itemProvider: nil, part: .building, building: nil, rule: rule) == big)
        #expect(MenuRules.route(itemProvider: team, part: .home, building: one, rule: rule) == team)
        // A compound no one has been set to serve routes nowhere.
        #expect(MenuRules.route(itemProvider: nil, part: .compound, building: one, rule: ServiceRouting(bigProperty: nil, smallProperty: [one: small])) == nil)
        #expect(MenuRules.route(itemProvider: nil, part: .home, building: two, rule: ServiceRouting(bigProperty: nil)) == nil)
    }

    @Test("the provider accepts, schedules, completes or declines; the resident cancels before the work is done and confirms after")
    func lifecycle() {
        #expect(MenuRules.next(.ordered, .accept) == .accepted)
        #expect(MenuRules.next(.accepted, .schedule) == .scheduled)
        #expect(MenuRules.next(.scheduled, .schedule) == .scheduled)
        #expect(MenuRules.next(.scheduled, .complete) == .completed)
        #expect(MenuRules.next(.accepted, .complete) == .completed)
        #expect(MenuRules.next(.ordered, .complete) == nil)
        #expect(MenuRules.next(.completed, .confirm) == .confirmed)
        #expect(MenuRules.next(.scheduled, .confirm) == nil)
        #expect(MenuRules.next(.scheduled, .cancel) == .cancelled)
        #expect(MenuRules.next(.completed, .cancel) == nil)
        #expect(MenuRules.next(.ordered, .decline) == .declined)
        #expect(MenuRules.next(.scheduled, .decline) == nil)
        for closed in [OrderStatus.confirmed, .declined, .cancelled] {
            #expect(!closed.isOpen)
            #expect(OrderEvent.allCases.allSatisfy { MenuRules.next(closed, $0) == nil })
        }
        #expect(MenuRules.isProviders(.complete) && !MenuRules.isProviders(.confirm) && !MenuRules.isProviders(.cancel))
    }

    @Test("prices from nothing to 100,000 yuan, a range never upside down; ratings one to five; windows forward, not past, at most a week")
    func limits() {
        #expect(MenuRules.validPrice(min: 0, max: nil))
        #expect(MenuRules.validPrice(min: 3_000, max: 3_000))
        #expect(!MenuRules.validPrice(min: 3_000, max: 2_999))
        #expect(!MenuRules.validPrice(min: -1, max: nil))
        #expect(MenuRules.validPrice(min: 10_000_000, max: nil))
        #expect(!MenuRules.validPrice(min: 10_000_001, max: nil))
        #expect(!MenuRules.validPrice(min: 0, max: 10_000_001))
        #expect(!MenuRules.validRating(0) && MenuRules.validRating(1) && MenuRules.validRating(5) && !MenuRules.validRating(6))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(MenuRules.validWindow(from: now.addingTimeInterval(3600), to: now.addingTimeInterval(7200), now: now))
        #expect(MenuRules.validWindow(from: now.addingTimeInterval(-60), to: now.addingTimeInterval(60), now: now))
        #expect(!MenuRules.validWindow(from: now.addingTimeInterval(-61), to: now.addingTimeInterval(60), now: now))
        #expect(!MenuRules.validWindow(from: now.addingTimeInterval(7200), to: now.addingTimeInterval(3600), now: now))
        #expect(MenuRules.validWindow(from: now, to: now.addingTimeInterval(7 * 86_400), now: now))
        #expect(!MenuRules.validWindow(from: now, to: now.addingTimeInterval(7 * 86_400 + 1), now: now))
    }

    @Test("a provider's hand-worked figures: orders, completed, median minutes, the exact average rating, revenue by month")
    func stats() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let nov = CivilDate(year: 2026, month: 11, day: 1), dec = CivilDate(year: 2026, month: 12, day: 1)
        let s = ProviderStats.of([
            OrderFact(status: .confirmed, orderedAt: t0, completedAt: t0.addingTimeInterval(90 * 60), price: 8_000, rating: 5, completedMonth: nov),
            OrderFact(status: .completed, orderedAt: t0, completedAt: t0.addingTimeInterval(30 * 60), price: 3_000, completedMonth: nov),
            OrderFact(status: .confirmed, orderedAt: t0, completedAt: t0.addingTimeInterval(240 * 60), price: 12_050, rating: 4, completedMonth: dec),
            OrderFact(status: .confirmed, orderedAt: t0, completedAt: t0.addingTimeInterval(60 * 60), price: 0, rating: 4, completedMonth: dec),
            OrderFact(status: .declined, orderedAt: t0),
            OrderFact(status: .cancelled, orderedAt: t0),
            OrderFact(status: .ordered, orderedAt: t0),
        ])
        #expect(s.orders == 7 && s.completed == 4 && s.declined == 1 && s.cancelled == 1)
        // 30, 60, 90, 240 → (60 + 90) / 2
        #expect(s.medianMinutesToComplete == 75)
        #expect(s.rating == Ratio(13, 3))
        #expect(s.ratingText == "4.3")
        #expect(s.revenueByMonth == ["2026-11": 11_000, "2026-12": 12_050])
        #expect(s.revenue == 23_050)
        #expect(ProviderStats.of([]).ratingText == "—" && ProviderStats.of([]).medianMinutesToComplete == nil)
    }
}
