/// `bulletinlint rules`: the resolved rules as a table or JSON.
public enum RuleListing {
    public static func json(_ ruleSet: RuleSet) -> String {
        value(ruleSet).render()
    }

    /// `json(_:)` as a value, for front ends that embed it in answers of their own (MCP).
    public static func value(_ ruleSet: RuleSet) -> JSON {
        JSON.object([
            ("ruleset", .string(ruleSet.name)),
            ("files", .array(ruleSet.files.map { .string($0) })),
            ("rules", .array(ruleSet.rules.map { rule in
                .object([
                    ("id", .string(rule.id)),
                    ("title", .string(rule.displayTitle)),
                    ("severity", .string(rule.severity.rawValue)),
                    ("check", .string(rule.checkKind)),
                    ("ruleset", .string(rule.origin.ruleSet)),
                    ("file", .string(rule.origin.file)),
                    ("line", .int(rule.origin.line)),
                    ("locked", .bool(rule.locked)),
                    ("severity-set-at", rule.severitySetAt.map { .string("\($0.file):\($0.line)") } ?? .null),
                    ("genres", rule.condition.genres.map { .array($0.map { .string($0) }) } ?? .null),
                    ("effective", rule.condition.from == nil && rule.condition.until == nil ? .null : .object(
                        [("from", rule.condition.from.map { .string($0) } ?? .null), ("until", rule.condition.until.map { .string($0) } ?? .null)])),
                    ("message", .string(rule.message)),
                    ("help", .string(rule.help)),
                    ("tier", RuleBasis.tier(ofHelp: rule.help).map { .string($0) } ?? .null),
                    ("basis", RuleBasis.basis(ofHelp: rule.help).map { .string($0) } ?? .null),
                ])
            })),
            ("disabled", .array(ruleSet.disabledRules.map { off in
                .object([("id", .string(off.id)), ("file", .string(off.origin.file)), ("line", .int(off.origin.line))])
            })),
        ])
    }

    public static func text(_ ruleSet: RuleSet) -> String {
        let header = ["规则", "级别", "检查", "来源", "适用", "标题"]
        let rows = ruleSet.rules.map { rule in
            // `*`: the severity was set by an override, not the rule's own definition.
            [rule.id + (rule.locked ? " 🔒" : ""), rule.severity.rawValue + (rule.severitySetAt == nil ? "" : "*"), rule.checkKind, rule.origin.ruleSet,
             rule.condition.isEmpty ? "全部" : rule.condition.summary.replacingOccurrences(of: "适用：", with: ""), rule.displayTitle]
        }
        var widths = header.map { DisplayWidth.of($0) }
        for row in rows {
            for (i, cell) in row.enumerated() where i < header.count - 1 { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                if i == cells.count - 1 { out += cell; break }
                out += cell + String(repeating: " ", count: widths[i] - DisplayWidth.of(cell) + 2)
            }
            return out + "\n"
        }
        var out = "规则集 \(ruleSet.name)（\(ruleSet.files.joined(separator: "、"))）：共 \(ruleSet.rules.count) 条规则\n\n"
        out += line(header)
        for row in rows { out += line(row) }
        // Rules that only some formats can feed (typography: .docx and .ofd), and why.
        var notes: [String] = []
        if ruleSet.rules.contains(where: { $0.severitySetAt != nil }) { notes.append("注：级别后的 * 表示由 overrides 改过级别（bulletinlint explain 规则名 可看在哪里改的）") }
        for off in ruleSet.disabledRules { notes.append("已关闭：\(off.id)（\(off.origin.file):\(off.origin.line) 的 overrides）") }
        for kind in Set(ruleSet.rules.map(\.checkKind)).sorted() {
            if let note = CheckRegistry.formatNote(forKind: kind) { notes.append("注：\(kind) 类规则——\(note)") }
        }
        if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
        return out
    }
}

/// The basis a rule's help cites, and its tier: 条例 (regulations such as 《党政机关公文处理工作条例》),
/// 国标 (national standards: GB/T 9704, 15834, 15835, 2260), 行标, 实务 (common practice), 旧规 (a
/// superseded rule still followed), 本单位 (an office's own). Built-in rules start their help with
/// the tier in brackets (`【国标】GB/T 9704-2012 §7.2.4：…`); older ones are read from how the help
/// begins (`GB/T …` is 国标, `本单位：` an office's, `编校实务：` practice).
public enum RuleBasis {
    static let tiers = ["条例", "国标", "行标", "实务", "旧规", "本单位"]

    public static func tier(ofHelp help: String) -> String? {
        let text = help.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("【"), let close = text.firstIndex(of: "】") {
            let tag = text[text.index(after: text.startIndex)..<close]
            // `【旧规·实务】`: the first named is the tier.
            let first = String(tag.split(separator: "·").first ?? tag)
            return tiers.contains(first) ? first : nil
        }
        if text.hasPrefix("GB/T") || text.hasPrefix("GB ") { return "国标" }
        if text.hasPrefix("本单位") { return "本单位" }
        if text.hasPrefix("编校实务") || text.hasPrefix("实务") { return "实务" }
        if text.hasPrefix("《党政机关公文处理工作条例》") { return "条例" }
        return nil
    }

    /// What the help cites before its first colon (`GB/T 9704-2012 §7.2.4`), when it names a
    /// standard, a regulation or a practice.
    public static func basis(ofHelp help: String) -> String? {
        guard tier(ofHelp: help) != nil else { return nil }
        var text = Substring(help.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("【"), let close = text.firstIndex(of: "】") { text = text[text.index(after: close)...] }
        guard let colon = text.firstIndex(of: "：") else { return nil }
        let basis = text[..<colon].trimmingCharacters(in: .whitespaces)
        return basis.isEmpty || basis.count > 60 ? nil : basis
    }
}
