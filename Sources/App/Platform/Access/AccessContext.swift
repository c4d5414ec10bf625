import Domain
import Foundation

/// Who is acting, through which door, from where and when: everything the policy and the audit
/// log need to know about a unit of work.
struct AccessContext: Sendable {
    let actor: Actor
    /// `api`, `web`, `cli`, `import`, `demo`.
    let source: String
    /// The client's address, when over HTTP.
    let address: String?
    let now: Date

    /// Today's date in Asia/Shanghai, as stored dates are written.
    var today: String { Timestamp.today(now).description }

    var scope: ScopeSQL { ScopeSQL(today: today) }

    static func system(_ label: String, source: String, now: Date) -> AccessContext {
        AccessContext(actor: .system(label), source: source, address: nil, now: now)
    }
}
