import Foundation

/// The seven sections of the Beijing standard for residential property service (DB11/T 751
/// 《住宅物业服务标准》) and the street's own party-building section.
public enum InspectionSection: String, RegistryCode, Codable {
    /// 基本要求
    case basic
    /// 共用部位及共用设施设备运行维护
    case sharedParts = "shared_parts"
    /// 消防安全
    case fireSafety = "fire_safety"
    /// 绿化养护
    case greening
    /// 环境卫生
    case cleaning
    /// 公共秩序维护
    case publicOrder = "public_order"
    /// 装饰装修管理
    case renovation
    /// 党建引领 (the street's own)
    case partyBuilding = "party_building"

    /// The request a deduction in this section opens to the company; party building is the
    /// street's own business with the company's party organisation, not a service request.
    public var requestCategory: RequestCategory? {
        switch self {
        case .basic: .generalService
        case .sharedParts: .sharedFacilities
        case .fireSafety: .fireSafety
        case .greening: .greening
        case .cleaning: .sanitation
        case .publicOrder: .publicOrder
        case .renovation: .renovation
        case .partyBuilding: nil
        }
    }

    /// Sections whose findings may be safety hazards (the black list's first trigger).
    public var mayBeHazard: Bool { self == .fireSafety || self == .sharedParts }
}

/// Whether a finding is a safety hazard, and if so whether the company had reported it itself.
public enum HazardMark: String, RegistryCode, Codable {
    case none
    /// A hazard the company had found and reported before the inspection.
    case reported
    /// A hazard the company had not reported: a black-list trigger.
    case unreported
}

/// One checklist item: a weight in hundredths of a point and a deduction per finding, capped at the weight.
public struct ChecklistItem: Sendable, Hashable, Codable {
    public var code: String
    public var section: InspectionSection
    public var text: String
    public var weight: Int64
    public var deduction: Int64

    public init(code: String, section: InspectionSection, text: String, weight: Int64, deduction: Int64) {
        self.code = code; self.section = section; self.text = text; self.weight = weight; self.deduction = deduction
    }
}

/// What an inspector found against one item.
public struct InspectionFinding: Sendable, Hashable {
    public var item: ChecklistItem
    public var findings: Int64
    public var hazard: HazardMark

    public init(item: ChecklistItem, findings: Int64, hazard: HazardMark = .none) {
        self.item = item; self.findings = findings; self.hazard = hazard
    }
}

/// An inspection's points, split as scorecards use them: the service sections and party building.
public struct InspectionScore: Sendable, Hashable {
    /// Points earned and available in the seven service sections, in hundredths.
    public var serviceEarned: Int64
    public var serviceWeight: Int64
    /// Points earned and available in party building, in hundredths.
    public var partyEarned: Int64
    public var partyWeight: Int64
    /// Deducted per section, in hundredths.
    public var deductedBySection: [InspectionSection: Int64]

    /// The whole score in hundredths of a point (out of the checklist's 100.00).
    public var total: Int64 { serviceEarned + partyEarned }
}

public enum InspectionRules {
    /// The most findings one item can record in one inspection.
    public static let maxFindings: Int64 = 99
    /// A checklist is worth exactly 100.00 points.
    public static let checklistTotal: Int64 = 10_000

    /// Points taken for `findings` against `item`: the deduction per finding, never more than the item's weight.
    public static func deducted(_ item: ChecklistItem, findings: Int64) -> Int64 {
        guard findings > 0 else { return 0 }
        let (product, overflow) = item.deduction.multipliedReportingOverflow(by: min(findings, maxFindings))
        return overflow ? item.weight : min(item.weight, product)
    }

    public static func score(_ lines: [InspectionFinding]) -> InspectionScore {
        var s = InspectionScore(serviceEarned: 0, serviceWeight: 0, partyEarned: 0, partyWeight: 0, deductedBySection: [:])
        for line in lines {
            let taken = deducted(line.item, findings: line.findings)
            s.deductedBySection[line.item.section, default: 0] += taken
            if line.item.section == .partyBuilding {
                s.partyWeight += line.item.weight; s.partyEarned += line.item.weight - taken
            } else {
                s.serviceWeight += line.item.weight; s.serviceEarned += line.item.weight - taken
            }
        }
        return s
    }

