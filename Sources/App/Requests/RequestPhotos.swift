import Domain
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// Photos of a request: JPEG or PNG up to 5 MiB, checked by their first bytes, stored under the
/// upload folder with random names (never a path a client chose), served with nosniff.
struct RequestPhotos: Sendable {
    let service: RequestService
    let directory: String

    var uploads: UploadStore { UploadStore(directory: directory) }

    static let maxSize = BodyLimits.photo
    static let maxPerRequest = 9

    /// The file's extension when the bytes are what the type says, else nil.
    static func kind(_ bytes: [UInt8], contentType: String) -> String? {
        switch contentType {
        case "image/jpeg" where bytes.starts(with: [0xFF, 0xD8, 0xFF]): "jpg"
        case "image/png" where bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]): "png"
        default: nil
        }
    }

    /// Adds a photo the reporter, handler or an overseer sends.
    func add(_ ctx: AccessContext, request id: UUID, bytes: [UInt8], contentType: String) async throws -> UUID {
        guard !bytes.isEmpty else { throw DomainError.invalid([FieldError(field: "photo", code: "empty", message: "the photo is empty")]) }
        guard bytes.count <= Self.maxSize else { throw DomainError.invalid([FieldError(field: "photo", code: "too_large", message: "a photo may be at most 5 MiB")]) }
        guard let ext = Self.kind(bytes, contentType: contentType) else {
            throw DomainError.invalid([FieldError(field: "photo", code: "unsupported", message: "send a JPEG or PNG photo")])
        }
        let (r, s) = try await service.get(ctx, id)
        guard RequestRules.may(.photo, s, reporterHasAccount: r.reporterUserId != nil) else { throw DomainError.forbidden(reason: "you may not add photos to this request") }
        let photoId = UUID.random()
        let stored = UploadStore.name(folder: "requests", id: photoId, ext: ext)
        let digest = try await uploads.write(bytes, as: stored)
        do {
            try await service.database.db.transaction { tx in
                let count = try await tx.sql().raw("SELECT COUNT(*) AS n FROM request_photos WHERE request_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
                guard count < Self.maxPerRequest else { throw DomainError.conflict(code: "too_many_photos", message: "a request has at most \(Self.maxPerRequest) photos") }
                let stage = RequestRules.photoStage(s)
                try await tx.sql().insert(into: "request_photos").columns("id", "request_id", "content_type", "size", "sha256", "stored_name", "stage", "created_at", "updated_at")
                    .values([Bind.uuid(photoId), Bind.uuid(id), Bind.text(contentType), Bind.int(Int64(bytes.count)), Bind.text(digest), Bind.text(stored),
                             Bind.text(stage.rawValue), Bind.date(ctx.now), Bind.date(ctx.now)]).run()
                try await service.audit.record(ctx, action: "photo", entity: "requests", entityId: id, districtId: r.districtId, before: nil,
                                               after: .object(["photoId": .string(photoId.uuidString.lowercased()), "stage": .string(stage.rawValue), "size": .int(Int64(bytes.count)), "sha256": .string(digest)]), on: tx)
            }
        } catch {
            await uploads.remove(stored)
            throw error
        }
        return photoId
    }

    /// The photo, to whoever may see its request.
    func download(_ ctx: AccessContext, photo: UUID) async throws -> Response {
        guard let row = try await service.database.db.sql().raw("SELECT * FROM request_photos WHERE id = \(bind: photo)").first() else {
            throw DomainError.notFound(entity: "photos", id: photo.uuidString.lowercased())
        }
        _ = try await service.get(ctx, try row.decode(column: "request_id", as: UUID.self))
        let stored = try row.decode(column: "stored_name", as: String.self)
        guard let data = try await uploads.read(stored) else {
            throw DomainError.notFound(entity: "photos", id: photo.uuidString.lowercased())
        }
        return Response(status: .ok, headers: [.contentType: try row.decode(column: "content_type", as: String.self), .cacheControl: "private, max-age=86400",
                                               HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                        body: .init(byteBuffer: data))
    }
}
