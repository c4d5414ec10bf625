import Domain
import Foundation
import Testing

@Suite("Smart property: device events, alerts, visitors and their QR codes")
struct SmartPropertyRulesTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    let s = SmartSettings.standard
    func hash(_ s: String) -> String { "h:" + s }

    @Test("events are checked one by one: kind, what the device reports, time, method, reading range; the person is only ever hashed")
    func eventChecks() {
        func check(_ e: DeviceEventInput, _ kind: DeviceKind = .doorController) -> [String] {
            switch DeviceEventRules.check(e, index: 3, device: kind, now: t0, retentionDays: 180, hash: hash) {
            case .accepted: []
            case .refused(let f): f.map { "\($0.field) \($0.code)" }
            }
        }
        let ok = DeviceEventRules.check(DeviceEventInput(eventId: "e1", kind: "access_granted", occurredAt: t0, method: "face", person: "face-9"),
                                        index: 0, device: .doorController, now: t0, retentionDays: 180, hash: hash)
        #expect(ok == .accepted(DeviceEventFact(eventId: "e1", kind: .accessGranted, at: t0, method: .face, personHash: "h:face-9")))
        #expect(check(DeviceEventInput(eventId: "", kind: "door_opened", occurredAt: nil)) == ["events[3].id required", "events[3].type invalid_choice", "events[3].at required"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "temperature", occurredAt: t0, temperatureTenths: 365)) == ["events[3].type not_reported"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "temperature", occurredAt: t0, temperatureTenths: 299), .thermometer) == ["events[3].temperature out_of_range"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "temperature", occurredAt: t0), .thermometer) == ["events[3].temperature required"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "temperature", occurredAt: t0, temperatureTenths: 450), .thermometer).isEmpty)
        // Five minutes of clock skew ahead is forgiven, a second more is not; older than the retention is refused.
        #expect(check(DeviceEventInput(eventId: "e", kind: "heartbeat", occurredAt: t0.addingTimeInterval(300))).isEmpty)
        #expect(check(DeviceEventInput(eventId: "e", kind: "heartbeat", occurredAt: t0.addingTimeInterval(301))) == ["events[3].at in_future"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "heartbeat", occurredAt: t0.addingTimeInterval(-181 * 86_400))) == ["events[3].at too_old"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "access_denied", occurredAt: t0)) == ["events[3].method required"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "access_denied", occurredAt: t0, method: "iris")) == ["events[3].method invalid_choice"])
        #expect(check(DeviceEventInput(eventId: "e", kind: "visitor_entry", occurredAt: t0)) == ["events[3].passCode required"])
        #expect(DeviceEventRules.reports(.gateway) == [.heartbeat])
    }

    @Test("states and temperatures: offline after exactly the silence; tenths read and written exactly")
    func statesAndTenths() {
        #expect(DeviceEventRules.state(lastSeen: nil, now: t0, offlineMinutes: 10) == .never)
        #expect(DeviceEventRules.state(lastSeen: t0.addingTimeInterval(-599), now: t0, offlineMinutes: 10) == .online)
        #expect(DeviceEventRules.state(lastSeen: t0.addingTimeInterval(-600), now: t0, offlineMinutes: 10) == .offline)
        #expect(DeviceEventRules.celsius(373) == "37.3" && DeviceEventRules.celsius(380) == "38.0")
        #expect(DeviceEventRules.tenths("37.3") == 373 && DeviceEventRules.tenths("38") == 380)
        #expect(DeviceEventRules.tenths("37.25") == nil && DeviceEventRules.tenths("abc") == nil && DeviceEventRules.tenths("-1") == nil)
        #expect(SmartSettings.standard.problems().isEmpty)
        var bad = SmartSettings.standard
        bad.feverTenths = 369; bad.retentionDays = 6; bad.denialCount = 1
        #expect(bad.problems().map(\.field) == ["feverTenths", "denialCount", "retentionDays"])
    }

    @Test("fever at the threshold and not a tenth below; a confirmation reading of the same person within the window clears it")
    func fever() {
        func reading(_ id: String, _ t: Int, _ at: TimeInterval, person: String? = "p") -> DeviceEventFact {
            DeviceEventFact(eventId: id, kind: .temperature, at: t0.addingTimeInterval(at), personHash: person, temperatureTenths: t)
        }
        let raised = AlertRules.raised(by: [reading("a", 372, 0), reading("b", 373, 1), reading("c", 395, 2, person: nil)], settings: s)
        #expect(raised.map(\.eventId) == ["b", "c"])
        #expect(raised[0] == AlertCandidate(kind: .fever, at: t0.addingTimeInterval(1), eventId: "b", temperatureTenths: 373, personHash: "p"))
        // Cleared by the same person below the threshold, after, within ten minutes (600 s inclusive).
        #expect(AlertRules.clears(feverAt: t0, personHash: "p", reading: reading("d", 366, 600), settings: s))
        #expect(!AlertRules.clears(feverAt: t0, personHash: "p", reading: reading("d", 366, 601), settings: s))
        #expect(!AlertRules.clears(feverAt: t0, personHash: "p", reading: reading("d", 373, 60), settings: s))
        #expect(!AlertRules.clears(feverAt: t0, personHash: "p", reading: reading("d", 366, 60, person: "q"), settings: s))
        #expect(!AlertRules.clears(feverAt: t0, personHash: nil, reading: reading("d", 366, 60, person: nil), settings: s))
        #expect(!AlertRules.clears(feverAt: t0, personHash: "p", reading: reading("d", 366, -1), settings: s))
        var none = s
        none.confirmMinutes = 0
        #expect(!AlertRules.clears(feverAt: t0, personHash: "p", reading: reading("d", 366, 60), settings: none))
    }

    @Test("repeated denials: the fifth within five minutes raises one alert, even split across batches; four, or five spread out, do not")
    func denials() {
        func denied(_ i: Int, _ at: TimeInterval) -> DeviceEventFact { DeviceEventFact(eventId: "d\(i)", kind: .accessDenied, at: t0.addingTimeInterval(at), method: .card) }
        #expect(AlertRules.raised(by: (0..<4).map { denied($0, Double($0) * 10) }, settings: s).isEmpty)
        let burst = AlertRules.raised(by: (0..<8).map { denied($0, Double($0) * 10) }, settings: s)
        #expect(burst == [AlertCandidate(kind: .repeatedDenials, at: t0.addingTimeInterval(40), eventId: "d4", count: 5)])
        // Five spread over more than the window: no alert (the window is half-open: 300 s apart is outside).
        #expect(AlertRules.raised(by: (0..<5).map { denied($0, Double($0) * 75) }, settings: s).isEmpty)
        #expect(AlertRules.raised(by: (0..<5).map { denied($0, Double($0) * 74) }, settings: s).count == 1)
        // Three stored before, two new: a burst.
        let split = AlertRules.raised(by: [denied(3, 30), denied(4, 40)], earlierDenials: [0, 10, 20].map { t0.addingTimeInterval($0) }, settings: s)
        #expect(split.map(\.eventId) == ["d4"] && split.first?.count == 5)
        // Doors held open and forced raise at once; granted entries and heartbeats never.
        let doors = AlertRules.raised(by: [DeviceEventFact(eventId: "h", kind: .doorHeldOpen, at: t0), DeviceEventFact(eventId: "f", kind: .doorForced, at: t0),
                                           DeviceEventFact(eventId: "g", kind: .accessGranted, at: t0, method: .face),
                                           DeviceEventFact(eventId: "b", kind: .heartbeat, at: t0)], settings: s)
        #expect(doors.map(\.kind) == [.doorForced, .doorHeldOpen])
    }

    @Test("an alert is acknowledged once, handled, closed; nothing happens to a closed or cleared one")
    func transitions() {
        #expect(AlertRules.next(.open, .acknowledge) == .acknowledged)
        #expect(AlertRules.next(.acknowledged, .acknowledge) == nil)
        #expect(AlertRules.next(.acknowledged, .handle) == .handling)
        #expect(AlertRules.next(.handling, .handle) == nil)
        #expect(AlertRules.next(.open, .toRequest) == .handling && AlertRules.next(.acknowledged, .toWhistle) == .handling)
        #expect(AlertRules.next(.handling, .close) == .closed && AlertRules.next(.open, .note) == .open)
        for status in [AlertStatus.closed, .cleared] { for action in AlertAction.allCases { #expect(AlertRules.next(status, action) == nil) } }
        #expect(!AlertKind.fever.onePerDevice && AlertKind.deviceOffline.onePerDevice)
    }

    @Test("visitor passes: checked fields, codes without look-alikes, admitted only inside the window and only while active")
    func visitors() {
        let ok = VisitorInput(visitorName: "王阿姨", people: 2, plate: "京A12345", validFrom: t0, validTo: t0.addingTimeInterval(3600))
        #expect(VisitorRules.problems(ok, now: t0).isEmpty)
        var bad = ok
        bad.visitorName = " "; bad.people = 21; bad.plate = "ABC"; bad.validTo = t0
        #expect(VisitorRules.problems(bad, now: t0).map(\.field) == ["visitorName", "people", "plate", "validTo", "validTo"])
        bad = ok
        bad.validFrom = t0.addingTimeInterval(31 * 86_400); bad.validTo = bad.validFrom.addingTimeInterval(8 * 86_400)
        #expect(VisitorRules.problems(bad, now: t0).map(\.code) == ["too_long", "too_far"])
        #expect(VisitorRules.validPlate("京AD12345") && VisitorRules.validPlate("沪B1234学") && !VisitorRules.validPlate("京a12345") && !VisitorRules.validPlate("AA12345"))
        var g = SeededRandom(seed: 7)
        let code = VisitorRules.newCode(using: &g)
        #expect(code.count == 8 && code.allSatisfy { VisitorRules.alphabet.contains($0) })
        #expect(VisitorRules.normalise("ab2c-d3e4") == "AB2CD3E4" && VisitorRules.normalise("0OIL 2345") == nil && VisitorRules.normalise("abc") == nil)
        #expect(VisitorRules.normalise("2o2i 3456") == nil)  // O and I read as 0 and 1, which codes never hold
        #expect(VisitorRules.display("AB2CD3E4") == "AB2C D3E4")
        let from = t0, to = t0.addingTimeInterval(3600)
        #expect(VisitorRules.verdict(status: .active, validFrom: from, validTo: to, now: from) == .admitted)
        #expect(VisitorRules.verdict(status: .active, validFrom: from, validTo: to, now: from.addingTimeInterval(-1)) == .notYet)
        #expect(VisitorRules.verdict(status: .active, validFrom: from, validTo: to, now: to) == .expired)
        #expect(VisitorRules.verdict(status: .used, validFrom: from, validTo: to, now: from) == .used)
        #expect(VisitorRules.verdict(status: .revoked, validFrom: from, validTo: to, now: from) == .revoked)
    }

    @Test("Reed–Solomon: the generator of degree 10 as the standard tabulates it, and a codeword's syndromes are zero")
    func reedSolomon() {
        // ISO/IEC 18004 Annex A, degree 10: α exponents 251 67 46 61 118 70 64 94 32 45 (leading term dropped).
        var exp = [UInt8](repeating: 0, count: 256)
        var x: UInt8 = 1
        for i in 0..<255 { exp[i] = x; x = ReedSolomon.multiply(x, 2) }
        #expect(ReedSolomon.divisor(degree: 10) == [251, 67, 46, 61, 118, 70, 64, 94, 32, 45].map { exp[$0] })
        // "HELLO WORLD" at 1-M, the standard's worked example: data codewords and their ten EC codewords.
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, ReedSolomon.divisor(degree: 10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("a QR code reads back: finders and timing where they belong, format bits BCH-valid, and the codewords' error correction consistent")
    func qr() throws {
        for text in ["AB2CD3E4", "GZPASS:AB2CD3E4", String(repeating: "访客", count: 10), String(repeating: "x", count: 106)] {
            let code = try #require(QRCode.encode(text))
            let m = code.modules, n = code.size
            #expect(n == code.version * 4 + 17)
            // Finder at the top left: dark ring, light ring, dark 3×3; separator light.
            #expect(m[0][0] && m[0][6] && m[6][0] && !m[1][1] && m[2][2] && m[3][3] && !m[7][7])
            #expect(m[0][n - 1] && m[0][n - 7] && m[n - 1][0] && m[n - 7][0] && !m[7][n - 8] && !m[n - 8][7])
            #expect((8..<(n - 8)).allSatisfy { m[6][$0] == ($0 % 2 == 0) && m[$0][6] == ($0 % 2 == 0) })
            #expect(m[n - 8][8])  // the dark module
            // Format bits, read from around the top-left finder, match the mask.
            var bits = 0
            let positions: [(Int, Int)] = (0...5).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
            for (i, (x, y)) in positions.enumerated() where m[y][x] { bits |= 1 << i }
            #expect(bits == QRCode.formatBits(mask: code.mask))
            // Unmask, read the codewords in placement order, and check the single block's (or the first block's) syndromes.
            let positionsData = QRCode.dataPositions(version: code.version)
            var bytes: [UInt8] = []
            var byte: UInt8 = 0
            for (i, p) in positionsData.enumerated() {
                let bit = m[p.y][p.x] != QRCode.masked(code.mask, x: p.x, y: p.y)
                byte = byte << 1 | (bit ? 1 : 0)
                if i % 8 == 7 { bytes.append(byte); byte = 0 }
            }
            if code.version <= 3 {
                // One block: data then its EC; the whole is a multiple of the generator (remainder zero).
                let ec = [10, 16, 26][code.version - 1], dataCount = [16, 28, 44][code.version - 1]
                let divisor = ReedSolomon.divisor(degree: ec)
                #expect(ReedSolomon.remainder(Array(bytes[0..<dataCount]), divisor) == Array(bytes[dataCount..<dataCount + ec]))
                // Byte mode, the count, then the text itself.
                #expect(bytes[0] >> 4 == 0b0100)
                let count = Int(bytes[0] & 0x0F) << 4 | Int(bytes[1] >> 4)
                let utf8 = Array(text.utf8)
                #expect(count == utf8.count)
                let decoded = (0..<count).map { i in bytes[1 + i] << 4 | bytes[2 + i] >> 4 }
                #expect(decoded == utf8)
            }
        }
        #expect(QRCode.encode(String(repeating: "x", count: 107)) == nil)
        #expect(QRCode.encode("AB2CD3E4")?.version == 1 && QRCode.encode("GZPASS:AB2CD3E4")?.version == 2)
    }
}
