import Domain
import Foundation
import Testing

@Suite("What a compound's public page shows")
struct PublicPageRulesTests {
    let today = CivilDate(year: 2026, month: 1, day: 15)

    @Test("pages are on unless the district turned them off")
    func switchDefault() {
        #expect(PublicPageRules.isOpen(districtSetting: nil))
        #expect(PublicPageRules.isOpen(districtSetting: true))
        #expect(!PublicPageRules.isOpen(districtSetting: false))
    }

    @Test("decision results only once voting has ended")
    func results() {
        #expect(PublicPageRules.showsResult(.closed) && PublicPageRules.showsResult(.published))
        #expect(!PublicPageRules.showsResult(.draft) && !PublicPageRules.showsResult(.open))
    }

    @Test("a notice from its first to its last day, not withdrawn")
    func notices() {
        #expect(PublicPageRules.showsNotice(validFrom: today, validUntil: today, withdrawn: false, today: today))
        #expect(!PublicPageRules.showsNotice(validFrom: today.adding(days: 1), validUntil: today.adding(days: 5), withdrawn: false, today: today))
        #expect(!PublicPageRules.showsNotice(validFrom: today.adding(days: -5), validUntil: today.adding(days: -1), withdrawn: false, today: today))
        #expect(!PublicPageRules.showsNotice(validFrom: today, validUntil: today, withdrawn: true, today: today))
    }

    @Test("rates of this month and the one before, across the year's turn")
    func months() {
        #expect(PublicPageRules.rateMonths(today: today) == ["2026-01", "2025-12"])
        #expect(PublicPageRules.rateMonths(today: CivilDate(year: 2026, month: 7, day: 31)) == ["2026-07", "2026-06"])
    }
}
