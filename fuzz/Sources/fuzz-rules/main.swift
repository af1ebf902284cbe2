import BulletinLintCore
import FuzzSupport

/// The rule-file loader: YAML text to a rule set (strict keys, `extends` of built-in sets,
/// overrides, elements, conditions, regular expressions, messages, examples), as `--rules`
/// loads a file; a rule set that loads then lints a short bulletin, so its patterns and
/// checks run under the same regex budget as in `check`.
func test(_ input: UnsafeBufferPointer<UInt8>) {
    // `--rules` refuses a file that is not UTF-8 before parsing it.
    guard let text = String(validating: input, as: UTF8.self) else { return }
    // In a folder that does not exist: `extends` of a relative path finds nothing.
    guard let ruleSet = try? RuleSetLoader().load(text: text, path: "/nonexistent-bulletinlint-fuzz/rules.yaml") else { return }
    let linter = DocumentLinter(configuration: Configuration(ruleSet: ruleSet, directory: "/"))
    Fuzz.lintAndCheck(.text(Sample.bulletin, name: "sample.txt"), with: linter)
}

enum Sample {
    /// A short bulletin: title, issue line, body with headings and a date, distribution, imprint.
    static let bulletin = """
        工作简报
        第 3 期
        县人民政府办公室                    2024年3月5日

        关于春耕生产情况的报告

        一、总体情况
        今年以来，全县各乡镇认真落实春耕备耕工作部署，完成播种面积1.2万亩。
        （一）加强组织领导。成立工作专班，每周调度一次（见附件1）。
        二、下一步工作
        继续做好农资供应保障。

        报：市政府办公室
        送：县委办公室
        发：各乡镇人民政府
        县人民政府办公室                    2024年3月5日印发

        """
}

Fuzz.run { data, size in
    test(Fuzz.buffer(data, size))
    return 0
}
