import Domain
import Foundation
import Hummingbird
import SQLKit

/// `/dispute-figures`: a community's (or street's) twelve months of source governance, as columns,
/// a table by kind, the legal-awareness activities with the form to add one, and CSV.
extension DisputeWeb {
    struct FiguresQuery: Sendable {
        var community: UUID?
        var street: UUID?
        var through: CivilDate
    }

    /// The place (a community, else the caller's street, else the first community) and the last month.
    func figuresQuery(_ call: SignedIn) async throws -> (FiguresQuery, [(id: UUID, name: String)]) {
        let q = try DisputeAPI.ListQuery(call)
        let communities = try await communities(call.actor)
        var community = q.community, street = q.street
        if community == nil && street == nil {
            if let s = call.actor.grants.first(where: { $0.role == .streetStaff })?.scopeId { street = s } else { community = communities.first?.id }
        }
        guard community != nil || street != nil else { throw DomainError.notFound(entity: "communities", id: "") }
        return (FiguresQuery(community: community, street: community == nil ? street : nil, through: try DisputeAPI.through(call)), communities)
    }

    func figures(_ call: SignedIn) async throws -> Response {
        let page = call.context.page(call.request), t = page.t
        let (q, communities) = try await figuresQuery(call)
        let rows = try await service.figures(call.access, community: q.community, street: q.street, through: q.through)
        let name = q.community.flatMap { c in communities.first { $0.id == c }?.name } ?? t("disputes.wholeStreet")
        let year = rows.reduce(into: DisputeMonth()) { acc, r in
            acc.received += r.figures.received; acc.settled += r.figures.settled; acc.referred += r.figures.referred
            for (k, n) in r.figures.byKind { acc.byKind[k, default: 0] += n }
        }
        let filter = (q.community.map { "?communityId=\($0.text)" } ?? "?streetId=\(q.street?.text ?? "")") + "&month=\(q.through.monthText)"
        var content: [N] = [
            H.el("h1", [], text: "\(t("disputes.figures")) · \(name)"),
            H.el("form", [("method", "get"), ("action", SiteURL.disputeFigures.link()), ("class", "filters")], [
                H.el("label", [], [H.t(t("resource.communities") + " "), FormControls.select("communityId", communities.map { ($0.id.text, $0.name) }, selected: q.community?.text,
                                                                                          blank: call.actor.has(.streetStaff) ? t("disputes.wholeStreet") : nil)]),
                H.el("label", [], [H.t(t("rank.month") + " "), H.void("input", [("type", "month"), ("name", "month"), ("value", q.through.monthText)])]),
                H.el("button", [("type", "submit")], text: t("rank.show")),
            ]),
            H.el("div", [("class", "figures")], [
                RegistryPages.figure(t("disputes.receivedYear"), String(year.received)),
                RegistryPages.figure(t("disputes.settledYear"), String(year.settled)),
                RegistryPages.figure(t("disputes.referredYear"), String(year.referred)),
                RegistryPages.figure(t("disputes.activitiesYear"), String(rows.reduce(0) { $0 + $1.activities })),
                RegistryPages.figure(t("disputes.improvementsYear"), String(rows.reduce(0) { $0 + $1.improvements })),
            ]),
            DisputePages.months(rows, label: t("disputes.chart"), received: t("disputes.receivedShort"), settled: t("disputes.settledShort")),
            H.el("div", [("id", "dispute-months")], [H.table(
                [t("rank.month"), t("disputes.receivedShort"), t("disputes.settledShort"), t("disputes.referredShort"), t("disputes.medianDays"),
                 t("disputes.activities"), t("disputes.improvements")],
                rows.map { r in
                    [H.t(r.month.monthText), H.t("\(r.figures.received)"), H.t("\(r.figures.settled)"), H.t("\(r.figures.referred)"),
                     H.t(r.figures.medianDaysToSettle.map(FixedPoint2.format) ?? "—"), H.t("\(r.activities)"), H.t("\(r.improvements)")]
                }, numericFrom: 1)]),
            H.el("h2", [], text: t("disputes.byKind")),
            H.el("div", [("id", "dispute-kinds")], [H.table([t("disputes.kind"), t("disputes.receivedShort")],
                DisputeKind.allCases.filter { year.byKind[$0] != nil }.map { [H.t(t($0.labelKey)), H.t("\(year.byKind[$0]!)")] }, numericFrom: 1)]),
            H.el("p", [], [H.a(SiteURL.disputeFiguresCSV.link() + filter, t("rank.csv"), [("class", "button"), ("id", "dispute-csv")])]),
        ]
        if let community = q.community {
            let acts = try await service.activities(call.access, community: community)
            content.append(H.el("h2", [], text: t("disputes.activities")))
            content.append(acts.isEmpty ? H.el("p", [("class", "empty")], text: t("list.empty")) : H.el("div", [("id", "activities")], [H.table(
                [t("disputes.heldOn"), t("disputes.topic"), t("disputes.audience"), t("disputes.attendance")],
                acts.prefix(50).map { [H.t($0.heldOn.description), H.t($0.topic), H.t($0.audience), H.t("\($0.attendance)")] }, numericFrom: 3)]))
            content.append(H.el("form", [("method", "post"), ("action", SiteURL.disputeFigures.link() + "?communityId=\(community.text)"), ("class", "record-form"),
                                         ("id", "activity-form")], [
                H.el("h3", [], text: t("disputes.addActivity")), FormControls.csrf(page.csrfToken), FormControls.hidden("communityId", community.text),
                FormControls.field("heldOn", t("disputes.heldOn"), FormControls.input("heldOn", type: "date", value: call.access.today, required: true)),
                FormControls.field("topic", t("disputes.topic"), FormControls.input("topic", required: true, [("maxlength", "200")])),
                FormControls.field("audience", t("disputes.audience"), FormControls.input("audience", [("maxlength", "200")]), optional: t("form.optional")),
                FormControls.field("attendance", t("disputes.attendance"), FormControls.input("attendance", type: "number", value: "0", [("min", "0"), ("max", "100000")])),
                FormControls.submit(t("disputes.addActivity")),
            ]))
        }
        return .html(Layout.render(page, actor: call.actor, title: t("disputes.figures"), crumbs: [Crumb(title: t("disputes.title"), href: SiteURL.disputes.link()),
                                                                                                  Crumb(title: t("disputes.figures"), href: nil)], content: content))
    }

