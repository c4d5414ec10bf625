import Domain
import Testing

@Suite("Exact areas and money")
struct FixedPoint2Tests {
    @Test("parses up to two decimals exactly", arguments: [("89.50", 8950), ("89.5", 8950), ("89", 8900), ("0.01", 1), ("0", 0), ("123456789.99", 12_345_678_999)])
    func parses(text: String, hundredths: Int64) throws {
        #expect(try FixedPoint2.parse(text) == hundredths)
    }

    @Test("refuses what would have to be rounded or guessed")
    func refuses() {
        #expect(throws: FixedPoint2.ParseError.tooManyDecimals) { try FixedPoint2.parse("12.345") }
        #expect(throws: FixedPoint2.ParseError.negative) { try FixedPoint2.parse("-1") }
        #expect(throws: FixedPoint2.ParseError.empty) { try FixedPoint2.parse("") }
        for bad in ["1e3", " 1", "1.", ".5", "1,5", "+1", "1.2.3", "１２"] {
            #expect(throws: FixedPoint2.ParseError.self, "\(bad)") { try FixedPoint2.parse(bad) }
        }
        #expect(throws: FixedPoint2.ParseError.tooLarge) { try FixedPoint2.parse("9999999999999999") }
    }

    @Test("formats with two decimals", arguments: [(Int64(8950), "89.50"), (1, "0.01"), (0, "0.00"), (100, "1.00"), (-5, "-0.05")])
    func formats(hundredths: Int64, text: String) {
        #expect(FixedPoint2.format(hundredths) == text)
    }

    @Test("negative money only where allowed")
    func negativeMoney() throws {
        #expect(try Money(parsing: "-3.50", allowNegative: true).fen == -350)
        #expect(throws: FixedPoint2.ParseError.negative) { try Money(parsing: "-3.50") }
    }
}

@Suite("Ratios by cross-multiplication")
struct RatioTests {
    @Test("boundaries are exact")
    func boundaries() {
        #expect(Ratio(2, 3).isAtLeast(Ratio(2, 3)))
        #expect(!Ratio(2, 3).isMoreThan(Ratio(2, 3)))
        #expect(Ratio(66_667, 100_000).isAtLeast(Ratio(2, 3)))
        #expect(!Ratio(66_666, 100_000).isAtLeast(Ratio(2, 3)))
        #expect(!Ratio(1, 2).isMoreThan(Ratio(1, 2)))
        #expect(Ratio(50_001, 100_000).isMoreThan(Ratio(1, 2)))
        #expect(!Ratio(0, 0).isAtLeast(Ratio(1, 2)))
        // products beyond Int64 do not overflow
        #expect(Ratio(Int64.max - 1, Int64.max).isAtLeast(Ratio(Int64.max - 2, Int64.max)))
        #expect(!Ratio(Int64.max - 2, Int64.max).isAtLeast(Ratio(Int64.max - 1, Int64.max)))
    }

    @Test("percentages for display")
    func percent() {
        #expect(Ratio(2, 3).percentText == "66.67%")
        #expect(Ratio(1, 8).percentText == "12.50%")
        #expect(Ratio(5, 0).percentText == "—")
    }

    @Test("grouped for pages: thousands separated, exact")
    func grouped() {
        #expect(FixedPoint2.grouped(991_685_643) == "9,916,856.43")
        #expect(FixedPoint2.grouped(100_000) == "1,000.00")
        #expect(FixedPoint2.grouped(99_999) == "999.99")
        #expect(FixedPoint2.grouped(-123_456_78) == "-123,456.78")
        #expect(FixedPoint2.grouped(5) == "0.05")
    }

    @Test("amounts typed with thousands separators read exactly; anything else is left to be refused")
    func ungrouped() throws {
        #expect(FixedPoint2.ungrouped("38,000") == "38000")
        #expect(FixedPoint2.ungrouped("38,000.5") == "38000.5")
        #expect(FixedPoint2.ungrouped("３８，０００．５０") == "38000.50")
        #expect(FixedPoint2.ungrouped("1,234,567.89") == "1234567.89")
        #expect(FixedPoint2.ungrouped("3,80") == "3,80")
        #expect(FixedPoint2.ungrouped("38000.5") == "38000.5")
        #expect(try FixedPoint2.parse(FixedPoint2.ungrouped("38,000.5")) == 3_800_050)
        #expect(throws: FixedPoint2.ParseError.self) { try FixedPoint2.parse(FixedPoint2.ungrouped("3,80")) }
        #expect(throws: FixedPoint2.ParseError.self) { try FixedPoint2.parse(FixedPoint2.ungrouped("1.005")) }
    }
}
