import Domain
import Foundation

/// `POST /api/v1/compounds/{id}/bills`: make the bills of the period containing a month.
struct BillRunBody: APIBody {
    let month: CivilDate

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let text = r.text("month", required: true, max: 7, "month is required, like 2026-11")
        let month = text.flatMap { CivilDate(month: $0) }
        if text != nil { r.check(month != nil, "month", "invalid_format", "a month like 2026-11") }
        try r.finish()
        guard let month else { throw r.failure }
        self.month = month
    }

    static var schema: Schema { .object([.req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"))]) }
}

/// `POST /api/v1/rooms/{id}/payments`: a payment recorded against the room's bills.
struct PaymentBody: APIBody {
    let method: PaymentMethod
    let reference: String?
    let amount: Money
    let billIds: [UUID]

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let method = r.choice("method", PaymentMethod.self, required: true)
        let reference = r.text("reference", required: false, max: 100, "at most 100 characters")
        let amount = r.money("amount", required: true, "amount is required: yuan with at most two decimals")
        let raw = r.optional("billIds", [String].self, "billIds is a list of ids") ?? []
        let ids = raw.compactMap(UUID.init(uuidString:))
        r.check(ids.count == raw.count, "billIds", "invalid_id", "billIds is a list of ids")
        try r.finish()
        guard let method, let amount else { throw r.failure }
        self.method = method
        self.reference = reference?.isEmpty == true ? nil : reference
        self.amount = amount
        billIds = ids
    }

    static var schema: Schema {
        .object([.req("method", .choice(PaymentMethod.self)), .opt("reference", .nullable(.string(maxLength: 100))), .req("amount", .decimal),
                 .opt("billIds", .array(.uuid))])
    }
}

/// `POST /api/v1/payments/{id}/refund`.
struct RefundBody: APIBody {
    let amount: Money
    let reason: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let amount = r.money("amount", required: true, "amount is required: yuan with at most two decimals")
        let reason = r.text("reason", required: true, max: 500, "a refund needs a reason (at most 500 characters)")
        try r.finish()
        guard let amount, let reason else { throw r.failure }
        self.amount = amount
        self.reason = reason
    }

    static var schema: Schema { .object([.req("amount", .decimal), .req("reason", .string(minLength: 1, maxLength: 500))]) }
}

/// `POST /api/v1/bills/{id}/dispute` and `…/settle`: a reason, or a note.
struct BillNoteBody: APIBody {
    let text: String

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let text = r.text("reason", required: false, max: 1000, "at most 1000 characters") ?? r.text("note", required: false, max: 1000, "at most 1000 characters")
        try r.finish()
        self.text = text ?? ""
    }

    static var schema: Schema { .object([.opt("reason", .string(maxLength: 1000)), .opt("note", .string(maxLength: 1000))]) }
}

/// What a bill run made.
struct BillRunAnswer: APIAnswer {
    let created: Int64, amount: String
    static var schema: Schema { .object([.req("created", .integer(minimum: 0)), .req("amount", .decimal)]) }
}

/// A bill with what has been paid against it.
struct BillAnswer: APIAnswer {
    let id: String, roomId: String, room: String, compoundId: String, companyId: String, company: String, contractId: String, item: String
    let periodStart: String, periodEnd: String, dueOn: String, area: String, ratePerSqm: String, amount: String, paid: String, outstanding: String
    let status: String, disputeReason: String?

    init(_ b: BillRecord) {
        id = b.id.text; roomId = b.roomId.text; room = b.roomLabel; compoundId = b.compoundId.text; companyId = b.companyId.text; company = b.companyName
        contractId = b.contractId.text; item = b.item; periodStart = b.periodStart.description; periodEnd = b.periodEnd.description; dueOn = b.dueOn.description
        area = FixedPoint2.format(b.area); ratePerSqm = FixedPoint2.format(b.rate); amount = FixedPoint2.format(b.amount); paid = FixedPoint2.format(b.paid)
        outstanding = FixedPoint2.format(b.outstanding); status = b.status.rawValue; disputeReason = b.disputedAt == nil ? nil : b.disputeReason
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("roomId", .uuid), .req("room", .string()), .req("compoundId", .uuid), .req("companyId", .uuid), .req("company", .string()),
                 .req("contractId", .uuid), .req("item", .string()), .req("periodStart", .date), .req("periodEnd", .date), .req("dueOn", .date),
                 .req("area", .decimal), .req("ratePerSqm", .decimal), .req("amount", .decimal), .req("paid", .decimal), .req("outstanding", .decimal),
                 .req("status", .choice(BillStatus.self)), .null("disputeReason", .string())])
    }
}

