import Domain
import Testing

@Suite("CSV and the registry file")
struct CSVTests {
    @Test("quotes, doubled quotes, CRLF and a BOM")
    func parse() throws {
        let records = try CSV.parse("\u{FEFF}a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\"two\nlines\",z\n")
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "he said \"hi\""], ["two\nlines", "z"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test("an unterminated quote is a syntax error on its line")
    func unterminated() {
        #expect(throws: CSV.SyntaxError.self) { try CSV.parse("a,b\n\"open,b\n") }
    }

    @Test("writing quotes only where needed")
    func line() {
        #expect(CSV.line(["a", "b,c", "d\"e"]) == "a,\"b,c\",\"d\"\"e\"")
    }

    @Test("a registry row reports every bad column at once")
    func rowErrors() {
        let header = RegistryCSV.columns.joined(separator: ",")
        let result = RegistryCSV.read("\(header)\n,社区,小区,地址,villa,1800,professional,1号楼,0,maybe,1单元,101,1,residential,12.345\n")
        #expect(result.rows.isEmpty)
        #expect(result.rejections.count == 1)
        #expect(Set(result.rejections[0].errors.map(\.field)) == ["street", "housing_kind", "year_built", "floors", "has_lift", "area"])
    }

    @Test("duplicate rooms and missing columns are caught")
    func duplicatesAndHeader() {
        let header = RegistryCSV.columns.joined(separator: ",")
        let row = "大屯街道,社区,小区,地址,commodity,2001,professional,1号楼,6,false,1单元,101,1,residential,89.50"
        let result = RegistryCSV.read("\(header)\n\(row)\n\(row)\n")
        #expect(result.rows.count == 1)
        #expect(result.rejections.map(\.line) == [3])
        let missing = RegistryCSV.read("street,community\nx,y\n")
        #expect(missing.rejections.first?.errors.count == RegistryCSV.columns.count - 2)
    }

    @Test("cells that a spreadsheet would run as formulas are written as text and read back as they were")
    func formulaGuard() throws {
        let fields = ["=HYPERLINK(\"x\")", "+1+2", "-cmd", "@SUM(A1)", "\tx", "-12.50", "42", "普通"]
        let line = CSV.line(fields)
        #expect(line.hasPrefix("\"'=HYPERLINK"))
        #expect(line.contains(",'+1+2,'-cmd,'@SUM(A1),'\tx,-12.50,42,普通"))
        #expect(try CSV.parse(line + "\n").first?.fields == fields)
    }
}