    func addActivity(_ call: SignedIn) async throws -> Response {
        let form = try await FormInput.read(call.request, call.context)
        guard let community = UUID(uuidString: form["communityId"] ?? "") else { throw DomainError.badRequest(message: "which community?") }
        let attendance: JSONValue = Int64(form["attendance"] ?? "").map { .int($0) } ?? ((form["attendance"] ?? "").isEmpty ? .int(0) : .string(form["attendance"]!))
        let body = try FieldReader.decode(LegalActivityBody.self, from: ["heldOn": .string(form["heldOn"] ?? ""), "topic": .string(form["topic"] ?? ""),
                                                                        "audience": .string(form["audience"] ?? ""), "attendance": attendance])
        _ = try await service.addActivity(call.access, community: community, heldOn: body.heldOn, topic: body.topic, audience: body.audience, attendance: body.attendance)
        return .seeOther(to: SiteURL.disputeFigures.link() + "?communityId=\(community.text)", flash: "flash.saved")
    }

    func figuresCSV(_ call: SignedIn) async throws -> Response {
        let t = call.context.page(call.request).t
        let (q, _) = try await figuresQuery(call)
        let rows = try await service.figures(call.access, community: q.community, street: q.street, through: q.through)
        var lines = [[t("rank.month"), t("disputes.receivedShort"), t("disputes.settledShort"), t("disputes.referredShort"), t("disputes.otherwiseClosed"),
                      t("disputes.medianDays"), t("disputes.activities"), t("disputes.attendance"), t("disputes.improvements")] + DisputeKind.allCases.map { t($0.labelKey) }]
        for r in rows {
            lines.append([r.month.monthText, "\(r.figures.received)", "\(r.figures.settled)", "\(r.figures.referred)", "\(r.figures.otherwiseClosed)",
                          r.figures.medianDaysToSettle.map(FixedPoint2.format) ?? "", "\(r.activities)", "\(r.attendance)", "\(r.improvements)"]
                         + DisputeKind.allCases.map { "\(r.figures.byKind[$0] ?? 0)" })
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"disputes-\(q.through.monthText).csv\""],
                        body: .init(byteBuffer: .init(string: "\u{FEFF}" + lines.map(CSV.line).joined(separator: "\r\n") + "\r\n")))
    }
}
