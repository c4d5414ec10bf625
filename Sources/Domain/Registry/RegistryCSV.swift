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

    /// Parses and validates the whole file; returns the good rows and every rejected row.
    /// A file whose header is wrong is one rejection at line 1.
    public static func read(_ text: String) -> (rows: [Row], rejections: [Rejection]) {
        let records: [(line: Int, fields: [String])]
        do {
            records = try CSV.parse(text)
        } catch {
            return ([], [Rejection(line: error.line, errors: [FieldError(field: "file", code: "csv_syntax", message: error.message)])])
        }
        guard let header = records.first else {
            return ([], [Rejection(line: 1, errors: [FieldError(field: "file", code: "empty", message: "the file has no header row")])])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
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
            switch validate(line: record.line, fieldCount: record.fields.count, expected: names.count, get) {
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

    static func validate(line: Int, fieldCount: Int, expected: Int, _ get: (String) -> String) -> Result<Row, Rejection> {
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
            let raw = get(name)
            guard let v = T(rawValue: raw) else {
                errors.add(name, "invalid_choice", "\(name) must be one of \(T.codes.joined(separator: ", "))")
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
        let lift: Bool? = ["true", "1", "yes", "是"].contains(liftRaw) ? true : ["false", "0", "no", "否"].contains(liftRaw) ? false : nil
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

    /// The CSV line of a row, in `columns` order.
    public static func line(_ r: Row) -> String {
        CSV.line([r.street, r.community, r.compound, r.address, r.housingKind.rawValue, String(r.yearBuilt),
                  r.managementMode.rawValue, r.building, String(r.floors), r.hasLift ? "true" : "false", r.entrance,
                  r.room, String(r.floor), r.use.rawValue, r.area.description])
    }
}
