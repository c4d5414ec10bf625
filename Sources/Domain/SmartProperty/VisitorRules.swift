import Foundation

/// Where a visitor's pass stands.
public enum PassStatus: String, RegistryCode, Codable {
    case active, used, revoked
}

/// What the gate is told when it checks a pass.
public enum PassVerdict: String, RegistryCode, Codable {
    /// Let them in (the pass is now used).
    case admitted
    case notYet = "not_yet"
    case expired
    case used
    case revoked
    case unknown
}

/// A visitor pass as the owner or resident asked for it.
public struct VisitorInput: Sendable, Equatable {
    public var visitorName: String
    public var people: Int
    public var plate: String?
    public var validFrom: Date
    public var validTo: Date

    public init(visitorName: String, people: Int, plate: String?, validFrom: Date, validTo: Date) {
        self.visitorName = visitorName; self.people = people; self.plate = plate; self.validFrom = validFrom; self.validTo = validTo
    }
}

/// Visitors (访客): a pass for a time window, checked once at the gate.
public enum VisitorRules {
    /// Pass codes use digits and capitals that cannot be mistaken for each other (no 0/O, 1/I/L).
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let codeLength = 8
    /// A pass is for at most a week, and may be asked for up to thirty days ahead.
    public static let longestWindow: TimeInterval = 7 * 86_400
    public static let furthestAhead: TimeInterval = 30 * 86_400

    /// A new pass code.
    public static func newCode<G: RandomNumberGenerator>(using g: inout G) -> String {
        String((0..<codeLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }

    /// The code as typed (spaces, dashes, lower case and look-alikes forgiven), or nil when it cannot be one.
    public static func normalise(_ typed: String) -> String? {
        var out = ""
        for ch in typed.uppercased() where ch != " " && ch != "-" {
            let c: Character = switch ch { case "O": "0"; case "I", "L": "1"; default: ch }
            guard alphabet.contains(c) else { return nil }
            out.append(c)
        }
        return out.count == codeLength ? out : nil
    }

    /// "ABCD 2345" for reading aloud.
    public static func display(_ code: String) -> String {
        code.count == codeLength ? String(code.prefix(4)) + " " + String(code.suffix(4)) : code
    }

    /// Mainland plates: a province character, a letter, then 5 (or 6 for new-energy cars) letters or digits.
    public static func validPlate(_ plate: String) -> Bool {
        let chars = Array(plate)
        guard chars.count == 7 || chars.count == 8, let first = chars.first, first.unicodeScalars.first.map({ (0x4E00...0x9FFF).contains($0.value) }) == true,
              chars[1].isASCII, chars[1].isUppercase else { return false }
        return chars.dropFirst(2).dropLast().allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
            && (chars.last!.isASCII && (chars.last!.isUppercase || chars.last!.isNumber) || ["挂", "学", "警", "领", "港", "澳"].contains(chars.last!))
    }

    /// Every problem with a request for a pass, by field.
    public static func problems(_ v: VisitorInput, now: Date) -> [FieldError] {
        var errors = FieldErrors()
        let name = v.visitorName.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 50 { errors.add("visitorName", "required", "the visitor's name, at most 50 characters") }
        if !(1...20).contains(v.people) { errors.add("people", "out_of_range", "1 to 20 people") }
        if let plate = v.plate, !plate.isEmpty, !validPlate(plate) { errors.add("plate", "invalid_format", "a plate such as 京A12345") }
        if v.validTo <= v.validFrom {
            errors.add("validTo", "before_start", "the end comes after the start")
        } else if v.validTo.timeIntervalSince(v.validFrom) > longestWindow {
            errors.add("validTo", "too_long", "a pass is for at most seven days")
        }
        if v.validTo <= now { errors.add("validTo", "in_past", "the window has already ended") }
        if v.validFrom.timeIntervalSince(now) > furthestAhead { errors.add("validFrom", "too_far", "at most thirty days ahead") }
        return errors.all
    }

    /// What the gate is told for a pass at `now`.
    public static func verdict(status: PassStatus, validFrom: Date, validTo: Date, now: Date) -> PassVerdict {
        switch status {
        case .used: return .used
        case .revoked: return .revoked
        case .active:
            if now < validFrom { return .notYet }
            if now >= validTo { return .expired }
            return .admitted
        }
    }
}
