import Domain
import Foundation

/// `POST /api/v1/hotline-orders/{id}/assign`.
struct AssignOrderBody: APIBody {
    let compoundId: UUID

    init(from decoder: any Decoder) throws {
        var r = try FieldReader(decoder)
        guard let compound = r.id("compoundId", required: true, "the compound the order is about") else { throw r.failure }
        compoundId = compound
    }

    static var schema: Schema { .object([.req("compoundId", .uuid)]) }
}

/// What an import did: each order once.
struct HotlineImportAnswer: APIAnswer {
    let imported: Int64, duplicates: [String], unmatched: [String], requestNumbers: [String]

    init(_ s: HotlineImport.Summary) {
        imported = Int64(s.imported.count); duplicates = s.duplicates; unmatched = s.unmatched; requestNumbers = s.imported
    }

    static var schema: Schema {
        .object([.req("imported", .integer(minimum: 0)), .req("duplicates", .array(.string())), .req("unmatched", .array(.string())),
                 .req("requestNumbers", .array(.string()))])
    }
}

/// An order waiting in the queue.
struct QueuedOrderAnswer: APIAnswer {
    let id: String, orderNo: String, receivedAt: String, content: String, address: String, category: String, streetId: String?, streetName: String?

    init(_ o: HotlineImport.QueuedOrder) {
        id = o.id.text; orderNo = o.orderNo; receivedAt = Timestamp.iso(o.receivedAt); content = o.content; address = o.address
        category = o.category; streetId = o.streetId?.text; streetName = o.streetName
    }

    static var schema: Schema {
        .object([.req("id", .uuid), .req("orderNo", .string()), .req("receivedAt", .dateTime), .req("content", .string()), .req("address", .string()),
                 .req("category", .string()), .null("streetId", .uuid), .null("streetName", .string())])
    }
}

/// The request an assigned order became.
struct AssignedOrderAnswer: APIAnswer {
    let requestId: String, url: String
    static var schema: Schema { .object([.req("requestId", .uuid), .req("url", .string())]) }
}
