/// A rule reference in Markdown, in Chinese, for people who review 公文 and 简报: every rule with
/// its title, severity, the documents and period it applies to, its basis (`RuleBasis`), its help,
/// whether it can fix what it finds, and its examples.
///
/// - `builtinMarkdown()`: every built-in rule set (`docs/RULE-REFERENCE.md`, written by
///   `scripts/make-rule-reference`, i.e. `bulletinlint rules --reference`), each rule under the
///   set that defines it, with what each set extends and overrides.
/// - `markdown(_:)`: the rules of one resolved set (`bulletinlint rules --format markdown`).
///
/// The output depends on the rule files only (no date, no path of this machine), with rules in
/// the order of their files, so the committed reference can be compared with a fresh rendering.
public enum RuleReference {
    /// The built-in sets in the order the reference shows them; sets not named here follow in
    /// the order of their names.
    static let preferredOrder = ["default", "base", "bulletin", "gongwen", "gbt9704-typography", "archive", "sichuan-difangzhi"]

    /// What a reader is told about the reference (and about how to make it again).
    static let generatedNote = "本文件由 `scripts/make-rule-reference`（即 `bulletinlint rules --reference`）从内置规则文件 `rules/*.yaml` 生成，"
        + "请勿手工修改：规则文件改动后重新运行该脚本。测试 `RuleReferenceTests` 核对本文件与内置规则一致。"

    // MARK: Built-in sets

    /// One built-in set: its resolved rules, and what its file says about the sets it builds on.
    struct BuiltinSet {
        let name: String
        let ruleSet: RuleSet
        let file: String
        /// `extends:` as written.
        let extends: [String]
        /// The file's top-level `when:` genres (its rules take them unless they have their own).
        let fileGenres: [String]?
        /// `overrides:` entries: the rule id and the entry's YAML as written.
        let overrides: [(id: String, yaml: String)]
        /// The rules the set's own file defines, in file order.
        var ownRules: [Rule] { ruleSet.rules.filter { $0.origin.file == file }.sorted { $0.origin.line < $1.origin.line } }
    }

    /// The built-in set names in the reference's order.
    public static var orderedBuiltinNames: [String] {
        let names = BuiltinRuleSets.names
        return preferredOrder.filter { names.contains($0) } + names.filter { !preferredOrder.contains($0) }.sorted()
    }

    static func builtinSets() throws(RuleFileError) -> [BuiltinSet] {
        var sets: [BuiltinSet] = []
        for name in orderedBuiltinNames {
            guard let document = BuiltinRuleSets.document(named: name) else { continue }
            let ruleSet = try RuleSetLoader.builtinReferencesOnly().load(references: [name])
            var extends: [String] = []
            var genres: [String]?
            var overrides: [(id: String, yaml: String)] = []
            if let root = try document.compose() {
                let top = YAMLValue(node: root, document: document)
                for entry in try top.entries() {
                    switch entry.key {
                    case "extends":
                        if case .scalar = entry.value.node { extends = [try entry.value.string()] } else { extends = try entry.value.stringList() }
                    case "when":
                        genres = try RuleCondition.parse(when: entry.value, effective: nil).genres
                    case "overrides":
                        for override in try entry.value.entries() {
                            overrides.append((override.key, dedented(document.block(startingAt: override.keyValue.mark?.line ?? 1))))
                        }
                    default:
                        break
                    }
                }
            }
            sets.append(BuiltinSet(name: name, ruleSet: ruleSet, file: document.path, extends: extends,
                                    fileGenres: genres, overrides: overrides))
        }
        return sets
    }

