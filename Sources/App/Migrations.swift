import FluentKit

/// The one ordered, append-only list of migrations. Each line says why it exists.
enum AppMigrations {
    static let all: [any Migration] = foundations + coGovernance + assessment + smartProperty + speed

    /// The registry, requests, whistle cases, decisions, the fund, fees, disputes, menus and consultations.
    static let foundations: [any Migration] = [
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
        // Residents' requests (接诉即办): per-district deadlines and weights, the day's number sequence,
        // the request itself (place, handler and rate facts kept on the row so rankings are one GROUP BY),
        // its timeline and photos.
        CreateTable("CreateRequestSettings", table: "request_settings", unique: [["district_id"]]) {
            $0.parent("district_id", "districts").text("respond_within").text("resolve_within").text("weights").text("scores")
        },
        CreateTable("CreateRequestSequences", table: "request_sequences", unique: [["day"]]) { $0.text("day").int64("last") },
        CreateTable("CreateRequests", table: "requests", unique: [["number"], ["hotline_order_no"]],
                    indexes: ["compound_id", "street_id", "community_id", "handler_company_id", "handler_department_id", "reporter_user_id", "month", "received_at"]) {
            $0.text("number").text("channel").text("category").text("urgency").text("description")
                .parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds")
                .parent("building_id", "buildings", required: false).parent("room_id", "rooms", required: false)
                .field("reporter_user_id", .uuid).text("reporter_name", required: false).text("reporter_phone", required: false)
                .text("status").text("handler_kind", required: false).parent("handler_company_id", "companies", required: false)
                .parent("handler_community_id", "communities", required: false).parent("handler_department_id", "departments", required: false)
                .parent("handler_street_id", "streets", required: false)
                .field("received_at", .datetime, .required).text("month").field("respond_by", .datetime, .required).field("resolve_by", .datetime, .required)
                .field("dispatched_at", .datetime).field("responded_at", .datetime).field("resolved_at", .datetime).field("rated_at", .datetime).field("closed_at", .datetime)
                .int64("responded_in_time").text("reply", required: false).int64("rating_resolved", required: false).text("rating_satisfaction", required: false)
                .int64("rating_score", required: false).int64("reopen_count").text("hotline_order_no", required: false)
                .field("whistle_case_id", .uuid).field("reception_id", .uuid).field("latitude", .double).field("longitude", .double).int64("version")
        },
        CreateTable("CreateRequestEvents", table: "request_events", unique: [["request_id", "sequence"]], indexes: ["request_id"]) {
            $0.parent("request_id", "requests").int64("sequence").text("event").text("from_status", required: false).text("to_status")
                .text("actor_kind").text("actor_label").field("at", .datetime, .required).text("note", required: false).text("data", required: false)
        },
        CreateTable("CreateRequestPhotos", table: "request_photos", indexes: ["request_id"]) {
            $0.parent("request_id", "requests").text("content_type").int64("size").text("sha256").text("stored_name")
        },
        // 12345 hotline work orders: each imported once (order number); unmatched ones wait in a street's queue.
        CreateTable("CreateHotlineOrders", table: "hotline_orders", unique: [["order_no"]], indexes: ["district_id", "street_id", "status"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets", required: false).text("order_no").field("received_at", .datetime, .required)
                .text("content").text("address").text("category").text("phone", required: false).text("status")
                .parent("request_id", "requests", required: false).text("imported_by")
        },
        // Whistle-and-report cases (吹哨报到): the case, the summoned parties and their reports, commitments, the log.
        CreateTable("CreateWhistleCases", table: "whistle_cases", unique: [["number"]], indexes: ["street_id", "status"]) {
            $0.text("number").parent("district_id", "districts").parent("street_id", "streets").parent("compound_id", "compounds", required: false)
                .parent("request_id", "requests", required: false).text("title").text("description").text("status").text("opened_by")
                .field("opened_at", .datetime, .required).field("closed_at", .datetime).text("closing_note", required: false)
        },
        CreateTable("CreateWhistleParties", table: "whistle_parties", indexes: ["case_id", "department_id", "company_id"]) {
            $0.parent("case_id", "whistle_cases").text("kind").parent("department_id", "departments", required: false)
                .parent("company_id", "companies", required: false).text("name").field("report_by", .datetime, .required)
                .field("reported_at", .datetime).text("response", required: false).text("reported_by", required: false)
        },
        CreateTable("CreateWhistleCommitments", table: "whistle_commitments", indexes: ["case_id"]) {
            $0.parent("case_id", "whistle_cases").parent("party_id", "whistle_parties").text("task").int64("amount").text("due_on")
        },
        CreateTable("CreateWhistleLog", table: "whistle_log", indexes: ["case_id"]) {
            $0.parent("case_id", "whistle_cases").text("actor_label").field("at", .datetime, .required).text("note")
        },
        // Joint reception days (联合接访) and walkabout visits (走动式办公), with the requests filed there.
        CreateTable("CreateReceptions", table: "receptions", indexes: ["community_id"]) {
            $0.parent("community_id", "communities").text("kind").text("held_on").text("place").text("attendees").text("recorded_by")
        },
        // Paper ballots: a number issued to each voter when voting opens; a returned sheet is recorded by one
        // organiser and counted only when another confirms it; the owner may dispute it (then it is set aside).
        CreateTable("CreatePaperBallots", table: "paper_ballots", unique: [["decision_id", "number"], ["decision_id", "voter_key"]], indexes: ["decision_id"]) {
            $0.parent("decision_id", "decisions").field("voter_key", .uuid, .required).text("number").text("status").text("choice", required: false)
                .parent("owner_id", "owners", required: false).field("recorded_by_id", .uuid).text("recorded_by", required: false).field("recorded_at", .datetime)
                .field("confirmed_by_id", .uuid).text("confirmed_by", required: false).field("confirmed_at", .datetime)
                .field("disputed_at", .datetime).text("dispute_reason", required: false).int64("ballot_sequence", required: false)
        },
        // One random key per installation, shared by every server on the database: it binds CSRF tokens to sessions.
        CreateTable("CreateSiteSecrets", table: "site_secrets", unique: [["name"]]) { $0.text("name").text("value") },
        // Login throttling (LoginThrottle): one row per account, address or known device, counted atomically.
        CreateTable("CreateLoginBuckets", table: "login_buckets", unique: [["bucket"]]) {
            $0.text("bucket").int64("failures").field("last_failure_at", .datetime).field("blocked_until", .datetime)
        },
        // Browsers that signed in to an account before: their attempts skip the account's wait.
        CreateTable("CreateKnownDevices", table: "known_devices", unique: [["token_hash", "user_id"]], indexes: ["user_id"]) {
            $0.parent("user_id", "users").text("token_hash").field("last_used_at", .datetime, .required)
        },
        // Idempotency keys: a retried POST with the same key answers the first result for 24 hours.
        CreateTable("CreateIdempotencyKeys", table: "idempotency_keys", unique: [["caller", "key"]], indexes: ["created_at"]) {
            $0.text("caller").text("key").text("request_hash").int64("status", required: false)
                .text("content_type", required: false).text("location", required: false).text("body", required: false)
        },
        // Each grant names its district: admins list and manage their district's accounts by one index.
        AddGrantDistricts(),
        // A decision's amount of money, shown on the ballot and capping the fund plans made against it.
        AddColumn(name: "AddDecisionAmounts", table: "decisions", column: "amount", type: .int64),
        // A request's photos of the finished work, apart from those of the problem.
        AddColumn(name: "AddPhotoStages", table: "request_photos", column: "stage", type: .string, backfill: "UPDATE request_photos SET stage = 'report'"),
        // Property fees (issue: fees and their collection rate): bills per room and period owed to the
        // company whose contract covers the days, payments recorded against them, refunds as negative payments.
        AddColumn(name: "AddContractBillingCycles", table: "contracts", column: "billing_cycle", type: .string),
        CreateTable("CreateBills", table: "bills", unique: [["room_id", "contract_id", "item", "period_start"]],
                    indexes: ["room_id", "compound_id", "company_id", "period_start"]) {
            $0.parent("room_id", "rooms").parent("compound_id", "compounds").parent("company_id", "companies").parent("contract_id", "contracts")
                .text("item").text("period_start").text("period_end").text("due_on").int64("area").int64("rate").int64("amount")
                .field("disputed_at", .datetime).text("dispute_reason", required: false)
        },
        CreateTable("CreatePayments", table: "payments", indexes: ["room_id", "compound_id", "company_id"]) {
            $0.parent("room_id", "rooms").parent("compound_id", "compounds").parent("company_id", "companies").text("method").text("reference", required: false)
                .int64("amount").field("paid_at", .datetime, .required).text("reason", required: false).parent("refund_of", "payments", required: false)
                .text("recorded_by")
        },
        // Duplicate requests merged into one; people following a request beside its reporter.
        AddColumn(name: "AddRequestMerges", table: "requests", column: "merged_into", type: .uuid, indexed: true),
        CreateTable("CreateRequestFollowers", table: "request_followers", unique: [["request_id", "user_id"]], indexes: ["user_id"]) {
            $0.parent("request_id", "requests").parent("user_id", "users").text("via")
        },
        // Vacant rooms (billed at the district's discount while empty) and the district's fee rules.
        CreateTable("CreateRoomVacancies", table: "room_vacancies", indexes: ["room_id", "compound_id"]) {
            $0.parent("room_id", "rooms").parent("compound_id", "compounds").text("starts_on").text("ends_on", required: false)
                .text("note", required: false).text("recorded_by")
        },
        CreateTable("CreateFeeSettings", table: "fee_settings", unique: [["district_id"]]) {
            $0.parent("district_id", "districts").int64("vacant_discount_percent")
        },
        // Shared (公摊) meters of a compound or building and their monthly readings, shared to rooms as bill items.
        CreateTable("CreateMeters", table: "meters", unique: [["compound_id", "name"]], indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").parent("building_id", "buildings", required: false).text("kind").text("name").int64("unit_price")
        },
        CreateTable("CreateMeterReadings", table: "meter_readings", unique: [["meter_id", "month"]], indexes: ["meter_id"]) {
            $0.parent("meter_id", "meters").text("month").int64("reading").bool("meter_changed").int64("usage").int64("cost").text("recorded_by")
        },
        // Owners who register themselves and tenants invited by owners (issue: fees, self-registration, duplicates):
        // certificate numbers kept only as keyed hashes, phone codes, the outbox of messages, registrations and invitations.
        AddColumn(name: "AddCertificateHashes", table: "ownerships", column: "certificate_hash", type: .string, indexed: true),
        CreateTable("CreatePhoneCodes", table: "phone_codes", indexes: ["phone"]) {
            $0.text("phone").text("code_hash").field("expires_at", .datetime, .required).int64("attempts").field("used_at", .datetime)
        },
        CreateTable("CreateOutbox", table: "outbox", indexes: ["compound_id", "created_at"]) {
            $0.parent("compound_id", "compounds", required: false).text("recipient").text("body").field("delivered_at", .datetime)
        },
        CreateTable("CreateRegistrations", table: "registrations", indexes: ["compound_id", "status"]) {
            $0.text("kind").text("name").text("phone").text("username").text("password_hash").text("certificate_hash", required: false)
                .parent("compound_id", "compounds", required: false).text("room_label", required: false).text("photo_name", required: false)
                .text("photo_type", required: false).text("status").text("reason", required: false).parent("user_id", "users", required: false)
                .text("reviewed_by", required: false).field("reviewed_at", .datetime)
        },
        CreateTable("CreateInvitations", table: "invitations", unique: [["code_hash"]], indexes: ["room_id"]) {
            $0.parent("room_id", "rooms").parent("owner_id", "owners").text("code_hash").field("expires_at", .datetime, .required).field("used_at", .datetime)
                .field("resident_id", .uuid)
        },
        CreateTable("CreatePaymentAllocations", table: "payment_allocations", indexes: ["payment_id", "bill_id"]) {
            $0.parent("payment_id", "payments").parent("bill_id", "bills").int64("amount")
        },
        // Disputes settled at the source (issue: disputes and menu services): the branch's list of disputes, the
        // rooms and parties in each, the mediators assigned, its sessions, plan, outcome and the company's improvements.
        AddColumn(name: "AddPartyMembers", table: "users", column: "party_member", type: .bool),
        CreateTable("CreateDisputes", table: "disputes", unique: [["number"]], indexes: ["community_id", "street_id", "compound_id", "status", "received_on"]) {
            $0.text("number").parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities")
                .parent("compound_id", "compounds").text("kind").text("source").text("title").text("description").parent("request_id", "requests", required: false)
                .text("status").text("plan", required: false).text("outcome", required: false).text("outcome_on", required: false)
                .text("outcome_note", required: false).text("received_on").text("reported_by").field("reporter_user_id", .uuid)
        },
        CreateTable("CreateDisputeRooms", table: "dispute_rooms", unique: [["dispute_id", "room_id"]], indexes: ["room_id"]) {
            $0.parent("dispute_id", "disputes").parent("room_id", "rooms")
        },
        CreateTable("CreateDisputeParties", table: "dispute_parties", indexes: ["dispute_id", "company_id"]) {
            $0.parent("dispute_id", "disputes").text("kind").text("name").parent("company_id", "companies", required: false)
        },
        CreateTable("CreateDisputeMediators", table: "dispute_mediators", unique: [["dispute_id", "user_id"]], indexes: ["user_id"]) {
            $0.parent("dispute_id", "disputes").parent("user_id", "users").text("kind")
        },
        CreateTable("CreateDisputeEvents", table: "dispute_events", indexes: ["dispute_id"]) {
            $0.parent("dispute_id", "disputes").text("kind").text("happened_on").text("mediator_kind", required: false).text("mediator_name", required: false)
                .text("note").parent("company_id", "companies", required: false).text("actor_label")
        },
        CreateTable("CreateLegalActivities", table: "legal_activities", indexes: ["community_id", "held_on"]) {
            $0.parent("community_id", "communities").parent("street_id", "streets").text("held_on").text("topic").text("audience").int64("attendance")
                .text("recorded_by")
        },
        // Menu services (大小物业): providers, each compound's rule of who serves which part, the catalogue, orders.
        CreateTable("CreateServiceProviders", table: "service_providers", indexes: ["street_id", "company_id"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").parent("compound_id", "compounds", required: false).text("kind").text("name")
                .text("phone", required: false).parent("company_id", "companies", required: false).bool("active")
        },
        CreateTable("CreateServiceAssignments", table: "service_assignments", indexes: ["compound_id"]) {
            $0.parent("compound_id", "compounds").parent("building_id", "buildings", required: false).parent("provider_id", "service_providers")
        },
        CreateTable("CreateMenuItems", table: "menu_items", indexes: ["street_id", "compound_id", "provider_id"]) {
            $0.parent("street_id", "streets").parent("compound_id", "compounds", required: false).parent("provider_id", "service_providers", required: false)
                .text("part").text("name").text("description").int64("price_min").int64("price_max", required: false).int64("minutes").bool("active")
        },
        CreateTable("CreateServiceOrders", table: "service_orders", unique: [["number"]], indexes: ["provider_id", "compound_id", "user_id", "status"]) {
            $0.text("number").parent("item_id", "menu_items").parent("provider_id", "service_providers").parent("district_id", "districts")
                .parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds").parent("room_id", "rooms")
                .parent("user_id", "users").text("ordered_by").text("phone", required: false).field("window_from", .datetime, .required)
                .field("window_to", .datetime, .required).text("description").text("status").field("scheduled_at", .datetime)
                .field("completed_at", .datetime).text("completed_month", required: false).int64("price", required: false)
                .text("payment_method", required: false).text("reason", required: false).field("confirmed_at", .datetime)
                .int64("rating", required: false).text("comment", required: false)
        },
        // Five-party consultations (issue: co-governance): meetings, their compounds, seats by party, agenda items,
        // resolutions' action items and their progress notes.
        CreateTable("CreateConsultations", table: "consultations", unique: [["number"]], indexes: ["community_id", "street_id", "held_at", "series_id"]) {
            $0.text("number").parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").text("title")
                .field("held_at", .datetime, .required).text("place").text("status").text("minutes", required: false).text("summary", required: false)
                .field("published_at", .datetime).text("convened_by").field("series_id", .uuid)
        },
        CreateTable("CreateConsultationCompounds", table: "consultation_compounds", unique: [["consultation_id", "compound_id"]], indexes: ["compound_id"]) {
            $0.parent("consultation_id", "consultations").parent("compound_id", "compounds")
        },
        CreateTable("CreateConsultationSeats", table: "consultation_seats", indexes: ["consultation_id", "company_id"]) {
            $0.parent("consultation_id", "consultations").text("party").text("name").parent("company_id", "companies", required: false).bool("attended")
        },
        CreateTable("CreateActionItems", table: "action_items", indexes: ["consultation_id", "community_id", "status"]) {
            $0.parent("consultation_id", "consultations").parent("community_id", "communities").text("title").text("party").text("due_on").text("status")
                .text("done_on", required: false)
        },
        CreateTable("CreateAgendaItems", table: "agenda_items", indexes: ["consultation_id", "ref_id"]) {
            $0.parent("consultation_id", "consultations").int64("position").text("kind").text("title").field("ref_id", .uuid)
                .parent("action_item_id", "action_items", required: false)
        },
        CreateTable("CreateActionNotes", table: "action_notes", indexes: ["action_item_id"]) {
            $0.parent("action_item_id", "action_items").text("note").text("actor_label").field("at", .datetime, .required)
        },
        CreateTable("CreateServiceOrderLog", table: "service_order_log", indexes: ["order_id"]) {
            $0.parent("order_id", "service_orders").text("event").text("actor_label").field("at", .datetime, .required).text("note")
        },
    ]

    /// The schema version reported by `/healthz`: the number of migrations this build knows.
    static var schemaVersion: Int { all.count }
}
