import Domain
import Foundation
import Hummingbird

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
