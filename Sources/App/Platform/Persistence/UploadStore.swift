import Domain
import Foundation
import NIOCore
import NIOPosix

/// The one place uploaded files live: request photos and decision attachments, under the upload
/// folder with names the server chose (never a client's path). Reads and writes run on NIO's
/// blocking-I/O thread pool, never on an event loop.
struct UploadStore: Sendable {
    let directory: String

    /// A new file's stored name: `folder/uuid.ext`.
    static func name(folder: String, id: UUID, ext: String) -> String { "\(folder)/\(id.text).\(ext)" }

    private func url(_ stored: String) -> URL { URL(fileURLWithPath: directory).appendingPathComponent(stored) }

    /// Writes the file whole (atomically) and answers its SHA-256.
    func write(_ bytes: [UInt8], as stored: String) async throws -> String {
        let url = url(stored)
        try await NIOThreadPool.singleton.runIfActive {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        }
        return Checksum.sha256Hex(bytes: bytes)
    }

    /// The file's bytes, or nil when it is gone.
    func read(_ stored: String) async throws -> ByteBuffer? {
        let url = url(stored)
        let data = try await NIOThreadPool.singleton.runIfActive { FileManager.default.contents(atPath: url.path) }
        return data.map { ByteBuffer(bytes: $0) }
    }

    /// Removes a file whose record was never written (the transaction failed).
    func remove(_ stored: String) async {
        let url = url(stored)
        _ = try? await NIOThreadPool.singleton.runIfActive { try FileManager.default.removeItem(at: url) }
    }
}
