import Domain
import Foundation
import Hummingbird

/// `/api/v1/users…` and `/api/v1/role-grants/{id}`: the accounts of the admin's district.
struct UserAdminAPI: Sendable {
    let admin: UserAdmin

    func register(on routes: RouteTable) {
        let refusals: [Int: String] = [409: "Refused by the account rules (own account, last role, duplicate role, unchanged)"]
        routes.api(.get, SiteURL.apiUsers, .administer,
                   OperationDoc("list-users", "Accounts with a role in the admin's district, by username (offset paging)", tag: "users", parameters: [
                       .query("q", .string(maxLength: 100), "words of the username or name"),
                       .query("limit", .integer(minimum: 1, maximum: 200), "1–200, default 50"), .query("cursor", .string(pattern: "^[0-9]{1,9}$"), "the next of the previous page"),
                   ])) { call in
            var errors = FieldErrors()
            var limit = 50, offset = 0
            if let l = call.query.get("limit") { if let n = Int(l), (1...200).contains(n) { limit = n } else { errors.add("limit", "out_of_range", "1 to 200") } }
            if let c = call.query.get("cursor") { if let n = Int(c), n >= 0 { offset = n } else { errors.add("cursor", "invalid_format", "a cursor from a previous page") } }
            try errors.throwIfAny()
            let (items, total) = try await admin.list(call.access, q: call.query.get("q"), limit: limit, offset: offset)
            return Page(items: items.map(AccountAnswer.init), next: offset + items.count < total ? String(offset + items.count) : nil)
        }
        routes.api(.post, SiteURL.apiUsers, .administer,
                   OperationDoc("create-user", "Create an account with its first role (the person changes the password after signing in)", tag: "users",
                                errors: [409: "The username is taken"]),
                   body: CreateUserBody.self, status: .created) { call, body in
            AccountAnswer(try await admin.create(call.access, username: body.username, displayName: body.displayName, password: body.password,
                                                 role: body.role, scopeId: body.scopeId))
        }
        routes.api(.get, SiteURL.apiUser, .administer, OperationDoc("get-user", "One account of the admin's district", tag: "users")) { call in
            AccountAnswer(try await admin.get(call.access, try call.id("users")))
        }
        routes.api(.post, SiteURL.apiUserDisable, .administer,
                   OperationDoc("disable-user", "Disable an account and end its sessions", tag: "users", errors: refusals)) { call in
            AccountAnswer(try await admin.setDisabled(call.access, try call.id("users"), disabled: true))
        }
        routes.api(.put, SiteURL.apiUserPartyMember, .administer,
                   OperationDoc("set-party-member", "Flag the account a party member (党员), who may put neighbours' disputes on the branch's list", tag: "users"),
                   body: PartyMemberBody.self) { call, body in
            AccountAnswer(try await admin.setPartyMember(call.access, try call.id("users"), body.partyMember))
        }
        routes.api(.post, SiteURL.apiUserEnable, .administer,
                   OperationDoc("enable-user", "Re-enable a disabled account", tag: "users", errors: refusals)) { call in
            AccountAnswer(try await admin.setDisabled(call.access, try call.id("users"), disabled: false))
        }
        routes.api(.post, SiteURL.apiUserPassword, .administer,
                   OperationDoc("reset-user-password", "Set a new password for the account and end its sessions", tag: "users"),
                   body: ResetPasswordBody.self) { call, body in
            try await admin.resetPassword(call.access, try call.id("users"), password: body.password)
            return NoContent()
        }
        routes.api(.post, SiteURL.apiUserGrants, .administer,
                   OperationDoc("grant-role", "Add a role on a scope of the admin's district", tag: "users", errors: refusals),
                   body: GrantBody.self, status: .created) { call, body in
            AccountAnswer(try await admin.grant(call.access, try call.id("users"), role: body.role, scopeId: body.scopeId))
        }
        routes.api(.delete, SiteURL.apiRoleGrant, .administer,
                   OperationDoc("revoke-role", "Remove one role (never the account's last)", tag: "users", errors: refusals)) { call in
            AccountAnswer(try await admin.revoke(call.access, grant: try call.id("role-grants")))
        }
    }
}
