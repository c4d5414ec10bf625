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
        // Problems found before complaints: a compound's category in a week well above its baseline, flagged once, then
        // turned into a whistle case, made the month's problem with a plan and progress, or dismissed with a reason.
        CreateTable("CreateHotspots", table: "hotspots", unique: [["compound_id", "category", "week_start"]], indexes: ["district_id", "street_id", "community_id", "status"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds")
                .text("category").text("week_start").int64("count").int64("expected").int64("threshold").text("status")
                .parent("case_id", "whistle_cases", required: false).text("month", required: false).text("plan", required: false)
                .text("reason", required: false).text("decided_by", required: false).field("decided_at", .datetime)
        },
        CreateTable("CreateHotspotNotes", table: "hotspot_notes", indexes: ["hotspot_id"]) {
            $0.parent("hotspot_id", "hotspots").text("note").text("recorded_by")
        },
    ]
}
