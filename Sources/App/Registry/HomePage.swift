import Domain
import FluentKit
import Foundation
import SQLKit

/// The parts of the start page for roles below the street: the compounds a company serves, a
/// department's card, an owner's or resident's rooms.
struct HomeSections: Sendable {
    let database: AppDatabase
    let store: ResourceStore

    func render(_ ctx: AccessContext, t: Localizer) async throws -> [N] {
        var out: [N] = []
        let sql = database.db.sql()
        // What the caller's rooms owe, above everything else: the one reminder an owner must not miss.
        if FeeScope.isHolder(ctx.actor) {
            let owed = try await FeeService(database: database, store: store).owed(ctx)
            if owed.amount > 0 {
                out.append(H.el("section", [("class", "card warn-card"), ("id", "fee-reminder")], [
                    H.el("p", [], text: t("fees.owedHome", owed.bills, FixedPoint2.grouped(owed.amount), owed.oldestDue?.description ?? "—")),
                ]))
            }
        }
        // The notices up today that reach the caller's rooms, unread first.
        if PersonalScope.heldRooms(ctx.actor) != nil {
            let notices = try await NoticeService(database: database).list(ctx, current: true, limit: 20)
            if !notices.isEmpty {
                let unread = notices.filter { !$0.read }
                out.append(H.el("section", [("class", "card"), ("id", "home-notices")], [
                    H.el("h2", [], [H.a(SiteURL.notices.link(), t("notices.home", unread.count))]),
                    H.el("ul", [], (unread + notices.filter(\.read)).prefix(5).map { n, read in
                        H.el("li", read ? [] : [("class", "unread")], [H.a(SiteURL.notice.link(n.id.text), n.title)]
                             + (read ? [] : [H.t(" "), H.el("span", [("class", "badge status-open")], text: t("notices.unread"))]))
                    }),
                ]))
            }
        }
        // Open surveys that ask the caller and are not yet answered.
        if PersonalScope.heldRooms(ctx.actor) != nil {
            let waiting = try await SurveyService(database: database).list(ctx, open: true, limit: 20).filter { !$0.answered }
            if !waiting.isEmpty {
                out.append(H.el("section", [("class", "card"), ("id", "home-surveys")], [
                    H.el("h2", [], [H.a(SiteURL.surveys.link(), t("surveys.home", waiting.count))]),
                    H.el("ul", [], waiting.prefix(5).map { s, _, _ in
                        H.el("li", [("class", "unread")], [H.a(SiteURL.survey.link(s.id.text), s.title), H.t(" · " + t("surveys.closesOn", Timestamp.local(s.closesAt)))])
                    }),
                ]))
            }
        }
        for g in ctx.actor.grants {
            switch g.role {
            case .streetStaff, .communityStaff, .committeeMember:
                let url: SiteURL = g.role == .streetStaff ? .street : g.role == .communityStaff ? .community : .compound
                let table = g.role.scopeKind.table
                let name = try await sql.raw("SELECT name FROM \(unsafeRaw: table) WHERE id = \(bind: g.scopeId)").first()?.decode(column: "name", as: String.self) ?? "—"
                out.append(H.el("section", [("class", "card")], [
                    H.el("h2", [], text: t("role.\(g.role.rawValue)")), H.a(url.link(g.scopeId.uuidString.lowercased()), name),
                ]))
            case .companyStaff:
                let rows = try await sql.raw("""
                    SELECT p.id, p.name, cm.name AS community, st.name AS street, k.starts_on, k.ends_on FROM contracts k
                    JOIN compounds p ON p.id = k.compound_id JOIN communities cm ON cm.id = p.community_id JOIN streets st ON st.id = cm.street_id
                    WHERE k.company_id = \(bind: g.scopeId) AND k.starts_on <= \(bind: ctx.today) AND (k.ends_on IS NULL OR k.ends_on >= \(bind: ctx.today))
                    ORDER BY st.name, cm.name, p.name
                    """).all()
                let company = try await sql.raw("SELECT name FROM companies WHERE id = \(bind: g.scopeId)").first()?.decode(column: "name", as: String.self) ?? ""
                out.append(H.el("h1", [], text: company))
                out.append(H.el("h2", [], text: t("home.servedCompounds", rows.count)))
                out.append(H.table([t("resource.compounds"), t("resource.communities"), t("resource.streets"), t("facts.contract")], try rows.map { r in
                    [H.a(SiteURL.compound.link(try r.decode(column: "id", as: UUID.self).uuidString.lowercased()), try r.decode(column: "name", as: String.self)),
                     H.t(try r.decode(column: "community", as: String.self)), H.t(try r.decode(column: "street", as: String.self)),
                     H.t("\(try r.decode(column: "starts_on", as: String.self)) — \(try r.decode(column: "ends_on", as: String?.self) ?? "…")")]
                }))
            case .departmentLiaison:
                let row = try await sql.raw("SELECT name, kind FROM departments WHERE id = \(bind: g.scopeId)").first()
                out.append(H.el("section", [("class", "card")], [
                    H.el("h1", [], text: try row?.decode(column: "name", as: String.self) ?? "—"),
                    H.el("p", [], text: t("enum.department_kind.\(try row?.decode(column: "kind", as: String.self) ?? "other")")),
                    H.el("p", [("class", "muted")], text: t("home.department")),
                ]))
                out += try await summonedCases(department: g.scopeId, now: ctx.now, t: t)
            case .owner, .resident:
                if let me = ctx.actor.id, try await sql.raw("SELECT party_member FROM users WHERE id = \(bind: me)").first()?.decode(column: "party_member", as: Bool?.self) == true {
                    out.append(H.el("section", [("class", "card"), ("id", "party-member-card")], [
                        H.el("p", [], text: t("home.partyMember")),
                        H.a(SiteURL.newDispute.link(), t("disputes.report"), [("class", "button primary")]), H.t(" "),
                        H.a(SiteURL.disputes.link(), t("home.myDisputes"), [("class", "button")]),
                    ]))
                }
                let link: SQLQueryString = g.role == .owner
                    ? " JOIN ownerships o ON o.room_id = r.id WHERE o.owner_id = \(bind: g.scopeId)"
                    : " JOIN residents s ON s.room_id = r.id WHERE s.id = \(bind: g.scopeId)"
                let rows = try await sql.raw("""
                    SELECT r.id AS room_id, r.number, r.area, r.use, e.number AS entrance, b.number AS building, p.name AS compound, p.id AS compound_id,
                      (SELECT CAST(COALESCE(-SUM(f.amount), 0) AS BIGINT) FROM fund_postings f WHERE f.room_id = r.id) AS fund
                    FROM rooms r JOIN entrances e ON e.id = r.entrance_id JOIN buildings b ON b.id = e.building_id JOIN compounds p ON p.id = b.compound_id
                    """ + link + " ORDER BY p.name, b.number, e.number, r.number").all()
                if g.role == .owner { out += try await openVotes(owner: g.scopeId, now: ctx.now, t: t) }
                out.append(H.el("h1", [], text: t("home.myRooms")))
                out.append(H.table([t("resource.compounds"), t("resource.buildings"), t("resource.entrances"), t("resource.rooms"), t("field.use"), t("field.area"),
                                    t("fund.title") + t("fund.balance"), t("nav.fees")] + (g.role == .owner ? [t("home.tenants")] : []),
                                   try rows.map { r in
                    [H.a(SiteURL.compound.link(try r.decode(column: "compound_id", as: UUID.self).uuidString.lowercased()), try r.decode(column: "compound", as: String.self)),
                     H.t(try r.decode(column: "building", as: String.self)), H.t(try r.decode(column: "entrance", as: String.self)),
                     H.t(try r.decode(column: "number", as: String.self)), H.t(t("enum.room_use.\(try r.decode(column: "use", as: String.self))")),
                     H.t(FixedPoint2.grouped(try r.decode(column: "area", as: Int64.self))),
                     H.a(SiteURL.fundPage.link(try r.decode(column: "compound_id", as: UUID.self).uuidString.lowercased()),
                         FixedPoint2.grouped(try r.decode(column: "fund", as: Int64.self))),
                     H.a(SiteURL.roomBills.link(try r.decode(column: "room_id", as: UUID.self).text), t("fees.myBills"), [("class", "room-bills")])]
                    + (g.role == .owner ? [H.a(SiteURL.roomTenants.link(try r.decode(column: "room_id", as: UUID.self).text), t("home.tenants"), [("class", "room-tenants")])] : [])
                }, numericFrom: 5))
            case .mediator:
                // The disputes they are assigned to mediate, still open.
                let open = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM disputes d JOIN dispute_mediators m ON m.dispute_id = d.id WHERE m.user_id = \(bind: ctx.actor.id ?? UUID.random())
                    AND d.status IN ('received', 'mediating')
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                out.append(H.el("section", [("class", "card")], [
                    H.el("h2", [], text: t("role.mediator")), H.el("p", [], text: t("home.mediating", open)),
                    H.a(SiteURL.disputes.link(), t("disputes.title"), [("class", "button")]),
                ]))
            case .serviceProvider:
                let name = try await sql.raw("SELECT name FROM service_providers WHERE id = \(bind: g.scopeId)").first()?.decode(column: "name", as: String.self) ?? "—"
                let waiting = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM service_orders WHERE provider_id = \(bind: g.scopeId) AND status IN ('ordered', 'accepted', 'scheduled')
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                out.append(H.el("section", [("class", "card")], [
                    H.el("h1", [], text: name), H.el("p", [], text: t("home.ordersWaiting", waiting)),
                    H.a(SiteURL.menu.link(), t("menu.queue"), [("class", "button")]),
                    H.a(SiteURL.menuProvider.link(g.scopeId.text), t("menu.stats"), [("class", "button")]),
                ]))
            case .districtAdmin:
                break
            }
        }
        return out
    }

