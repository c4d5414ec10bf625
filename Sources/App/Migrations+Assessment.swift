import FluentKit

/// Migrations of assessment and coverage, in order after `AppMigrations.coGovernance`. Append-only.
extension AppMigrations {
    static let assessment: [any Migration] = [
        // The three rates (issue: assessment and coverage): one row per month and district, street or community,
        // so trends survive changes to the registry; the running month's row is rewritten until it ends.
        CreateTable("CreateCoverageSnapshots", table: "coverage_snapshots", unique: [["month", "scope_id"]], indexes: ["district_id", "scope_id"]) {
            $0.parent("district_id", "districts").text("month").text("day").text("level").field("scope_id", .uuid, .required)
                .int64("compounds").int64("committee").int64("service").int64("party")
        },
        // Public compound pages (issue: assessment and coverage): on unless the district turns them off (NULL = on).
        AddColumn(name: "AddDistrictPublicPages", table: "districts", column: "public_pages", type: .bool),
    ]
}
