import Domain
import Foundation
import Hummingbird

/// `/api/v1/…bills`, `…payments`, `/api/v1/collection-rates` and `…/arrears`: property fees.
struct FeeAPI: Sendable {
    let service: FeeService

    func register(on routes: RouteTable) {
        let refusals: [Int: String] = [409: "Refused by the fee rules (nothing owed, already disputed, not disputed, not refundable)"]
        routes.api(.post, SiteURL.apiCompoundBills, .signedIn,
                   OperationDoc("make-bills", "Make the compound's bills for the period containing a month, by each contract's cycle and days; bills made before are kept",
                                tag: "fees"),
                   body: BillRunBody.self, status: .created) { call, body in
            let (created, amount) = try await service.generate(call.access, compound: try call.id("compounds"), month: body.month)
            return BillRunAnswer(created: Int64(created), amount: FixedPoint2.format(amount))
        }
        routes.api(.get, SiteURL.apiBills, .signedIn,
                   OperationDoc("list-bills", "Bills the caller may see (an owner: their rooms'; a company: its own), newest period first", tag: "fees", parameters: [
                       .query("compoundId", .uuid, "compound"), .query("roomId", .uuid, "room"), .query("status", .choice(BillStatus.self), "state"),
                       .query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM the period starts in"),
                   ])) { call in
            let q = call.query
            var errors = FieldErrors()
            func id(_ name: String) -> UUID? {
                guard let raw = q.get(name) else { return nil }
                let id = UUID(uuidString: raw)
                if id == nil { errors.add(name, "invalid_id", "\(name) must be an id") }
                return id
            }
            let compound = id("compoundId"), room = id("roomId")
            var status: BillStatus?
            if let s = q.get("status") { status = BillStatus(rawValue: s); if status == nil { errors.add("status", "invalid_choice", BillStatus.codes.joined(separator: ", ")) } }
            var month: CivilDate?
            if let m = q.get("month") { month = CivilDate(month: m); if month == nil { errors.add("month", "invalid_format", "YYYY-MM") } }
            try errors.throwIfAny()
            return Items(items: try await service.bills(call.access, compound: compound, room: room, status: status, month: month).map(BillAnswer.init))
        }
        routes.api(.get, SiteURL.apiBill, .signedIn, OperationDoc("get-bill", "One bill with what has been paid against it", tag: "fees")) { call in
            BillAnswer(try await service.bill(call.access, try call.id("bills")))
        }
        routes.api(.post, SiteURL.apiBillDispute, .signedIn,
                   OperationDoc("dispute-bill", "The room's owner disputes a bill with a reason; it leaves the arrears until settled", tag: "fees", errors: refusals),
                   body: BillNoteBody.self) { call, body in
            BillAnswer(try await service.dispute(call.access, bill: try call.id("bills"), reason: body.text))
        }
        routes.api(.post, SiteURL.apiBillSettle, .signedIn,
                   OperationDoc("settle-bill", "The company settles a disputed bill, with a note", tag: "fees", errors: refusals), body: BillNoteBody.self) { call, body in
            BillAnswer(try await service.settle(call.access, bill: try call.id("bills"), note: body.text))
        }
        routes.api(.post, SiteURL.apiRoomPayments, .signedIn,
                   OperationDoc("record-payment", "Record a payment (made by cash, WeChat, Alipay or transfer; not processed here) against the room's bills",
                                tag: "fees", errors: refusals),
                   body: PaymentBody.self, status: .created) { call, body in
            PaymentAnswer(try await service.pay(call.access, room: try call.id("rooms"), method: body.method, reference: body.reference, amount: body.amount.fen,
                                                billIds: body.billIds))
        }
        routes.api(.post, SiteURL.apiRoomCharges, .signedIn,
                   OperationDoc("charge-room", "Bill a room for parking or another item for one month (the company serving it, or the district)", tag: "fees",
                                errors: [409: "The room has this item for that month, or no company served it then"]),
                   body: ChargeBody.self, status: .created) { call, body in
            BillAnswer(try await service.charge(call.access, room: try call.id("rooms"), item: body.item, month: body.month, amount: body.amount.fen))
        }
        routes.api(.get, SiteURL.apiPayment, .signedIn, OperationDoc("get-payment", "One payment or refund with the bills it went to", tag: "fees")) { call in
            PaymentAnswer(try await service.payment(call.access, try call.id("payments")))
        }
        routes.api(.post, SiteURL.apiPaymentRefund, .signedIn,
                   OperationDoc("refund-payment", "Refund part or all of a payment, with a reason", tag: "fees", errors: refusals),
                   body: RefundBody.self, status: .created) { call, body in
            PaymentAnswer(try await service.refund(call.access, payment: try call.id("payments"), amount: body.amount.fen, reason: body.reason))
        }
        routes.api(.get, SiteURL.apiCollectionRates, .signedIn,
                   OperationDoc("collection-rates", "The collection rate (收缴率) of a month's bills by compound, community, street or company, lowest first", tag: "fees",
                                parameters: [.query("month", .string(pattern: "^[0-9]{4}-[0-9]{2}$"), "YYYY-MM, default the last complete month"),
                                             .query("level", .choice(FeeService.Level.codes), "compound (default), community, street or company"),
                                             .query("streetId", .uuid, "one street")])) { call in
            let q = try FeeWeb.query(call)
            return Items(items: try await service.rates(call.access, month: q.month, level: q.level, streetId: q.streetId).map(CollectionRateAnswer.init))
        }
        routes.api(.get, SiteURL.apiFeeSettings, .signedIn, OperationDoc("get-fee-settings", "The district's fee rules (its admins)", tag: "fees")) { call in
            let district = try call.id("districts")
            guard Policy.mayAdminister(call.actor, district: district) else { throw DomainError.notFound(entity: "districts", id: district.text) }
            return FeeSettingsAnswer(vacantDiscountPercent: try await service.vacantDiscount(district: district, on: service.db))
        }
        routes.api(.put, SiteURL.apiFeeSettings, .signedIn,
                   OperationDoc("put-fee-settings", "Set the district's discount for vacant rooms (per cent; 0 for none); bills made later use it", tag: "fees"),
                   body: FeeSettingsBody.self) { call, body in
            FeeSettingsAnswer(vacantDiscountPercent: try await service.setVacantDiscount(call.access, district: try call.id("districts"), percent: body.vacantDiscountPercent))
        }
        routes.api(.get, SiteURL.apiRoomVacancies, .signedIn, OperationDoc("list-vacancies", "When a room stood empty", tag: "fees")) { call in
            Items(items: try await service.vacancies(call.access, room: try call.id("rooms")).map(VacancyAnswer.init))
        }
        routes.api(.post, SiteURL.apiRoomVacancies, .signedIn,
                   OperationDoc("add-vacancy", "Record that a room stands empty from a day (the company serving it, or the district)", tag: "fees"),
                   body: VacancyBody.self, status: .created) { call, body in
            guard let starts = body.startsOn else { throw DomainError.invalid([FieldError(field: "startsOn", code: "required", message: "startsOn is required")]) }
            return VacancyAnswer(try await service.addVacancy(call.access, room: try call.id("rooms"), startsOn: starts, endsOn: body.endsOn, note: body.note))
        }
        routes.api(.post, SiteURL.apiVacancyEnd, .signedIn,
                   OperationDoc("end-vacancy", "End an open vacancy on a day", tag: "fees", errors: [409: "The vacancy has ended"]), body: VacancyBody.self) { call, body in
            guard let ends = body.endsOn else { throw DomainError.invalid([FieldError(field: "endsOn", code: "required", message: "endsOn is required")]) }
            return VacancyAnswer(try await service.endVacancy(call.access, try call.id("vacancies"), on: ends))
        }
        routes.api(.get, SiteURL.apiCompoundMeters, .signedIn, OperationDoc("list-meters", "The compound's shared (公摊) meters with their last readings", tag: "fees")) { call in
            Items(items: try await service.meters(call.access, compound: try call.id("compounds")).map(MeterAnswer.init))
        }
        routes.api(.post, SiteURL.apiCompoundMeters, .signedIn,
                   OperationDoc("add-meter", "Add a shared water or electricity meter for the compound or one building, with its price per unit", tag: "fees"),
                   body: MeterBody.self, status: .created) { call, body in
            MeterAnswer(try await service.addMeter(call.access, compound: try call.id("compounds"), name: body.name, kind: body.kind, building: body.buildingId,
                                                   unitPrice: body.unitPrice.fen))
        }
        routes.api(.post, SiteURL.apiCompoundMeterReadings, .signedIn,
                   OperationDoc("record-meter-readings", "Record monthly readings (all or none); each month's cost is shared by area to the rooms as a bill item",
                                tag: "fees"),
                   body: MeterReadingsBody.self, status: .created) { call, body in
            let (n, billed) = try await service.record(call.access, compound: try call.id("compounds"), readings: body.readings)
            return MeterReadingsAnswer(readings: Int64(n), billed: FixedPoint2.format(billed))
        }
        routes.api(.get, SiteURL.apiCompoundArrears, .signedIn,
                   OperationDoc("compound-arrears", "Rooms owing on bills already due, most owed first (disputed bills apart)", tag: "fees")) { call in
            let today = Timestamp.today(call.now)
            return Items(items: try await service.arrears(call.access, compound: try call.id("compounds")).map { ArrearsAnswer($0, today: today) })
        }
    }
}