    /// The reference of every built-in rule set (`docs/RULE-REFERENCE.md`).
    public static func builtinMarkdown() throws(RuleFileError) -> String {
        let sets = try builtinSets()
        let defaultSet = sets.first { $0.name == BuiltinRuleSets.defaultName }
        var out = "# 内置规则参考\n\n"
        out += "> " + generatedNote + "\n\n"
        out += "本文列出 bulletinlint 内置的全部规则集和规则。每条规则写在定义它的规则集之下；继承它的规则集（如 `default`）"
        out += "使用同一条规则，除非在 `overrides` 中改动（见各规则集的“覆盖”一节）。规则的写法、各检查类型的参数见"
        out += " [RULES.md](RULES.md)；`bulletinlint explain 规则名` 可随时查看一条规则。\n\n"
        out += legend
        out += "## 概览\n\n"

        // Sets.
        out += "### 规则集\n\n"
        out += "| 规则集 | 标题 | 继承 | 本集定义的规则 | 错误 | 警告 | 提示 | 生效规则合计 |\n"
        out += "|---|---|---|---:|---:|---:|---:|---:|\n"
        for set in sets {
            let own = set.ownRules
            let counts = severityCounts(own)
            out += "| [`\(set.name)`](#\(setAnchor(set.name))) | \(inline(set.ruleSet.title)) | "
            out += (set.extends.isEmpty ? "—" : set.extends.map { "`\($0)`" }.joined(separator: "、")) + " | "
            out += "\(own.count) | \(counts[0]) | \(counts[1]) | \(counts[2]) | \(set.ruleSet.rules.count) |\n"
        }
        let defined = sets.flatMap(\.ownRules)
        let total = severityCounts(defined)
        out += "| **合计（各规则只计一次）** | | | \(defined.count) | \(total[0]) | \(total[1]) | \(total[2]) | |\n\n"
        if let defaultSet {
            let optIn = sets.filter { set in set.name != defaultSet.name && set.ownRules.contains { defaultSet.ruleSet.rule($0.id) == nil } }
            out += "不写 `--rules`、也没有配置文件时使用 `default`。它继承 " + defaultSet.extends.map { "`\($0)`" }.joined(separator: "、")
            let included = sets.filter { set in set.name != defaultSet.name && !set.ownRules.isEmpty
                && set.ownRules.allSatisfy { defaultSet.ruleSet.rule($0.id) != nil } }
            out += "，即包含 " + included.map { "`\($0.name)`" }.joined(separator: "、") + " 的全部规则，"
            out += "共 \(defaultSet.ruleSet.rules.count) 条；每条规则按自己的适用文种和施行期间选用（简报用简报规则，公文用公文规则）。"
            if !optIn.isEmpty {
                out += optIn.map { "`\($0.name)`" }.joined(separator: "、") + " 的规则不在 `default` 中，要用 `--rules` 或配置文件的 `extends` 指定"
                out += "（如 `bulletinlint --rules default --rules gbt9704-typography 稿件.docx`）。"
            }
            out += "\n\n"
        }

        // Tiers and severities.
        out += "### 按依据层级和严重程度\n\n"
        out += tierTable(defined)

        // Index.
        out += "### 规则索引\n\n"
        out += "| 规则 | 标题 | 规则集 | 严重程度 | 依据 | 自动修正 |\n|---|---|---|---|---|---|\n"
        for set in sets {
            for rule in set.ownRules {
                out += "| [`\(rule.id)`](#\(ruleAnchor(rule, in: set.name))) | \(inline(rule.displayTitle)) | `\(set.name)` | "
                out += "\(severityName(rule.severity)) | \(inline(basisText(rule))) | \(fixShort(rule)) |\n"
            }
        }
        out += "\n"

        // Each set.
        for set in sets {
            out += "<a id=\"\(setAnchor(set.name))\"></a>\n\n"
            out += "## 规则集 `\(set.name)`：\(inline(set.ruleSet.title))\n\n"
            out += "- 文件：`\(set.file)`\n"
            out += "- 继承：" + (set.extends.isEmpty ? "无" : set.extends.map { "[`\($0)`](#\(setAnchor($0)))" }.joined(separator: "、")) + "\n"
            if let genres = set.fileGenres {
                out += "- 本文件定义的规则只用于：\(genres.joined(separator: "、"))（规则自己写了 `when` 的除外）\n"
            }
            out += "- 本集定义的规则：\(set.ownRules.count) 条；连同继承的规则，生效 \(set.ruleSet.rules.count) 条\n\n"
            if !set.overrides.isEmpty {
                out += "### 覆盖继承的规则（overrides）\n\n"
                for override in set.overrides {
                    if let rule = set.ruleSet.rule(override.id) {
                        out += "- `\(override.id)`（定义于 `\(rule.origin.ruleSet)`）：在本规则集中为\(severityName(rule.severity))"
                        out += rule.locked ? "，锁定（不能关闭或忽略）" : ""
                        out += "；说明：" + inline(rule.helpTemplate.readable) + "\n\n"
                    } else {
                        out += "- `\(override.id)`：在本规则集中关闭\n\n"
                    }
                    out += codeBlock(override.yaml, language: "yaml", indent: "  ") + "\n"
                }
            }
            for rule in set.ownRules {
                out += ruleSection(rule, anchor: ruleAnchor(rule, in: set.name))
            }
        }
        return out
    }