    /// Problems with a street's checklist: unique codes of 1–12 letters and digits, text of 1–200
    /// characters, weights of 0.01–100.00 with a deduction no larger, every one of the seven
    /// service sections present, and weights adding up to exactly 100.00 points.
    public static func problems(_ items: [ChecklistItem]) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            let field = "items[\(i)]"
            if item.code.isEmpty || item.code.count > 12 || !item.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                errors.append(FieldError(field: field + ".code", code: "invalid_format", message: "1–12 letters and digits"))
            } else if !seen.insert(item.code).inserted {
                errors.append(FieldError(field: field + ".code", code: "duplicate", message: "the code \(item.code) is used twice"))
            }
            let text = item.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.count > 200 { errors.append(FieldError(field: field + ".text", code: "required", message: "what is checked, 1–200 characters")) }
            if item.weight < 1 || item.weight > checklistTotal { errors.append(FieldError(field: field + ".weight", code: "out_of_range", message: "0.01–100.00 points")) }
            if item.deduction < 1 || item.deduction > item.weight {
                errors.append(FieldError(field: field + ".deduction", code: "out_of_range", message: "0.01 points up to the item's weight"))
            }
        }
        let present = Set(items.map(\.section))
        let missing = InspectionSection.allCases.filter { $0 != .partyBuilding && !present.contains($0) }
        if !missing.isEmpty {
            errors.append(FieldError(field: "items", code: "missing_section", message: "every section of DB11/T 751 is checked: " + missing.map(\.rawValue).joined(separator: ", ")))
        }
        let total = items.reduce(Int64(0)) { $0 &+ max(0, min($1.weight, checklistTotal)) }
        if total != checklistTotal {
            errors.append(FieldError(field: "items", code: "total_not_100", message: "the weights add up to \(FixedPoint2.format(total)) points, not 100.00"))
        }
        return errors
    }

    /// The checklist a street starts from: DB11/T 751's seven sections and a party-building
    /// section, 100 points in all.
    public static var standard: [ChecklistItem] {
        func item(_ code: String, _ section: InspectionSection, _ text: String, _ weight: Int64, _ deduction: Int64) -> ChecklistItem {
            ChecklistItem(code: code, section: section, text: text, weight: weight * 100, deduction: deduction * 100)
        }
        return [
            item("B1", .basic, "服务人员持证上岗、统一着装、佩戴标识", 5, 1),
            item("B2", .basic, "物业服务中心公示服务内容、收费标准和投诉电话", 5, 2),
            item("B3", .basic, "物业档案、维修和巡查记录完整", 5, 1),
            item("S1", .sharedParts, "电梯运行正常，年检合格并公示", 8, 4),
            item("S2", .sharedParts, "供水供电设施运行正常，二次供水水箱按期清洗", 6, 2),
            item("S3", .sharedParts, "楼道照明、单元门、门禁完好", 6, 1),
            item("F1", .fireSafety, "消防通道畅通，无堵塞占用", 6, 3),
            item("F2", .fireSafety, "消防设施完好有效，定期检查并记录", 5, 2),
            item("F3", .fireSafety, "电动自行车不在楼道停放，无飞线充电", 4, 2),
            item("G1", .greening, "绿地无黄土裸露、无枯死植株", 5, 1),
            item("G2", .greening, "修剪及时，无明显病虫害", 5, 1),
            item("C1", .cleaning, "道路、楼道清洁，无堆物", 5, 1),
            item("C2", .cleaning, "垃圾分类桶站规范，日产日清", 6, 2),
            item("C3", .cleaning, "无乱贴乱画、乱扯乱挂", 4, 1),
            item("O1", .publicOrder, "门岗值守，外来人员和车辆登记", 5, 2),
            item("O2", .publicOrder, "车辆停放有序，不占消防通道", 5, 1),
            item("R1", .renovation, "装修登记告知，定期巡查有记录", 3, 1),
            item("R2", .renovation, "装修垃圾定点堆放、及时清运", 2, 1),
            item("P1", .partyBuilding, "企业建立党组织或党建指导员到位，党员亮身份", 4, 2),
            item("P2", .partyBuilding, "参加社区党委联席会议，落实“双报到”", 3, 1),
            item("P3", .partyBuilding, "设立党员服务岗，组织志愿服务", 3, 1),
        ]
    }
}
