import Foundation

/// Finds the compound a free-text address (a hotline order, an Open311 `address_string`) names:
/// the compound whose name or alias appears in the address, the longest such name winning. Two
/// different compounds matching equally well is no match (a person assigns it).
public struct AddressMatcher: Sendable {
    public struct Candidate: Sendable, Hashable {
        public var id: UUID
        public var streetId: UUID
        public var names: [String]
        public var latitude: Double?
        public var longitude: Double?

        public init(id: UUID, streetId: UUID, names: [String], latitude: Double? = nil, longitude: Double? = nil) {
            self.id = id; self.streetId = streetId; self.names = names; self.latitude = latitude; self.longitude = longitude
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

    public func match(_ address: String) -> Match {
        let a = Self.normalize(address)
        var best = 0
        var hits: Set<UUID> = []
        for c in candidates {
            for name in c.names {
                let n = Self.normalize(name)
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
