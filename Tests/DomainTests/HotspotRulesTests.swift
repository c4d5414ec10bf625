import Domain
import Foundation
import Testing

@Suite("Problems found before complaints: the weekly detector")
struct HotspotRulesTests {
    /// A Poisson draw by Knuth's method from a seeded generator, so the streams are the same every run.
    struct Stream {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func poisson(_ lambda: Double) -> Int64 {
            let l = exp(-lambda)
            var k: Int64 = 0, p = 1.0
            repeat { k += 1; p *= uniform() } while p > l
            return k - 1
        }
    }

    @Test("weeks start on Monday; 2026-11-30 is a Monday")
    func weeks() {
        let monday = CivilDate(year: 2026, month: 11, day: 30)
        #expect(HotspotRules.week(of: monday) == HotspotRules.week(of: monday.adding(days: 6)))
        #expect(HotspotRules.week(of: monday) == HotspotRules.week(of: monday.adding(days: -1)) + 1)
        #expect(HotspotRules.monday(ofWeek: HotspotRules.week(of: CivilDate(year: 2026, month: 12, day: 3))) == monday)
        #expect(HotspotRules.monday(ofWeek: HotspotRules.week(of: CivilDate(year: 1970, month: 1, day: 1))) == CivilDate(year: 1969, month: 12, day: 29))
    }

    @Test("the Poisson upper tail: exact small cases, and no underflow at large rates")
    func tail() {
        #expect(abs(HotspotRules.upperTail(1, rate: 2) - (1 - exp(-2))) < 1e-12)
        #expect(abs(HotspotRules.upperTail(3, rate: 1) - (1 - exp(-1) * (1 + 1 + 0.5))) < 1e-12)
        #expect(HotspotRules.upperTail(0, rate: 5) == 1)
        let big = HotspotRules.upperTail(1_000, rate: 1_000)
        #expect(big > 0.45 && big < 0.55)
    }

    @Test("the threshold: at least the minimum count, and the smallest count at or under alpha")
    func threshold() {
        let s = HotspotSettings.standard
        // an empty baseline uses the floor of half a week: five requests in a week is already well above it
        #expect(HotspotRules.threshold(rate: 0.5, s) == 5)
        #expect(HotspotRules.evaluate(count: 4, history: [], s) == nil)
        #expect(HotspotRules.evaluate(count: 5, history: [], s)?.threshold == 5)
        // a baseline of 3 a week: P(X ≥ 8) ≈ 0.012 > 1%, P(X ≥ 9) ≈ 0.0038 ≤ 1%
        let three = Array(repeating: Int64(3), count: 12)
        #expect(HotspotRules.threshold(rate: 3, s) == 9)
        #expect(HotspotRules.evaluate(count: 8, history: three, s) == nil)
        #expect(HotspotRules.evaluate(count: 9, history: three, s) == HotspotFlag(count: 9, expectedHundredths: 300, threshold: 9))
        #expect(HotspotRules.upperTail(9, rate: 3) <= s.alpha && HotspotRules.upperTail(8, rate: 3) > s.alpha)
    }

    @Test("planted hotspots are found; stationary noise is flagged at most at the stated rate")
    func streams() {
        let s = HotspotSettings.standard
        var rng = Stream(state: 20_200_630)
        var found = 0, planted = 0, alarms = 0, tested = 0
        for place in 0..<400 {
            let lambda = [0.3, 1.0, 2.5, 6.0][place % 4]
            var weeks = (0..<40).map { _ in rng.poisson(lambda) }
            // every fifth place gets one week at four times its rate plus six
            let hot = place % 5 == 0 ? 30 : nil
            if let h = hot { weeks[h] = rng.poisson(lambda * 4) + 6; planted += 1 }
            for w in s.baselineWeeks..<weeks.count {
                let flagged = HotspotRules.evaluate(count: weeks[w], history: Array(weeks[(w - s.baselineWeeks)..<w]), s) != nil
                if w == hot { if flagged { found += 1 }; continue }
                // weeks whose baseline holds the planted week are not stationary
                if let h = hot, h < w && w <= h + s.baselineWeeks { continue }
                tested += 1
                if flagged { alarms += 1 }
            }
        }
        #expect(found * 100 >= planted * 90, "found \(found) of \(planted) planted hotspots")
        // the stated 1%, with room for the baseline's own noise (an estimated, not a known, rate)
        #expect(alarms * 100 <= tested * 2, "\(alarms) false alarms in \(tested) stationary weeks")
    }
}
