import Foundation
import Logging
import NIOConcurrencyHelpers

/// `LOG_FORMAT=json`: each log line is one JSON object — `time` (UTC, ISO 8601 with
/// milliseconds), `level`, `logger`, `message`, then the metadata's keys — written whole to
/// standard error, so a log collector never sees half a line.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    private static let lock = NIOLock()

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var line = "{\"time\":" + Self.quote(Self.timestamp()) + ",\"level\":" + Self.quote(event.level.rawValue)
            + ",\"logger\":" + Self.quote(label) + ",\"message\":" + Self.quote(event.message.description)
        for key in fields.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
            line += "," + Self.quote(key) + ":" + Self.value(fields[key]!)
        }
        line += "}\n"
        let data = Data(line.utf8)
        Self.lock.withLock { FileHandle.standardError.write(data) }
    }

    static func value(_ v: Logger.Metadata.Value) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .stringConvertible(let c): return quote(c.description)
        case .array(let a): return "[" + a.map(value).joined(separator: ",") + "]"
        case .dictionary(let d): return "{" + d.keys.sorted().map { quote($0) + ":" + value(d[$0]!) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
