import Domain

/// The registry CSV's headings and codes in words, from the localisation table: exports in the
/// reader's language open in Excel as a table people can read; imports take either language's
/// words as well as the codes.
enum RegistryLabels {
    static let families: [String: [String]] = [
        HousingKind.codeFamily: HousingKind.codes, ManagementMode.codeFamily: ManagementMode.codes, RoomUse.codeFamily: RoomUse.codes,
    ]

    static func make(_ language: Language) -> RegistryCSV.Labels {
        let t = Localizer(language: language)
        let headings = Dictionary(uniqueKeysWithValues: RegistryCSV.columns.map { ($0, t("registry.column.\($0)")) })
        var codes: [String: [String: String]] = [:]
        for (family, list) in families {
            codes[family] = Dictionary(uniqueKeysWithValues: list.map { ($0, t("enum.\(family).\($0)")) })
        }
        // The other language's words, and every word in lower case, mean the same.
        var aliases: [String: String] = [:]
        for other in [Language.zhHans, .en] {
            let o = Localizer(language: other)
            for column in RegistryCSV.columns { aliases[o("registry.column.\(column)").lowercased()] = column }
            for (family, list) in families {
                for code in list { aliases["\(family)|\(o("enum.\(family).\(code)").lowercased())"] = code }
            }
        }
        return RegistryCSV.Labels(headings: headings, codes: codes, aliases: aliases, yes: t("registry.yes"), no: t("registry.no"))
    }
}
