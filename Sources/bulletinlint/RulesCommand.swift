import ArgumentParser
import BulletinLintCore

extension BulletinLint {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "列出生效的规则：规则名、级别、检查类型、来源规则集、适用范围和标题。"
        )

        @OptionGroup var configOptions: ConfigOptions

        @Option(name: .long, help: "输出格式：text 或 json。")
        var format: ListingFormat = .text

        func run() throws {
            try withConfigurationErrors {
                let ruleSet = try configOptions.configuration(forFile: nil).ruleSet
                write(format == .json ? RuleListing.json(ruleSet) : RuleListing.text(ruleSet))
            }
        }
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
                    write("\(ruleID)\n  已关闭：\(off.origin.file):\(off.origin.line) 的 overrides 把它关掉了（\(ruleID): off）。\n  要重新启用，删去那一行；用 bulletinlint --rules \(BuiltinRuleSets.defaultName) explain \(ruleID) 查看它的内置定义。\n")
                    return
                }
                if ruleSet.rule(ruleID) == nil, let engine = EngineRule(rawValue: ruleID) {
                    write(RuleExplanation.text(engine))
                    return
                }
                guard let rule = ruleSet.rule(ruleID) else {
                    let hint = Suggestion.closest(to: ruleID, among: ruleSet.rules.map(\.id) + EngineRule.allCases.map(\.id))
                    printError("error: 没有名为“\(ruleID)”的规则" + (hint.map { "（是否要找“\($0)”？）" } ?? "") + "；用 bulletinlint rules 列出全部规则。")
                    throw ExitCode(2)
                }
                write(RuleExplanation.text(rule))
            }
        }
    }
}
