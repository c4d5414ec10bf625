import Domain
import FluentKit
import Foundation
import Hummingbird
import SQLKit

/// The decision pages: a compound's decisions, one decision with its result, the owner's ballot
/// (made for phones), and the publication.
struct DecisionWeb: Sendable {
    let service: DecisionService
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.page(.get, SiteURL.compoundDecisions, .resource("decisions", .read)) { call in try await list(call, errors: []) }
        routes.page(.post, SiteURL.compoundDecisions, .resource("decisions", .create)) { call in try await create(call) }
        routes.page(.get, SiteURL.decisionPage, .resource("decisions", .read)) { call in try await detail(call) }
        routes.page(.post, SiteURL.decisionPage, .resource("decisions", .update)) { call in try await act(call) }
        routes.page(.get, SiteURL.decisionBallot, .resource("decisions", .read)) { call in try await ballot(call, message: nil) }
        routes.page(.post, SiteURL.decisionBallot, .resource("decisions", .read)) { call in try await cast(call) }
        routes.page(.get, SiteURL.decisionPublication, .resource("decisions", .read)) { call in try await publication(call) }
    }

    func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "decisions", id: "") }
        return id
    }

    func list(_ call: SignedIn, errors: [FieldError]) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let compound = try id(context)
        let decisions = try await service.list(ctx, compound: compound)
        let name = try await service.database.db.sql().raw("SELECT name FROM compounds WHERE id = \(bind: compound)").first()?.decode(column: "name", as: String.self) ?? ""
        var content: [N] = [H.el("h1", [], text: "\(name) · \(t("decision.title"))"), DecisionPages.list(decisions, t: t)]
        if (try? await service.authorize(ctx, .create, compound: compound, on: service.database.db)) != nil {
            content.append(DecisionPages.newForm(action: SiteURL.compoundDecisions.link(compound.uuidString.lowercased()), csrf: page.csrfToken, t: t, errors: errors))
        }
        let crumbs = [Crumb(title: name, href: SiteURL.compound.link(compound.uuidString.lowercased())), Crumb(title: t("decision.title"), href: nil)]
        return .html(Layout.render(page, actor: ctx.actor, title: t("decision.title"), crumbs: crumbs, content: content), status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func create(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        let compound = try id(context)
        // The form is read by the API's own body type, so the page and the API apply one set of rules.
        let matter = Matter(rawValue: form["matter"] ?? "") ?? .otherMajor
        var o: [String: JSONValue] = ["title": .string(form["title"] ?? ""), "matter": .string(matter.rawValue),
                                      "opensAt": .string(form["opensAt"] ?? ""), "closesAt": .string(form["closesAt"] ?? "")]
        if let d = form["description"]?.nilIfEmpty { o["description"] = .string(d) }
        if let a = form["amount"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty { o["amount"] = .string(a) }
        if matter == .electCommittee {
            o["candidates"] = .array((form["candidates"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.map { .string($0) })
            if let seats = Int(form["seats"] ?? "") { o["seats"] = .int(Int64(seats)) }
        }
        do {
            let body = try FieldReader.decode(CreateDecisionBody.self, from: o)
            let d = try await service.create(ctx, compound: compound, body.decision)
            return .seeOther(to: SiteURL.decisionPage.link(d.id.uuidString.lowercased()), flash: "flash.saved")
        } catch DomainError.invalid(let fields) {
            return try await list(call, errors: fields)
        }
    }

    func detail(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let d = try await service.get(ctx, try id(context))
        let organiser = (try? await service.authorize(ctx, .update, compound: d.compoundId, on: service.database.db)) != nil
        let idText = d.id.uuidString.lowercased()
        var content: [N] = [H.el("h1", [], text: d.title), DecisionPages.statusLine(d, t: t)]
        if let closed = d.closedAt, closed < d.closesAt {
            content.append(H.el("p", [("class", "warn"), ("id", "early-close")], text: t("decision.closedEarly", Timestamp.local(closed), d.closeReason ?? "—")))
        }
        if let description = d.description, !description.isEmpty { content.append(H.el("p", [], text: description)) }
        let files = try await service.database.db.sql().raw("SELECT id, name, size FROM decision_attachments WHERE decision_id = \(bind: d.id) ORDER BY created_at").all()
        if !files.isEmpty {
            content.append(H.el("ul", [("class", "attachments")], try files.map { f in
                H.el("li", [], [H.a(SiteURL.decisionAttachment.link(try f.decode(column: "id", as: UUID.self).uuidString.lowercased()), try f.decode(column: "name", as: String.self)),
                                H.t(" (\(try f.decode(column: "size", as: Int64.self) / 1024) KiB)")])
            }))
        }
        var actions: [N] = []
        if d.status == .open && ctx.actor.has(.owner) { actions.append(H.a(SiteURL.decisionBallot.link(idText), t("decision.vote"), [("class", "button primary-link"), ("id", "vote-link")])) }
        if d.status != .draft { actions.append(H.a(SiteURL.decisionPublication.link(idText), t("decision.publication"), [("class", "button")])) }
        if d.status != .draft, (try? await service.authorize(ctx, .update, compound: d.compoundId, on: service.database.db)) != nil {
            actions.append(H.a(SiteURL.paperRegister.link(idText), t("paper.title"), [("class", "button"), ("id", "paper-register-link")]))
        }
        content.append(H.el("div", [("class", "actions")], actions))
        if organiser {
            var controls: [N] = [H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)])]
            switch d.status {
            case .draft: controls.append(H.el("button", [("type", "submit"), ("name", "do"), ("value", "open"), ("class", "primary")], text: t("decision.open")))
            case .open:
                controls.append(H.el("div", [("class", "field")], [H.el("label", [("for", "reason")], text: t("decision.closeReason")),
                                                                    H.void("input", [("type", "text"), ("id", "reason"), ("name", "reason")])]))
                controls.append(H.el("button", [("type", "submit"), ("name", "do"), ("value", "close")], text: t("decision.close")))
            case .closed: controls.append(H.el("button", [("type", "submit"), ("name", "do"), ("value", "publish"), ("class", "primary")], text: t("decision.publish")))
            case .published: break
            }
            if controls.count > 1 { content.append(H.el("form", [("method", "post"), ("action", SiteURL.decisionPage.link(idText)), ("class", "record-form")], controls)) }
        }
        if d.status == .open {
            content.append(DecisionPages.participation(try await service.result(ctx, d.id), t: t))
        } else if d.status != .draft {
            content.append(DecisionPages.result(try await service.result(ctx, d.id), t: t))
        }
        let crumbs = [Crumb(title: t("decision.title"), href: SiteURL.compoundDecisions.link(d.compoundId.uuidString.lowercased())), Crumb(title: d.title, href: nil)]
        return .html(Layout.render(page, actor: ctx.actor, title: d.title, crumbs: crumbs, content: content))
    }

    func act(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        let decision = try id(context)
        switch form["do"] {
        case "open": _ = try await service.open(ctx, decision)
        case "close": _ = try await service.close(ctx, decision, reason: form["reason"])
        case "publish": _ = try await service.publish(ctx, decision)
        default: throw DomainError.badRequest(message: "unknown action")
        }
        return .seeOther(to: SiteURL.decisionPage.link(decision.uuidString.lowercased()), flash: "flash.saved")
    }

    /// The owner's ballot: one big choice per matter (or per candidate), usable on a phone.
    func ballot(_ call: SignedIn, message: String?) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let d = try await service.get(ctx, try id(context))
        var content: [N] = [H.el("h1", [], text: d.title), DecisionPages.statusLine(d, t: t)]
        if let message { content.append(H.el("div", [("class", "flash"), ("id", "ballot-message"), ("role", "status")], text: message)) }
        let owners = ctx.actor.grants.filter { $0.role == .owner }.map(\.scopeId)
        let voters = try await service.roll(d.id, on: service.database.db).filter { v in v.ownerIds.contains { owners.contains($0) } }
        guard let voter = voters.first, let ownerId = voter.ownerIds.first(where: { owners.contains($0) }) else {
            content.append(H.el("p", [("class", "warn")], text: t("decision.notOnRoll")))
            return .html(Layout.render(page, actor: ctx.actor, title: d.title, content: content))
        }
        let voted = try await service.database.db.sql().raw("SELECT id FROM ballots WHERE decision_id = \(bind: d.id) AND voter_key = \(bind: voter.key)").first() != nil
        if let description = d.description, !description.isEmpty {
            content.append(H.el("p", [("class", "description"), ("id", "decision-description")], text: description))
        }
        content.append(H.el("p", [("id", "representing")], text: t("decision.representing", voter.roomIds.count, FixedPoint2.grouped(voter.area.hundredths))))
        content.append(try await paperSection(call, d, voterKey: voter.key, t: t, csrf: page.csrfToken))
        if voted && message == nil { content.append(H.el("p", [("class", "flash")], text: t("decision.alreadyVoted"))) }
        guard !voted, VotingWindow.accepts(d.status, now: ctx.now, opensAt: d.opensAt, closesAt: d.closesAt) else {
            if !voted { content.append(H.el("p", [("class", "warn")], text: t("decision.notOpen"))) }
            return .html(Layout.render(page, actor: ctx.actor, title: d.title, content: content))
        }
        var fields: [N] = [H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
                           H.void("input", [("type", "hidden"), ("name", "ownerId"), ("value", ownerId.uuidString.lowercased())])]
        let groups: [(String, String)] = d.isElection ? d.candidates.map { ("c:" + $0, $0) } : [("choice", t("decision.result"))]
        for (name, label) in groups {
            fields.append(H.el("fieldset", [("class", "choices")], [H.el("legend", [], text: d.isElection ? label : t("enum.matter.\(d.matter.rawValue)"))]
                + Choice.allCases.map { c in
                    H.el("label", [("class", "choice choice-\(c.rawValue)")], [
                        H.void("input", [("type", "radio"), ("name", name), ("value", c.rawValue), ("required", nil)]),
                        H.el("span", [], text: t("enum.choice.\(c.rawValue)")),
                    ])
                }))
        }
        fields.append(H.el("button", [("type", "submit"), ("class", "primary big"), ("id", "cast")], text: t("decision.cast")))
        // A ballot is never changed once cast: the browser asks first (site.js reads data-confirm).
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.decisionBallot.link(d.id.uuidString.lowercased())), ("class", "ballot"),
                                     ("data-confirm", t("decision.confirmCast"))], fields))
        return .html(Layout.render(page, actor: ctx.actor, title: d.title, content: content))
    }

    /// The owner's own paper ballot: its number, and any sheet recorded in their name — by whom
    /// and when — with the means to dispute it while voting is open.
    func paperSection(_ call: SignedIn, _ d: DecisionRecord, voterKey: UUID, t: Localizer, csrf: String) async throws -> N {
        let mine = try await service.paperRegister(call.access, d.id).filter { $0.voterKey == voterKey }
        guard let p = mine.first else { return H.t("") }
        var parts: [N] = [H.el("p", [("id", "paper-number")], text: "\(t("paper.yourNumber"))：\(p.number)")]
        if p.status != .issued {
            var facts: [N] = [H.el("h2", [], text: t("paper.inYourName")),
                              H.el("p", [("id", "paper-status")], text: t("enum.paper_ballot_status.\(p.status.rawValue)")),
                              H.el("p", [("id", "paper-recorded")], text: "\(t("paper.recordedBy"))：\(p.recordedBy ?? "—") · \(p.recordedAt.map(Timestamp.local) ?? "")")]
            if let c = p.confirmedBy { facts.append(H.el("p", [], text: "\(t("paper.confirmedBy"))：\(c)")) }
            let open = VotingWindow.accepts(d.status, now: call.now, opensAt: d.opensAt, closesAt: d.closesAt)
            if PaperBallotRules.mayDispute(p.status, votingOpen: open) {
                facts.append(H.el("form", [("method", "post"), ("action", SiteURL.paperDispute.link(d.id.text, p.number)), ("id", "paper-dispute")], [
                    H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
                    H.el("label", [], [H.t(t("paper.disputeReason")), H.el("textarea", [("name", "reason"), ("rows", "2"), ("maxlength", "500")], text: "")]),
                    H.el("button", [("type", "submit"), ("class", "danger"), ("id", "dispute")], text: t("paper.dispute")),
                ]))
            }
            parts.append(H.el("section", [("class", "paper-ballot")], facts))
        }
        return H.el("div", [], parts)
    }

    func cast(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let form = try await FormInput.read(request, context)
        let decision = try id(context)
        guard let owner = UUID(uuidString: form["ownerId"] ?? "") else { throw DomainError.badRequest(message: "ownerId missing") }
        var choices: [String: Choice] = [:]
        for (k, v) in form.fields where k.hasPrefix("c:") { choices[String(k.dropFirst(2))] = Choice(rawValue: v) }
        let t = Localizer(language: context.language)
        do {
            let r = try await service.cast(ctx, decision, .init(ownerId: owner, choice: Choice(rawValue: form["choice"] ?? ""), choices: choices,
                                                                 channel: .online, paperNumber: nil))
            return try await ballot(call, message: t("decision.receipt", r.receipt))
        } catch DomainError.conflict(let code, _) where code == "already_voted" {
            return try await ballot(call, message: t("decision.alreadyVoted"))
        }
    }

    /// 公示: the result with both ratios, and the rooms that voted with their areas — no names.
    func publication(_ call: SignedIn) async throws -> Response {
        let (request, context, ctx) = (call.request, call.context, call.access)
        let page = context.page(request), t = page.t
        let d = try await service.get(ctx, try id(context))
        let result = try await service.result(ctx, d.id)
        let chain = try await service.chain(d.id, on: service.database.db)
        let valid = BallotChain.firstBroken(chain) == nil
        // Rooms of the compound with their numbers, then each ballot's rooms from the frozen roll.
        let sql = service.database.db.sql()
        var rooms: [UUID: (building: String, entrance: String, room: String, area: Int64)] = [:]
        for r in try await sql.raw("""
            SELECT r.id, b.number AS building, e.number AS entrance, r.number AS room, r.area FROM rooms r
            JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id WHERE b.compound_id = \(bind: d.compoundId)
            """).all() {
            rooms[try r.decode(column: "id", as: UUID.self)] = (try r.decode(column: "building", as: String.self), try r.decode(column: "entrance", as: String.self),
                                                               try r.decode(column: "room", as: String.self), try r.decode(column: "area", as: Int64.self))
        }
        let roll = Dictionary(uniqueKeysWithValues: try await service.roll(d.id, on: service.database.db).map { ($0.key, $0) })
        var voted: [(building: String, entrance: String, room: String, area: Int64, choice: String)] = []
        for b in chain {
            for roomId in roll[b.link.voterKey]?.roomIds ?? [] {
                if let r = rooms[roomId] { voted.append((r.building, r.entrance, r.room, r.area, b.link.choice)) }
            }
        }
        voted.sort { ($0.building, $0.entrance, $0.room) < ($1.building, $1.entrance, $1.room) }
        let rows: [[N]] = voted.map { v in
            [H.t(v.building), H.t(v.entrance), H.t(v.room), H.t(FixedPoint2.grouped(v.area)), H.t(d.isElection ? v.choice : t("enum.choice.\(v.choice)"))]
        }
        // Each room's choice is published only once voting has ended; until then, participation alone.
        let open = d.status == .open || d.status == .draft
        let content: [N] = [
            H.el("h1", [], text: "\(t("decision.publication")) · \(d.title)"), DecisionPages.statusLine(d, t: t),
            DecisionPages.issuer(d, compound: try await sql.raw("SELECT name FROM compounds WHERE id = \(bind: d.compoundId)").first()?.decode(column: "name", as: String.self) ?? "",
                                 now: ctx.now, t: t),
        ] + (open ? [DecisionPages.participation(result, t: t)] : [
            DecisionPages.result(result, t: t),
            H.el("h2", [], text: t("decision.rooms")),
            H.table([t("resource.buildings"), t("resource.entrances"), t("resource.rooms"), t("field.area"), t("decision.result")], rows, numericFrom: 3),
        ]) + [
            H.el("p", [("class", "muted"), ("id", "chain")], text: "\(valid ? t("decision.chainValid") : t("decision.chainBroken")) · \(t("decision.chainHead")) "
                 + (chain.last?.storedHash ?? BallotChain.genesis)),
        ]
        return .html(Layout.render(page, actor: ctx.actor, title: t("decision.publication"), content: content))
    }
}
