import Foundation

/// What a district admin may do to an account: the rules the account pages and API apply before
/// any write.
public enum AccountRules {
    /// Why an admin may not change this account now, or nil.
    public enum Refusal: String, Sendable, Equatable {
        /// Nobody disables their own account: a district could lose its last admin that way.
        case ownAccount = "own_account"
        /// An account keeps at least one role; to stop it, disable it.
        case lastGrant = "last_grant"
        /// The account has the role on that scope already.
        case duplicateGrant = "duplicate_grant"
        /// Some of the account's roles lie in another district: only its admins, together, may disable or reset it.
        case otherDistrict = "other_district"
        /// The account is already in the state asked for.
        case unchanged
    }

    /// A username: 3–40 letters, digits, dots, dashes or underscores (what people type to sign in).
    public static func validUsername(_ name: String) -> Bool {
        (3...40).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    /// May `admin` disable (or re-enable) `target`, whose roles lie in `targetDistricts`, when `admin` runs `adminDistricts`?
    public static func maySetDisabled(admin: UUID?, target: UUID, disabled: Bool, isDisabled: Bool,
                                      targetDistricts: [UUID?], adminDistricts: Set<UUID>) -> Refusal? {
        if disabled && admin == target { return .ownAccount }
        if let refusal = mayManage(targetDistricts: targetDistricts, adminDistricts: adminDistricts) { return refusal }
        return disabled == isDisabled ? .unchanged : nil
    }

    /// May an admin of `adminDistricts` reset the password of, or otherwise manage, an account whose roles lie in `targetDistricts`?
    /// Every role must be in one of the admin's districts; an account with no role left belongs to no admin.
    public static func mayManage(targetDistricts: [UUID?], adminDistricts: Set<UUID>) -> Refusal? {
        targetDistricts.allSatisfy({ $0.map(adminDistricts.contains) ?? false }) && !targetDistricts.isEmpty ? nil : .otherDistrict
    }

    /// May a role be removed from an account that has `grantCount` roles?
    public static func mayRevoke(grantCount: Int) -> Refusal? {
        grantCount > 1 ? nil : .lastGrant
    }
}