    /// The lines less the indentation they all share (an `overrides:` entry as if at top level).
    static func dedented(_ block: String) -> String {
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = lines.filter { !$0.allSatisfy { $0 == " " } }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
    }

    // MARK: One resolved set

    /// The rules of one resolved set, in the order `rules` lists them.
    public static func markdown(_ ruleSet: RuleSet) -> String {
        var out = "# 规则集 `\(ruleSet.name)`：\(inline(ruleSet.title))\n\n"
        out += "- 规则文件：" + ruleSet.files.map { "`\($0)`" }.joined(separator: "、") + "\n"
        out += "- 生效规则：\(ruleSet.rules.count) 条\n"
        for off in ruleSet.disabledRules {
            out += "- 已关闭：`\(off.id)`（\(inline(off.origin.file)):\(off.origin.line) 的 overrides）\n"
        }
        out += "\n" + legend
        out += "## 概览\n\n"
        out += tierTable(ruleSet.rules)
        out += "| 规则 | 标题 | 来源规则集 | 严重程度 | 依据 | 自动修正 |\n|---|---|---|---|---|---|\n"
        for rule in ruleSet.rules {
            out += "| [`\(rule.id)`](#\(ruleAnchor(rule, in: nil))) | \(inline(rule.displayTitle)) | `\(rule.origin.ruleSet)` | "
            out += "\(severityName(rule.severity)) | \(inline(basisText(rule))) | \(fixShort(rule)) |\n"
        }
        out += "\n## 规则\n\n"
        for rule in ruleSet.rules {
            out += ruleSection(rule, anchor: ruleAnchor(rule, in: nil), showOrigin: true)
        }
        return out
    }

    // MARK: Pieces

    static let legend = """
        读法：严重程度分错误（error）、警告（warning）、提示（info）；依据的层级取自规则说明开头的方括号：【条例】法规，\
        【国标】国家标准，【行标】行业标准，【实务】公文写作和编校的通行做法，【旧规】已被取代、只对当时的文件有效或作为惯例沿用的规定，\
        “本单位”为单位自定；没有标注的记为“未标注”。说明和消息中的〈〉处，在报告中换成文中的实际内容。示例按检查时的完整文本列出\
        （已加上规则的示例框架 `context`），`↓` 标出报告应落的位置，与规则文件中的写法相同；以 `%docx` 开头的是排版规则的版面草图，\
        测试时据此生成 .docx 再检查。


        """

