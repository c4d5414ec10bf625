import Domain
import Foundation

/// The request pages' parts: the queue, the filing form, the timeline and the action forms.
enum RequestPages {
    static func statusBadge(_ r: RequestRecord, now: Date, t: Localizer) -> N {
        H.group([H.el("span", [("class", "badge status-\(r.status.rawValue)")], text: t(r.status.labelKey))]
                + (r.isOverdue(now: now) ? [H.el("span", [("class", "badge overdue")], text: t("request.overdue"))] : []))
    }

    static func queue(_ items: [RequestRecord], now: Date, t: Localizer) -> N {
        guard !items.isEmpty else { return H.el("p", [("class", "empty"), ("id", "no-requests")], text: t("request.none")) }
        return H.el("ul", [("class", "request-list"), ("id", "request-list")], items.map { r in
            H.el("li", [("class", r.isOverdue(now: now) ? "overdue" : "")], [
                H.a(SiteURL.requestPage.link(r.id.uuidString.lowercased()), r.number, [("class", "number")]),
                H.t(" "), statusBadge(r, now: now, t: t),
                H.el("div", [("class", "summary")], text: r.description.count > 80 ? String(r.description.prefix(80)) + "…" : r.description),
                H.el("div", [("class", "meta")], text: [t(r.category.labelKey), r.compoundName, r.handlerName ?? "", t("request.receivedAt") + " " + Timestamp.local(r.receivedAt),
                                                        t("request.resolveBy") + " " + Timestamp.local(r.resolveBy)].filter { !$0.isEmpty }.joined(separator: " · ")),
            ])
        })
    }

