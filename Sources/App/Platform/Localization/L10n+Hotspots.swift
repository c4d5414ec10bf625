/// Strings of problems found before complaints (未诉先办, 每月一题).
extension L10n {
    static let hotspots: [String: (zh: String, en: String)] = [
        "nav.hotspots": ("未诉先办", "Hotspots"),
        "hotspots.title": ("未诉先办 · 主动发现", "Problems found before complaints"),
        "hotspots.subtitle": ("按小区和诉求类别逐周统计（每小时自动扫描），明显高于自身基线的一周（含本周）自动预警给街道：吹哨立案、列为每月一题，或说明理由后不予处理。",
                              "Weekly counts per compound and category; a week well above its own baseline is flagged to the street: a whistle case, the month's problem, or dismissal with a reason."),
        "hotspots.none": ("暂无预警。", "No flags."), "hotspots.scan": ("立即扫描", "Scan now"),
        "hotspots.week": ("周（周一起）", "Week (from Monday)"), "hotspots.countVsBaseline": ("诉求量 / 基线", "Requests / baseline"),
        "hotspots.countLine": ("{0} 件，基线每周 {1} 件", "{0}, baseline {1} a week"), "hotspots.thresholdLine": ("预警阈值 {0} 件", "flagged from {0}"),
        "hotspots.state": ("处置", "Decision"),
        "hotspots.status.open": ("待处置", "Open"), "hotspots.status.whistled": ("已吹哨", "Whistle case"),
        "hotspots.status.monthly": ("每月一题", "Month's problem"), "hotspots.status.dismissed": ("不予处理", "Dismissed"),
        "hotspots.method": ("方法：以此前 12 个完整周的平均周诉求量为基线（至少每周 0.5 件），按泊松分布计算，本周诉求量达到偶然出现概率不超过 1% 且不少于 5 件时预警。",
                            "Method: the mean weekly count of the 12 complete weeks before (at least 0.5) is the baseline; a week is flagged when its count would come by chance at most 1% of the time under a Poisson rate, and is at least 5."),
        "hotspots.case": ("吹哨案件", "Whistle case"), "hotspots.plan": ("工作方案", "Plan"), "hotspots.decided": ("处置人", "Decided by"),
        "hotspots.requests": ("该周诉求（{0} 件）", "The week's requests ({0})"),
        "hotspots.whistle": ("吹哨立案", "Open a whistle case"), "hotspots.makeMonthly": ("列为每月一题", "Make it the month's problem"),
        "hotspots.dismiss": ("不予处理", "Dismiss"), "hotspots.progress": ("推进情况", "Progress"),
        "hotspots.progressNote": ("推进记录", "Progress note"), "hotspots.addProgress": ("记录推进", "Add progress"),
    ]
}