    static func ruleSection(_ rule: Rule, anchor: String, showOrigin: Bool = false) -> String {
        var out = "<a id=\"\(anchor)\"></a>\n\n"
        out += "### `\(rule.id)`：\(inline(rule.displayTitle))\n\n"
        out += "| 项目 | 内容 |\n|---|---|\n"
        var severity = "\(severityName(rule.severity))（\(rule.severity.rawValue)）"
        if let at = rule.severitySetAt { severity += "，由 \(at.file):\(at.line) 的 overrides 设置" }
        out += "| 严重程度 | \(inline(severity)) |\n"
        out += "| 检查类型 | `\(rule.checkKind)` |\n"
        if showOrigin { out += "| 来源 | `\(rule.origin.ruleSet)`（\(inline(rule.origin.file)) 第 \(rule.origin.line) 行） |\n" }
        out += "| 适用文种 | \(inline(rule.condition.genres?.joined(separator: "、") ?? "全部")) |\n"
        if let present = rule.condition.present {
            out += "| 检查条件 | 文中有 " + present.map { "`\($0)`" }.joined(separator: "、") + " 之一时才检查 |\n"
        }
        switch (rule.condition.from, rule.condition.until) {
        case let (from?, until?): out += "| 施行期间 | 文件日期在 \(from) 至 \(until) 之前 |\n"
        case let (from?, nil): out += "| 施行期间 | 文件日期在 \(from) 及以后 |\n"
        case let (nil, until?): out += "| 施行期间 | 文件日期在 \(until) 以前 |\n"
        default: break
        }
        if let note = CheckRegistry.formatNote(forKind: rule.checkKind) { out += "| 适用格式 | \(inline(note)) |\n" }
        out += "| 依据 | \(inline(basisText(rule))) |\n"
        out += "| 自动修正 | \(fixText(rule)) |\n"
        if rule.locked { out += "| 锁定 | 是（由 `\(rule.lockedBy ?? rule.origin.ruleSet)` 锁定：可调整级别，不能关闭或忽略） |\n" }
        out += "| 报告消息 | \(inline(rule.messageTemplate.readable)) |\n\n"
        if !rule.help.isEmpty { out += "**说明**：" + inline(rule.helpTemplate.readable) + "\n\n" }
        if rule.exampleCheck != nil, let parameters = exampleParameters(rule.definition) {
            out += "示例按下列参数运行（`examples` 的 `parameters`；规则本身的参数以规则文件和配置为准）：\n\n"
            out += codeBlock(parameters, language: "yaml", indent: "") + "\n"
        }
        out += examples("合规示例（不应报告）", rule.examples.valid, fixes: false)
        out += examples("违规示例（应报告）", rule.examples.invalid, fixes: true)
        if rule.examples.valid.isEmpty && rule.examples.invalid.isEmpty { out += "（没有示例）\n\n" }
        return out
    }

    static func examples(_ title: String, _ list: [RuleExamples.Example], fixes: Bool) -> String {
        guard !list.isEmpty else { return "" }
        var out = "**\(title)**\n\n"
        for (index, example) in list.enumerated() {
            let context = [example.genre.map { "按\($0)检查" }, example.date.map { "文件日期 \($0)" }].compactMap { $0 }
            out += "第 \(index + 1) 例" + (context.isEmpty ? "" : "（" + context.joined(separator: "，") + "）") + "：\n\n"
            out += codeBlock(example.text, language: "text", indent: "")
            if fixes, let fixed = example.fixed {
                if fixed.text == example.text.replacingOccurrences(of: "↓", with: "") {
                    out += "\n自动修正不改动这一处，需人工改写。\n"
                } else {
                    out += "\n修正后：\n\n" + codeBlock(fixed.text, language: "text", indent: "")
                }
            }
            out += "\n"
        }
        return out
    }

