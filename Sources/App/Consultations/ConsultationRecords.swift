import Domain
import Foundation
import SQLKit

/// A consultation as stored, with its community's name.
struct ConsultationRecord: Sendable {
    let id: UUID, number: String, districtId: UUID, streetId: UUID, communityId: UUID, communityName: String
    let title: String, heldAt: Date, place: String, status: ConsultationStatus, minutes: String?, summary: String?, publishedAt: Date?
    let convenedBy: String, seriesId: UUID?

    static let select = "SELECT c.*, cm.name AS community_name FROM consultations c JOIN communities cm ON cm.id = c.community_id"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); number = try row.decode(column: "number", as: String.self)
        districtId = try row.decode(column: "district_id", as: UUID.self); streetId = try row.decode(column: "street_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); communityName = try row.decode(column: "community_name", as: String.self)
        title = try row.decode(column: "title", as: String.self); heldAt = try row.decode(column: "held_at", as: Date.self)
        place = try row.decode(column: "place", as: String.self)
        status = ConsultationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .scheduled
        minutes = try row.decode(column: "minutes", as: String?.self); summary = try row.decode(column: "summary", as: String?.self)
        publishedAt = try row.decode(column: "published_at", as: Date?.self); convenedBy = try row.decode(column: "convened_by", as: String.self)
        seriesId = try row.decode(column: "series_id", as: UUID?.self)
    }
}

/// A seat at a consultation.
struct SeatRecord: Sendable {
    let id: UUID, party: SeatParty, name: String, companyId: UUID?, attended: Bool
}

/// An agenda item, with what it links to.
struct AgendaRecord: Sendable {
    let id: UUID, position: Int, kind: AgendaKind, title: String, refId: UUID?, actionItemId: UUID?
    /// A survey's result as it stood when the minutes were recorded.
    let surveyResult: SurveyQuote?
}

/// A resolution's action item with its progress notes.
struct ActionItemRecord: Sendable {
    let id: UUID, consultationId: UUID, communityId: UUID, title: String, party: SeatParty, dueOn: CivilDate, status: ActionStatus, doneOn: CivilDate?
    var notes: [(at: Date, actor: String, note: String)] = []

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self); consultationId = try row.decode(column: "consultation_id", as: UUID.self)
        communityId = try row.decode(column: "community_id", as: UUID.self); title = try row.decode(column: "title", as: String.self)
        party = SeatParty(rawValue: try row.decode(column: "party", as: String.self)) ?? .other
        dueOn = CivilDate(try row.decode(column: "due_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)
        status = ActionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        doneOn = try row.decode(column: "done_on", as: String?.self).flatMap { CivilDate($0) }
    }
}

/// A consultation with everything on its page.
struct ConsultationView: Sendable {
    let record: ConsultationRecord
    let compounds: [(id: UUID, name: String)]
    let seats: [SeatRecord]
    let agenda: [AgendaRecord]
    /// The action items its resolutions made.
    let resolutions: [ActionItemRecord]
    /// Action items carried onto its agenda.
    let carried: [ActionItemRecord]
    let standing: ConsultationStanding

    var attendedParties: Set<SeatParty> { Set(seats.filter(\.attended).map(\.party)) }
}
