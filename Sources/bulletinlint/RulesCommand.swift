import ArgumentParser
import BulletinLintCore

extension BulletinLint {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "列出生效的规则：规则名、级别、检查类型、来源规则集、适用范围和标题。"
        )

        @OptionGroup var configOptions: ConfigOptions

        @Option(name: .long, help: "输出格式：text、json 或 markdown（逐条写出规则的依据、说明和示例）。")
        var format: RulesFormat = .text

        @Flag(name: .long, help: "输出全部内置规则集的规则参考（Markdown，docs/RULE-REFERENCE.md 即由此生成），不看 --rules 和配置文件。")
        var reference = false

        func validate() throws {
            if reference, !configOptions.rules.isEmpty || configOptions.config != nil {
                throw ValidationError("--reference 写出全部内置规则集，不能与 --rules 或 --config 同用；要看某个规则集，用 --format markdown。")
            }
            if reference, format != .text, format != .markdown {
                throw ValidationError("--reference 只输出 Markdown，不能与 --format \(format.rawValue) 同用。")
            }
        }

        func run() throws {
            try withConfigurationErrors {
                if reference {
                    write(try RuleReference.builtinMarkdown())
                    return
                }
                let ruleSet = try configOptions.configuration(forFile: nil).ruleSet
                switch format {
                case .text: write(TerminalEscaping.escape(RuleListing.text(ruleSet), keepingLineFeeds: true))
                case .json: write(RuleListing.json(ruleSet))
                case .markdown: write(RuleReference.markdown(ruleSet))
                }
            }
        }
    }

    /// `rules --format`: the listing formats and Markdown.
    enum RulesFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "说明一条规则：检查什么、依据、参数、示例，以及如何调整。"
        )

        @Argument(help: ArgumentHelp("规则名，如 disclosure-missing。", valueName: "RULE-ID"), completion: Completions.ruleIDs)
        var ruleID: String

        @OptionGroup var configOptions: ConfigOptions

        func run() throws {
            try withConfigurationErrors {
                let ruleSet = try configOptions.configuration(forFile: nil).ruleSet
                if ruleSet.rule(ruleID) == nil, let off = ruleSet.disabledRules.first(where: { $0.id == ruleID }) {
                    write(TerminalEscaping.escape("\(ruleID)\n  已关闭：\(off.origin.file):\(off.origin.line) 的 overrides 把它关掉了（\(ruleID): off）。\n  要重新启用，删去那一行；用 bulletinlint --rules \(BuiltinRuleSets.defaultName) explain \(ruleID) 查看它的内置定义。\n", keepingLineFeeds: true))
                    return
                }
                if ruleSet.rule(ruleID) == nil, let engine = EngineRule(rawValue: ruleID) {
                    write(TerminalEscaping.escape(RuleExplanation.text(engine), keepingLineFeeds: true))
                    return
                }
                guard let rule = ruleSet.rule(ruleID) else {
                    let hint = Suggestion.closest(to: ruleID, among: ruleSet.rules.map(\.id) + EngineRule.allCases.map(\.id))
                    printError("error: 没有名为“\(ruleID)”的规则" + (hint.map { "（是否要找“\($0)”？）" } ?? "") + "；用 bulletinlint rules 列出全部规则。")
                    throw ExitCode(2)
                }
                write(TerminalEscaping.escape(RuleExplanation.text(rule), keepingLineFeeds: true))
            }
        }
    }
}
