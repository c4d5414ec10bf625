import Domain
import Foundation
import Hummingbird

/// The registry CSV pages: import (with a check-only mode) and export.
struct RegistryImportWeb: Sendable {
    let transfer: RegistryTransfer
    let clock: @Sendable () -> Date

    func register(on routes: RouteTable) {
        routes.add(.get, SiteURL.importRegistry, .administer) { request, context in render(request, context, csv: "", outcome: nil) }
        routes.signedIn(.post, SiteURL.importRegistry.pattern, .administer, source: "web") { call in try await submit(call) }
        routes.signedIn(.get, SiteURL.exportRegistry.pattern, .administer, source: "web") { call in try await export(call) }
    }

    enum Outcome {
        case imported(RegistryImportSummary, dryRun: Bool)
        case rejected([RegistryCSV.Rejection])
    }

    func submit(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let form = try await FormInput.read(request, context, limit: BodyLimits.import)
        let csv = form["csv"] ?? ""
        let dryRun = form["dryRun"] == "true"
        do {
            let summary = try await transfer.importCSV(call.access, csv, dryRun: dryRun)
            return render(request, context, csv: dryRun ? csv : "", outcome: .imported(summary, dryRun: dryRun))
        } catch let rejected as RegistryImportRejected {
            return render(request, context, csv: csv, outcome: .rejected(rejected.rejections), status: .unprocessableContent)
        }
    }

    func render(_ request: Request, _ context: AppRequestContext, csv: String, outcome: Outcome?,
                status: HTTPResponse.Status = .ok) -> Response {
        let page = context.page(request), t = page.t
        var content: [N] = [
            H.el("h1", [], text: t("import.title")),
            H.el("p", [], [H.t(t("import.help") + " "), H.el("code", [], text: RegistryCSV.columns.joined(separator: ","))]),
        ]
        switch outcome {
        case .imported(let s, let dryRun)?:
            content.append(H.el("div", [("class", "flash"), ("role", "status"), ("id", "import-result")],
                                text: dryRun ? t("import.dryRun", s.rows) : t("import.ok", s.rooms, s.compounds, s.buildings)))
        case .rejected(let rejections)?:
            content.append(H.el("div", [("class", "errors"), ("role", "alert"), ("id", "import-result")], [
                H.el("p", [], text: t("import.rejected", rejections.count)),
                H.el("ul", [], rejections.map { r in
                    H.el("li", [], text: t("import.line", r.line) + "：" + r.errors.map { e in let m = FormState.message(e, t: t); return "\(m.label) — \(m.text)" }.joined(separator: "；"))
                }),
            ]))
        case nil:
            break
        }
        content.append(H.el("form", [("method", "post"), ("action", SiteURL.importRegistry.link()), ("class", "record-form")], [
            H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", page.csrfToken)]),
            H.el("div", [("class", "field")], [
                H.el("label", [("for", "csv-file")], text: t("import.file")),
                H.void("input", [("type", "file"), ("id", "csv-file"), ("accept", ".csv,text/csv"), ("data-fill", "csv")]),
            ]),
            H.el("div", [("class", "field")], [H.el("textarea", [("name", "csv"), ("id", "csv"), ("rows", "12"), ("spellcheck", "false")], text: csv)]),
            H.el("div", [("class", "form-actions")], [
                H.el("button", [("type", "submit"), ("class", "primary"), ("name", "dryRun"), ("value", "false")], text: t("action.import")),
                H.el("button", [("type", "submit"), ("name", "dryRun"), ("value", "true")], text: t("action.check")),
            ]),
        ]))
        return .html(Layout.render(page, actor: context.actor, title: t("import.title"), content: content), status: status)
    }

    func export(_ call: SignedIn) async throws -> Response {
        let context = call.context
        let ctx = call.access
        let transfer = self.transfer
        // In the reader's words with a byte-order mark for Excel; `?codes=1` keeps the machine codes.
        let labels = call.query.get("codes") == "1" ? nil : RegistryLabels.make(context.language)
        // Streamed a compound at a time: the whole district's CSV is never built in memory.
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"gongzhi-registry.csv\""],
                        body: ResponseBody { writer in
                            try await transfer.exportCSV(ctx, labels: labels) { chunk in try await writer.write(ByteBuffer(string: chunk)) }
                            try await writer.finish(nil)
                        })
    }
}
