/// Strings of compounds' public pages.
extension L10n {
    static let publicPages: [String: (zh: String, en: String)] = [
        "public.hint": ("小区公开信息，任何人凭链接可查看；不含任何个人姓名、电话或房号。", "The compound's public facts, open to anyone with the link; no person's name, phone or room."),
        "public.built": ("建成年份", "Built"), "public.size": ("规模", "Size"),
        "public.sizeValue": ("{0} 栋楼，{1} 户，建筑面积 {2} 平方米", "{0} buildings, {1} homes, {2} m²"),
        "public.mode": ("管理方式", "Management"), "public.company": ("物业服务企业", "Property company"), "public.open": ("长期", "open-ended"),
        "public.feeUnit": ("元/平方米·月", "yuan per m² a month"), "public.noCompany": ("暂无在期物业服务合同", "No current service contract"),
        "public.committee": ("业委会（物管会）", "Committee"), "public.members": ("{0} 名成员", "{0} members"),
        "public.noCommittee": ("暂无在任期内的业委会或物管会", "No owners' committee or 物管会 in term"),
        "public.rates": ("接诉即办", "Requests answered"), "public.requests": ("诉求量", "Requests"), "public.rank": ("街道内排名", "Rank in the street"),
        "public.rankOf": ("第 {0} 名 / {1}", "{0} of {1}"), "public.unranked": ("样本不足，未排名", "Too few rated to rank"),
        "public.votes": ("业主共同决定", "Owners' decisions"), "public.closedOn": ("表决结束", "Closed"), "public.participation": ("参与表决", "Took part"),
        "public.yes": ("同意（人数 · 面积）", "Yes (persons · area)"), "public.outcome": ("结果", "Result"),
        "public.byPersons": ("人数", "persons"), "public.byArea": ("面积", "area"), "public.passed": ("通过", "Passed"), "public.failed": ("未通过", "Not passed"),
        "public.fund": ("专项维修资金", "Maintenance fund"),
        "public.fundLine": ("余额 {0} 元，累计交存 {1} 元。", "Balance {0} yuan; {1} yuan deposited in all."), "public.yuan": ("元", "yuan"),
        "public.notices": ("正在公示", "Notices up today"),
        "public.pagesOn": ("小区公开页：已开启（任何人凭链接可查看）", "Compound public pages: on (anyone with the link)"),
        "public.pagesOff": ("小区公开页：已关闭", "Compound public pages: off"),
        "public.turnOff": ("关闭公开页", "Turn off"), "public.turnOn": ("开启公开页", "Turn on"), "public.link": ("公开页", "Public page"),
    ]
}
