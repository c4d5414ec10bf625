import FluentKit

/// Migrations of smart property, in order after `AppMigrations.assessment`. Append-only.
extension AppMigrations {
    static let smartProperty: [any Migration] = [
        // A district's thresholds (issue: smart property): fever, confirmation, offline silence, denials, retention.
        CreateTable("CreateSmartSettings", table: "smart_settings", unique: [["district_id"]]) {
            $0.parent("district_id", "districts").int64("fever_tenths").int64("confirm_minutes").int64("offline_minutes")
                .int64("denial_count").int64("denial_window_minutes").int64("retention_days")
        },
        // Devices at compound gates and building entrances, each with its own key (stored as a hash, revocable).
        CreateTable("CreateDevices", table: "devices", unique: [["key_hash"]], indexes: ["district_id", "street_id", "community_id", "compound_id", "last_seen_at"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds")
                .parent("building_id", "buildings", required: false).text("kind").text("name").text("place").text("vendor").text("model")
                .text("key_hash").field("key_issued_at", .datetime, .required).field("revoked_at", .datetime).field("last_seen_at", .datetime)
        },
        // Events, idempotent by the device's own id; a person only as a keyed hash. Visitors let in by a guard's
        // phone have no device.
        CreateTable("CreateDeviceEvents", table: "device_events", unique: [["device_id", "event_key"]],
                    indexes: ["compound_id,occurred_at", "device_id,occurred_at", "district_id,occurred_at", "person_hash", "pass_id"]) {
            $0.parent("district_id", "districts").parent("compound_id", "compounds").parent("device_id", "devices", required: false)
                .text("event_key").text("kind").field("occurred_at", .datetime, .required).text("method", required: false)
                .text("person_hash", required: false).int64("temperature", required: false).field("pass_id", .uuid)
        },
        // Alerts on the command centre's board; `open_key` holds device and kind while one of the kinds kept one per
        // device is open, so two servers cannot both raise it.
        CreateTable("CreateAlerts", table: "alerts", unique: [["open_key"]],
                    indexes: ["district_id,updated_at", "street_id,updated_at", "community_id,updated_at", "compound_id", "device_id", "status"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds")
                .parent("device_id", "devices", required: false).text("kind").text("status").text("open_key", required: false)
                .field("raised_at", .datetime, .required).text("place").text("event_key", required: false).int64("temperature", required: false)
                .text("person_hash", required: false).int64("count", required: false)
                .parent("request_id", "requests", required: false).parent("case_id", "whistle_cases", required: false).field("closed_at", .datetime)
        },
        CreateTable("CreateAlertLog", table: "alert_log", indexes: ["alert_id"]) {
            $0.parent("alert_id", "alerts").text("action").text("note").text("actor")
        },
        // Visitors' passes (访客), registered by an owner or resident for a room and a window, used once.
        CreateTable("CreateVisitorPasses", table: "visitor_passes", unique: [["code"]], indexes: ["user_id", "compound_id,used_at", "street_id,used_at", "community_id,used_at"]) {
            $0.parent("district_id", "districts").parent("street_id", "streets").parent("community_id", "communities").parent("compound_id", "compounds").parent("room_id", "rooms")
                .parent("user_id", "users").text("host").text("code").text("visitor_name").int64("people").text("plate", required: false)
                .field("valid_from", .datetime, .required).field("valid_to", .datetime, .required).text("status")
                .field("used_at", .datetime).text("used_via", required: false)
        },
    ]
}
