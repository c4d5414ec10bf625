import Foundation

/// What a compound's public page (公开页, opened by anyone with its link, without signing in) may
/// show: facts about the compound, its company, its committee, its requests, decisions, fund and
/// notices — never a person's name, phone or room, nor a room-level choice.
public enum PublicPageRules {
    /// A district's switch: pages are on unless the district turned them off.
    public static func isOpen(districtSetting: Bool?) -> Bool { districtSetting ?? true }

    /// A decision's result is public once voting has ended (closed or published); drafts, open
    /// votes and cancelled ones are not shown.
    public static func showsResult(_ status: DecisionStatus) -> Bool { status == .closed || status == .published }

    /// A notice is shown while it is up: from its first to its last day, unless withdrawn; its
    /// title and dates only, since a notice's text may name people (a preparatory group's list).
    public static func showsNotice(validFrom: CivilDate, validUntil: CivilDate, withdrawn: Bool, today: CivilDate) -> Bool {
        !withdrawn && validFrom <= today && today <= validUntil
    }

    /// The months a page shows request rates for: this month and the one before (`YYYY-MM`).
    public static func rateMonths(today: CivilDate) -> [String] {
        let previous = today.month == 1 ? CivilDate(year: today.year - 1, month: 12, day: 1) : CivilDate(year: today.year, month: today.month - 1, day: 1)
        return [String(today.description.prefix(7)), String(previous.description.prefix(7))]
    }
}
