/// Strings of notices (公示/通知) and their read receipts.
extension L10n {
    static let notices: [String: (zh: String, en: String)] = [
        "nav.notices": ("公示通知", "Notices"),
        "notices.title": ("公示通知", "Notices"),
        "notices.subtitle": ("社区、业委会（物管会）和物业发布的公示与通知；业主、居民阅读后自动回执，按楼栋统计。", "Notices from the community, the committee and the company; owners' and residents' readings are counted per building."),
        "notices.post": ("发布公示", "Post a notice"), "notices.where": ("范围", "Where"), "notices.wholeCompound": ("全小区", "The whole compound"),
        "notices.author": ("发布方", "Posted by"), "notices.period": ("公示期", "Up"), "notices.state": ("状态", "State"),
        "notices.current": ("公示中", "Up"), "notices.expired": ("已到期", "Expired"), "notices.withdrawn": ("已撤下", "Withdrawn"), "notices.upcoming": ("未开始", "Not yet up"),
        "notices.unread": ("未读", "Unread"), "notices.read": ("已读", "Read"), "notices.readAt": ("您已于 {0} 阅读", "You read it on {0}"),
        "notices.readers": ("已读 {0} 人", "{0} have read it"), "notices.readsByBuilding": ("按楼栋的阅读回执", "Readings per building"),
        "notices.rooms": ("房屋数", "Rooms"), "notices.readerCount": ("已读人数", "Readers"), "notices.attachments": ("附件", "Files"),
        "notices.withdraw": ("撤下公示", "Withdraw"), "notices.edit": ("修改公示", "Edit notice"),
        "notices.editHint": ("可修改标题、正文和截止日期；已读记录保留。", "The title, text and last day may change; readings are kept."), "notices.withdrawConfirm": ("确定撤下这条公示？", "Withdraw this notice?"),
        "notices.systemHint": ("本公示由平台依法自动生成，任何人不能修改或撤下。", "The platform posted this notice as the law requires; nobody can change or withdraw it."),
        "notices.chooseCompound": ("选择小区", "Choose a compound"), "notices.next": ("下一步", "Next"), "notices.none": ("暂无公示。", "No notices."),
        "notices.home": ("小区公示（{0} 条未读）", "Notices ({0} unread)"), "notices.postedBy": ("{0} 发布于 {1}", "Posted by {0} on {1}"),
        "notices.author.community": ("社区", "The community"), "notices.author.committee": ("业委会/物管会", "The committee"),
        "notices.author.company": ("物业", "The company"), "notices.author.system": ("系统公示", "System notice"),
        "field.body": ("内容", "Text"), "field.validFrom": ("开始日期", "First day"), "field.validUntil": ("截止日期", "Last day"), "field.author": ("发布身份", "Post as"),
    ]
}
