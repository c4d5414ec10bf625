/// Name material for the demo district: Chaoyang's 43 streets and townships, and syllables that
/// make plausible Beijing community, compound, company and person names.
enum DemoNames {
    /// Chaoyang's 24 subdistricts (街道) and 19 townships (乡), as in the seed's "43个街乡".
    static let subdistricts = ["建外", "朝外", "呼家楼", "三里屯", "左家庄", "香河园", "和平街", "安贞", "亚运村", "小关",
                               "酒仙桥", "麦子店", "团结湖", "六里屯", "八里庄", "双井", "劲松", "潘家园", "垡头", "首都机场",
                               "奥运村", "望京", "大屯", "东湖"]
    static let townships = ["南磨房", "高碑店", "将台", "太阳宫", "小红门", "十八里店", "平房", "东风", "来广营", "常营",
                            "三间房", "管庄", "金盏", "孙河", "崔各庄", "东坝", "黑庄户", "豆各庄", "王四营"]

    /// Communities and compounds the seed names, placed where the seed places them.
    static let seedCommunities: [String: [(community: String, compounds: [String])]] = [
        "大屯": [("欧陆经典", ["万兴苑", "欧陆经典"])],
        "亚运村": [("安苑里", ["安苑里", "安苑北里"])],
        "建外": [("北郎东", ["光辉里", "北郎东"])],
        "团结湖": [("南北里", ["团结湖南里", "团结湖北里"]), ("一二条", ["团结湖一条", "团结湖二条"])],
        "六里屯": [("六里屯", ["六里屯北里", "六里屯西里"])],
    ]

    static let placeHeads = ["安", "华", "金", "光", "和", "惠", "新", "富", "康", "丽", "景", "翠", "秀", "嘉", "瑞",
                             "朝", "阳", "望", "双", "枣", "红", "团", "芳", "星", "兴", "万", "永", "平", "德", "福"]
    static let placeTails = ["园", "苑", "里", "庄", "营", "居", "家园", "花园", "新村", "嘉园", "雅苑", "华庭", "湾", "城"]
    static let communityTails = ["北里", "南里", "东里", "西里", "", "路", "园"]
    static let companyHeads = ["金", "嘉", "宏", "信", "诚", "泰", "鑫", "恒", "瑞", "博", "华", "中", "京", "天", "东", "长"]
    static let companyMids = ["城", "安", "宇", "盛", "达", "源", "通", "和", "润", "信", "佳", "美", "园", "厦", "业", "居"]
    static let companySuffixes = ["物业管理有限公司", "物业服务有限公司", "物业管理有限责任公司"]
    static let developerSuffix = "房地产开发有限公司"

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let givenChars = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏飞慧建国志文斌宇浩凯欣怡晨阳雪琳婷俊峰海燕春")
        .map(String.init)

    static let streetsPerDistrict = subdistricts.count + townships.count
}
