import Synchronization

/// A count of the changes this process has made to what access and filing read about places and
/// people (the registry, grants, contracts, settings): anything remembered from such reads is
/// good only while the count stands where it stood before the read (`FilingFactsCache`).
///
/// Every write is audited, so the audit log counts them (`AuditLog.record`): a write path cannot
/// forget to. The count is the whole process's, shared by every database it has open — another
/// database's change only makes a memory start afresh. Changes made by another process sharing
/// PostgreSQL are not counted here; memories bounded by a lifetime cover those.
enum RegistryChanges {
    private static let count = Atomic<UInt64>(0)

    /// Audited entities whose changes touch neither places, people, grants, contracts nor
    /// settings: the day's traffic, which would otherwise make every memory start afresh.
    static let traffic: Set<String> = ["requests", "photos", "attachments", "devices", "alerts", "visitor-passes", "payments", "bills",
                                       "paper-ballots", "hotline-orders", "service-orders"]

    /// The count now.
    static var current: UInt64 { count.load(ordering: .acquiring) }

    /// Counts a write to `entity`, unless it is traffic.
    static func note(_ entity: String) {
        guard !traffic.contains(entity) else { return }
        count.add(1, ordering: .releasing)
    }
}
