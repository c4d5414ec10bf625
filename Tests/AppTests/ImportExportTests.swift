@testable import App
import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Registry CSV import and export")
struct ImportExportTests {
    static let header = RegistryCSV.columns.joined(separator: ",")
    static let good = """
    \(header)
    大屯街道,欧陆经典社区,万兴苑,北京市朝阳区大屯路1号,commodity,2001,professional,1号楼,6,false,1单元,101,1,residential,89.50
    大屯街道,欧陆经典社区,万兴苑,北京市朝阳区大屯路1号,commodity,2001,professional,1号楼,6,false,1单元,102,1,residential,120.05
    金盏乡,金盏社区,"金盏嘉园, 北区",北京市朝阳区金盏路8号,affordable,2015,none,2号楼,11,true,1单元,1101,11,residential,60
    """

    @Test("an Excel file with Chinese headings, labels and a byte-order mark imports; the page's export is that file, ?codes=1 the codes",
          arguments: TestDatabase.all.prefix(1))
    func excel(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let chinese = "\u{FEFF}街道(乡),社区,小区,地址,房屋性质,建成年份,管理模式,楼栋,层数,有无电梯,单元,房号,所在楼层,用途,建筑面积(㎡)\n"
                + "大屯街道,欧陆经典社区,万兴苑,北京市朝阳区大屯路1号,商品房,2001,专业物业,1号楼,6,无,1单元,101,1,住宅,89.50\n"
                + "大屯街道,欧陆经典社区,万兴苑,北京市朝阳区大屯路1号,Commodity housing,2001,professional,1号楼,6,否,1单元,102,1,residential,120.05\n"
            let transfer = RegistryTransfer(database: app.database)
            let summary = try await transfer.importFromCommandLine(chinese, dryRun: false, now: testNow)
            #expect(summary.rooms == 2)
            // a wrong word is named with the words it may be
            let wrong = chinese.replacingOccurrences(of: "商品房", with: "别墅")
            let rejected = RegistryCSV.read(wrong, labels: RegistryLabels.make(.zhHans)).rejections
            #expect(rejected.first?.errors.first?.message.contains("商品房") == true)
            // the page's export: BOM, Chinese headings and labels
            let (status, csv, headers) = try await client.page("/registry/export.csv")
            #expect(status == .ok)
            #expect(headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.hasPrefix("\u{FEFF}街道(乡),社区,小区,地址,房屋性质"))
            #expect(csv.contains("大屯街道,欧陆经典社区,万兴苑,北京市朝阳区大屯路1号,商品房,2001,专业物业,1号楼,6,无,1单元,101,1,住宅,89.50"))
            let (_, codes, _) = try await client.page("/registry/export.csv?codes=1")
            #expect(codes.hasPrefix(RegistryCSV.columns.joined(separator: ",")))
            #expect(codes.contains(",commodity,2001,professional,1号楼,6,false,1单元,101,1,residential,89.50"))
        }
    }

    @Test("a good file imports every room, and export gives it back", arguments: TestDatabase.all)
    func roundTrip(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            // given
            let transfer = RegistryTransfer(database: app.database)
            // when
            let dry = try await transfer.importFromCommandLine(Self.good, dryRun: true, now: testNow)
            #expect(try await count(app, "rooms") == 0)
            let summary = try await transfer.importFromCommandLine(Self.good, dryRun: false, now: testNow)
            // then
            #expect(dry == summary)
            #expect(summary.rooms == 3 && summary.compounds == 2 && summary.streets == 2 && summary.buildings == 2)
            #expect(try await count(app, "rooms") == 3)
            let (_, streets) = try await client.json(.get, "/api/v1/streets?kind=township")
            #expect(streets["items"]?[0]?["name"] == .string("金盏乡"))
            var exported = ""
            let written = try await transfer.exportFromCommandLine(now: testNow) { exported += $0 }
            #expect(written == 3)
            let lines = exported.split(separator: "\n").map(String.init)
            #expect(lines.count == 4)
            #expect(lines.contains("金盏乡,金盏社区,\"金盏嘉园, 北区\",北京市朝阳区金盏路8号,affordable,2015,none,2号楼,11,true,1单元,1101,11,residential,60.00"))
            // importing the same rooms again is refused as a whole
            await #expect(throws: RegistryImportRejected.self) { try await transfer.importFromCommandLine(Self.good, dryRun: false, now: testNow) }
            #expect(try await count(app, "rooms") == 3)
        }
    }

    @Test("a file with a broken row imports nothing and names the row", arguments: TestDatabase.all)
    func brokenRow(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let broken = Self.good + "\n大屯街道,欧陆经典社区,万兴苑,北京市朝阳区大屯路1号,commodity,2001,professional,1号楼,6,false,1单元,103,1,palace,12.345"
            do {
                _ = try await RegistryTransfer(database: app.database).importFromCommandLine(broken, dryRun: false, now: testNow)
                Issue.record("the import should have been refused")
            } catch let rejected as RegistryImportRejected {
                #expect(rejected.rejections.count == 1)
                #expect(rejected.rejections[0].line == 5)
                #expect(Set(rejected.rejections[0].errors.map(\.field)) == ["use", "area"])
            }
            #expect(try await count(app, "rooms") == 0)
            #expect(try await count(app, "streets") == 0)
        }
    }

    @Test("the import page shows each rejected row and imports nothing", arguments: TestDatabase.all.prefix(1))
    func importPage(db: TestDatabase) async throws {
        try await withApp(db) { app, client in
            let (_, page, headers) = try await client.page("/registry/import")
            let cookie = try #require(sessionCookies(headers))
            let token = try #require(csrfToken(page))
            let broken = Self.good + "\n大屯街道,欧陆经典社区,万兴苑,x,commodity,2001,professional,1号楼,6,false,1单元,103,9,residential,-1"
            let (status, html, _) = try await client.form("/registry/import", ["_csrf": token, "csv": broken, "dryRun": "false"], cookies: cookie)
            #expect(status == .unprocessableContent)
            #expect(html.contains("第 5 行"))
            #expect(try await count(app, "rooms") == 0)
            let (ok, done, _) = try await client.form("/registry/import", ["_csrf": token, "csv": Self.good, "dryRun": "false"], cookies: cookie)
            #expect(ok == .ok)
            #expect(done.contains("已导入 3 间房屋"))
            #expect(try await count(app, "rooms") == 3)
        }
    }
}

/// The cookies a browser would send back after this response.
func sessionCookies(_ headers: HTTPFields) -> String? {
    let cookies = headers[values: .setCookie].compactMap { $0.split(separator: ";").first.map(String.init) }
    return cookies.isEmpty ? nil : cookies.joined(separator: "; ")
}

/// The CSRF token a page embeds.
func csrfToken(_ html: String) -> String? {
    guard let r = html.range(of: "name=\"csrf-token\" content=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
}
