import Domain
import Foundation
import Hummingbird

/// `/api/v1/notices…`: notices per compound, building or entrance, their read receipts and files.
struct NoticeAPI: Sendable {
    let service: NoticeService

    func register(on routes: RouteTable) {
        let fixed: [Int: String] = [409: "A system notice, which nobody changes or withdraws; or already withdrawn"]
        routes.api(.post, SiteURL.apiNotices, .signedIn,
                   OperationDoc("post-notice", "Post a notice to a compound, a building or one entrance, as the community, the committee or the company, for a period",
                                tag: "notices"),
                   body: PostNoticeBody.self, status: .created) { call, body in
            NoticeAnswer(try await service.get(call.access, try await service.post(call.access, body.input)), today: call.access.todayDate)
        }
        routes.api(.get, SiteURL.apiNotices, .signedIn,
                   OperationDoc("list-notices", "Notices the caller sees, newest first (owners and residents: those up today that reach their rooms)", tag: "notices",
                                parameters: [.query("compoundId", .uuid, "one compound"), .query("current", .boolean, "only those up today")])) { call in
            let current = call.request.uri.queryParameters.get("current") == "true"
            return Items(items: try await service.list(call.access, compound: try MenuAPI.optionalId(call, "compoundId"), current: current)
                .map { NoticeSummaryAnswer($0.record, read: $0.read, today: call.access.todayDate) })
        }
        routes.api(.get, SiteURL.apiNotice, .signedIn, OperationDoc("get-notice", "A notice with its files and how many have read it", tag: "notices")) { call in
            NoticeAnswer(try await service.get(call.access, try call.id("notices")), today: call.access.todayDate)
        }
        routes.api(.patch, SiteURL.apiNotice, .signedIn,
                   OperationDoc("change-notice", "Change a notice's title, text or last day (its author only)", tag: "notices", errors: fixed),
                   body: ChangeNoticeBody.self) { call, body in
            let id = try await service.change(call.access, try call.id("notices"), body.change)
            return NoticeAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiNoticeWithdraw, .signedIn,
                   OperationDoc("withdraw-notice", "Take a notice down before its last day (its author only)", tag: "notices", errors: fixed)) { call in
            let id = try await service.withdraw(call.access, try call.id("notices"))
            return NoticeAnswer(try await service.get(call.access, id), today: call.access.todayDate)
        }
        routes.api(.post, SiteURL.apiNoticeRead, .signedIn,
                   OperationDoc("read-notice", "Record that the caller, an owner or resident it reaches, has read it (the first reading counts)", tag: "notices")) { call in
            NoticeReadAnswer(readAt: try await service.markRead(call.access, try call.id("notices")).map(Timestamp.iso))
        }
        routes.api(.get, SiteURL.apiNoticeReads, .signedIn,
                   OperationDoc("notice-reads", "Readers per building beside its rooms (its authors and the staff over it)", tag: "notices")) { call in
            Items(items: try await service.reads(call.access, try call.id("notices")).map(NoticeReadsAnswer.init))
        }
    }
}
