/// Strings of paper ballots (书面表决票).
extension L10n {
    static let paperBallots: [String: (zh: String, en: String)] = [
        "decision.issuer": ("发布：{0}业主大会 · {1}", "Issued by the owners' assembly of {0} · {1}"),
        "decision.closedEarly": ("已提前结束表决，实际结束时间 {0}。理由：{1}", "Voting ended early, at {0}. Reason: {1}"),
        "decision.amountLine": ("涉及金额：{0} 元", "Amount involved: {0} yuan"),
        "decision.field.amount": ("涉及金额（元，可不填）", "Amount involved (yuan, optional)"),
        "field.amount": ("金额", "Amount"),
        "paper.title": ("书面表决票登记", "Paper ballot register"),
        "paper.yourNumber": ("您的书面表决票编号", "Your paper ballot number"),
        "paper.inYourName": ("以您名义登记的书面表决票", "Paper ballots recorded in your name"),
        "paper.number": ("票号", "Number"), "paper.rooms": ("房屋", "Rooms"), "paper.status": ("状态", "Status"),
        "paper.choice": ("表决意见", "Choice"), "paper.recordedBy": ("登记人", "Recorded by"), "paper.recordedAt": ("登记时间", "Recorded at"),
        "paper.confirmedBy": ("复核人", "Confirmed by"), "paper.dispute": ("这不是我投的票", "I did not cast this"),
        "paper.disputeReason": ("异议说明", "What is wrong"), "paper.disputed": ("已提出异议，此票不计入结果。", "Disputed: this ballot is not counted."),
        "paper.unknownNumber": ("本次表决没有这个票号。", "No ballot of this decision has that number."),
        "paper.record": ("登记回收的表决票", "Record a returned sheet"), "paper.confirm": ("复核计票", "Confirm"),
        "paper.print": ("打印表决票与登记簿", "Print ballots and register"),
        "paper.hint": ("表决票在开启表决时按名册逐户编号。登记须凭该户票号，并由另一名组织者或社区监票人复核后才计票。",
                       "Each voter on the roll was issued a numbered sheet when voting opened. A sheet is recorded with that voter's number and counts only after another organiser or the community's witness confirms it."),
        "paper.setAside": ("有异议而未计入的书面票", "Paper ballots set aside after a dispute"),
        "enum.paper_ballot_status.issued": ("已发放", "Issued"), "enum.paper_ballot_status.recorded": ("已登记待复核", "Recorded, awaiting confirmation"),
        "enum.paper_ballot_status.confirmed": ("已计票", "Counted"), "enum.paper_ballot_status.disputed": ("有异议未计票", "Disputed, set aside"),
        "flash.paperRecorded": ("已登记，待另一名组织者复核。", "Recorded; another organiser must confirm it."),
        "flash.paperConfirmed": ("已复核计票。", "Confirmed and counted."), "flash.paperDisputed": ("已提出异议，此票不计入结果。", "Disputed; the ballot is set aside."),
    ]
}
