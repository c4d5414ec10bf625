import Domain
import Foundation
import Hummingbird
import SQLKit

/// A room's bills and payments, the reminder to pay and the receipt.
extension FeeWeb {
    func room(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let room = try call.id("rooms")
        let bills = try await service.bills(call.access, room: room, limit: 500)
        let payments = try await service.payments(call.access, room: room)
        // A room the caller sees in the registry but that has no bills yet shows so, rather than 404.
        try await service.store.access.authorize(call.access, .read, service.store.catalog["rooms"]!, id: room, on: service.db)
        guard let place = try await service.db.sql().raw("""
            SELECT b.compound_id, bd.number || ' ' || e.number || ' ' || r.number AS label FROM rooms r JOIN entrances e ON e.id = r.entrance_id
            JOIN buildings bd ON bd.id = e.building_id JOIN buildings b ON b.id = bd.id WHERE r.id = \(bind: room)
            """).first() else { throw DomainError.notFound(entity: "rooms", id: room.text) }
        let first = (compoundId: try place.decode(column: "compound_id", as: UUID.self), roomLabel: try place.decode(column: "label", as: String.self))
        let keeper = (try? await service.store.access.authorize(call.access, .create, "fees", inCompound: first.compoundId, on: service.db)) != nil
        let holder = FeeScope.isHolder(call.actor)
        let csrf = H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])
        let action = SiteURL.roomBills.link(room.text)
        let owed = bills.filter { $0.disputedAt == nil }.reduce(Int64(0)) { $0 + $1.outstanding }
        // Shared meters' bills name their meter.
        let meterNames = Dictionary(uniqueKeysWithValues: try await service.db.sql().raw("SELECT id, name FROM meters WHERE compound_id = \(bind: first.compoundId)").all()
            .map { ("meter:" + (try $0.decode(column: "id", as: UUID.self)).text, try $0.decode(column: "name", as: String.self)) })
        func itemLabel(_ item: String) -> String {
            if let meter = meterNames[item] { return t("fees.item.shared") + " · " + meter }
            return L10n.table["fees.item." + item] != nil ? t("fees.item." + item) : item
        }
        var content: [N] = [
            H.el("h1", [], text: "\(first.roomLabel) · \(t("fees.roomBills"))"),
            H.el("div", [("class", "figures")], [RegistryPages.figure(t("fees.outstanding"), FixedPoint2.grouped(owed))]),
            bills.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "bills")], [H.table(
                [t("fees.period"), t("fees.item"), t("fees.company"), t("fees.amount"), t("fees.paid"), t("fees.outstanding"), t("fees.status")]
                    + (holder || keeper ? [t("list.actions")] : []),
                bills.map { b in
                    var cells: [N] = [H.t("\(b.periodStart) — \(b.periodEnd)"), H.t(itemLabel(b.item)), H.t(b.companyName), H.t(FixedPoint2.grouped(b.amount)), H.t(FixedPoint2.grouped(b.paid)),
                                      H.t(FixedPoint2.grouped(b.outstanding)),
                                      H.el("span", [("class", "badge status-\(b.status.rawValue)"), ("id", "status-\(b.id.text)")], text: t(b.status.labelKey))]
                    if holder || keeper {
                        var acts: [N] = []
                        if holder && b.disputedAt == nil && b.status != .paid {
                            acts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("id", "dispute-\(b.id.text)")], [
                                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "dispute")]),
                                H.void("input", [("type", "hidden"), ("name", "billId"), ("value", b.id.text)]),
                                H.void("input", [("type", "text"), ("name", "reason"), ("required", nil), ("placeholder", t("fees.disputeReason")), ("aria-label", t("fees.disputeReason"))]),
                                H.el("button", [("type", "submit")], text: t("fees.dispute")),
                            ]))
                        }
                        if keeper && b.disputedAt != nil {
                            acts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form")], [
                                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "settle")]),
                                H.void("input", [("type", "hidden"), ("name", "billId"), ("value", b.id.text)]),
                                H.void("input", [("type", "text"), ("name", "note"), ("placeholder", t("fees.settleNote")), ("aria-label", t("fees.settleNote"))]),
                                H.el("button", [("type", "submit")], text: t("fees.settle")),
                            ]))
                        }
                        if let reason = b.disputeReason, b.disputedAt != nil { acts.append(H.el("p", [("class", "muted")], text: t("fees.disputed", reason))) }
                        cells.append(H.group(acts))
                    }
                    return cells
                }, numericFrom: 3)]),
        ]
        // When the room stood empty: billed at the district's discount for those days.
        let vacancies = try await service.vacancies(call.access, room: room)
        if keeper || !vacancies.isEmpty {
            content.append(H.el("h2", [], text: t("fees.vacancies")))
            content.append(vacancies.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("ul", [("id", "vacancies")], vacancies.map { v in
                var nodes: [N] = [H.t("\(v.startsOn) — \(v.endsOn?.description ?? t("fees.untilNow"))" + (v.note.map { " · " + $0 } ?? ""))]
                if keeper && v.endsOn == nil {
                    nodes.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form")], [
                        csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "endVacancy")]), H.void("input", [("type", "hidden"), ("name", "vacancyId"), ("value", v.id.text)]),
                        H.void("input", [("type", "date"), ("name", "endsOn"), ("required", nil), ("aria-label", t("fees.vacancyEnds"))]),
                        H.el("button", [("type", "submit")], text: t("fees.endVacancy")),
                    ]))
                }
                return H.el("li", [], nodes)
            }))
            if keeper {
                content.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("id", "vacancy-form")], [
                    csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "vacancy")]),
                    H.el("label", [], [H.t(t("fees.vacancyStarts") + " "), H.void("input", [("type", "date"), ("name", "startsOn"), ("required", nil)])]),
                    H.el("label", [], [H.t(t("fees.vacancyEnds") + " "), H.void("input", [("type", "date"), ("name", "endsOn")])]),
                    H.void("input", [("type", "text"), ("name", "note"), ("placeholder", t("fees.vacancyNote")), ("aria-label", t("fees.vacancyNote"))]),
                    H.el("button", [("type", "submit")], text: t("fees.addVacancy")),
                ]))
            }
        }
        if keeper {
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("id", "charge-form")], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "charge")]),
                H.el("select", [("name", "item"), ("aria-label", t("fees.item"))], ChargeItem.allCases.map { H.el("option", [("value", $0.rawValue)], text: t("fees.item." + $0.rawValue)) }),
                H.void("input", [("type", "month"), ("name", "month"), ("required", nil), ("aria-label", t("field.month"))]),
                H.void("input", [("type", "text"), ("name", "amount"), ("inputmode", "decimal"), ("required", nil), ("placeholder", t("fees.amount")), ("aria-label", t("fees.amount"))]),
                H.el("button", [("type", "submit")], text: t("fees.addCharge")),
            ]))
        }
        if keeper && owed > 0 {
            content.append(H.el("h2", [], text: t("fees.recordPayment")))
            content.append(H.el("form", [("method", "post"), ("action", action), ("class", "record-form"), ("id", "payment-form"), ("data-confirm", t("fees.confirmPayment"))], [
                csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "pay")]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-amount")], text: t("fees.amount")),
                    H.void("input", [("type", "text"), ("id", "f-amount"), ("name", "amount"), ("inputmode", "decimal"), ("required", nil), ("value", FixedPoint2.format(owed))])]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-method")], text: t("fees.method")),
                    H.el("select", [("id", "f-method"), ("name", "method")], PaymentMethod.allCases.map { H.el("option", [("value", $0.rawValue)], text: t($0.labelKey)) })]),
                H.el("div", [("class", "field")], [H.el("label", [("for", "f-reference")], text: t("fees.reference")),
                    H.void("input", [("type", "text"), ("id", "f-reference"), ("name", "reference"), ("maxlength", "100")])]),
                H.el("p", [("class", "muted")], text: t("fees.payHint")),
                H.el("button", [("type", "submit"), ("class", "primary")], text: t("fees.record")),
            ]))
        }
        content.append(H.el("h2", [], text: t("fees.payments")))
        content.append(payments.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "payments")], [H.table(
            [t("fees.paidAt"), t("fees.method"), t("fees.amount"), t("fees.reference"), t("list.actions")],
            payments.map { p in
                var acts: [N] = [H.a(SiteURL.receipt.link(p.id.text), t("fees.receipt"), [("class", "button"), ("id", "receipt-\(p.id.text)")])]
                if keeper && p.amount > 0 {
                    acts.append(H.el("form", [("method", "post"), ("action", action), ("class", "inline-form"), ("data-confirm", t("fees.confirmRefund"))], [
                        csrf, H.void("input", [("type", "hidden"), ("name", "do"), ("value", "refund")]),
                        H.void("input", [("type", "hidden"), ("name", "paymentId"), ("value", p.id.text)]),
                        H.void("input", [("type", "text"), ("name", "refundAmount"), ("inputmode", "decimal"), ("placeholder", t("fees.amount")), ("aria-label", t("fees.amount"))]),
                        H.void("input", [("type", "text"), ("name", "reason"), ("placeholder", t("fees.refundReason")), ("aria-label", t("fees.refundReason"))]),
                        H.el("button", [("type", "submit")], text: t("fees.refund")),
                    ]))
                }
                return [H.t(Timestamp.local(p.paidAt)), H.t(t(p.method.labelKey)), H.t(FixedPoint2.grouped(p.amount)),
                        H.t(p.reason.map { t("fees.refundOf") + "：" + $0 } ?? p.reference ?? ""), H.group(acts)]
            }, numericFrom: 2)]))
        let crumbs = [Crumb(title: t("fees.title"), href: SiteURL.compoundFees.link(first.compoundId.text)), Crumb(title: first.roomLabel, href: nil)]
        return .html(Layout.render(page, actor: call.actor, title: first.roomLabel, crumbs: crumbs, content: content))
    }

    func roomAction(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        let room = try call.id("rooms")
        var flash = "flash.saved"
        switch form["do"] {
        case "pay":
            let body = try FieldReader.decode(PaymentBody.self, from: ["method": .string(form["method"] ?? ""), "amount": .string(form["amount"] ?? ""),
                                                                        "reference": .string(form["reference"] ?? "")])
            let p = try await service.pay(call.access, room: room, method: body.method, reference: body.reference, amount: body.amount.fen, billIds: [])
            return .seeOther(to: SiteURL.receipt.link(p.id.text), flash: "flash.paymentRecorded")
        case "refund":
            guard let payment = UUID(uuidString: form["paymentId"] ?? "") else { throw DomainError.badRequest(message: "which payment?") }
            let body = try FieldReader.decode(RefundBody.self, from: ["amount": .string(form["refundAmount"] ?? ""), "reason": .string(form["reason"] ?? "")])
            _ = try await service.refund(call.access, payment: payment, amount: body.amount.fen, reason: body.reason)
        case "dispute":
            guard let bill = UUID(uuidString: form["billId"] ?? "") else { throw DomainError.badRequest(message: "which bill?") }
            _ = try await service.dispute(call.access, bill: bill, reason: form["reason"] ?? "")
            flash = "flash.billDisputed"
        case "charge":
            let body = try FieldReader.decode(ChargeBody.self, from: ["item": .string(form["item"] ?? ""), "month": .string(form["month"] ?? ""),
                                                                       "amount": .string(form["amount"] ?? "")])
            _ = try await service.charge(call.access, room: room, item: body.item, month: body.month, amount: body.amount.fen)
        case "vacancy":
            let body = try FieldReader.decode(VacancyBody.self, from: ["startsOn": .string(form["startsOn"] ?? ""),
                                                                        "endsOn": (form["endsOn"] ?? "").isEmpty ? .null : .string(form["endsOn"]!),
                                                                        "note": .string(form["note"] ?? "")])
            guard let starts = body.startsOn else { throw DomainError.invalid([FieldError(field: "startsOn", code: "required", message: "startsOn is required")]) }
            _ = try await service.addVacancy(call.access, room: room, startsOn: starts, endsOn: body.endsOn, note: body.note?.isEmpty == true ? nil : body.note)
        case "endVacancy":
            guard let vacancy = UUID(uuidString: form["vacancyId"] ?? "") else { throw DomainError.badRequest(message: "which vacancy?") }
            let body = try FieldReader.decode(VacancyBody.self, from: ["endsOn": .string(form["endsOn"] ?? "")])
            guard let ends = body.endsOn else { throw DomainError.invalid([FieldError(field: "endsOn", code: "required", message: "endsOn is required")]) }
            _ = try await service.endVacancy(call.access, vacancy, on: ends)
        case "settle":
            guard let bill = UUID(uuidString: form["billId"] ?? "") else { throw DomainError.badRequest(message: "which bill?") }
            _ = try await service.settle(call.access, bill: bill, note: form["note"] ?? "")
        default: throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.roomBills.link(room.text), flash: flash)
    }

    /// A reminder to pay (催缴通知) that prints on one page, to hand over or post at the door: what the
    /// room owes on bills already due, to whom, and how to raise a disagreement. No names.
    func notice(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let room = try call.id("rooms")
        let today = Timestamp.today(call.now)
        let due = try await service.bills(call.access, room: room, limit: 500).filter { $0.outstanding > 0 && $0.disputedAt == nil && $0.dueOn < today }
            .sorted { $0.periodStart < $1.periodStart }
        guard let first = due.first else { throw DomainError.notFound(entity: "arrears", id: room.text) }
        let compound = try await service.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: first.compoundId)").first()?.decode(column: "name", as: String.self) ?? ""
        let total = due.reduce(Int64(0)) { $0 + $1.outstanding }
        let companies = Array(Set(due.map(\.companyName))).sorted().joined(separator: "、")
        let content: [N] = [
            H.el("article", [("class", "receipt card"), ("id", "notice")], [
                H.el("h1", [], text: t("fees.noticeTitle")),
                H.el("p", [], text: t("fees.noticeTo", compound, first.roomLabel)),
                H.el("p", [], text: t("fees.noticeBody", due.count, FixedPoint2.grouped(total))),
                H.table([t("fees.period"), t("fees.dueOn"), t("fees.outstanding")], due.map {
                    [H.t("\($0.periodStart) — \($0.periodEnd)"), H.t($0.dueOn.description), H.t(FixedPoint2.grouped($0.outstanding))]
                }, numericFrom: 2),
                H.el("p", [], text: t("fees.noticeDispute")),
                H.el("p", [("class", "sign")], text: "\(companies) · \(today)"),
            ]),
            H.el("p", [("class", "no-print")], [H.el("button", [("type", "button"), ("data-print", ""), ("class", "primary")], text: t("fees.print")),
                                                 H.t(" "), H.a(SiteURL.roomBills.link(room.text), t("fees.roomBills"), [("class", "button")])]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("fees.noticeTitle"), content: content))
    }

    /// A receipt that prints on one page: who paid what, for which periods, recorded by whom.
    func receipt(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let p = try await service.payment(call.access, try call.id("payments"))
        let content: [N] = [
            H.el("article", [("class", "receipt card"), ("id", "receipt")], [
                H.el("h1", [], text: t(p.amount < 0 ? "fees.refundReceipt" : "fees.receiptTitle")),
                H.el("p", [("class", "muted")], text: t("fees.receiptNo") + " " + p.id.text.prefix(8).uppercased()),
                H.el("dl", [("class", "facts")], [
                    H.el("dt", [], text: t("fees.payee")), H.el("dd", [], text: p.companyName),
                    H.el("dt", [], text: t("resource.rooms")), H.el("dd", [], text: "\(p.compoundName) \(p.roomLabel)"),
                    H.el("dt", [], text: t("fees.amount")), H.el("dd", [("id", "receipt-amount")], text: FixedPoint2.grouped(p.amount) + " 元"),
                    H.el("dt", [], text: t("fees.method")), H.el("dd", [], text: t(p.method.labelKey) + (p.reference.map { " · " + $0 } ?? "")),
                    H.el("dt", [], text: t("fees.paidAt")), H.el("dd", [], text: Timestamp.local(p.paidAt)),
                    H.el("dt", [], text: t("fees.recordedBy")), H.el("dd", [], text: p.recordedBy),
                ] + (p.reason.map { [H.el("dt", [], text: t("fees.refundReason")), H.el("dd", [], text: $0)] } ?? [])),
                H.table([t("fees.period"), t("fees.amount")], p.allocations.map { [H.t($0.period), H.t(FixedPoint2.grouped($0.amount))] }, numericFrom: 1),
                H.el("p", [("class", "muted")], text: t("fees.receiptNote")),
            ]),
            H.el("p", [("class", "no-print")], [H.el("button", [("type", "button"), ("data-print", ""), ("class", "primary")], text: t("fees.print")),
                                                 H.t(" "), H.a(SiteURL.roomBills.link(p.roomId.text), t("fees.roomBills"), [("class", "button")])]),
        ]
        return .html(Layout.render(page, actor: call.actor, title: t("fees.receiptTitle"), content: content))
    }
}
