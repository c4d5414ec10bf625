import FluentKit

/// The one ordered, append-only list of migrations. Each line says why it exists.
enum AppMigrations {
    static let all: [any Migration] = [
        // The hierarchy: district → street → community → compound → building → entrance → room.
        CreateTable("CreateDistricts", table: "districts", unique: [["code"]]) { $0.text("name").text("code") },
        CreateTable("CreateStreets", table: "streets", unique: [["district_id", "name"]], indexes: ["district_id"]) {
            $0.parent("district_id", "districts").text("name").text("kind")
        },
        CreateTable("CreateCommunities", table: "communities", unique: [["street_id", "name"]], indexes: ["street_id"]) {
            $0.parent("street_id", "streets").text("name")
        },
        CreateTable("CreateCompounds", table: "compounds", unique: [["community_id", "name"]], indexes: ["community_id"]) {
            $0.parent("community_id", "communities").text("name").text("aliases", required: false).text("address")
                .field("latitude", .double).field("longitude", .double)
                .text("housing_kind").int64("year_built").text("management_mode")
        },
        CreateTable("CreateBuildings", table: "buildings", unique: [["compound_id", "number"]], indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").text("number").int64("floors").bool("has_lift")
        },
        CreateTable("CreateEntrances", table: "entrances", unique: [["building_id", "number"]], indexes: ["building_id"]) {
            $0.parent("building_id", "buildings").text("number")
        },
        CreateTable("CreateRooms", table: "rooms", unique: [["entrance_id", "number"]], indexes: ["entrance_id"]) {
            $0.parent("entrance_id", "entrances").text("number").int64("floor").text("use").int64("area")
        },
        // People and their rooms.
        CreateTable("CreateOwners", table: "owners", indexes: ["district_id"]) {
            $0.parent("district_id", "districts").text("kind").text("name").text("phone", required: false)
        },
        CreateTable("CreateOwnerships", table: "ownerships", unique: [["room_id", "owner_id"]], indexes: ["room_id", "owner_id"]) {
            $0.parent("room_id", "rooms").parent("owner_id", "owners")
        },
        CreateTable("CreateResidents", table: "residents", indexes: ["room_id"]) {
            $0.parent("room_id", "rooms").text("name").text("phone", required: false)
        },
        // Companies and who serves whom.
        CreateTable("CreateCompanies", table: "companies", unique: [["credit_code"]], indexes: ["district_id"]) {
            $0.parent("district_id", "districts").text("name").text("credit_code").bool("state_owned")
                .bool("association_member").text("phone", required: false)
        },
        CreateTable("CreateContracts", table: "contracts", indexes: ["company_id", "compound_id"]) {
            $0.parent("company_id", "companies").parent("compound_id", "compounds").text("starts_on")
                .text("ends_on", required: false).int64("monthly_fee_per_sqm")
        },
        // Owners' committees and property management committees.
        CreateTable("CreateCommittees", table: "committees", indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").text("kind").text("term_start").text("term_end", required: false)
        },
        CreateTable("CreateCommitteeMembers", table: "committee_members", indexes: ["committee_id"]) {
            $0.parent("committee_id", "committees").text("name").text("role")
        },
        // Party organisations and what they cover.
        CreateTable("CreatePartyOrganizations", table: "party_organizations", indexes: ["street_id", "community_id"]) {
            $0.parent("street_id", "streets").parent("community_id", "communities", required: false).text("kind").text("name")
        },
        CreateTable("CreatePartyCoverages", table: "party_coverages", indexes: ["party_organization_id", "compound_id", "company_id"]) {
            $0.parent("party_organization_id", "party_organizations").parent("compound_id", "compounds", required: false)
                .parent("company_id", "companies", required: false)
        },
        // The street's property service alliance.
        CreateTable("CreateAlliances", table: "alliances", indexes: ["street_id"]) {
            $0.parent("street_id", "streets").text("name").text("founded_on")
        },
        CreateTable("CreateAllianceMembers", table: "alliance_members", unique: [["alliance_id", "company_id"]],
                    indexes: ["alliance_id", "company_id"]) {
            $0.parent("alliance_id", "alliances").parent("company_id", "companies").text("joined_on")
        },
        // Departments a street can summon, and two-way cross appointments.
        CreateTable("CreateDepartments", table: "departments", indexes: ["district_id"]) {
            $0.parent("district_id", "districts").text("name").text("kind")
        },
        CreateTable("CreateCrossAppointments", table: "cross_appointments", indexes: ["community_id", "company_id"]) {
            $0.parent("community_id", "communities").parent("company_id", "companies").text("person_name")
                .text("direction").text("post").text("starts_on")
        },
        // Accounts, role grants, sessions and integration keys (issue: accounts and roles).
        CreateTable("CreateUsers", table: "users", unique: [["username"]]) {
            $0.text("username").text("password_hash").text("display_name").text("language").bool("disabled")
                .int64("password_changed_count")
        },
        CreateTable("CreateRoleGrants", table: "role_grants", unique: [["user_id", "role", "scope_id"]], indexes: ["user_id"]) {
            $0.parent("user_id", "users").text("role").field("scope_id", .uuid, .required)
        },
        CreateTable("CreateSessions", table: "sessions", unique: [["token_hash"]], indexes: ["user_id"]) {
            $0.parent("user_id", "users").text("token_hash").text("kind").field("expires_at", .datetime, .required)
                .field("revoked_at", .datetime).text("address", required: false)
        },
        CreateTable("CreateApiKeys", table: "api_keys", unique: [["key_hash"]]) {
            $0.text("name").text("key_hash").text("role").field("scope_id", .uuid, .required)
                .parent("created_by", "users", required: false).field("revoked_at", .datetime).field("last_used_at", .datetime)
        },
        // Failed logins, counted to slow down password guessing.
        CreateTable("CreateLoginFailures", table: "login_failures", indexes: ["username", "address"]) {
            $0.text("username").text("address")
        },
        // The audit log: who changed what, when, from where, before and after.
        CreateTable("CreateAuditEvents", table: "audit_events", indexes: ["entity_id", "created_at", "district_id"]) {
            $0.text("actor_kind").field("actor_id", .uuid).text("actor_label").text("source").text("address", required: false)
                .text("action").text("entity").field("entity_id", .uuid).field("district_id", .uuid)
                .text("before", required: false).text("after", required: false)
        },
        // Owners' joint decisions (Civil Code art. 278): the decision, its frozen roll, its chained ballots.
        CreateTable("CreateDecisions", table: "decisions", indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").text("title").text("matter").text("description", required: false)
                .field("opens_at", .datetime, .required).field("closes_at", .datetime, .required).text("status")
                .text("candidates", required: false).int64("seats", required: false)
                .parent("company_id", "companies", required: false).parent("contract_id", "contracts", required: false)
                .field("opened_at", .datetime).field("closed_at", .datetime).text("close_reason", required: false)
                .field("published_at", .datetime).field("applied_at", .datetime).text("created_by")
        },
        CreateTable("CreateDecisionVoters", table: "decision_voters", unique: [["decision_id", "voter_key"]], indexes: ["decision_id"]) {
            $0.parent("decision_id", "decisions").field("voter_key", .uuid, .required).int64("area").text("room_ids").text("owner_ids")
        },
        CreateTable("CreateBallots", table: "ballots", unique: [["decision_id", "voter_key"], ["decision_id", "sequence"]], indexes: ["decision_id"]) {
            $0.parent("decision_id", "decisions").int64("sequence").field("voter_key", .uuid, .required).parent("owner_id", "owners")
                .text("choice").text("channel").text("paper_number", required: false).text("recorded_by").field("cast_at", .datetime, .required)
                .text("previous_hash").text("hash")
        },
        // The maintenance fund: double-entry postings per compound (room accounts and the bank), spending plans.
        CreateTable("CreateFundTransactions", table: "fund_transactions", indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").text("kind").text("memo").field("plan_id", .uuid)
        },
        CreateTable("CreateFundPostings", table: "fund_postings", indexes: ["transaction_id", "compound_id", "room_id"]) {
            $0.parent("transaction_id", "fund_transactions").parent("compound_id", "compounds").parent("room_id", "rooms", required: false).int64("amount")
        },
        CreateTable("CreateSpendingPlans", table: "spending_plans", indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").text("project").int64("amount").text("room_ids").text("emergency", required: false)
                .parent("decision_id", "decisions", required: false).text("status").field("notice_published_at", .datetime)
                .field("paid_at", .datetime).field("reported_at", .datetime).text("report", required: false)
        },
        // Files attached to a decision (the plan, quotes, drawings), stored under the upload folder.
        CreateTable("CreateDecisionAttachments", table: "decision_attachments", indexes: ["decision_id"]) {
            $0.parent("decision_id", "decisions").text("name").text("content_type").int64("size").text("sha256").text("stored_name")
        },
    ]

    /// The schema version reported by `/healthz`: the number of migrations this build knows.
    static var schemaVersion: Int { all.count }
}
