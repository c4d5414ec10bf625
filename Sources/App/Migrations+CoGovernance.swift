import FluentKit

/// Migrations of co-governance after consultations, in order after `AppMigrations.foundations`:
/// notices, surveys, the committees' life cycle and the 物管会. Append-only, like the rest.
extension AppMigrations {
    static let coGovernance: [any Migration] = [
        // Notices (issue: co-governance): posted per compound, building or entrance for a period, with files and
        // read receipts; system notices carry the kind and the record they announce.
        CreateTable("CreateNotices", table: "notices", unique: [["number"]], indexes: ["compound_id", "community_id", "street_id", "district_id", "ref_id"]) {
            $0.text("number").parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities")
                .parent("compound_id", "compounds").parent("building_id", "buildings", required: false).parent("entrance_id", "entrances", required: false)
                .text("author").parent("company_id", "companies", required: false).text("title").text("body").text("valid_from").text("valid_until")
                .text("system_kind", required: false).field("ref_id", .uuid).text("created_by").field("withdrawn_at", .datetime)
        },
        CreateTable("CreateNoticeAttachments", table: "notice_attachments", indexes: ["notice_id"]) {
            $0.parent("notice_id", "notices").text("name").text("content_type").int64("size").text("sha256").text("stored_name")
        },
        CreateTable("CreateNoticeReads", table: "notice_reads", unique: [["notice_id", "user_id"]], indexes: ["notice_id", "user_id"]) {
            $0.parent("notice_id", "notices").parent("user_id", "users").parent("building_id", "buildings", required: false)
        },
        // Surveys (征求意见, issue: co-governance): a compound or some of its buildings, owners only or all residents;
        // one response per person; a room's area counts once, for the first of its owners who answers.
        CreateTable("CreateSurveys", table: "surveys", unique: [["number"]], indexes: ["compound_id", "community_id", "street_id", "district_id"]) {
            $0.text("number").parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities")
                .parent("compound_id", "compounds").text("author").parent("company_id", "companies", required: false).text("title").text("intro")
                .text("audience").bool("weighted").text("questions").field("closes_at", .datetime, .required).field("closed_at", .datetime).text("created_by")
        },
        CreateTable("CreateSurveyBuildings", table: "survey_buildings", unique: [["survey_id", "building_id"]], indexes: ["survey_id"]) {
            $0.parent("survey_id", "surveys").parent("building_id", "buildings")
        },
        // One response per person (`owner:<id>` or `resident:<id>`), online by their account or on paper entered by those who ran it.
        CreateTable("CreateSurveyResponses", table: "survey_responses", unique: [["survey_id", "person_key"]], indexes: ["survey_id", "user_id"]) {
            $0.parent("survey_id", "surveys").text("person_key").parent("user_id", "users", required: false).text("channel").int64("area").text("answers")
                .text("entered_by")
        },
        CreateTable("CreateSurveyRooms", table: "survey_rooms", unique: [["survey_id", "room_id"]], indexes: ["response_id"]) {
            $0.parent("survey_id", "surveys").parent("room_id", "rooms").parent("response_id", "survey_responses").int64("area")
        },
        // A survey on a consultation's agenda: its result as it stood when the minutes were recorded.
        AddColumn(name: "AddAgendaResults", table: "agenda_items", column: "result", type: .string),
        // The owners' committee's life cycle (issue: co-governance): trigger, preparatory group, election, filing.
        CreateTable("CreateCommitteeCycles", table: "committee_cycles", unique: [["number"]], indexes: ["compound_id", "street_id", "community_id", "district_id", "decision_id"]) {
            $0.text("number").parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds")
                .text("trigger").text("triggered_on").int64("request_persons", required: false).int64("request_area", required: false).text("stage")
                .parent("group_id", "committees", required: false).text("group_formed_on", required: false).text("group_posted_on", required: false)
                .text("leader", required: false).parent("decision_id", "decisions", required: false).text("elected_on", required: false)
                .parent("committee_id", "committees", required: false).text("filed_on", required: false).text("abandoned_reason", required: false).text("created_by")
        },
        // A 物管会's meetings with their decisions, and its duty work lists.
        CreateTable("CreateManagementMeetings", table: "management_meetings", indexes: ["committee_id"]) {
            $0.parent("committee_id", "committees").text("held_on").text("called_by").int64("requests").text("present").int64("members").int64("present_count")
                .int64("owner_reps").int64("owner_reps_present").bool("quorate").text("subject").text("minutes").text("posted_on")
                .parent("notice_id", "notices", required: false).text("recorded_by")
        },
        CreateTable("CreateManagementDecisions", table: "management_decisions", indexes: ["meeting_id"]) {
            $0.parent("meeting_id", "management_meetings").int64("position").text("text").int64("signatures").bool("passed")
        },
        CreateTable("CreateManagementDuties", table: "management_duties", indexes: ["committee_id"]) {
            $0.parent("committee_id", "committees").text("kind").text("done_on").text("note").text("recorded_by")
        },
    ]
}
