/// The matters owners decide jointly (PRC Civil Code art. 278), with their API codes.
public enum Matter: String, RegistryCode, Codable {
    case rulesOfProcedure = "rules_of_procedure"          // (一) 制定和修改业主大会议事规则
    case managementCovenant = "management_covenant"       // (二) 制定和修改管理规约
    case electCommittee = "elect_committee"               // (三) 选举业主委员会或者更换业主委员会成员
    case hireOrDismissManager = "hire_or_dismiss_manager" // (四) 选聘和解聘物业服务企业或者其他管理人
    case useMaintenanceFund = "use_maintenance_fund"      // (五) 使用建筑物及其附属设施的维修资金
    case raiseMaintenanceFund = "raise_maintenance_fund"  // (六) 筹集建筑物及其附属设施的维修资金
    case rebuildOrRenovate = "rebuild_or_renovate"        // (七) 改建、重建建筑物及其附属设施
    case changeCommonUse = "change_common_use"            // (八) 改变共有部分的用途或者利用共有部分从事经营活动
    case otherMajor = "other_major"                       // (九) 有关共有和共同管理权利的其他重大事项

    /// The item of art. 278 para. 1.
    public var item: Int { Self.allCases.firstIndex(of: self)! + 1 }

    /// Items 6–8 need three quarters; the rest more than half (art. 278 para. 2).
    public var rule: ApprovalRule {
        switch self {
        case .raiseMaintenanceFund, .rebuildOrRenovate, .changeCommonUse: .threeQuarters
        default: .majority
        }
    }
}

/// How many of the participants must approve.
public enum ApprovalRule: String, Sendable, Codable {
    /// More than half of the participating area and more than half of the participating owners.
    case majority
    /// At least three quarters of the participating area and of the participating owners.
    case threeQuarters = "three_quarters"

    /// Whether `yes` out of `participating` meets the rule (exact, by cross-multiplication).
    public func approves(yes: Int64, of participating: Int64) -> Bool {
        switch self {
        case .majority: Ratio(yes, participating).isMoreThan(Ratio(1, 2))
        case .threeQuarters: Ratio(yes, participating).isAtLeast(Ratio(3, 4))
        }
    }
}

/// A vote on a matter or on one candidate.
public enum Choice: String, RegistryCode, Codable { case yes, no, abstain }
