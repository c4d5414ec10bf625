import Domain
import Foundation

/// `POST /api/v1/notices`.
struct PostNoticeBody: APIBody {
    let input: NoticeService.NewNotice

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let compound = r.id("compoundId", required: true)
        let building = r.id("buildingId", required: false)
        let entrance = r.id("entranceId", required: false)
        let author = r.choice("author", NoticeAuthor.self, required: false)
        let title = r.text("title", required: true, max: 200, "a title of at most 200 characters")
        let body = r.text("body", required: true, max: 20_000, "the text, at most 20,000 characters")
        let from = r.date("validFrom", required: true, "the first day it is up, YYYY-MM-DD")
        let until = r.date("validUntil", required: true, "the last day it is up, YYYY-MM-DD")
        try r.finish()
        guard let compound, let title, let body, let from, let until else { throw r.failure }
        input = .init(compoundId: compound, buildingId: building, entranceId: entrance, author: author, title: title, body: body, validFrom: from, validUntil: until)
    }

    static var schema: Schema {
        .object([.req("compoundId", .uuid), .opt("buildingId", .nullable(.uuid)), .opt("entranceId", .nullable(.uuid)),
                 .opt("author", .choice([NoticeAuthor.community, .committee, .company].map(\.rawValue))),
                 .req("title", .string(minLength: 1, maxLength: 200)), .req("body", .string(minLength: 1, maxLength: 20_000)),
                 .req("validFrom", .date), .req("validUntil", .date)])
    }
}

/// `PATCH /api/v1/notices/{id}`: what changes; the rest stays.
struct ChangeNoticeBody: APIBody {
    let change: NoticeService.Change

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        let title = r.text("title", required: false, max: 200, "a title of at most 200 characters")
        let body = r.text("body", required: false, max: 20_000, "the text, at most 20,000 characters")
        let until = r.date("validUntil", required: false, "the last day it is up, YYYY-MM-DD")
        try r.finish()
        change = .init(title: title, body: body, validUntil: until)
    }

    static var schema: Schema {
        .object([.opt("title", .string(minLength: 1, maxLength: 200)), .opt("body", .string(minLength: 1, maxLength: 20_000)), .opt("validUntil", .date)])
    }
}

struct NoticeSummaryAnswer: APIAnswer {
    let id: String, number: String, compoundId: String, compound: String, buildingId: String?, entranceId: String?, author: String, systemKind: String?
    let title: String, validFrom: String, validUntil: String, current: Bool, withdrawn: Bool, read: Bool

    init(_ n: NoticeRecord, read: Bool, today: CivilDate) {
        id = n.id.text; number = n.number; compoundId = n.compoundId.text; compound = n.compoundName; buildingId = n.buildingId?.text; entranceId = n.entranceId?.text
        author = n.author.rawValue; systemKind = n.systemKind?.rawValue; title = n.title; validFrom = n.validFrom.description; validUntil = n.validUntil.description
        current = n.isCurrent(today: today); withdrawn = n.withdrawnAt != nil; self.read = read
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("compoundId", .uuid), .req("compound", .string()), .null("buildingId", .uuid), .null("entranceId", .uuid),
                 .req("author", .choice(NoticeAuthor.self)), .null("systemKind", .choice(SystemNoticeKind.self)), .req("title", .string()),
                 .req("validFrom", .date), .req("validUntil", .date), .req("current", .boolean), .req("withdrawn", .boolean), .req("read", .boolean)])
    }
}

/// A notice. `readers` counts owners' and residents' first readings; `readAt` is the caller's own.
struct NoticeAnswer: APIAnswer {
    struct File: Codable, Sendable { let id: String, name: String, contentType: String, size: Int64, url: String }
    let id: String, number: String, compoundId: String, compound: String, buildingId: String?, entranceId: String?, author: String, systemKind: String?
    let refId: String?, title: String, body: String, validFrom: String, validUntil: String, current: Bool, withdrawn: Bool, editable: Bool
    let postedBy: String, postedAt: String, readers: Int64, readAt: String?, attachments: [File]

    init(_ v: NoticeView, today: CivilDate) {
        let n = v.record
        id = n.id.text; number = n.number; compoundId = n.compoundId.text; compound = n.compoundName; buildingId = n.buildingId?.text; entranceId = n.entranceId?.text
        author = n.author.rawValue; systemKind = n.systemKind?.rawValue; refId = n.refId?.text; title = n.title; body = n.body
        validFrom = n.validFrom.description; validUntil = n.validUntil.description; current = n.isCurrent(today: today); withdrawn = n.withdrawnAt != nil
        editable = v.editable; postedBy = n.createdBy; postedAt = Timestamp.iso(n.createdAt); readers = v.readers; readAt = v.readAt.map(Timestamp.iso)
        attachments = v.attachments.map { File(id: $0.id.text, name: $0.name, contentType: $0.contentType, size: $0.size, url: SiteURL.noticeAttachment.link($0.id.text)) }
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("number", .string()), .req("compoundId", .uuid), .req("compound", .string()), .null("buildingId", .uuid), .null("entranceId", .uuid),
                 .req("author", .choice(NoticeAuthor.self)), .null("systemKind", .choice(SystemNoticeKind.self)), .null("refId", .uuid), .req("title", .string()),
                 .req("body", .string()), .req("validFrom", .date), .req("validUntil", .date), .req("current", .boolean), .req("withdrawn", .boolean),
                 .req("editable", .boolean), .req("postedBy", .string()), .req("postedAt", .dateTime), .req("readers", .integer(minimum: 0)), .null("readAt", .dateTime),
                 .req("attachments", .array(.object([.req("id", .uuid), .req("name", .string()), .req("contentType", .string()), .req("size", .integer(minimum: 0)),
                                                     .req("url", .string())])))])
    }
}

/// Readers of a notice in one building, beside the building's rooms.
struct NoticeReadsAnswer: APIAnswer {
    let buildingId: String?, building: String, rooms: Int64, readers: Int64
    init(_ c: NoticeReadCount) { buildingId = c.buildingId?.text; building = c.building; rooms = c.rooms; readers = c.readers }
    static var schema: Schema {
        .object([.null("buildingId", .uuid), .req("building", .string()), .req("rooms", .integer(minimum: 0)), .req("readers", .integer(minimum: 0))])
    }
}

/// `POST /api/v1/notices/{id}/read`: when the caller read it (null when they are not a reader it reaches).
struct NoticeReadAnswer: APIAnswer {
    let readAt: String?
    static var schema: Schema { .object([.null("readAt", .dateTime)]) }
}
