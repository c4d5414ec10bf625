import Domain
import Foundation
import Hummingbird
import MultipartKit

/// A `multipart/form-data` form: text fields and one file (the filing form with its photo).
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

    /// Reads the parts with multipart-kit's streaming parser (linear in the body's size); a
    /// malformed body is a 400.
    static func parse(_ body: [UInt8], boundary: String) throws -> MultipartForm {
        var form = MultipartForm()
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var content: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in content.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            defer { headers = []; content = [] }
            var name: String?, filename: String?, type = "application/octet-stream"
            for (header, value) in headers {
                if header == "content-disposition" {
                    for item in value.split(separator: ";").dropFirst() {
                        let kv = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                        guard kv.count == 2 else { continue }
                        let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                        if kv[0] == "name" { name = v } else if kv[0] == "filename" { filename = v }
                    }
                } else if header == "content-type" {
                    type = value.trimmingCharacters(in: .whitespaces).lowercased()
                }
            }
            guard let name else { return }
            if filename != nil {
                if !content.isEmpty { form.file = (name, type, content) }
            } else {
                form.fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        do {
            try parser.execute(body)
        } catch {
            throw DomainError.badRequest(message: "The form could not be read.")
        }
        return form
    }
}
