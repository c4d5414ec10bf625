import Foundation

/// What starts an owners' committee's life cycle (Beijing Property Management Regulations, 2020).
public enum CycleTrigger: String, RegistryCode, Codable {
    /// The developer reports that the condition for the first owners' assembly is met.
    case developerReport = "developer_report"
    /// Owners holding at least the set share (20%) ask for the first assembly in writing.
    case ownersRequest = "owners_request"
    /// A committee's term is ending: the next election.
    case termEnding = "term_ending"
}

/// Where a committee's life cycle stands.
public enum CycleStage: String, RegistryCode, Codable {
    /// Triggered; the street has to form the preparatory group (筹备组).
    case triggered
    /// The preparatory group is formed and its member list posted; it prepares the assembly.
    case preparing
    /// The owners' assembly is electing the committee (a decision of the decisions capability).
    case electing
    /// Elected and installed; to be filed (备案) at the street.
    case elected
    /// Filed: the committee is in term.
    case filed
    /// Given up (no assembly could be held): the street forms a 物管会 instead.
    case abandoned
}

/// The limits the law sets and those it leaves to the district (Beijing regs 2020, arts. 19–30).
public struct CommitteeSettings: Sendable, Hashable {
    /// Share of owners (by number or by area) whose written request triggers the first assembly.
    public var requestShare: Ratio
    /// Days the street has to form the preparatory group after the trigger.
    public var preparatoryDays: Int
    /// Days within which the group's member list is posted.
    public var postingDays: Int
    /// Days within which an elected committee files at the street.
    public var filingDays: Int
    public var minMembers: Int
    public var maxMembers: Int
    public var maxTermYears: Int
    /// Days before a term's end on which reminders fall due, earliest first.
    public var reminderDays: [Int]

    public init(requestShare: Ratio = Ratio(1, 5), preparatoryDays: Int = 60, postingDays: Int = 7, filingDays: Int = 30, minMembers: Int = 5,
                maxMembers: Int = 11, maxTermYears: Int = 5, reminderDays: [Int] = [90, 30]) {
        self.requestShare = requestShare; self.preparatoryDays = preparatoryDays; self.postingDays = postingDays; self.filingDays = filingDays
        self.minMembers = minMembers; self.maxMembers = maxMembers; self.maxTermYears = maxTermYears; self.reminderDays = reminderDays
    }

    public static let beijing = CommitteeSettings()
}

/// The owners' committee's life cycle: thresholds and time limits as pure functions.
public enum CommitteeRules {
    /// Whether an owners' request reaches the share: by the number of owners or by the area they
    /// hold (either suffices), compared exactly.
    public static func requestMeets(persons: Int64, ofPersons totalPersons: Int64, area: Int64, ofArea totalArea: Int64, _ s: CommitteeSettings = .beijing) -> Bool {
        Ratio(persons, totalPersons).isAtLeast(s.requestShare) && totalPersons > 0 || Ratio(area, totalArea).isAtLeast(s.requestShare) && totalArea > 0
    }

    /// The last day the street may form the preparatory group.
    public static func preparatoryDeadline(triggeredOn: CivilDate, _ s: CommitteeSettings = .beijing) -> CivilDate { triggeredOn.adding(days: s.preparatoryDays) }

    /// The group is overdue once its deadline has passed without it (formed on the last day is in time).
    public static func isPreparatoryOverdue(triggeredOn: CivilDate, formedOn: CivilDate?, today: CivilDate, _ s: CommitteeSettings = .beijing) -> Bool {
        (formedOn ?? today) > preparatoryDeadline(triggeredOn: triggeredOn, s)
    }

    /// Problems with a preparatory group: at least three members, owners at least two thirds of
    /// them, a leader among them (appointed by the street).
    public static func preparatoryErrors(members: [Bool], leader: Int?) -> [(field: String, code: String, message: String)] {
        var out: [(String, String, String)] = []
        if members.count < 3 { out.append(("members", "too_few", "at least 3 members")) }
        let owners = Int64(members.filter { $0 }.count)
        if !members.isEmpty && !Ratio(owners, Int64(members.count)).isAtLeast(Ratio(2, 3)) {
            out.append(("members", "owners_share", "owners must be at least two thirds of the members"))
        }
        if leader.map({ !members.indices.contains($0) }) ?? true { out.append(("leader", "required", "the leader, one of the members")) }
        return out
    }

    /// The last day the group's member list may be posted.
    public static func postingDeadline(formedOn: CivilDate, _ s: CommitteeSettings = .beijing) -> CivilDate { formedOn.adding(days: s.postingDays) }

    /// Problems with an elected committee: between the set numbers of members, an odd number, all owners.
    public static func committeeErrors(members: [Bool], _ s: CommitteeSettings = .beijing) -> [(field: String, code: String, message: String)] {
        var out: [(String, String, String)] = []
        if members.count < s.minMembers || members.count > s.maxMembers { out.append(("members", "count", "\(s.minMembers) to \(s.maxMembers) members")) }
        else if members.count % 2 == 0 { out.append(("members", "even", "an odd number of members")) }
        if members.contains(false) { out.append(("members", "not_owner", "every member is an owner")) }
        return out
    }

    /// The latest a term starting on `start` may end: the day before the same date `maxTermYears` later.
    public static func latestTermEnd(start: CivilDate, _ s: CommitteeSettings = .beijing) -> CivilDate {
        let year = start.year + s.maxTermYears
        return CivilDate(year: year, month: start.month, day: min(start.day, CivilDate.daysIn(month: start.month, year: year))).dayBefore
    }

    public static func termErrors(start: CivilDate, end: CivilDate, _ s: CommitteeSettings = .beijing) -> [(field: String, code: String, message: String)] {
        if end < start { return [("termEnd", "before_start", "the term ends after it starts")] }
        if end > latestTermEnd(start: start, s) { return [("termEnd", "too_long", "a term of at most \(s.maxTermYears) years")] }
        return []
    }

    /// The last day an elected committee may file.
    public static func filingDeadline(electedOn: CivilDate, _ s: CommitteeSettings = .beijing) -> CivilDate { electedOn.adding(days: s.filingDays) }

    public static func isFilingOverdue(electedOn: CivilDate, filedOn: CivilDate?, today: CivilDate, _ s: CommitteeSettings = .beijing) -> Bool {
        (filedOn ?? today) > filingDeadline(electedOn: electedOn, s)
    }

    /// The reminder due today for a term ending on `termEnd`: the nearest of the set days before
    /// its end that has been reached (nil before the first, and after the term has ended).
    public static func reminder(termEnd: CivilDate, today: CivilDate, _ s: CommitteeSettings = .beijing) -> Int? {
        guard today <= termEnd else { return nil }
        let left = termEnd.dayNumber - today.dayNumber
        return s.reminderDays.sorted().first { left <= $0 }
    }

    /// Which stage follows which; anything else is refused.
    public static func mayMove(from: CycleStage, to: CycleStage) -> Bool {
        switch (from, to) {
        case (.triggered, .preparing), (.preparing, .electing), (.electing, .elected), (.elected, .filed): true
        case (.triggered, .abandoned), (.preparing, .abandoned), (.electing, .abandoned): true
        default: false
        }
    }
}
