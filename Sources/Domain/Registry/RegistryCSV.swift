import Foundation

/// The registry CSV that `gongzhi import registry` reads and `gongzhi export registry` writes:
/// one row per room, naming its whole path from street to room.
public enum RegistryCSV {
    public static let columns = ["street", "community", "compound", "address", "housing_kind", "year_built",
                                 "management_mode", "building", "floors", "has_lift", "entrance", "room", "floor", "use", "area"]

    /// One validated row.
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var street: String
        public var community: String
        public var compound: String
        public var address: String
        public var housingKind: HousingKind
        public var yearBuilt: Int
        public var managementMode: ManagementMode
        public var building: String
        public var floors: Int
        public var hasLift: Bool
        public var entrance: String
        public var room: String
        public var floor: Int
        public var use: RoomUse
        public var area: Area

        /// The room's full path, unique in a district.
        public var roomKey: [String] { [street, community, compound, building, entrance, room] }
    }

    /// A row that was refused, with every reason.
    public struct Rejection: Error, Sendable, Hashable {
        public var line: Int
        public var errors: [FieldError]
        public init(line: Int, errors: [FieldError]) { self.line = line; self.errors = errors }
    }

    /// The words people use for the columns and codes (Chinese, English), so that a file saved
    /// from Excel with `房屋性质` and `商品房` reads as `housing_kind` and `commodity`, and an export
    /// can be written the same way. Made by the app from its localisation table.
    public struct Labels: Sendable {
        /// Column code → its heading.
        public var headings: [String: String]
        /// Code family (`housing_kind`, `management_mode`, `room_use`) → code → label.
        public var codes: [String: [String: String]]
        /// Every other word that means a column or a code: lower-cased word → code.
        public var aliases: [String: String]
        public var yes: String
        public var no: String

        public init(headings: [String: String], codes: [String: [String: String]], aliases: [String: String] = [:], yes: String, no: String) {
            self.headings = headings
            self.codes = codes
            self.aliases = aliases
            self.yes = yes
            self.no = no
        }

        func column(_ name: String) -> String {
            if columns.contains(name) { return name }
            if let c = headings.first(where: { $0.value == name })?.key { return c }
            return aliases[name.lowercased()].flatMap { columns.contains($0) ? $0 : nil } ?? name
        }

        func code(_ family: String, _ word: String) -> String {
            if let c = codes[family]?.first(where: { $0.value == word })?.key { return c }
            return aliases["\(family)|\(word.lowercased())"] ?? word
        }
    }

    /// Parses and validates the whole file; returns the good rows and every rejected row.
    /// A file whose header is wrong is one rejection at line 1. With `labels`, headings and codes
    /// may be written as words (a byte-order mark at the start is ignored either way).
    public static func read(_ text: String, labels: Labels? = nil) -> (rows: [Row], rejections: [Rejection]) {
        let records: [(line: Int, fields: [String])]
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do {
            records = try CSV.parse(text)
        } catch {
            return ([], [Rejection(line: error.line, errors: [FieldError(field: "file", code: "csv_syntax", message: error.message)])])
        }
        guard let header = records.first else {
            return ([], [Rejection(line: 1, errors: [FieldError(field: "file", code: "empty", message: "the file has no header row")])])
        }
        let names = header.fields.map { field in
            let name = field.trimmingCharacters(in: .whitespaces)
            return labels?.column(name) ?? name
        }
        let missing = columns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            return ([], [Rejection(line: header.line, errors: missing.map {
                FieldError(field: $0, code: "missing_column", message: "column \($0) is missing from the header")
            })])
        }
        let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [Row] = []
        var rejections: [Rejection] = []
        var seen: [[String]: Int] = [:]
        for record in records.dropFirst() {
            let get: (String) -> String = { name in
                let i = index[name]!
                return i < record.fields.count ? record.fields[i].trimmingCharacters(in: .whitespaces) : ""
            }
            switch validate(line: record.line, fieldCount: record.fields.count, expected: names.count, labels: labels, get) {
            case .success(let row):
                if let first = seen[row.roomKey] {
                    rejections.append(Rejection(line: row.line, errors: [FieldError(field: "room", code: "duplicate",
                                                                                     message: "the same room is already on line \(first)")]))
                } else {
                    seen[row.roomKey] = row.line
                    rows.append(row)
                }
            case .failure(let rejection):
                rejections.append(rejection)
            }
        }
        return (rows, rejections)
    }

    static func validate(line: Int, fieldCount: Int, expected: Int, labels: Labels? = nil, _ get: (String) -> String) -> Result<Row, Rejection> {
        var errors = FieldErrors()
        if fieldCount != expected {
            errors.add("row", "column_count", "expected \(expected) fields, found \(fieldCount)")
        }
        func text(_ name: String, max: Int = 100) -> String {
            let v = get(name)
            if v.isEmpty { errors.add(name, "required", "\(name) is required") } else if v.unicodeScalars.count > max {
                errors.add(name, "too_long", "\(name) is longer than \(max) characters")
            }
            return v
        }
        func int(_ name: String, _ range: ClosedRange<Int>) -> Int {
            let raw = get(name)
            guard let v = Int(raw), range.contains(v) else {
                errors.add(name, raw.isEmpty ? "required" : "out_of_range", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return range.lowerBound
            }
            return v
        }
        func code<T: RegistryCode>(_ name: String, _ type: T.Type) -> T? {
            let raw = labels?.code(T.codeFamily, get(name)) ?? get(name)
            guard let v = T(rawValue: raw) else {
                let choices = labels.map { l in T.codes.map { l.codes[T.codeFamily]?[$0] ?? $0 } } ?? T.codes
                errors.add(name, "invalid_choice", "\(name) must be one of \(choices.joined(separator: ", "))")
                return nil
            }
            return v
        }
        let street = text("street"), community = text("community"), compound = text("compound")
        let address = text("address", max: 200)
        let housing = code("housing_kind", HousingKind.self)
        let year = int("year_built", 1900...2100)
        let mode = code("management_mode", ManagementMode.self)
        let building = text("building", max: 30)
        let floors = int("floors", 1...200)
        let liftRaw = get("has_lift").lowercased()
        let lift: Bool? = ["true", "1", "yes", "是", "有", labels?.yes.lowercased()].contains(liftRaw) ? true
            : ["false", "0", "no", "否", "无", labels?.no.lowercased()].contains(liftRaw) ? false : nil
        if lift == nil { errors.add("has_lift", "invalid_choice", "has_lift must be true or false") }
        let entrance = text("entrance", max: 30)
        let room = text("room", max: 30)
        let floor = int("floor", -5...200)
        let use = code("use", RoomUse.self)
        var area = Area.zero
        do {
            area = try Area(parsing: get("area"))
            if area.hundredths == 0 { errors.add("area", "out_of_range", "area must be more than 0") }
        } catch {
            errors.add("area", "invalid_area", "area must be square metres with at most two decimals, e.g. 89.50")
        }
        guard errors.isEmpty, let housing, let mode, let lift, let use else {
            return .failure(Rejection(line: line, errors: errors.all))
        }
        return .success(Row(line: line, street: street, community: community, compound: compound, address: address,
                            housingKind: housing, yearBuilt: year, managementMode: mode, building: building, floors: floors,
                            hasLift: lift, entrance: entrance, room: room, floor: floor, use: use, area: area))
    }

    /// The CSV line of a row, in `columns` order; with `labels`, codes as words.
    public static func line(_ r: Row, labels: Labels? = nil) -> String {
        func word<T: RegistryCode>(_ v: T) -> String { labels?.codes[T.codeFamily]?[v.rawValue] ?? v.rawValue }
        let lift = labels.map { r.hasLift ? $0.yes : $0.no } ?? (r.hasLift ? "true" : "false")
        return CSV.line([r.street, r.community, r.compound, r.address, word(r.housingKind), String(r.yearBuilt),
                         word(r.managementMode), r.building, String(r.floors), lift, r.entrance,
                         r.room, String(r.floor), word(r.use), r.area.description])
    }

    /// The header line; with `labels`, the headings.
    public static func header(labels: Labels? = nil) -> String {
        CSV.line(columns.map { labels?.headings[$0] ?? $0 })
    }
}
