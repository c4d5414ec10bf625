import Foundation

/// Finds the compound a free-text address (a hotline order, an Open311 `address_string`) names:
/// the compound whose name, alias or registered address appears in the address, the longest such
/// text winning. A registered address counts without its city and district and in its short
/// form, road and number (`北京市朝阳区孙河万惠路168号` is found in `万惠路168号院3号楼2单元`).
/// Two different compounds matching equally well is no match (a person assigns it).
public struct AddressMatcher: Sendable {
    public struct Candidate: Sendable, Hashable {
        public var id: UUID
        public var streetId: UUID
        public var names: [String]
        public var latitude: Double?
        public var longitude: Double?

        /// The registered address's forms that an address may contain (`AddressMatcher.addressForms`).
        public var addressForms: [String]

        public init(id: UUID, streetId: UUID, names: [String], address: String? = nil, latitude: Double? = nil, longitude: Double? = nil) {
            self.id = id; self.streetId = streetId; self.names = names; self.latitude = latitude; self.longitude = longitude
            self.addressForms = address.map(AddressMatcher.addressForms) ?? []
        }
    }

    public enum Match: Sendable, Hashable {
        case compound(UUID)
        /// Several compounds fit; the street is known when they share one.
        case ambiguous(street: UUID?)
        case none
    }

    let candidates: [Candidate]
    /// Street names, for routing unmatched orders to the right street's queue.
    let streets: [(id: UUID, name: String)]

    public init(_ candidates: [Candidate], streets: [(id: UUID, name: String)] = []) {
        self.candidates = candidates
        self.streets = streets
    }

    /// Full-width to half-width, no spaces, for comparing.
    public static func normalize(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.properties.isWhitespace || u == "\u{3000}" { continue }
            if (0xFF01...0xFF5E).contains(u.value), let h = Unicode.Scalar(u.value - 0xFEE0) { out.unicodeScalars.append(h) } else { out.unicodeScalars.append(u) }
        }
        return out.lowercased()
    }

    /// A registered address in the forms people write it: whole; without the city, district and
    /// street or town in front; and as road and number alone, with two to four characters of the
    /// road's name (`万惠路168号`), since callers rarely write the town and never the city.
    public static func addressForms(_ address: String) -> [String] {
        var a = normalize(address)
        guard a.count >= 4 else { return [] }
        var forms: Set<String> = [a]
        for marker in ["省", "市", "区", "县"] {
            if let r = a.range(of: marker), a.distance(from: a.startIndex, to: r.lowerBound) <= 6 {
                a = String(a[r.upperBound...])
                forms.insert(a)
            }
        }
        for marker in ["街道", "地区", "镇", "乡"] {
            if let r = a.range(of: marker), a.distance(from: a.startIndex, to: r.lowerBound) <= 6 { forms.insert(String(a[r.upperBound...])) }
        }
        // Road and number: the characters before 路/街/道/巷/里/胡同, then digits (with 甲乙丙 or -) and 号.
        let chars = Array(a)
        for (i, ch) in chars.enumerated() where "路街道巷里同".contains(ch) {
            var j = i + 1
            // ASCII digits only: 万 and 千 are numbers to Unicode too.
            while j < chars.count, (chars[j].isASCII && chars[j].isNumber) || "-甲乙丙丁".contains(chars[j]) { j += 1 }
            guard j > i + 1, j < chars.count, chars[j] == "号" else { continue }
            for k in 2...4 where i - k >= 0 {
                let head = chars[(i - k)..<i]
                guard head.allSatisfy({ !$0.isASCII && !"区县镇乡市".contains($0) }) else { break }
                forms.insert(String(chars[(i - k)...j]))
            }
        }
        return forms.filter { $0.count >= 5 }.sorted()
    }

    public func match(_ address: String) -> Match {
        let a = Self.normalize(address)
        var best = 0
        var hits: Set<UUID> = []
        for c in candidates {
            for name in c.names.map(Self.normalize) + c.addressForms {
                let n = name
                guard n.count >= 2, a.contains(n) else { continue }
                if n.count > best { best = n.count; hits = [c.id] } else if n.count == best { hits.insert(c.id) }
            }
        }
        if hits.count == 1 { return .compound(hits.first!) }
        if hits.count > 1 {
            let streetsHit = Set(candidates.filter { hits.contains($0.id) }.map(\.streetId))
            return .ambiguous(street: streetsHit.count == 1 ? streetsHit.first : nil)
        }
        return .none
    }

    /// The street an unmatched address names, if exactly one.
    public func street(_ address: String) -> UUID? {
        let a = Self.normalize(address)
        let hits = streets.filter { s in
            let n = Self.normalize(s.name)
            // 大屯街道 is also written 大屯; 孙河地区 孙河.
            let stem = n.hasSuffix("街道") || n.hasSuffix("地区") ? String(n.dropLast(2)) : n
            return a.contains(n) || (stem.count >= 2 && a.contains(stem))
        }
        return hits.count == 1 ? hits[0].id : nil
    }

    /// The compound nearest to a point, if one lies within `maxMeters` (equirectangular distance,
    /// plenty for a district).
    public func nearest(latitude: Double, longitude: Double, maxMeters: Double = 500) -> UUID? {
        var best: (UUID, Double)?
        for c in candidates {
            guard let la = c.latitude, let lo = c.longitude else { continue }
            let x = (lo - longitude) * cos((la + latitude) / 2 * .pi / 180)
            let y = la - latitude
            let meters = (x * x + y * y).squareRoot() * 111_320
            if meters <= maxMeters, best == nil || meters < best!.1 { best = (c.id, meters) }
        }
        return best?.0
    }
}
