/// Strings of surveys (征求意见).
extension L10n {
    static let surveys: [String: (zh: String, en: String)] = [
        "nav.surveys": ("征求意见", "Surveys"),
        "surveys.title": ("征求意见", "Surveys"),
        "surveys.subtitle": ("社区、业委会（物管会）和物业向小区业主或全体居民征求意见；每人答一次，业主按面积同时统计。", "The community, the committee and the company ask owners or everyone living in a compound; one answer each, owners' also counted by area."),
        "surveys.ask": ("发起征求意见", "Ask for opinions"), "surveys.none": ("暂无征求意见。", "No surveys."),
        "surveys.open": ("进行中", "Open"), "surveys.closed": ("已结束", "Closed"), "surveys.closesAt": ("截止时间", "Closes"),
        "surveys.respondents": ("答复人数", "Respondents"), "surveys.answered": ("已答复", "Answered"), "surveys.toAnswer": ("待答复", "To answer"),
        "surveys.questionN": ("问题 {0}", "Question {0}"), "surveys.kind": ("题型", "Kind"),
        "surveys.optionsHint": ("选择题每行一个选项，2–20 个", "for a choice, one option a line, 2 to 20"),
        "surveys.askAs": ("发起身份", "Ask as"), "surveys.buildingsHint": ("范围（不选即全小区）", "Buildings (none ticked: the whole compound)"),
        "surveys.weighted": ("按专有部分面积加权统计业主意见", "Weigh owners' answers by the area they own"),
        "surveys.weightedShort": ("按面积加权", "weighted by area"), "surveys.moreQuestions": ("更多问题", "More questions"),
        "surveys.closesOn": ("截止于 {0}", "Closes {0}"), "surveys.closedOn": ("已于 {0} 结束", "Closed {0}"), "surveys.respondentsN": ("已有 {0} 人答复", "{0} have answered"),
        "surveys.multipleHint": ("（可多选）", "(choose any)"), "surveys.optionalHint": ("（选填）", "(optional)"),
        "surveys.submit": ("提交意见", "Submit"), "surveys.myAnswers": ("我的意见", "My answers"), "surveys.answeredAt": ("您已于 {0} 提交", "You answered on {0}"),
        "surveys.csv": ("导出结果 CSV", "Results as CSV"), "surveys.resultsLater": ("征求意见结束后公布结果。", "The results are shown once it closes."),
        "surveys.close": ("提前结束", "Close now"), "surveys.closeConfirm": ("确定现在结束征求意见？之后不能再答复。", "Close the survey now? No more answers will be taken."),
        "surveys.results": ("结果", "Results"),
        "surveys.turnout": ("答复 {0} 人，应答 {1} 人（{2}）；所涉面积 {3} m²，总面积 {4} m²（{5}）。", "{0} of {1} answered ({2}); their rooms {3} m² of {4} m² ({5})."),
        "surveys.weightedHint": ("本次按专有部分面积加权：以面积占比为准，人数占比同时列出；共有房屋的面积只计一次，计入最先答复的共有人。", "Weighted by area: the area share decides, the persons' share is shown beside; a shared room's area counts once, for the first co-owner who answers."),
        "surveys.noTexts": ("暂无文字意见。", "No written answers."), "surveys.persons": ("人数", "Persons"), "surveys.personShare": ("人数占比", "Share of persons"),
        "surveys.areaShare": ("面积占比", "Share of area"), "surveys.byPersons": ("按人数", "By persons"), "surveys.byArea": ("按面积", "By area"),
        "surveys.questionCol": ("问题", "Question"), "surveys.home": ("征求意见（{0} 项待答复）", "Surveys ({0} to answer)"),
        "enum.question_kind.single": ("单选", "Single choice"), "enum.question_kind.multiple": ("多选", "Multiple choice"), "enum.question_kind.text": ("文字意见", "Free text"),
        "enum.survey_audience.owners": ("仅业主", "Owners only"), "enum.survey_audience.residents": ("全体居民（含业主）", "Everyone living there"),
        "enum.agenda_kind.survey": ("征求意见", "Survey"),
        "field.text": ("问题", "Question"), "field.options": ("选项", "Options"), "field.intro": ("说明", "Introduction"), "field.audience": ("对象", "Who is asked"),
        "field.closesAt": ("截止时间", "Closes at"), "field.answers": ("答复", "Answer"), "field.questions": ("问题", "Questions"), "field.buildingIds": ("楼栋", "Buildings"),
        "fielderror.too_soon": ("至少在一小时之后。", "At least an hour from now."), "fielderror.too_late": ("不能超过 90 天。", "At most 90 days from now."),
        "fielderror.count": ("选择题需要 2 到 20 个选项。", "2 to 20 options."), "fielderror.one_only": ("只能选一项。", "Choose one."),
        "fielderror.unknown_option": ("没有这个选项。", "Not an option of the question."), "fielderror.not_allowed": ("文字题不设选项。", "A free-text question has no options."),
        "fielderror.unknown_question": ("没有这个问题。", "No such question."), "fielderror.too_many": ("最多 30 个问题。", "At most 30 questions."),
        "conflict.answered": ("您已经答复过，每人只能答一次。", "You have answered; each person answers once."),
        "conflict.survey_closed": ("征求意见已结束。", "The survey is closed."),
        "audit.action.ask": ("发起征求意见", "Asked"), "audit.action.answer": ("答复", "Answered"),
        "consultations.surveyResult": ("征求意见结果（{0} 记入纪要）", "Survey result (as minuted {0})"),
    ]
}

extension L10n {
    /// Paper answers entered by those who ran a survey.
    static let surveysPaper: [String: (zh: String, en: String)] = [
        "surveys.paperEntry": ("录入纸质意见", "Enter paper answers"),
        "surveys.paperHint": ("未用手机答复的业主（居民）填写的纸质意见表，由发起方录入；每人只计一次。", "Answers given on paper by those who did not answer online, entered by those who ran the survey; once per person."),
        "surveys.person": ("答复人", "Who answered"), "surveys.paperSave": ("录入", "Enter"),
        "audit.action.paper-answer": ("录入纸质意见", "Paper answer entered"), "fielderror.not_asked": ("不在本次征求意见范围内。", "Not someone the survey asks."),
    ]
}
