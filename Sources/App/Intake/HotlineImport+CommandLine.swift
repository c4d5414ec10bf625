import Domain
import Foundation
import SQLKit

/// What `gongzhi import hotline` reports.
public struct HotlineImportReport: Sendable {
    public let imported: [String]
    public let duplicates: [String]
    public let unmatched: [String]
}

extension GongzhiApp {
    /// Imports a file of 12345 orders into the district with `districtCode` (or the only district).
    public func importHotline(_ data: Data, json: Bool, districtCode: String?, now: Date) async throws -> HotlineImportReport {
        let districts = try await database.db.sql().raw("SELECT id, code FROM districts ORDER BY code").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "code", as: String.self)) }
        let district: UUID
        if let code = districtCode {
            guard let d = districts.first(where: { $0.1 == code }) else { throw DomainError.invalid([FieldError(field: "district", code: "unknown_reference", message: "no district has code \(code)")]) }
            district = d.0
        } else {
            guard districts.count == 1 else { throw DomainError.invalid([FieldError(field: "district", code: "required", message: "there are \(districts.count) districts; name one with --district CODE")]) }
            district = districts[0].0
        }
        let orders = try HotlineImport.parse(data, json: json)
        let importer = HotlineImport(database: database, requests: RequestService(database: database, store: store))
        let s = try await importer.run(.system("cli", source: "cli", now: now), district: district, orders: orders)
        return HotlineImportReport(imported: s.imported, duplicates: s.duplicates, unmatched: s.unmatched)
    }
}
