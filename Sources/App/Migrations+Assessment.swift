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
        // Inspections (日查) against a street's checklist from DB11/T 751's seven sections and party building; each
        // keeps a copy of the items it used, so a later change of the checklist leaves old scores as they were.
        CreateTable("CreateAssessmentSettings", table: "assessment_settings", unique: [["street_id"]], indexes: []) {
            $0.parent("district_id", "districts").parent("street_id", "streets").text("checklist")
                .int64("weight_inspection").int64("weight_requests").int64("weight_residents").int64("weight_party")
                .int64("red_top").int64("red_minimum").int64("black_below").int64("month_floor")
        },
        CreateTable("CreateInspections", table: "inspections", indexes: ["district_id", "street_id", "community_id", "compound_id", "company_id", "month"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds")
                .parent("company_id", "companies", required: false).text("inspected_on").text("month").text("status").text("inspector")
                .parent("inspector_user_id", "users", required: false).int64("service_earned").int64("service_weight").int64("party_earned").int64("party_weight")
                .int64("score").field("submitted_at", .datetime).text("answer", required: false).text("answered_by", required: false).field("answered_at", .datetime)
        },
        CreateTable("CreateInspectionLines", table: "inspection_lines", unique: [["inspection_id", "code"]], indexes: ["inspection_id", "request_id"]) {
            $0.parent("inspection_id", "inspections").int64("position").text("code").text("section").text("text").int64("weight").int64("deduction")
                .int64("findings").int64("deducted").text("note", required: false).text("hazard").parent("request_id", "requests", required: false)
        },
        CreateTable("CreateInspectionPhotos", table: "inspection_photos", indexes: ["inspection_id", "line_id"]) {
            $0.parent("inspection_id", "inspections").parent("line_id", "inspection_lines").text("content_type").int64("size").text("sha256").text("stored_name")
        },
        // Red and black lists (红黑榜): a street's list for a period is published once; each placing keeps its score,
        // rank or triggers, and the consequences recorded against it (a replacement opens a decision).
        CreateTable("CreatePlacings", table: "placings", unique: [["street_id", "period", "company_id"]], indexes: ["district_id", "company_id", "period"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").text("period").parent("company_id", "companies").text("list")
                .int64("score", required: false).int64("rank", required: false).text("triggers").text("published_by")
        },
        CreateTable("CreatePlacingActions", table: "placing_actions", indexes: ["placing_id"]) {
            $0.parent("placing_id", "placings").text("kind").text("note").text("due_on", required: false).parent("compound_id", "compounds", required: false)
                .parent("decision_id", "decisions", required: false).text("recorded_by")
        },
        // What the district counts as served for the 物业服务覆盖率 (NULL: the standard — the state-owned fallback counts,
        // self-management does not).
        AddColumn(name: "AddDistrictCoverageFallback", table: "districts", column: "coverage_state_fallback", type: .bool),
        AddColumn(name: "AddDistrictCoverageSelfManaged", table: "districts", column: "coverage_self_managed", type: .bool),
    ]
}
