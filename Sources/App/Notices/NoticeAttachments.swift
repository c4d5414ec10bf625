import Domain
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// Files attached to a notice: PDF, JPEG or PNG up to 10 MiB, added by whoever may change it, kept
/// under the upload folder with random names, downloaded by whoever may see the notice.
struct NoticeAttachments: Sendable {
    let service: NoticeService
    let directory: String
    let clock: @Sendable () -> Date

    var uploads: UploadStore { UploadStore(directory: directory) }

    static let maxSize = BodyLimits.attachment
    static let types: [String: String] = ["application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"]

    func register(on routes: RouteTable) {
        var doc = OperationDoc("attach-to-notice", "Attach a PDF, JPEG or PNG (the body is the file; ?name= its name) to a notice its author may change", tag: "notices",
                               parameters: [.query("name", .string(minLength: 1, maxLength: 200), "the file's name")],
                               errors: [409: "A system notice"], rawBody: Array(Self.types.keys).sorted())
        doc = doc.answering(AttachmentAnswer.self, status: .created, access: .signedIn)
        routes.signedIn(.post, SiteURL.apiNoticeAttachments.pattern, .signedIn, source: "api", operation: doc) { call in try await upload(call) }
        routes.signedIn(.get, SiteURL.noticeAttachment.pattern, .signedIn, source: "web") { call in try await download(call) }
    }

    func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw DomainError.notFound(entity: "attachments", id: "") }
        return id
    }

    /// The body is the file itself; `Content-Type` says what it is and `?name=` what to call it.
    func upload(_ call: SignedIn) async throws -> Response {
        let (request, context) = (call.request, call.context)
        let ctx = call.access
        let n = try await service.editable(ctx, try id(context), on: service.db)
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let ext = Self.types[type] else {
            throw DomainError.invalid([FieldError(field: "contentType", code: "unsupported", message: "attach PDF, JPEG or PNG files")])
        }
        let name = (request.uri.queryParameters.get("name") ?? "").trimmingCharacters(in: .whitespaces)
        guard name.count <= 200, TextRules.isSafeFileName(name) else {
            throw DomainError.invalid([FieldError(field: "name", code: "required", message: "?name= gives the file's name (no slashes, .., control characters or direction overrides)")])
        }
        let buffer = try await request.readBody(limit: BodyLimits.attachment)
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw DomainError.invalid([FieldError(field: "file", code: "empty", message: "the file is empty")]) }
        let magicOK = switch ext {
        case "pdf": bytes.starts(with: Array("%PDF".utf8))
        case "png": bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])
        default: bytes.starts(with: [0xFF, 0xD8, 0xFF])
        }
        guard magicOK else { throw DomainError.invalid([FieldError(field: "file", code: "type_mismatch", message: "the file is not a \(ext.uppercased())")]) }
        let attachmentId = UUID.random()
        let stored = UploadStore.name(folder: "notices", id: attachmentId, ext: ext)
        let digest = try await uploads.write(bytes, as: stored)
        do {
            try await service.db.transaction { tx in
                let now = Bind.date(ctx.now)
                try await tx.sql().insert(into: "notice_attachments").columns("id", "notice_id", "name", "content_type", "size", "sha256", "stored_name", "created_at", "updated_at")
                    .values([Bind.uuid(attachmentId), Bind.uuid(n.id), Bind.text(name), Bind.text(type), Bind.int(Int64(bytes.count)), Bind.text(digest),
                             Bind.text(stored), now, now]).run()
                try await service.audit.record(ctx, action: "attach", entity: "notices", entityId: n.id, districtId: n.districtId, before: nil,
                                               after: .object(["name": .string(name), "size": .int(Int64(bytes.count)), "sha256": .string(digest)]), on: tx)
            }
        } catch {
            await uploads.remove(stored)
            throw error
        }
        return try RouteTable.encode(AttachmentAnswer(id: attachmentId.text, name: name, contentType: type, size: Int64(bytes.count), sha256: digest,
                                                     url: SiteURL.noticeAttachment.link(attachmentId.text)), status: .created)
    }

    func download(_ call: SignedIn) async throws -> Response {
        let context = call.context
        let ctx = call.access
        let attachmentId = try id(context)
        guard let row = try await service.database.db.sql().raw("SELECT * FROM notice_attachments WHERE id = \(bind: attachmentId)").first() else {
            throw DomainError.notFound(entity: "attachments", id: attachmentId.uuidString.lowercased())
        }
        _ = try await service.visible(ctx, try row.decode(column: "notice_id", as: UUID.self), on: service.db)
        let stored = try row.decode(column: "stored_name", as: String.self)
        guard let data = try await uploads.read(stored) else {
            throw DomainError.notFound(entity: "attachments", id: attachmentId.uuidString.lowercased())
        }
        let name = try row.decode(column: "name", as: String.self)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(status: .ok, headers: [.contentType: try row.decode(column: "content_type", as: String.self),
                                               .contentDisposition: "attachment; filename*=UTF-8''\(encoded)",
                                               HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                        body: .init(byteBuffer: data))
    }
}
