import FluentKit

/// Migrations of the speed work, in order after `AppMigrations.smartProperty`. Append-only.
extension AppMigrations {
    static let speed: [any Migration] = [
        // Every way a request is visible, indexed in received order (issue: speed): a list reads each
        // newest-first and stops at its page instead of sorting every row of a street's year. The
        // single-column indexes these lead with are dropped (the new ones answer their look-ups).
        Reindex(name: "IndexRequestsByReceipt", table: "requests",
                add: ["district_id,received_at,id", "street_id,received_at,id", "handler_street_id,received_at,id", "community_id,received_at,id",
                      "handler_community_id,received_at,id", "compound_id,received_at,id", "handler_company_id,received_at,id",
                      "handler_department_id,received_at,id", "reporter_user_id,received_at,id"],
                drop: ["compound_id", "street_id", "community_id", "handler_company_id", "handler_department_id", "reporter_user_id"]),
        // A city's year of requests: the month's totals per unit, kept by triggers, so a district's
        // ranking sums cells instead of its month's rows; requests waiting for a step indexed by deadline.
        KeepRankingTotals(),
        // Late counts kept in the cells by a sweep each minute: the ranking reads only what passed its deadline since.
        KeepLateCounts(),
        // A street's overdue count from its late cells, and its newest overdue from an index of the swept-late.
        IndexLateByStreet(),
        // Inserts counted into the ranking's cells once per statement on PostgreSQL (a batch of filings, an import).
        CountInsertsPerStatement(),
    ]
}