    /// The open whistle cases a department is summoned to, soonest report-by first, late ones marked.
    func summonedCases(department: UUID, now: Date, t: Localizer) async throws -> [N] {
        let rows = try await database.db.sql().raw("""
            SELECT w.id, w.number, w.title, p.report_by, p.reported_at FROM whistle_parties p JOIN whistle_cases w ON w.id = p.case_id
            WHERE p.department_id = \(bind: department) AND w.status = 'open' ORDER BY p.reported_at IS NOT NULL, p.report_by
            """).all()
        return [H.el("section", [("class", "card"), ("id", "summoned-cases")], [
            H.el("h2", [], text: t("home.summonedCases", rows.count)),
            rows.isEmpty ? H.el("p", [("class", "empty")], text: t("home.noSummons")) :
            H.table([t("whistle.number"), t("whistle.titleField"), t("whistle.reportBy"), t("whistle.status")], try rows.map { r in
                let reportBy = try r.decode(column: "report_by", as: Date.self)
                let reported = try r.decode(column: "reported_at", as: Date?.self)
                let state = reported != nil ? (reported! <= reportBy ? t("whistle.reportedOnTime") : t("whistle.reportedLate")) : reportBy < now ? t("whistle.late") : t("whistle.waiting")
                return [H.a(SiteURL.whistleCasePage.link(try r.decode(column: "id", as: UUID.self).uuidString.lowercased()), try r.decode(column: "number", as: String.self)),
                        H.t(try r.decode(column: "title", as: String.self)), H.t(Timestamp.local(reportBy)),
                        H.el("span", [("class", reported == nil && reportBy < now ? "badge overdue" : "badge")], text: state)]
            }),
        ])]
    }

