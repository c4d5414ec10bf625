import Domain
import Foundation
import Testing

@Suite("Resident requests: life cycle, deadlines, rates")
struct RequestRulesTests {
    @Test("the happy path and the reopening rating")
    func lifecycle() {
        var s = RequestStatus.received
        for event in [RequestEvent.dispatch, .respond, .start, .resolve] { s = RequestLifecycle.next(s, event)! }
        #expect(s == .resolved)
        #expect(RequestLifecycle.next(.resolved, .rate(resolved: true, satisfaction: .basicallySatisfied)) == .rated)
        #expect(RequestLifecycle.next(.resolved, .rate(resolved: false, satisfaction: .satisfied)) == .dispatched)
        #expect(RequestLifecycle.next(.resolved, .rate(resolved: true, satisfaction: .dissatisfied)) == .dispatched)
        #expect(RequestLifecycle.next(.rated, .close) == .closed)
    }

    @Test("illegal transitions are refused")
    func illegal() {
        #expect(RequestLifecycle.next(.received, .resolve) == nil)
        #expect(RequestLifecycle.next(.closed, .dispatch) == nil)
        #expect(RequestLifecycle.next(.rated, .rate(resolved: true, satisfaction: .satisfied)) == nil)
        #expect(RequestLifecycle.next(.resolved, .escalate) == nil)
        #expect(RequestLifecycle.next(.escalated, .resolve) == .resolved)
        #expect(RequestLifecycle.next(.inProgress, .transfer) == .dispatched)
    }

    @Test("deadlines by urgency; overdue when a step is late")
    func deadlines() {
        let received = Date(timeIntervalSince1970: 1_796_000_000)
        let d = DeadlinePolicy.standard.deadlines(.emergency, receivedAt: received)
        #expect(d.resolveBy.timeIntervalSince(received) == 7_200)
        #expect(DeadlinePolicy.standard.deadlines(.complex, receivedAt: received).resolveBy.timeIntervalSince(received) == 15 * 86_400)
        #expect(!DeadlinePolicy.standard.isOverdue(.emergency, receivedAt: received, respondedAt: nil, resolvedAt: nil, now: received.addingTimeInterval(1_800)))
        #expect(DeadlinePolicy.standard.isOverdue(.emergency, receivedAt: received, respondedAt: nil, resolvedAt: nil, now: received.addingTimeInterval(1_801)))
        #expect(!DeadlinePolicy.standard.isOverdue(.emergency, receivedAt: received, respondedAt: received.addingTimeInterval(60),
                                                   resolvedAt: received.addingTimeInterval(7_200), now: received.addingTimeInterval(90_000)))
    }

    @Test("the three rates and the composite on a hand-worked month")
    func rates() {
        // 4 dispatched, 3 answered in time; 3 rated: resolved+satisfied, resolved+basically, unresolved+dissatisfied.
        let samples = [
            RateSample(dispatched: true, respondedInTime: true, rating: (true, .satisfied)),
            RateSample(dispatched: true, respondedInTime: true, rating: (true, .basicallySatisfied)),
            RateSample(dispatched: true, respondedInTime: false, rating: (false, .dissatisfied)),
            RateSample(dispatched: true, respondedInTime: true, rating: nil),
        ]
        let r = ServiceRates(samples)
        #expect(r.response == Ratio(3, 4))
        #expect(r.resolution == Ratio(2, 3))
        #expect(r.satisfaction == Ratio(180, 300))
        // 30×75% + 35×66.67% + 35×60% = 22.5 + 23.3333 + 21 = 66.8333 → 66.83
        #expect(r.composite() == 6_683)
        #expect(ServiceRates([]).composite() == nil)
    }
}

@Suite("Ranking order")
struct RankOrderTests {
    @Test("equal composites share a rank and the next skips; the default month is the last one ended")
    func ranks() {
        let composites: [Int64] = [9500, 9500, 9000, 8000, 8000, 8000, 7000]
        #expect(RankOrder.ranks(count: composites.count) { composites[$0] == composites[$0 - 1] } == [1, 1, 3, 4, 4, 4, 7])
        #expect(RankOrder.ranks(count: 0) { _ in true } == [])
        #expect(RankOrder.hasSample(rated: 10, minimum: 10) && !RankOrder.hasSample(rated: 9, minimum: 10))
        #expect(RankOrder.lastCompleteMonth(today: "2026-12-01") == "2026-11")
        #expect(RankOrder.lastCompleteMonth(today: "2027-01-15") == "2026-12")
    }
}
