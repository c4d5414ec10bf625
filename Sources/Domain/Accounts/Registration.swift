import Foundation

/// Owners who register themselves, tenants invited by owners, and the codes sent to their phones.
public enum Registration {
    /// A property certificate number (不动产权证号) as compared: full-width characters made
    /// half-width, spaces and punctuation dropped, letters upper-case — so "京(2019)朝阳区不动产权第 0012345 号"
    /// typed with or without spaces or full-width brackets compares equal.
    public static func normalizedCertificate(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            var v = scalar.value
            if (0xFF01...0xFF5E).contains(v) { v -= 0xFEE0 }          // full-width ASCII → ASCII
            guard let s = Unicode.Scalar(v) else { continue }
            if s.properties.isWhitespace || "()（）[]【】-－_.,，、:：".unicodeScalars.contains(s) { continue }
            out.unicodeScalars.append(s)
        }
        return out.uppercased()
    }

    /// Whether a typed number could be a certificate number at all (before any lookup).
    public static func plausibleCertificate(_ normalized: String) -> Bool {
        (6...60).contains(normalized.count) && normalized.contains { $0.isASCII && $0.isNumber }
    }

    /// What a registration with a certificate number comes to.
    public enum Outcome: Sendable, Equatable {
        /// The number and the name match exactly one owner of record: the owner role on them.
        case owner(UUID)
        /// No match, or more than one: the community reviews it with the certificate photo.
        case review
    }

    /// Matches a registering person against the owners recorded with that certificate number:
    /// co-owners share a certificate, so the name decides which of them registers.
    public static func match(name: String, owners: [(id: UUID, name: String)]) -> Outcome {
        let typed = name.filter { !$0.isWhitespace }
        let same = owners.filter { $0.name.filter { !$0.isWhitespace } == typed }
        return same.count == 1 ? .owner(same[0].id) : .review
    }

    /// A mainland mobile number: 11 digits starting 1[3-9].
    public static func validPhone(_ phone: String) -> Bool {
        phone.count == 11 && phone.allSatisfy(\.isNumber) && phone.hasPrefix("1") && "3456789".contains(phone[phone.index(after: phone.startIndex)])
    }

    /// How long a phone code lives, how many wrong tries end it, and how often one may be sent.
    public static let codeLifetime: TimeInterval = 10 * 60
    public static let codeAttempts = 5
    public static let codeInterval: TimeInterval = 60
    /// How long a tenant's invitation stays open.
    public static let invitationLifetime: TimeInterval = 7 * 86_400

    /// Whether a code can still be tried.
    public static func codeUsable(expiresAt: Date, attempts: Int, usedAt: Date?, now: Date) -> Bool {
        usedAt == nil && attempts < codeAttempts && now < expiresAt
    }
}