/// A payment (negative: a refund) and the bills it went to.
struct PaymentAnswer: APIAnswer {
    struct Allocation: Codable, Sendable { let billId: String, period: String, amount: String }
    let id: String, roomId: String, room: String, compoundId: String, compound: String, companyId: String, company: String
    let method: String, reference: String?, amount: String, paidAt: String, reason: String?, refundOf: String?, recordedBy: String
    let allocations: [Allocation]

    init(_ p: PaymentRecord) {
        id = p.id.text; roomId = p.roomId.text; room = p.roomLabel; compoundId = p.compoundId.text; compound = p.compoundName; companyId = p.companyId.text
        company = p.companyName; method = p.method.rawValue; reference = p.reference; amount = FixedPoint2.format(p.amount); paidAt = Timestamp.iso(p.paidAt)
        reason = p.reason; refundOf = p.refundOf?.text; recordedBy = p.recordedBy
        allocations = p.allocations.map { Allocation(billId: $0.billId.text, period: $0.period, amount: FixedPoint2.format($0.amount)) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("roomId", .uuid), .req("room", .string()), .req("compoundId", .uuid), .req("compound", .string()),
                 .req("companyId", .uuid), .req("company", .string()), .req("method", .choice(PaymentMethod.self)), .null("reference", .string()),
                 .req("amount", .decimal), .req("paidAt", .dateTime), .null("reason", .string()), .null("refundOf", .uuid), .req("recordedBy", .string()),
                 .req("allocations", .array(.object([.req("billId", .uuid), .req("period", .string()), .req("amount", .decimal)])))])
    }
}

/// One unit's collection rate for a month.
struct CollectionRateAnswer: APIAnswer {
    let id: String, name: String, billed: String, collected: String, rateByAmount: String, rooms: Int64, roomsPaid: Int64, rateByRooms: String

    init(_ r: FeeService.RateRow) {
        id = r.id.text; name = r.name; billed = FixedPoint2.format(r.rate.billed); collected = FixedPoint2.format(r.rate.collected)
        rateByAmount = r.rate.byAmount.percentText; rooms = Int64(r.rate.rooms); roomsPaid = Int64(r.rate.roomsPaid); rateByRooms = r.rate.byRooms.percentText
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("name", .string()), .req("billed", .decimal), .req("collected", .decimal), .req("rateByAmount", .string()),
                 .req("rooms", .integer(minimum: 0)), .req("roomsPaid", .integer(minimum: 0)), .req("rateByRooms", .string())])
    }
}

/// A room owing on bills already due.
struct ArrearsAnswer: APIAnswer {
    let roomId: String, room: String, outstanding: String, bills: Int64, oldestDue: String, days: Int64

    init(_ a: FeeService.ArrearsRow, today: CivilDate) {
        roomId = a.roomId.text; room = a.room; outstanding = FixedPoint2.format(a.outstanding); bills = Int64(a.bills); oldestDue = a.oldestDue.description
        days = Int64(Billing.daysOverdue(due: a.oldestDue, today: today))
    }

    static var schema: Schema {
        .object([.req("roomId", .uuid), .req("room", .string()), .req("outstanding", .decimal), .req("bills", .integer(minimum: 1)), .req("oldestDue", .date),
                 .req("days", .integer(minimum: 0))])
    }
}

/// `PUT /api/v1/districts/{id}/fee-settings`.
struct FeeSettingsBody: APIBody {
    let vacantDiscountPercent: Int64

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let pct = r.required("vacantDiscountPercent", Int64.self, "vacantDiscountPercent is a whole number from 0 to 100")
        if let pct { r.check((0...100).contains(pct), "vacantDiscountPercent", "out_of_range", "from 0 to 100") }
        try r.finish()
        guard let pct else { throw r.failure }
        vacantDiscountPercent = pct
    }

    static var schema: Schema { .object([.req("vacantDiscountPercent", .integer(minimum: 0, maximum: 100))]) }
}

struct FeeSettingsAnswer: APIAnswer {
    let vacantDiscountPercent: Int64
    static var schema: Schema { .object([.req("vacantDiscountPercent", .integer(minimum: 0, maximum: 100))]) }
}

/// `POST /api/v1/rooms/{id}/vacancies` and `POST /api/v1/vacancies/{id}/end`.
struct VacancyBody: APIBody {
    let startsOn: CivilDate?
    let endsOn: CivilDate?
    let note: String?

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        startsOn = r.date("startsOn", required: false, "a date like 2026-11-16")
        endsOn = r.date("endsOn", required: false, "a date like 2026-12-31")
        note = r.text("note", required: false, max: 500, "at most 500 characters")
        try r.finish()
    }

    static var schema: Schema {
        .object([.opt("startsOn", .date), .opt("endsOn", .nullable(.date)), .opt("note", .nullable(.string(maxLength: 500)))])
    }
}

