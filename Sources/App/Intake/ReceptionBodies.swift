import Domain
import Foundation

/// `POST /api/v1/receptions`: a reception day or walkabout and the requests raised there.
struct RecordReceptionBody: APIBody {
    let reception: ReceptionService.NewReception

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let community = r.id("communityId", required: true, "the community's id")
        let kind = r.choice("kind", ReceptionService.Kind.self, required: false) ?? .receptionDay
        let held = r.date("heldOn", required: true, "YYYY-MM-DD")
        let place = r.text("place", required: false, max: 200, "at most 200 characters") ?? ""
        let attendees = r.optional("attendees", [String].self, "attendees is a list of names") ?? []
        let requests = r.list("requests", FileRequestBody.self, required: false, "requests is a list") ?? []
        try r.finish()
        guard let community, let held else { throw r.failure }
        reception = .init(communityId: community, kind: kind, heldOn: held, place: place,
                          attendees: attendees.compactMap { $0.trimmingCharacters(in: .whitespaces).nilIfEmpty },
                          requests: requests.map { $0.request(defaultChannel: .reception) })
    }

    static var schema: Schema {
        .object([.req("communityId", .uuid), .opt("kind", .choice(ReceptionService.Kind.self)), .req("heldOn", .date),
                 .opt("place", .string(maxLength: 200)), .opt("attendees", .array(.string(maxLength: 100))),
                 .opt("requests", .array(.named(FileRequestBody.self)))])
    }
}

/// A recorded reception and the requests it filed.
struct ReceptionRecordedAnswer: APIAnswer {
    let id: String
    let requestIds: [String]
    static var schema: Schema { .object([.req("id", .uuid), .req("requestIds", .array(.uuid))]) }
}

/// A reception in the list.
struct ReceptionAnswer: APIAnswer {
    let id: String, communityName: String, kind: String, heldOn: String, place: String, attendees: [String], recordedBy: String, requests: Int64

    init(_ row: ReceptionService.ReceptionRow) {
        id = row.id.text; communityName = row.communityName; kind = row.kind.rawValue; heldOn = row.heldOn; place = row.place
        attendees = row.attendees.split(separator: "、").map(String.init); recordedBy = row.recordedBy; requests = row.requests
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("communityName", .string()), .req("kind", .choice(ReceptionService.Kind.self)), .req("heldOn", .date),
                 .req("place", .string()), .req("attendees", .array(.string())), .req("recordedBy", .string()), .req("requests", .integer(minimum: 0))])
    }
}
