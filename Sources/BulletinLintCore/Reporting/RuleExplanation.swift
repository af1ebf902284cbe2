/// `bulletinlint explain RULE-ID`: what a rule checks, why, its definition, its examples, and
/// how to change it.
public enum RuleExplanation {
    /// What documents a rule applies to, in words: its genres and its period.
    public static func scope(_ condition: RuleCondition) -> String {
        var parts: [String] = []
        parts.append(condition.genres.map { "只用于\($0.joined(separator: "、"))（按文件的报头、标题等判断类别）" } ?? "所有文件")
        switch (condition.from, condition.until) {
        case let (from?, until?): parts.append("只用于文件日期在 \(from) 至 \(until) 之前的文件")
        case let (from?, nil): parts.append("只用于文件日期在 \(from) 及以后的文件（更早的文件按当时的标准，不适用本规则）")
        case let (nil, until?): parts.append("只用于文件日期在 \(until) 以前的文件（当时施行的标准）")
        default: break
        }
        if condition.from != nil || condition.until != nil {
            parts.append("文件日期取印发日期，没有则取成文日期、报头日期；没有日期的文件按今天施行的规则检查")
        }
        return parts.joined(separator: "；")
    }

    public static func text(_ rule: Rule) -> String {
        var out = "\(rule.id)：\(rule.displayTitle)\n"
        let severity = rule.severitySetAt.map { "\(rule.severity.rawValue)（由 \($0.file):\($0.line) 的 overrides 设置）" } ?? rule.severity.rawValue
        out += "  级别：\(severity)    检查类型：\(rule.checkKind)    来自规则集：\(rule.origin.ruleSet)（\(rule.origin.file):\(rule.origin.line)）\n\n"
        out += "检查什么\n  \(rule.messageTemplate.readable)\n"
        if rule.messageTemplate.readable != rule.message || rule.helpTemplate.readable != rule.help {
            out += "  （〈〉处在报告中换成文中的实际内容）\n"
        }
        out += "\n"
        out += "适用范围\n  \(RuleExplanation.scope(rule.condition))\n\n"
        if let note = CheckRegistry.formatNote(forKind: rule.checkKind) { out += "适用格式\n  \(note)\n\n" }
        if !rule.help.isEmpty { out += "为什么（依据）\n  \(rule.helpTemplate.readable)\n\n" }
        out += "定义（参数）\n"
        for line in rule.definition.split(separator: "\n", omittingEmptySubsequences: false) { out += "  \(line)\n" }
        out += "\n"
        func examples(_ title: String, _ list: [RuleExamples.Example]) {
            guard !list.isEmpty else { return }
            out += "\(title)\n"
            for example in list {
                var lines = example.text.split(separator: "\n", omittingEmptySubsequences: false)
                let context = [example.genre.map { "按\($0)检查" }, example.date.map { "文件日期 \($0)" }].compactMap { $0 }
                if !context.isEmpty, !lines.isEmpty { lines[0] = Substring("（\(context.joined(separator: "，"))）") + lines[0] }
                for (i, line) in lines.enumerated() { out += (i == 0 ? "  · " : "    ") + line + "\n" }
            }
            out += "\n"
        }
        examples("合规示例（不应报告）", rule.examples.valid)
        examples("违规示例（应报告）", rule.examples.invalid)
        out += "如何调整\n"
        if let lockedBy = rule.lockedBy ?? (rule.locked ? rule.origin.ruleSet : nil) {
            out += "  该规则已被规则集“\(lockedBy)”锁定（locked: true）：可以调整级别，但不能关闭或忽略。\n"
            out += "  在 .bulletinlint.yaml 中写：\n    overrides:\n      \(rule.id): { severity: warning }\n"
        } else {
            out += "  在 .bulletinlint.yaml 中写：\n"
            out += "    overrides:\n      \(rule.id): { severity: warning }   # 改变级别（error、warning、info）\n"
            out += "    # 或者关闭它：\n    overrides:\n      \(rule.id): off\n"
            out += "  只对部分文件忽略：\n    ignore:\n      - path: \"旧档案/**\"\n        rule: \(rule.id)\n        reason: 写明理由\n"
        }
        return out
    }

    /// An id the engine reports itself (`io-error`, `unused-suppression`, …).
    public static func text(_ engine: EngineRule) -> String {
        var out = "\(engine.id)：\(engine.title)\n"
        out += "  级别：\(engine.severity.rawValue)    由 bulletinlint 自身报告，不是规则集中的规则\n\n"
        out += "是什么\n  \(engine.description)\n\n"
        out += "怎么办\n  \(engine.help)\n\n"
        out += "如何调整\n  它不属于任何规则集，不能在 overrides 中修改或关闭。\n"
        return out
    }
}
