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

    static let maxSize = 5 * 1024 * 1024
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
        let photoId = UUID()
        let stored = "requests/\(photoId.uuidString.lowercased()).\(ext)"
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("requests")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(stored)
        try Data(bytes).write(to: path, options: .atomic)
        let digest = SHA256Digest.hash(bytes).map { String(format: "%02x", $0) }.joined()
        do {
            try await service.database.db.transaction { tx in
                let count = try await tx.sql().raw("SELECT COUNT(*) AS n FROM request_photos WHERE request_id = \(bind: id)").first()?.decode(column: "n", as: Int.self) ?? 0
                guard count < Self.maxPerRequest else { throw DomainError.conflict(code: "too_many_photos", message: "a request has at most \(Self.maxPerRequest) photos") }
                try await tx.sql().insert(into: "request_photos").columns("id", "request_id", "content_type", "size", "sha256", "stored_name", "created_at", "updated_at")
                    .values([Bind.uuid(photoId), Bind.uuid(id), Bind.text(contentType), Bind.int(Int64(bytes.count)), Bind.text(digest), Bind.text(stored),
                             Bind.date(ctx.now), Bind.date(ctx.now)]).run()
                try await service.audit.record(ctx, action: "photo", entity: "requests", entityId: id, districtId: r.districtId, before: nil,
                                               after: .object(["photoId": .string(photoId.uuidString.lowercased()), "size": .int(Int64(bytes.count)), "sha256": .string(digest)]), on: tx)
            }
        } catch {
            try? FileManager.default.removeItem(at: path)
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
        guard let data = FileManager.default.contents(atPath: URL(fileURLWithPath: directory).appendingPathComponent(stored).path) else {
            throw DomainError.notFound(entity: "photos", id: photo.uuidString.lowercased())
        }
        return Response(status: .ok, headers: [.contentType: try row.decode(column: "content_type", as: String.self), .cacheControl: "private, max-age=86400",
                                               HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A minimal `multipart/form-data` reader for the filing form (text fields and one file).
struct MultipartForm: Sendable {
    var fields: [String: String] = [:]
    var file: (name: String, contentType: String, bytes: [UInt8])?

    static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].lowercased() == "boundary" { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) -> MultipartForm {
        var form = MultipartForm()
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var i = 0
        while i + delimiter.count <= body.count {
            if body[i] == delimiter[0] && Array(body[i..<(i + delimiter.count)]) == delimiter {
                if let s = start { parts.append(body[s..<max(s, i - 2)]) }  // drop the CRLF before the delimiter
                i += delimiter.count
                if i + 1 < body.count && body[i] == 0x2D && body[i + 1] == 0x2D { break }
                i += 2  // CRLF after the delimiter
                start = i
                continue
            }
            i += 1
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        for part in parts {
            let bytes = Array(part)
            guard let headerEnd = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else { continue }
            let headers = String(decoding: bytes[0..<headerEnd], as: UTF8.self)
            let content = Array(bytes[(headerEnd + 4)...])
            var name: String?, filename: String?, type = "application/octet-stream"
            for line in headers.split(whereSeparator: \.isNewline) {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition") {
                    for item in line.split(separator: ";").dropFirst() {
                        let kv = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                        guard kv.count == 2 else { continue }
                        let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        if kv[0] == "name" { name = value } else if kv[0] == "filename" { filename = value }
                    }
                } else if lower.hasPrefix("content-type") {
                    type = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? type
                }
            }
            guard let name else { continue }
            if filename != nil {
                if !content.isEmpty { form.file = (name, type, content) }
            } else {
                form.fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return form
    }
}
