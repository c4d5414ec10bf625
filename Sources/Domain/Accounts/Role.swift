import Foundation

/// The roles of the platform, each held over one scope (PRODUCT.md, "Who uses it").
public enum Role: String, RegistryCode, Codable {
    /// 区级: a district — everything in it, rules and settings.
    case districtAdmin = "district-admin"
    /// 街道/乡 incl. the command centre: one street.
    case streetStaff = "street-staff"
    /// 社区党委/居委会: one community.
    case communityStaff = "community-staff"
    /// 物业: the compounds under its company's current contracts, and its own records.
    case companyStaff = "company-staff"
    /// 业委会/物管会: one compound.
    case committeeMember = "committee-member"
    /// 职能部门: its department.
    case departmentLiaison = "department-liaison"
    /// 业主: their rooms.
    case owner
    /// 居民: the rooms they live in.
    case resident
    /// 调解员 (a judge seated in the alliance's branch, a people's mediator): the street they serve;
    /// they see only the disputes they are assigned to mediate.
    case mediator
    /// A provider of menu services (a street repair team, a vendor, a small property): its own orders.
    case serviceProvider = "service-provider"

    /// What kind of record the scope id names.
    public var scopeKind: ScopeKind {
        switch self {
        case .districtAdmin: .district
        case .streetStaff: .street
        case .communityStaff: .community
        case .companyStaff: .company
        case .committeeMember: .compound
        case .departmentLiaison: .department
        case .owner: .owner
        case .resident: .resident
        case .mediator: .street
        case .serviceProvider: .provider
        }
    }
}

/// The kinds of record a role's scope can be.
public enum ScopeKind: String, Sendable, CaseIterable {
    case district, street, community, compound, company, department, owner, resident, provider

    /// The registry table that holds scopes of this kind.
    public var table: String {
        switch self {
        case .district: "districts"
        case .street: "streets"
        case .community: "communities"
        case .compound: "compounds"
        case .company: "companies"
        case .department: "departments"
        case .owner: "owners"
        case .resident: "residents"
        case .provider: "service_providers"
        }
    }
}

/// A role held over one scope, with the scope's ancestors resolved (for breadcrumbs and for
/// reading the levels above one's own).
public struct Grant: Sendable, Hashable, Codable {
    public var role: Role
    public var scopeId: UUID
    /// The district the scope lies in.
    public var districtId: UUID?
    public var streetId: UUID?
    public var communityId: UUID?

    public init(role: Role, scopeId: UUID, districtId: UUID? = nil, streetId: UUID? = nil, communityId: UUID? = nil) {
        self.role = role
        self.scopeId = scopeId
        self.districtId = districtId
        self.streetId = streetId
        self.communityId = communityId
    }
}

/// Who is acting: a signed-in user, an integration key, or the system itself (CLI, demo loader).
public struct Actor: Sendable, Hashable {
    public enum Kind: String, Sendable { case user, apiKey = "api_key", system }

    public var kind: Kind
    public var id: UUID?
    /// A name for the audit log: the username, the key's name, or `cli`.
    public var label: String
    public var grants: [Grant]

    public init(kind: Kind, id: UUID?, label: String, grants: [Grant]) {
        self.kind = kind
        self.id = id
        self.label = label
        self.grants = grants
    }

    /// The system: command-line tools and loaders, bound by no scope.
    public static func system(_ label: String) -> Actor { Actor(kind: .system, id: nil, label: label, grants: []) }

    public var isSystem: Bool { kind == .system }

    public func has(_ role: Role) -> Bool { grants.contains { $0.role == role } }
}
