/// Strings of the three coverage rates (三率).
extension L10n {
    static let coverage: [String: (zh: String, en: String)] = [
        "coverage.countsAsServed": ("计入物业服务覆盖：", "Counted as served:"),
        "coverage.setting.countStateFallback": ("国企兜底接管", "State-owned fallback"), "coverage.setting.countSelfManaged": ("业主自管", "Self-management"),
        "nav.coverage": ("三率", "Coverage"),
        "coverage.title": ("三率统计", "Three rates"),
        "coverage.subtitle": ("业委会（物管会）组建率、物业服务覆盖率、党的组织和工作覆盖率，按登记的任期、合同和党组织覆盖自动计算，截至 {0}。",
                              "Committee, property service and party coverage, computed from registered terms, contracts and party cover, as of {0}."),
        "coverage.rate.committee": ("业委会（物管会）组建率", "Committee rate"),
        "coverage.rate.service": ("物业服务覆盖率", "Service coverage"),
        "coverage.rate.party": ("党的组织和工作覆盖率", "Party coverage"),
        "coverage.trend": ("逐月趋势", "Monthly trend"),
        "coverage.streets": ("各街道（乡）", "Streets"), "coverage.communities": ("各社区（村）", "Communities"), "coverage.compounds": ("各小区", "Compounds"),
        "coverage.missing": ("未达到{0}的小区（{1} 个）", "Compounds missing the {0} ({1})"),
        "coverage.meets": ("已覆盖", "Met"), "coverage.misses": ("未覆盖", "Missed"),
        "coverage.yes": ("是", "Yes"), "coverage.no": ("否", "No"),
        "coverage.csv": ("导出 CSV", "Export CSV"),
    ]
}
