/// A closed set of values stored as stable lower-snake codes, each with a localisation key.
public protocol RegistryCode: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension RegistryCode {
    /// Every code, in declaration order (for validation messages, forms and OpenAPI enums).
    public static var codes: [String] { allCases.map(\.rawValue) }
    /// The localisation key of this value, e.g. `enum.housing_kind.commodity`.
    public var labelKey: String { "enum.\(Self.codeFamily).\(rawValue)" }
    public static var codeFamily: String { String(describing: Self.self).snakeCased }
}

extension String {
    /// `HousingKind` → `housing_kind`, `streetId` → `street_id`.
    public var snakeCased: String {
        var out = ""
        for (i, ch) in self.enumerated() {
            if ch.isUppercase {
                if i > 0 { out.append("_") }
                out.append(contentsOf: ch.lowercased())
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

/// 街道 (urban sub-district) or 乡 (township); Chaoyang has both.
public enum StreetKind: String, RegistryCode { case subdistrict, township }

/// How the compound's housing came about; old compounds need the most help.
public enum HousingKind: String, RegistryCode {
    case commodity      // 商品房
    case reform         // 房改房
    case oldCompound = "old_compound"   // 老旧小区
    case affordable     // 保障房
}

/// Who manages the compound today.
public enum ManagementMode: String, RegistryCode {
    case professional              // 专业物业服务企业
    case stateFallback = "state_fallback"   // 国企兜底
    case selfManaged = "self_managed"       // 自管
    case none                      // 无物业
}

/// What a room is used for.
public enum RoomUse: String, RegistryCode { case residential, commercial, parking, storage }

/// Who owns a room: a person, an organisation, or the developer (all its rooms count as one person).
public enum OwnerKind: String, RegistryCode { case person, organization, developer }

/// The body that speaks for a compound's owners.
public enum CommitteeKind: String, RegistryCode {
    case preparatoryGroup = "preparatory_group"     // 筹备组
    case ownersCommittee = "owners_committee"       // 业委会
    case managementCommittee = "management_committee" // 物管会
}

/// A member's role on a committee; the residents' committee chair sits on a 物管会.
public enum CommitteeRole: String, RegistryCode {
    case chair, viceChair = "vice_chair", member
    case residentsCommitteeChair = "residents_committee_chair"
    /// A 物管会's owner representative, and its other members.
    case ownerRepresentative = "owner_representative"
    case other
}

/// Kinds of party organisation relevant to property service.
public enum PartyOrgKind: String, RegistryCode {
    case communityCommittee = "community_committee"   // 社区党委
    case companyBranch = "company_branch"             // 物业企业党支部
    case compoundBranch = "compound_branch"           // 小区党支部
    case allianceBranch = "alliance_branch"           // 联盟功能型党组织
}

/// Government departments a street can summon (吹哨报到).
public enum DepartmentKind: String, RegistryCode {
    case housing               // 房管局
    case civilDefense = "civil_defense"   // 民防局
    case health                // 卫健委
    case fire                  // 消防支队
    case urbanManagement = "urban_management"  // 城管
    case other
}

/// Which way a cross appointment (双向进入、交叉任职) goes.
public enum AppointmentDirection: String, RegistryCode {
    /// A company manager serves as part-time deputy secretary or deputy director of the community.
    case companyToCommunity = "company_to_community"
    /// A member of the community's two committees serves as a part-time manager in the company.
    case communityToCompany = "community_to_company"
}