    static func filters(_ f: RequestFilter, compounds: [(UUID, String)], t: Localizer) -> N {
        func select(_ name: String, _ label: String, _ options: [(String, String)], _ current: String?) -> N {
            H.el("label", [], [H.t(label), H.el("select", [("name", name), ("id", "filter-\(name)")],
                [H.el("option", [("value", "")], text: t("filter.any"))] + options.map { v, text in H.el("option", [("value", v)] + (v == current ? [("selected", nil)] : []), text: text) })])
        }
        return H.el("form", [("method", "get"), ("action", SiteURL.requests.link()), ("class", "filters"), ("role", "search")], [
            H.el("label", [], [H.t(t("request.search")), H.void("input", [("type", "search"), ("name", "q"), ("id", "filter-q"), ("value", f.search ?? ""),
                                                                          ("placeholder", t("request.searchHint")), ("maxlength", "100")])]),
            select("status", t("request.status"), RequestStatus.allCases.map { ($0.rawValue, t($0.labelKey)) }, f.status?.rawValue),
            select("category", t("request.category"), RequestCategory.allCases.map { ($0.rawValue, t($0.labelKey)) }, f.category?.rawValue),
            select("compoundId", t("request.compound"), compounds.map { ($0.0.uuidString.lowercased(), $0.1) }, f.compoundId?.uuidString.lowercased()),
            H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "overdue"), ("value", "1"), ("id", "filter-overdue")] + (f.overdue ? [("checked", nil)] : [])),
                                                 H.t(t("request.overdueOnly"))]),
            H.el("label", [("class", "check")], [H.void("input", [("type", "checkbox"), ("name", "mine"), ("value", "1")] + (f.handledByMe ? [("checked", nil)] : [])),
                                                 H.t(t("request.mineOnly"))]),
            H.el("button", [("type", "submit")], text: t("filter.apply")),
        ])
    }

    /// A room the caller lives in or owns, with the name and phone on record.
    struct MyRoom: Sendable {
        let id: UUID, compoundId: UUID, label: String, name: String, phone: String?
    }

    /// The filing form, built for a phone: the caller's room (or the compound), category as big
    /// choices, description, photo, and who to call back — prefilled from the record, editable.
    static func newForm(compounds: [(UUID, String)], staff: Bool, rooms: [MyRoom] = [], csrf: String, errors: [FieldError], t: Localizer) -> N {
        func field(_ label: String, _ control: N, id: String) -> N {
            let error = errors.first { $0.field == id }
            return H.el("div", [("class", error == nil ? "field" : "field invalid")], [H.el("label", [("for", id)], text: label), control]
                        + (error.map { [H.el("p", [("class", "error")], text: FormState.message($0, t: t).text)] } ?? []))
        }
        var nodes: [N] = [
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
            rooms.isEmpty
                ? field(t("request.compound"), H.el("select", [("name", "compoundId"), ("id", "compoundId"), ("required", nil)],
                                                   compounds.map { H.el("option", [("value", $0.0.uuidString.lowercased())], text: $0.1) }), id: "compoundId")
                : field(t("request.room"), H.el("select", [("name", "roomId"), ("id", "roomId"), ("required", nil)],
                                               rooms.enumerated().map { i, r in
                                                   H.el("option", [("value", r.id.uuidString.lowercased())] + (i == 0 ? [("selected", nil)] : []), text: r.label)
                                               }), id: "roomId"),
            H.el("fieldset", [("class", "choices")], [H.el("legend", [], text: t("request.category"))] + RequestCategory.allCases.enumerated().map { i, c in
                H.el("label", [("class", "choice")], [H.void("input", [("type", "radio"), ("name", "category"), ("value", c.rawValue), ("id", "category-\(c.rawValue)")]
                                                           + (i == 0 ? [("required", nil)] : [])), H.t(t(c.labelKey))])
            }),
            field(t("request.urgency"), H.el("select", [("name", "urgency"), ("id", "urgency")], Urgency.allCases.map { u in
                H.el("option", [("value", u.rawValue)] + (u == .general ? [("selected", nil)] : []), text: t(u.labelKey))
            }), id: "urgency"),
            field(t("request.description"), H.el("textarea", [("name", "description"), ("id", "description"), ("rows", "4"), ("required", nil), ("maxlength", "2000")], text: ""), id: "description"),
            field(t("request.photo"), H.void("input", [("type", "file"), ("name", "photo"), ("id", "photo"), ("accept", "image/jpeg,image/png"), ("capture", "environment")]), id: "photo"),
        ]
        if let me = rooms.first {
            nodes.append(field(t("request.reporterName"), H.void("input", [("type", "text"), ("name", "reporterName"), ("id", "reporterName"), ("value", me.name),
                                                                          ("autocomplete", "name")]), id: "reporterName"))
            nodes.append(field(t("request.reporterPhone"), H.void("input", [("type", "tel"), ("name", "reporterPhone"), ("id", "reporterPhone"),
                                                                           ("value", rooms.compactMap(\.phone).first ?? ""), ("autocomplete", "tel")]), id: "reporterPhone"))
        }
        if staff {
            nodes.append(field(t("request.channel"), H.el("select", [("name", "channel"), ("id", "channel")], RequestChannel.allCases.map { c in
                H.el("option", [("value", c.rawValue)] + (c == .phone ? [("selected", nil)] : []), text: t(c.labelKey))
            }), id: "channel"))
            nodes.append(field(t("request.reporterName"), H.void("input", [("type", "text"), ("name", "reporterName"), ("id", "reporterName")]), id: "reporterName"))
            nodes.append(field(t("request.reporterPhone"), H.void("input", [("type", "tel"), ("name", "reporterPhone"), ("id", "reporterPhone")]), id: "reporterPhone"))
        }
        nodes.append(H.el("button", [("type", "submit"), ("class", "primary big"), ("id", "submit-request")], text: t("request.submit")))
        // The token also rides in the address, so it is checked before the multipart body is read.
        return H.el("form", [("method", "post"), ("action", SiteURL.requestNew.link() + "?_csrf=" + csrf), ("enctype", "multipart/form-data"),
                             ("class", "record-form request-form"), ("id", "request-form")], nodes)
    }

    /// Open requests of the same compound and category to join instead of filing the same problem again.
    static func similar(_ rows: [RequestRecord], csrf: String, now: Date, t: Localizer) -> N {
        H.el("section", [("class", "card similar"), ("id", "similar")], [
            H.el("h2", [], text: t("request.similarTitle")),
            H.el("p", [("class", "muted")], text: t("request.similarHint")),
            H.el("ul", [("class", "request-list")], rows.map { r in
                H.el("li", [], [
                    H.el("p", [], [H.el("strong", [], text: r.number + " "), statusBadge(r, now: now, t: t)]),
                    H.el("p", [("class", "description")], text: r.description),
                    H.el("p", [("class", "muted")], text: t(r.category.labelKey) + " · " + t("request.receivedAt") + " " + Timestamp.local(r.receivedAt)),
                    H.el("form", [("method", "post"), ("action", SiteURL.requestJoin.link(r.id.text)), ("class", "inline")], [
                        H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]),
                        H.el("button", [("type", "submit"), ("class", "primary"), ("id", "join-\(r.id.text)")], text: t("request.join")),
                    ]),
                ])
            }),
            H.el("button", [("type", "submit"), ("form", "request-form"), ("name", "confirmNew"), ("value", "1"), ("id", "file-anyway")], text: t("request.fileAnyway")),
            H.el("p", [("class", "muted")], text: t("request.photoAgain")),
        ])
    }

    static func facts(_ r: RequestRecord, phoneVisible: Bool, room: String? = nil, now: Date, t: Localizer) -> N {
        var rows: [(String, String)] = [
            (t("request.category"), t(r.category.labelKey)), (t("request.urgency"), t(r.urgency.labelKey)), (t("request.channel"), t(r.channel.labelKey)),
            (t("request.compound"), r.compoundName), (t("request.handler"), r.handlerKind.map { t($0.labelKey) + " · " + (r.handlerName ?? "") } ?? "—"),
            (t("request.receivedAt"), Timestamp.local(r.receivedAt)), (t("request.respondBy"), Timestamp.local(r.respondBy)), (t("request.resolveBy"), Timestamp.local(r.resolveBy)),
        ]
        // Who to call back and where: the name, the room, the phone (in full for the handler and overseers).
        let reporter = [r.reporterName, r.reporterPhone.map { phoneVisible ? $0 : RequestRules.maskPhone($0) }].compactMap { $0 }.joined(separator: " ")
        if !reporter.isEmpty { rows.append((t("request.reporter"), reporter)) }
        if let room { rows.append((t("request.room"), room)) }
        if let o = r.hotlineOrderNo { rows.append((t("request.hotlineOrder"), o)) }
        if r.reopenCount > 0 { rows.append((t("request.reopened"), "\(r.reopenCount)")) }
        if let s = r.ratingSatisfaction { rows.append((t("request.rating"), (r.ratingResolved == true ? t("request.rated.resolved") : t("request.rated.unresolved")) + " · " + t(s.labelKey))) }
        return H.el("dl", [("class", "facts pairs"), ("id", "request-facts")], rows.flatMap { [H.el("dt", [], text: $0.0), H.el("dd", [], text: $0.1)] })
    }

    static func timeline(_ entries: [TimelineEntry], t: Localizer) -> N {
        H.el("ol", [("class", "timeline"), ("id", "timeline")], entries.map { e in
            H.el("li", [("data-event", e.event.rawValue)], [
                H.el("time", [], text: Timestamp.local(e.at)), H.t(" "),
                H.el("strong", [], text: t("enum.request_event_kind.\(e.event.rawValue)")), H.t(" · \(e.actorLabel)"),
                H.el("span", [("class", "badge status-\(e.toStatus.rawValue)")], text: t(e.toStatus.labelKey)),
            ] + (TimelineText.note(e.event, e.note, t: t).map { [H.el("p", [], text: $0)] } ?? []))
        })
    }

    /// One form per action the actor may take now.
    static func actions(_ r: RequestRecord, allowed: Set<RequestEventKind>, handlers: [(String, String)], csrf: String, t: Localizer) -> N {
        let action = SiteURL.requestPage.link(r.id.uuidString.lowercased())
        func form(_ event: RequestEventKind, _ fields: [N], primary: Bool = false) -> N {
            H.el("form", [("method", "post"), ("action", action), ("class", "action-form"), ("id", "form-\(event.rawValue)")],
                 [H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]), H.void("input", [("type", "hidden"), ("name", "event"), ("value", event.rawValue)])]
                 + fields + [H.el("button", [("type", "submit"), ("class", primary ? "primary" : ""), ("id", "do-\(event.rawValue)")], text: t("request.do.\(event.rawValue)"))])
        }
        func text(_ name: String, _ label: String, required: Bool = false) -> N {
            H.el("label", [], [H.t(label), H.el("textarea", [("name", name), ("rows", "2"), ("id", "\(name)-\(UUID.random().uuidString.prefix(4))")] + (required ? [("required", nil)] : []), text: "")])
        }
        var forms: [N] = []
        if allowed.contains(.respond) { forms.append(form(.respond, [text("note", t("request.note"))], primary: true)) }
        if allowed.contains(.start) { forms.append(form(.start, [text("note", t("request.note"))])) }
        if allowed.contains(.resolve) { forms.append(form(.resolve, [text("reply", t("request.reply"), required: true)], primary: true)) }
        if allowed.contains(.rate) {
            forms.append(form(.rate, [
                H.el("fieldset", [("class", "choices")], [H.el("legend", [], text: t("request.rate.resolved")),
                    H.el("label", [("class", "choice")], [H.void("input", [("type", "radio"), ("name", "resolved"), ("value", "1"), ("id", "resolved-yes"), ("required", nil)]), H.t(t("request.rated.resolved"))]),
                    H.el("label", [("class", "choice")], [H.void("input", [("type", "radio"), ("name", "resolved"), ("value", "0"), ("id", "resolved-no")]), H.t(t("request.rated.unresolved"))])]),
                H.el("fieldset", [("class", "choices")], [H.el("legend", [], text: t("request.rate.satisfaction"))] + Satisfaction.allCases.map { s in
                    H.el("label", [("class", "choice")], [H.void("input", [("type", "radio"), ("name", "satisfaction"), ("value", s.rawValue), ("id", "satisfaction-\(s.rawValue)"), ("required", nil)]), H.t(t(s.labelKey))])
                }),
                text("note", t("request.comment")),
            ], primary: true))
        }
        if allowed.contains(.close) { forms.append(form(.close, [text("note", t("request.note"))])) }
        if allowed.contains(.transfer) {
            forms.append(form(.transfer, [
                H.el("label", [], [H.t(t("request.newHandler")), H.el("select", [("name", "handler"), ("id", "handler")], handlers.map { H.el("option", [("value", $0.0)], text: $0.1) })]),
                text("reason", t("request.reason"), required: true),
            ]))
        }
        if allowed.contains(.escalate) {
            forms.append(H.el("p", [], [H.a(SiteURL.whistleCases.link() + "?requestId=\(r.id.uuidString.lowercased())", t("request.do.escalate"), [("class", "button"), ("id", "escalate-link")])]))
        }
        if allowed.contains(.dispute) {
            forms.append(H.el("p", [], [H.a(SiteURL.newDispute.link() + "?requestId=\(r.id.text)", t("request.do.dispute"), [("class", "button"), ("id", "dispute-link")])]))
        }
        if allowed.contains(.note) { forms.append(form(.note, [text("note", t("request.note"), required: true)])) }
        if allowed.contains(.merge) {
            forms.append(H.el("details", [("class", "merge")], [
                H.el("summary", [], text: t("request.mergeTitle")),
                H.el("p", [("class", "muted")], text: t("request.mergeHint")),
                H.el("form", [("method", "post"), ("action", action), ("class", "action-form"), ("id", "form-merge"), ("data-confirm", t("request.confirmMerge"))], [
                    H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", csrf)]), H.void("input", [("type", "hidden"), ("name", "event"), ("value", "merge")]),
                    H.el("label", [], [H.t(t("request.mergeInto")), H.void("input", [("type", "text"), ("name", "intoNumber"), ("id", "merge-into"), ("required", nil),
                                                                                   ("placeholder", "GZ20261201-000001"), ("autocapitalize", "characters")])]),
                    text("note", t("request.note")),
                    H.el("button", [("type", "submit"), ("id", "do-merge")], text: t("request.merge")),
                ]),
            ]))
        }
        return H.el("section", [("class", "actions-panel")], [H.el("h2", [], text: t("request.actions"))] + forms)
    }
}
