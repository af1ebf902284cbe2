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
