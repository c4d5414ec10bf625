import Domain
import Foundation
import Testing

@Suite("Shared meters")
struct SharedMetersTests {
    @Test("usage: nothing on the first reading, the difference after, all of it on a new meter; backwards is refused")
    func usage() {
        #expect(SharedMeters.usage(previous: nil, current: 120_050, meterChanged: false) == .success(0))
        #expect(SharedMeters.usage(previous: 120_050, current: 131_075, meterChanged: false) == .success(11_025))
        #expect(SharedMeters.usage(previous: 131_075, current: 99_000, meterChanged: false) == .failure(.readingLower))
        #expect(SharedMeters.usage(previous: 131_075, current: 2_500, meterChanged: true) == .success(2_500))
        #expect(SharedMeters.usage(previous: 1, current: -1, meterChanged: true) == .failure(.negative))
    }

    @Test("cost and shares: 110.25 kWh at 0.49 yuan is 54.02; shared by area to the fen, nothing lost or made")
    func shares() {
        let cost = SharedMeters.cost(usage: 11_025, unitPrice: 49)   // 5402.25 fen → 5402
        #expect(cost == 5402)
        let a = UUID(), b = UUID(), c = UUID()
        let s = SharedMeters.shares(cost, areas: [(a, 8937), (b, 12050), (c, 4513)])
        #expect(s.values.reduce(0, +) == cost)
        // by area: 8937/25500 × 5402 = 1893.2…, 12050/25500 × 5402 = 2552.7…, 4513/25500 × 5402 = 956.0…
        #expect(s[a] == 1893 && s[b] == 2553 && s[c] == 956)
    }
}