    /// The votes open now in the owner's compounds: days left, and whether their ballot is in
    /// (theirs or a co-owner's for the same rooms, online or a confirmed paper sheet).
    func openVotes(owner: UUID, now: Date, t: Localizer) async throws -> [N] {
        let rows = try await database.db.sql().raw("""
            SELECT d.id, d.title, d.closes_at, p.name AS compound,
              (SELECT COUNT(*) FROM decision_voters v JOIN ballots b ON b.decision_id = v.decision_id AND b.voter_key = v.voter_key
               WHERE v.decision_id = d.id AND v.owner_ids LIKE \(bind: "%" + owner.uuidString.lowercased() + "%")) AS voted
            FROM decisions d JOIN compounds p ON p.id = d.compound_id
            WHERE d.status = 'open' AND d.closes_at > \(bind: now) AND d.compound_id IN (
              SELECT b.compound_id FROM ownerships o JOIN rooms r ON r.id = o.room_id JOIN entrances e ON e.id = r.entrance_id
              JOIN buildings b ON b.id = e.building_id WHERE o.owner_id = \(bind: owner))
            ORDER BY d.closes_at
            """).all()
        guard !rows.isEmpty else { return [] }
        return [H.el("section", [("class", "card votes"), ("id", "open-votes")], [
            H.el("h2", [], text: t("home.openVotes")),
            H.el("ul", [], try rows.map { r in
                let id = try r.decode(column: "id", as: UUID.self).uuidString.lowercased()
                let closes = try r.decode(column: "closes_at", as: Date.self)
                let days = max(0, Int((closes.timeIntervalSince(now) / 86_400).rounded(.up)))
                let voted = try RankingService.int(r, "voted") > 0
                return H.el("li", [], [
                    H.a(SiteURL.decisionBallot.link(id), try r.decode(column: "title", as: String.self)),
                    H.t(" · " + (try r.decode(column: "compound", as: String.self)) + " · " + t("home.daysLeft", days) + " · "),
                    H.el("span", [("class", voted ? "badge status-closed" : "badge status-dispatched")], text: voted ? t("home.voted") : t("home.notVoted")),
                ])
            }),
        ])]
    }
}
