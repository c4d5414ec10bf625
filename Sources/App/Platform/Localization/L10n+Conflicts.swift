/// Chinese (and English) for every conflict code the app answers with, so an HTML error page never
/// shows the API's English message alone. `L10nTests` checks that no code is missing.
extension L10n {
    static let conflicts: [String: (zh: String, en: String)] = [
        "conflict.already_applied": ("该决定已经执行过。", "This decision has already been carried out."),
        "conflict.already_assigned": ("该工单已转为诉求。", "The order has already become a request."),
        "conflict.already_reported": ("该部门已报到。", "This party has already reported in."),
        "conflict.already_revoked": ("该密钥已吊销。", "The key is already revoked."),
        "conflict.already_voted": ("该业主（或同一房屋的共有人）的表决票已计入。", "This owner's ballot (or a co-owner's) is already counted."),
        "conflict.case_closed": ("案件已办结。", "The case is closed."),
        "conflict.corrupt_row": ("存储的数据无法识别，请联系管理员。", "A stored value is not recognised; tell the administrator."),
        "conflict.empty_roll": ("该小区没有登记业主，无法开启表决。", "The compound has no registered owners to vote."),
        "conflict.has_children": ("该记录下仍有关联数据，请先处理后再删除。", "The record still has records under it; remove them first."),
        "conflict.idempotency_in_progress": ("同一请求正在处理中，请稍后再试。", "The same request is still being processed; try again shortly."),
        "conflict.idempotency_key_reused": ("幂等键已用于另一内容不同的请求。", "The idempotency key was used for a different request."),
        "conflict.illegal_transition": ("当前状态下不能进行该操作。", "That step is not possible in the current state."),
        "conflict.ledger_inconsistent": ("账目核对不一致，请联系管理员。", "The stored ledger does not add up; tell the administrator."),
        "conflict.no_consequence": ("该类事项没有需要执行的登记变更。", "This kind of decision has nothing to carry out in the registry."),
        "conflict.not_a_session": ("集成密钥请在密钥管理中吊销。", "Integration keys are revoked under API keys."),
        "conflict.not_closed": ("表决尚未结束。", "Voting has not ended."),
        "conflict.not_disputable": ("只能在表决期间对以您名义登记的书面票提出异议。", "Only a paper ballot recorded in your name can be disputed, and only while voting is open."),
        "conflict.not_draft": ("只有草稿状态的表决可以添加附件。", "Attachments are added while the decision is a draft."),
        "conflict.not_passed": ("该决定未获通过。", "The decision did not pass."),
        "conflict.not_recorded": ("只有已登记、未确认的书面票可以确认。", "Only a recorded, unconfirmed paper ballot can be confirmed."),
        "conflict.nothing_named": ("该决定未指明物业企业或合同。", "The decision names neither a company nor a contract."),
        "conflict.parties_not_reported": ("尚有被召集的部门未报到。", "Not every summoned party has reported in."),
        "conflict.system_notice": ("依法由系统发布的公示不能修改或撤下。", "A notice the platform posts as the law requires cannot be changed or withdrawn."),
        "conflict.too_many_photos": ("照片数量已达上限。", "The request already has the most photos allowed."),
        "conflict.withdrawn": ("已撤下的公示不能修改。", "A withdrawn notice cannot be changed."),
    ]
}
