import Crypto
import Foundation

/// Form tokens bound to the browser's session. A signed-in browser's token is an HMAC of its
/// session token under the installation's key, so it changes at every login and a token from
/// another session never matches; before sign-in it is an HMAC of a random pre-session cookie,
/// so a token the browser chose itself never matches either.
public enum CSRFToken {
    /// The token for a signed-in session (`session`) or a pre-session cookie (`anonymous`).
    public enum Binding: Sendable {
        case session(String)
        case anonymous(String)
    }

    public static func make(key: [UInt8], _ binding: Binding) -> String {
        let message: String
        switch binding {
        case .session(let token): message = "session:" + token
        case .anonymous(let id): message = "anonymous:" + id
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key))
        return mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `sent` is the expected token, compared in constant time.
    public static func matches(_ sent: String?, expected: String) -> Bool {
        guard let sent, !expected.isEmpty else { return false }
        let a = Array(sent.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

/// Whether a state-changing browser request comes from this site's own pages: its `Origin`
/// (or, without one, its `Referer`) must name the same scheme-less host and port as the request's
/// `Host`, or the configured public origin. A request with neither header (not a browser, or
/// one that hides both) is left to the form token.
public enum RequestOrigin {
    public static func isSameSite(origin: String?, referer: String?, host: String?, publicOrigin: String? = nil) -> Bool {
        let claimed: String
        if let origin, !origin.isEmpty {
            claimed = origin
        } else if let referer, !referer.isEmpty {
            claimed = referer
        } else {
            return true
        }
        guard let url = URLComponents(string: claimed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let claimedHost = url.host?.lowercased(), !claimedHost.isEmpty
        else { return false }
        let claimedAuthority = claimedHost + (url.port.map { ":\($0)" } ?? "")
        if let publicOrigin, let p = URLComponents(string: publicOrigin), let pHost = p.host?.lowercased() {
            let pAuthority = pHost + (p.port.map { ":\($0)" } ?? "")
            if p.scheme?.lowercased() == scheme && pAuthority == claimedAuthority { return true }
        }
        guard let host = host?.lowercased(), !host.isEmpty else { return false }
        return host == claimedAuthority || host == claimedAuthority + (scheme == "https" ? ":443" : ":80")
            || claimedAuthority == host + (scheme == "https" ? ":443" : ":80")
    }
}
