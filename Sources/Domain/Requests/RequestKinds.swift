import Foundation

/// How a request reached the platform.
public enum RequestChannel: String, RegistryCode, Codable {
    /// The 12345 citizen hotline (work orders imported from the city).
    case hotline
    case web, mobile, phone, wechat
    /// A joint reception day (联合接访).
    case reception
    /// A walkabout visit (走动式办公).
    case walkabout
    /// A staff inspection.
    case inspection
    /// An alert of a device at a gate or entrance (smart property), turned into a request by an officer.
    case device

    /// Channels whose reporter is a member of the public reached by phone, not an account.
    public var reporterIsContact: Bool { [.hotline, .phone, .reception, .walkabout, .inspection, .device].contains(self) }
}

/// Service categories of the Beijing residential property service standard DB11/T 751, plus other.
/// The raw values are also the Open311 `service_code`s.
public enum RequestCategory: String, RegistryCode, Codable {
    /// 公共秩序维护
    case publicOrder = "public_order"
    /// 环境卫生
    case sanitation
    /// 绿化养护
    case greening
    /// 共用部位及设施设备
    case sharedFacilities = "shared_facilities"
    /// 消防安全
    case fireSafety = "fire_safety"
    /// 装饰装修管理
    case renovation
    /// 综合服务
    case generalService = "general_service"
    case other

    /// A hotline order's category text (Chinese or a code) to ours; unknown text is `other`.
    public static func fromHotline(_ text: String) -> RequestCategory {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let c = RequestCategory(rawValue: t) { return c }
        let words: [(String, RequestCategory)] = [
            ("秩序", .publicOrder), ("安保", .publicOrder), ("停车", .publicOrder), ("卫生", .sanitation), ("垃圾", .sanitation),
            ("绿化", .greening), ("树", .greening), ("电梯", .sharedFacilities), ("设施", .sharedFacilities), ("供水", .sharedFacilities),
            ("漏水", .sharedFacilities), ("消防", .fireSafety), ("装修", .renovation), ("服务", .generalService), ("物业费", .generalService),
        ]
        return words.first { t.contains($0.0) }?.1 ?? .other
    }
}

/// Who handles a request: the company under contract, the community, a department or the street.
public enum HandlerKind: String, RegistryCode, Codable {
    case company, community, department, street
}

/// Readable request numbers: `GZ20261130-000123` (the Beijing date of receipt and that day's sequence).
public enum RequestNumber {
    public static func make(day: CivilDate, sequence: Int) -> String {
        let d = day.description.replacingOccurrences(of: "-", with: "")
        let s = String(sequence)
        return "GZ\(d)-" + String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}
