import Domain
import Foundation
import Testing

@Suite("Account rules")
struct AccountRulesTests {
    let d1 = UUID(), d2 = UUID(), admin = UUID(), user = UUID()

    @Test("an admin never disables their own account, but may re-enable others and disable them")
    func disable() {
        #expect(AccountRules.maySetDisabled(admin: admin, target: admin, disabled: true, isDisabled: false, targetDistricts: [d1], adminDistricts: [d1]) == .ownAccount)
        #expect(AccountRules.maySetDisabled(admin: admin, target: user, disabled: true, isDisabled: false, targetDistricts: [d1], adminDistricts: [d1]) == nil)
        #expect(AccountRules.maySetDisabled(admin: admin, target: user, disabled: true, isDisabled: true, targetDistricts: [d1], adminDistricts: [d1]) == .unchanged)
        #expect(AccountRules.maySetDisabled(admin: admin, target: user, disabled: false, isDisabled: true, targetDistricts: [d1], adminDistricts: [d1]) == nil)
    }

    @Test("an account with a role in another district, or none at all, is not this admin's to manage")
    func districts() {
        #expect(AccountRules.mayManage(targetDistricts: [d1, d1], adminDistricts: [d1]) == nil)
        #expect(AccountRules.mayManage(targetDistricts: [d1, d2], adminDistricts: [d1]) == .otherDistrict)
        #expect(AccountRules.mayManage(targetDistricts: [d1, d2], adminDistricts: [d1, d2]) == nil)
        #expect(AccountRules.mayManage(targetDistricts: [nil], adminDistricts: [d1]) == .otherDistrict)
        #expect(AccountRules.mayManage(targetDistricts: [], adminDistricts: [d1]) == .otherDistrict)
    }

    @Test("the last role stays: an account is stopped by disabling it")
    func revoke() {
        #expect(AccountRules.mayRevoke(grantCount: 1) == .lastGrant)
        #expect(AccountRules.mayRevoke(grantCount: 2) == nil)
    }
}

@Suite("Staff over a place")
struct StaffOverTests {
    @Test("the district's admins, the street's staff and the community's staff are over a place; a neighbour's staff and other roles are not")
    func staffOver() {
        let district = UUID(), street = UUID(), community = UUID()
        func actor(_ role: Role, _ scope: UUID) -> Actor { Actor(kind: .user, id: UUID(), label: "x", grants: [Grant(role: role, scopeId: scope)]) }
        #expect(Policy.isStaffOver(actor(.districtAdmin, district), district: district, street: street, community: community))
        #expect(Policy.isStaffOver(actor(.streetStaff, street), district: district, street: street, community: nil))
        #expect(Policy.isStaffOver(actor(.communityStaff, community), district: district, street: street, community: community))
        // a place named by its street only is not a community's
        #expect(!Policy.isStaffOver(actor(.communityStaff, community), district: district, street: street, community: nil))
        #expect(!Policy.isStaffOver(actor(.streetStaff, UUID()), district: district, street: street, community: community))
        #expect(!Policy.isStaffOver(actor(.committeeMember, community), district: district, street: street, community: community))
        #expect(!Policy.isStaffOver(actor(.mediator, street), district: district, street: street, community: community))
        #expect(Policy.isStaffOver(.system("t"), district: district, street: street, community: nil))
    }
}