    /// The `parameters:` block under a rule's `examples:` as written in its definition, dedented.
    static func exampleParameters(_ definition: String) -> String? {
        let lines = definition.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        func isBlank(_ line: String) -> Bool { line.allSatisfy { $0 == " " } }
        guard let examples = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("examples:") }) else { return nil }
        var index = examples + 1
        while index < lines.count, isBlank(lines[index]) || indent(lines[index]) > indent(lines[examples]) {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("parameters:") {
                var block = [line]
                var next = index + 1
                while next < lines.count, isBlank(lines[next]) || indent(lines[next]) > indent(line) {
                    block.append(lines[next])
                    next += 1
                }
                while let last = block.last, isBlank(last) { block.removeLast() }
                return dedented(block.joined(separator: "\n"))
            }
            index += 1
        }
        return nil
    }

    /// Counts of error, warning and info rules.
    static func severityCounts(_ rules: [Rule]) -> [Int] {
        Severity.allCases.map { severity in rules.filter { $0.severity == severity }.count }
    }

    static let untiered = "未标注"

    static func tierTable(_ rules: [Rule]) -> String {
        var out = "| 依据层级 | 规则数 | 错误 | 警告 | 提示 |\n|---|---:|---:|---:|---:|\n"
        for tier in RuleBasis.tiers + [untiered] {
            let inTier = rules.filter { (RuleBasis.tier(ofHelp: $0.help) ?? untiered) == tier }
            guard !inTier.isEmpty else { continue }
            let counts = severityCounts(inTier)
            out += "| \(tier) | \(inTier.count) | \(counts[0]) | \(counts[1]) | \(counts[2]) |\n"
        }
        let counts = severityCounts(rules)
        out += "| **合计** | \(rules.count) | \(counts[0]) | \(counts[1]) | \(counts[2]) |\n\n"
        return out
    }

    static func severityName(_ severity: Severity) -> String {
        switch severity {
        case .error: return "错误"
        case .warning: return "警告"
        case .info: return "提示"
        }
    }

    /// `【国标】GB/T 9704-2012 §7.2.4`, or the tier alone, or 未标注.
    static func basisText(_ rule: Rule) -> String {
        guard let tier = RuleBasis.tier(ofHelp: rule.help) else { return untiered }
        // `本单位：…` has no basis beyond its tier.
        let basis = RuleBasis.basis(ofHelp: rule.help).flatMap { $0 == tier ? nil : $0 }
        return "【\(tier)】" + (basis ?? "")
    }

    static func fixShort(_ rule: Rule) -> String {
        guard let fix = rule.fix else { return "—" }
        return fix.applicability == .safe ? "安全" : "需确认"
    }

    /// Whether and how the rule fixes its findings, as Markdown for a table cell.
    static func fixText(_ rule: Rule) -> String {
        guard let fix = rule.fix else { return "无" }
        let how: String
        switch fix.method {
        case .template(let template): how = "按模板“" + inline(template.readable) + "”替换"
        case .regex(let regex, let replacement): how = "正则 " + codeSpan(regex.pattern) + " 替换为 " + codeSpan(replacement)
        case .fixer(let fixer): how = "内置修正器 " + codeSpan(fixer.rawValue)
        }
        return fix.applicability == .safe
            ? "有，安全（safe：`--fix` 直接应用）；\(how)"
            : "有，需确认（unsafe：加 `--unsafe-fixes` 才应用）；\(how)"
    }

    // MARK: Markdown

    static func setAnchor(_ name: String) -> String { "ruleset-" + anchorText(name) }

    static func ruleAnchor(_ rule: Rule, in set: String?) -> String {
        "rule-" + (set.map { anchorText($0) + "-" } ?? "") + anchorText(rule.id)
    }

    /// Letters, digits and `-` (rule ids already are); anything else becomes `-`.
    static func anchorText(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
    }

    /// Text in a paragraph, with the characters Markdown would read as markup escaped. Inline
    /// code spans written by the renderer itself are not passed through here.
    static func inline(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "~", "|": out += "\\" + String(ch)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// A code span in a table cell: delimited by more backticks than the text holds in a row,
    /// its `|` escaped (GFM tables split on `|` even inside code spans).
    static func codeSpan(_ text: String) -> String {
        let fence = String(repeating: "`", count: longestBacktickRun(text) + 1)
        let body = text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        let padded = body.hasPrefix("`") || body.hasSuffix("`") ? " " + body + " " : body
        return fence + padded + fence
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for ch in text {
            if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        return longest
    }

    /// A fenced code block longer than any run of backticks in the text, each line indented
    /// (inside a list item).
    static func codeBlock(_ text: String, language: String, indent: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
        var out = indent + fence + language + "\n"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += (line.isEmpty ? "" : indent) + line + "\n"
        }
        return out + indent + fence + "\n"
    }
}