struct VacancyAnswer: APIAnswer {
    let id: String, roomId: String, startsOn: String, endsOn: String?, note: String?, recordedBy: String

    init(_ v: VacancyRecord) {
        id = v.id.text; roomId = v.roomId.text; startsOn = v.startsOn.description; endsOn = v.endsOn?.description; note = v.note; recordedBy = v.recordedBy
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("roomId", .uuid), .req("startsOn", .date), .null("endsOn", .date), .null("note", .string()), .req("recordedBy", .string())])
    }
}

/// `POST /api/v1/compounds/{id}/meters`.
struct MeterBody: APIBody {
    let name: String, kind: MeterKind, buildingId: UUID?, unitPrice: Money

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let name = r.text("name", required: true, max: 100, "name is required (at most 100 characters)")
        let kind = r.choice("kind", MeterKind.self, required: true)
        let building = r.id("buildingId", required: false)
        let price = r.money("unitPrice", required: true, "unitPrice is yuan per unit with at most two decimals")
        if let price { r.check(price.fen > 0, "unitPrice", "out_of_range", "unitPrice must be more than 0") }
        try r.finish()
        guard let name, let kind, let price else { throw r.failure }
        self.name = name; self.kind = kind; buildingId = building; unitPrice = price
    }

    static var schema: Schema {
        .object([.req("name", .string(minLength: 1, maxLength: 100)), .req("kind", .choice(MeterKind.self)), .opt("buildingId", .nullable(.uuid)),
                 .req("unitPrice", .decimal)])
    }
}

/// `POST /api/v1/compounds/{id}/meter-readings`: a month's readings, all or none.
struct MeterReadingsBody: APIBody {
    let readings: [MeterReadingInput]

    struct Item: Decodable { let meter: String; let month: String; let reading: String; let meterChanged: Bool? }

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let items = r.required("readings", [Item].self, "readings is a list of {meter, month, reading, meterChanged}") ?? []
        var out: [MeterReadingInput] = []
        for (i, item) in items.enumerated() {
            let month = CivilDate(month: item.month)
            let reading = try? FixedPoint2.parse(item.reading)
            r.check(month != nil, "readings[\(i)].month", "invalid_format", "a month like 2026-11")
            r.check(reading != nil, "readings[\(i)].reading", "invalid_amount", "a reading with at most two decimals")
            if let month, let reading { out.append(MeterReadingInput(meter: item.meter, month: month, reading: reading, meterChanged: item.meterChanged ?? false)) }
        }
        r.check(!items.isEmpty, "readings", "required", "at least one reading")
        try r.finish()
        readings = out
    }

    static var schema: Schema {
        .object([.req("readings", .array(.object([.req("meter", .string(minLength: 1, maxLength: 100)), .req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")),
                                                  .req("reading", .decimal), .opt("meterChanged", .boolean)])))])
    }
}

struct MeterAnswer: APIAnswer {
    let id: String, name: String, kind: String, buildingId: String?, unitPrice: String, lastMonth: String?, lastReading: String?

    init(_ m: MeterRecord) {
        id = m.id.text; name = m.name; kind = m.kind.rawValue; buildingId = m.buildingId?.text; unitPrice = FixedPoint2.format(m.unitPrice)
        lastMonth = m.lastMonth; lastReading = m.lastReading.map(FixedPoint2.format)
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("name", .string()), .req("kind", .choice(MeterKind.self)), .null("buildingId", .uuid), .req("unitPrice", .decimal),
                 .null("lastMonth", .string()), .null("lastReading", .decimal)])
    }
}

struct MeterReadingsAnswer: APIAnswer {
    let readings: Int64, billed: String
    static var schema: Schema { .object([.req("readings", .integer(minimum: 0)), .req("billed", .decimal)]) }
}

/// `POST /api/v1/rooms/{id}/charges`: parking, or another item, for one month.
struct ChargeBody: APIBody {
    let item: ChargeItem
    let month: CivilDate
    let amount: Money

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let item = r.choice("item", ChargeItem.self, required: true)
        let text = r.text("month", required: true, max: 7, "a month like 2026-11")
        let month = text.flatMap { CivilDate(month: $0) }
        if text != nil { r.check(month != nil, "month", "invalid_format", "a month like 2026-11") }
        let amount = r.money("amount", required: true, "yuan with at most two decimals")
        try r.finish()
        guard let item, let month, let amount else { throw r.failure }
        self.item = item; self.month = month; self.amount = amount
    }

    static var schema: Schema {
        .object([.req("item", .choice(ChargeItem.self)), .req("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$")), .req("amount", .decimal)])
    }
}
