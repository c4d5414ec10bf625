import Foundation

/// How failed logins slow further attempts down, without letting a stranger lock anyone out for good.
///
/// Every attempt draws on *buckets*, each with its own count of consecutive failures:
/// - a browser that has signed in to the account before (a *known device*, remembered by a
///   cookie) draws only on its own bucket, so someone guessing the account's password elsewhere
///   never locks its owner out of the browsers they already use;
/// - any other attempt draws on the account's bucket and on its address's bucket. The address
///   allows many more failures than an account, since a building's NAT or a proxy puts many
///   people behind one address.
///
/// After a bucket's free attempts each failure doubles the wait before the next attempt, up to
/// `maximumDelay`: the wait is always bounded, so a lock is never permanent. An attempt is
/// counted before the password is checked (an atomic increment), so concurrent guesses cannot
/// all slip in under the limit; a success resets the account's and device's buckets and takes
/// its own attempt back from the address's.
public enum LoginThrottle {
    public enum Kind: String, Sendable, CaseIterable {
        case account, address, device
    }

    /// Failures a bucket allows before waits begin.
    public static func freeAttempts(_ kind: Kind) -> Int {
        switch kind {
        case .account, .device: return 5
        case .address: return 30
        }
    }

    /// The longest wait, in seconds.
    public static let maximumDelay = 15 * 60
    /// A bucket with no failure for this long starts again from zero.
    public static let forgetAfter: TimeInterval = 24 * 3600

    /// The seconds a bucket must wait after its `failures`-th consecutive failure (0 while free).
    public static func delay(afterFailures failures: Int, _ kind: Kind) -> Int {
        let over = failures - freeAttempts(kind)
        guard over >= 0 else { return 0 }
        return min(1 << min(over, 20), maximumDelay)
    }

    /// The failure counts at which the wait changes, up to the first that reaches `maximumDelay`;
    /// beyond the last one the wait stays at the maximum.
    public static func steps(_ kind: Kind) -> ClosedRange<Int> {
        let free = freeAttempts(kind)
        var n = free
        while delay(afterFailures: n, kind) < maximumDelay { n += 1 }
        return free...n
    }

    /// The buckets a login attempt draws on.
    public static func buckets(username: String, address: String?, knownDevice: String?) -> [(kind: Kind, key: String)] {
        if let knownDevice { return [(.device, "device:" + knownDevice)] }
        return [(.account, "account:" + username.lowercased()), (.address, "address:" + (address ?? "-"))]
    }
}
