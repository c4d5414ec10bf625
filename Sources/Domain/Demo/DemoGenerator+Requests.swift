import Foundation

/// One generated request with its outcome so far; the loader numbers them and writes the timeline.
public struct DemoRequest: Sendable {
    public var id: UUID
    public var channel: RequestChannel
    public var category: RequestCategory
    public var urgency: Urgency
    public var description: String
    public var compoundId: UUID
    public var communityId: UUID
    public var handler: (kind: HandlerKind, id: UUID)
    public var receivedAt: Date
    public var respondBy: Date
    public var resolveBy: Date
    public var respondedAt: Date?
    public var resolvedAt: Date?
    public var rating: (resolved: Bool, satisfaction: Satisfaction, at: Date)?
    public var closedAt: Date?
    public var reply: String?
    public var hotlineOrderNo: String?

    /// Where it stands: the last step it reached.
    public var status: RequestStatus {
        if closedAt != nil { return .closed }
        if let r = rating { return RequestLifecycle.reopens(resolved: r.resolved, satisfaction: r.satisfaction) ? .dispatched : .rated }
        if resolvedAt != nil { return .resolved }
        if respondedAt != nil { return .responded }
        return .dispatched
    }
}

extension DemoGenerator {
    static let requestTexts: [RequestCategory: [String]] = [
        .publicOrder: ["小区门口电动车乱停，堵住消防通道", "夜间外来车辆随意进出，门岗不登记", "楼下广场舞音响太大，影响休息"],
        .sanitation: ["垃圾桶满溢两天没人清运", "楼道里堆放杂物无人清理", "垃圾分类驿站异味很大"],
        .greening: ["楼前树枝挡住窗户，影响采光", "绿地被占用种菜", "草坪长期无人修剪"],
        .sharedFacilities: ["电梯经常停运，老人上下楼困难", "楼道声控灯不亮", "单元门禁坏了一周", "地下室返水"],
        .fireSafety: ["消防栓没有水", "楼道里有人给电动车充电", "消防报警主机一直报故障"],
        .renovation: ["楼上装修噪音从早到晚", "邻居拆改承重墙", "装修垃圾堆在楼道"],
        .generalService: ["物业费收费标准不公开", "物业服务电话没人接", "停车费标准有疑问"],
        .other: ["小区里流浪猫太多", "快递柜位置不方便"],
    ]

    /// About three months of requests for a street's compounds, handled by the company under
    /// contract (or the community), each company with its own steady quality, so the rankings
    /// have something to rank. Deterministic for a seed.
    public func requests(_ bundle: DemoStreetBundle, streetIndex: Int, now: Date) -> [DemoRequest] {
        var rng = SeededRandom(seed: seed &+ 0xA11CE &+ UInt64(streetIndex) &* 0x51_7CC1)
        let perCompound = scale == .small ? 6...14 : 1...6
        var out: [DemoRequest] = []
        for compound in bundle.compounds {
            let contract = bundle.contracts.filter { $0.compoundId == compound.id && $0.covers(today) }.first
            let handler: (kind: HandlerKind, id: UUID) = contract.map { (.company, $0.companyId) } ?? (.community, compound.communityId)
            // A company's quality comes from its id, so it is the same in every street it serves.
            let quality = Int(handler.id.uuid.0 % 30) + 65
            for _ in 0..<rng.int(perCompound) {
                let category = RequestCategory.allCases[rng.int(0...(RequestCategory.allCases.count - 1))]
                let urgency: Urgency = rng.chance(5) ? .emergency : rng.chance(15) ? .utilities : rng.chance(10) ? .complex : .general
                // Offsets are whole seconds; a Date is made from them only at the end.
                let received = now.addingTimeInterval(TimeInterval(-rng.int(3600...(90 * 86_400))))
                let d = DeadlinePolicy.standard.deadlines(urgency, receivedAt: received)
                let respondWindow = DeadlinePolicy.standard.respondWithin[urgency] ?? 86_400
                let resolveWindow = DeadlinePolicy.standard.resolveWithin[urgency] ?? 7 * 86_400
                let channel: RequestChannel = rng.chance(40) ? .hotline : [.mobile, .wechat, .phone, .web, .reception, .walkabout][rng.int(0...5)]
                let texts = Self.requestTexts[category] ?? ["其他问题"]
                var r = DemoRequest(id: rng.uuid(), channel: channel, category: category, urgency: urgency, description: texts[rng.int(0...(texts.count - 1))],
                                    compoundId: compound.id, communityId: compound.communityId, handler: handler, receivedAt: received,
                                    respondBy: d.respondBy, resolveBy: d.resolveBy,
                                    hotlineOrderNo: channel == .hotline ? "DEMO-\(streetIndex)-\(out.count + 1)-\(rng.int(100_000...999_999))" : nil)
                // Respond: in time with the company's quality, else late; not yet when it is very fresh.
                let respondAfter = respondWindow * (rng.chance(quality) ? rng.int(5...90) : rng.int(110...300)) / 100
                guard received.addingTimeInterval(TimeInterval(respondAfter)) < now else { out.append(r); continue }
                r.respondedAt = received.addingTimeInterval(TimeInterval(respondAfter))
                let resolveAfter = resolveWindow * rng.int(20...(rng.chance(quality) ? 95 : 160)) / 100
                guard received.addingTimeInterval(TimeInterval(resolveAfter)) < now else { out.append(r); continue }
                r.resolvedAt = received.addingTimeInterval(TimeInterval(resolveAfter))
                r.reply = "已处理：" + r.description
                let ratedAt = r.resolvedAt!.addingTimeInterval(TimeInterval(rng.int(3600...(3 * 86_400))))
                guard ratedAt < now, rng.chance(85) else { out.append(r); continue }
                let resolved = rng.chance(min(98, quality + 8))
                let satisfaction: Satisfaction = !resolved ? .dissatisfied : rng.chance(quality) ? .satisfied : rng.chance(70) ? .basicallySatisfied : .dissatisfied
                r.rating = (resolved, satisfaction, ratedAt)
                if r.status == .rated, rng.chance(60) { r.closedAt = ratedAt.addingTimeInterval(3600) }
                out.append(r)
            }
        }
        return out
    }
}
