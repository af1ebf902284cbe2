import BulletinLintCore
import Foundation
import XCTest

/// Malformed rule files: each is an error at the exact `file:line:col` of the YAML with a reason
/// in Chinese (DESIGN §4), never a crash, a hang or a silently ignored mistake.
final class RuleFileErrorTests: XCTestCase {
    // MARK: Helpers

    /// Loads `yaml` as `bad.yaml`; nil when it loads without an error.
    private func loadError(_ yaml: String, path: String = "bad.yaml") -> RuleFileError? {
        do {
            _ = try RuleSetLoader().load(text: yaml, path: path)
            return nil
        } catch {
            return error
        }
    }

    private func referencesError(_ references: [String]) -> RuleFileError? {
        do {
            _ = try RuleSetLoader().load(references: references)
            return nil
        } catch {
            return error
        }
    }

    /// Asserts the error's position and that its message holds every fragment.
    @discardableResult
    private func assertError(_ yaml: String, line: Int, column: Int, _ fragments: String...,
                             file: StaticString = #filePath, sourceLine: UInt = #line) throws -> RuleFileError {
        let error = try XCTUnwrap(loadError(yaml), "rule file loaded without an error", file: file, line: sourceLine)
        assertPosition(error, "bad.yaml", line, column, file: file, sourceLine: sourceLine)
        for fragment in fragments {
            XCTAssertTrue(error.message.contains(fragment), "“\(error.message)” lacks “\(fragment)”", file: file, line: sourceLine)
        }
        return error
    }

    private func assertPosition(_ error: RuleFileError, _ path: String, _ line: Int, _ column: Int,
                                file: StaticString = #filePath, sourceLine: UInt = #line) {
        XCTAssertEqual(error.file, path, "file; \(error)", file: file, line: sourceLine)
        XCTAssertEqual(error.line, line, "line; \(error)", file: file, line: sourceLine)
        XCTAssertEqual(error.column, column, "column; \(error)", file: file, line: sourceLine)
    }

    /// One rule of `check: required` on `disclosure`, extending `bulletin`, with `body` spliced
    /// in as the rule's remaining lines (each indented four spaces).
    private func ruleFile(_ body: String) -> String {
        "ruleset: local\nextends: [bulletin]\nrules:\n  - id: local-rule\n" + body
    }

    // MARK: YAML itself

    func testUnclosedFlowSequenceIsASyntaxErrorThatSaysWhereTheSequenceBegan() throws {
        let yaml = "ruleset: x\nrules: [\n  { id: a }\n"
        // libyaml notices at the end of the text (line 4, after the last line break); the
        // message names the `[` that was never closed.
        // The English of libyaml stays beside the Chinese explanation, for a search.
        let error = try assertError(yaml, line: 4, column: 1, "YAML 语法错误：方括号 [ ] 没有闭合，或其中两项之间少了逗号",
                                    "did not find expected ',' or ']'", "出错的结构（方括号 [ ]）始于第 2 行第 8 列")
        XCTAssertEqual(error.sourceLine, "")
    }

    func testATabInTheIndentationIsExplainedInChinese() throws {
        let error = try assertError("ruleset: x\nrules:\n\t- id: a\n", line: 3, column: 1, "YAML 语法错误：", "Tab")
        XCTAssertFalse(error.message.hasPrefix("YAML 语法错误：YAML 无法解析"), error.message)
    }

    func testDuplicateKeyInARuleIsReportedAtTheRepetition() throws {
        let yaml = ruleFile("    check: required\n    element: disclosure\n    severity: error\n    severity: warning\n    message: 缺\n")
        let error = try assertError(yaml, line: 8, column: 5)
        XCTAssertEqual(error.message, "重复的键“severity”：同一映射中只能写一次")
        XCTAssertEqual(error.sourceLine, "    severity: warning")
    }

    func testDuplicateTopLevelKeyIsReportedAtTheRepetition() throws {
        let error = try assertError("ruleset: x\nrules: []\ntitle: 标题\nruleset: y\n", line: 4, column: 1)
        XCTAssertEqual(error.message, "重复的键“ruleset”：同一映射中只能写一次")
    }

    func testAnchorAndAliasAreRefusedAtTheAnchor() throws {
        let yaml = ruleFile("""
                check: required
                element: disclosure
                severity: error
                message: &msg 缺少信息公开选项
              - id: other-rule
                check: required
                element: imprint
                severity: error
                message: *msg

            """)
        try assertError(yaml, line: 8, column: 14, "不允许使用 YAML 锚点（&）和别名（*）")
    }

    func testAnchoredRuleReusedByAliasIsRefused() throws {
        // Without the refusal the alias would silently duplicate the rule.
        let yaml = "ruleset: x\nextends: [bulletin]\nrules:\n  - &r\n    id: a-b\n    check: required\n    element: disclosure\n    severity: error\n    message: 缺\n  - *r\n"
        try assertError(yaml, line: 4, column: 5, "不允许使用 YAML 锚点（&）和别名（*）")
    }

    func testBillionLaughsFailsAtTheFirstAnchor() throws {
        var yaml = "ruleset: x\nlol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = Array("abcdefghij").map(String.init)
        for (previous, name) in zip(names, names.dropFirst()) {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        try assertError(yaml, line: 2, column: 6, "不允许使用 YAML 锚点（&）和别名（*）")
    }

    func testAliasBombUsedAsAMappingKeyFailsInsteadOfHashingTheExpansion() throws {
        // Yams hashes mapping keys to find duplicates; an expanded bomb as a key would hash
        // 9^9 scalars. The anchor must be refused before the tree is composed.
        var yaml = "ruleset: x\nelements:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = Array("abcdefghi").map(String.init)
        for (previous, name) in zip(names, names.dropFirst()) {
            yaml += "  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        yaml += "  ? *i\n  : 1\n"
        try assertError(yaml, line: 3, column: 6, "不允许使用 YAML 锚点（&）和别名（*）")
    }

    func testWrongTypeMappingWhereAStringIsExpected() throws {
        let yaml = ruleFile("    check: required\n    element: disclosure\n    severity: error\n    message:\n      text: 缺\n")
        let error = try assertError(yaml, line: 9, column: 7)
        XCTAssertEqual(error.message, "应为字符串，实际是映射（键: 值）")
    }

    // MARK: Keys

    func testTopLevelKeyTypoSuggestsTheKey() throws {
        let error = try assertError("ruleset: x\nrule:\n  - id: a\n", line: 2, column: 1)
        XCTAssertEqual(error.message, "未知的顶层键“rule”（是否要写“rules”？）")
    }

    func testRuleKeyTypoIsReportedAtTheTypoNotAsAMissingKey() throws {
        let yaml = ruleFile("    check: required\n    element: disclosure\n    serverity: error\n    message: 缺\n")
        let error = try assertError(yaml, line: 7, column: 5)
        XCTAssertEqual(error.message, "规则“local-rule”中有未知的键“serverity”（是否要写“severity”？）")
    }

    func testParameterKeyTypoIsReportedAtTheTypo() throws {
        let yaml = ruleFile("    check: required\n    elemnt: disclosure\n    severity: error\n    message: 缺\n")
        let error = try assertError(yaml, line: 6, column: 5)
        XCTAssertEqual(error.message, "规则“local-rule”中有未知的键“elemnt”（是否要写“element”？）")
    }

    func testUnknownParameterForTheCheckKind() throws {
        // `values` belongs to one-of, not to required.
        let yaml = ruleFile("    check: required\n    element: disclosure\n    values: [主动公开]\n    severity: error\n    message: 缺\n")
        try assertError(yaml, line: 7, column: 5, "规则“local-rule”中有未知的键“values”")
    }

    func testMissingRequiredParameterIsReportedAtTheRule() throws {
        let yaml = ruleFile("    check: one-of\n    element: disclosure\n    field: value\n    severity: error\n    message: 缺\n")
        let error = try assertError(yaml, line: 4, column: 5)
        XCTAssertEqual(error.message, "规则“local-rule”缺少参数“values”")
    }

    // MARK: Values

    func testUnknownCheckKindSuggestsTheKind() throws {
        let yaml = ruleFile("    check: requried\n    element: disclosure\n    severity: error\n    message: 缺\n")
        try assertError(yaml, line: 5, column: 12, "未知的检查类型“requried”（是否要写“required”？）", "可用：required、pattern、one-of")
    }

    func testUnknownSeverity() throws {
        let yaml = ruleFile("    check: required\n    element: disclosure\n    severity: fatal\n    message: 缺\n")
        let error = try assertError(yaml, line: 7, column: 15)
        XCTAssertEqual(error.message, "未知的严重级别“fatal”，可用：error、warning、info")
    }

    func testBadRegexInMatch() throws {
        let yaml = ruleFile("    check: pattern\n    element: disclosure\n    match: '(unclosed'\n    severity: error\n    message: 缺\n")
        let error = try assertError(yaml, line: 7, column: 12)
        XCTAssertEqual(error.message, "正则表达式的括号不配对（缺少“)”）：(unclosed")
    }

    func testBadRegexInForbiddenPatternsListPointsAtTheItem() throws {
        let yaml = ruleFile("    check: forbidden\n    scope: body\n    patterns: ['ok', 'a)b']\n    severity: error\n    message: 缺\n")
        try assertError(yaml, line: 7, column: 22, "正则表达式有多余的右括号“)”")
    }

    func testBadRegexInElementPattern() throws {
        let error = try assertError("ruleset: x\nelements:\n  foo: { pattern: '^报[：:(', region: footer }\n", line: 3, column: 19)
        XCTAssertEqual(error.message, "元素“foo”的 pattern 有误：正则表达式的字符类缺少“]”")
    }

    func testUnknownElementSuggestsTheElement() throws {
        let yaml = ruleFile("    check: required\n    element: disclosur\n    severity: error\n    message: 缺\n")
        let error = try assertError(yaml, line: 6, column: 14)
        XCTAssertEqual(error.message, "规则“local-rule”引用了未定义的元素“disclosur”（是否要写“disclosure”？）")
    }

    func testMessagePlaceholderTheCheckDoesNotProvide() throws {
        let yaml = ruleFile("    check: required\n    element: disclosure\n    severity: error\n    message: 缺少{foo}\n")
        let error = try assertError(yaml, line: 8, column: 14)
        XCTAssertEqual(error.message, "消息中的占位符“{foo}”不可用于检查“required”；可用：{text}、{element}、{count}、{min}、{max}、{title}")
    }

    // MARK: Rule ids

    func testDuplicateRuleIDInOneFileNamesTheFirstLine() throws {
        let yaml = ruleFile("""
                check: required
                element: disclosure
                severity: error
                message: 缺
              - id: local-rule
                check: required
                element: imprint
                severity: error
                message: 缺

            """)
        let error = try assertError(yaml, line: 9, column: 9)
        XCTAssertEqual(error.message, "重复的规则 id“local-rule”（第 4 行已定义）")
    }

    func testRuleIDThatIsNotKebabCase() throws {
        let yaml = "ruleset: x\nextends: [bulletin]\nrules:\n  - id: Disclosure_Check\n    check: required\n    element: disclosure\n    severity: error\n    message: 缺\n"
        try assertError(yaml, line: 4, column: 9, "规则 id“Disclosure_Check”应为小写字母、数字和连字符")
    }

    func testRedefiningAnInheritedRuleAsksForAnOverride() throws {
        let yaml = "ruleset: x\nextends: [bulletin]\nrules:\n  - id: disclosure-missing\n    check: required\n    element: disclosure\n    severity: error\n    message: 缺\n"
        try assertError(yaml, line: 4, column: 9, "规则“disclosure-missing”已在继承的规则集“bulletin”中定义", "overrides")
    }

    // MARK: extends and overrides

    func testOverrideOfARuleThatDoesNotExist() throws {
        let error = try assertError("ruleset: x\nextends: [bulletin]\noverrides:\n  no-such-rule: off\n", line: 4, column: 3)
        XCTAssertEqual(error.message, "overrides 中的规则“no-such-rule”不存在")
    }

    func testOverrideTypoSuggestsTheRule() throws {
        try assertError("ruleset: x\nextends: [bulletin]\noverrides:\n  disclosure-mising: off\n", line: 4, column: 3,
                        "overrides 中的规则“disclosure-mising”不存在（是否要写“disclosure-missing”？）")
    }

    func testTurningOffALockedRuleNamesTheSetThatLockedIt() throws {
        // bulletin defines disclosure-missing; sichuan-difangzhi locks it in its overrides.
        let off = try assertError("ruleset: x\nextends: [sichuan-difangzhi]\noverrides:\n  disclosure-missing: off\n", line: 4, column: 23)
        XCTAssertEqual(off.message, "规则“disclosure-missing”已被规则集“sichuan-difangzhi”锁定（locked: true），不能关闭")

        let severityOff = try assertError("ruleset: x\nextends: [sichuan-difangzhi]\noverrides:\n  disclosure-missing: { severity: off }\n",
                                          line: 4, column: 35)
        XCTAssertEqual(severityOff.message, off.message)

        let unlock = try assertError("ruleset: x\nextends: [sichuan-difangzhi]\noverrides:\n  disclosure-missing: { locked: false }\n",
                                     line: 4, column: 33)
        XCTAssertEqual(unlock.message, "规则“disclosure-missing”已被规则集“sichuan-difangzhi”锁定，不能解除锁定")
    }

    func testLockedRuleMayStillChangeSeverity() throws {
        let set = try RuleSetLoader().load(text: "ruleset: x\nextends: [sichuan-difangzhi]\noverrides:\n  disclosure-missing: { severity: warning }\n",
                                           path: "ok.yaml")
        let rule = try XCTUnwrap(set.rule("disclosure-missing"))
        XCTAssertEqual(rule.severity, .warning)
        XCTAssertTrue(rule.locked)
    }

    func testUnknownBuiltinInExtendsSuggestsTheName() throws {
        let error = try assertError("ruleset: x\nextends: [bulletn]\n", line: 2, column: 11)
        XCTAssertTrue(error.message.hasPrefix("未知的内置规则集“bulletn”（是否要写“bulletin”？）；可用："), error.message)
        for name in BuiltinRuleSets.names { XCTAssertTrue(error.message.contains(name), name) }
    }

    func testMissingFileInExtends() throws {
        try assertError("ruleset: x\nextends: [./no-such-file.yaml]\n", line: 2, column: 11, "找不到规则文件“./no-such-file.yaml”")
    }

    func testExtendsCycleBetweenTwoFiles() throws {
        let directory = try temporaryDirectory("rulefile")
        let a = directory.appendingPathComponent("a.yaml")
        let b = directory.appendingPathComponent("b.yaml")
        try "ruleset: a\nextends: [b.yaml]\n".write(to: a, atomically: true, encoding: .utf8)
        try "ruleset: b\ntitle: 乙\nextends: [bulletin, a.yaml]\n".write(to: b, atomically: true, encoding: .utf8)

        let error = try XCTUnwrap(referencesError([a.path]))
        // Reported in b.yaml, at the reference that closes the loop.
        XCTAssertEqual(error.file, b.path)
        XCTAssertEqual(error.line, 3)
        XCTAssertEqual(error.column, 21)
        XCTAssertEqual(error.message, "extends 形成循环：\(a.path) → \(b.path) → \(a.path)")
        XCTAssertEqual(error.sourceLine, "extends: [bulletin, a.yaml]")
    }

    func testFileThatExtendsItself() throws {
        let directory = try temporaryDirectory("rulefile")
        let a = directory.appendingPathComponent("self.yaml")
        try "ruleset: a\nextends: self.yaml\n".write(to: a, atomically: true, encoding: .utf8)
        let error = try XCTUnwrap(referencesError([a.path]))
        XCTAssertEqual(error.file, a.path)
        XCTAssertEqual(error.line, 2)
        XCTAssertEqual(error.column, 10)
        XCTAssertEqual(error.message, "extends 形成循环：\(a.path) → \(a.path)")
    }

    func testUnknownBuiltinOnTheCommandLine() throws {
        let error = try XCTUnwrap(referencesError(["bulletn"]))
        XCTAssertEqual(error.file, "bulletn")
        XCTAssertEqual(error.line, 1)
        XCTAssertEqual(error.column, 1)
        XCTAssertTrue(error.message.hasPrefix("未知的内置规则集“bulletn”（是否要写“bulletin”？）"), error.message)
    }

    // MARK: Rendering (what the CLI prints)

    func testCaretSitsUnderTheColumnAfterWideCharacters() throws {
        // Column 41 counts scalars; the six CJK characters before it are two cells each, so the
        // caret is 46 cells in.
        let yaml = "ruleset: x\nelements:\n  disclosure: { label: 信息公开选项, pattern: '信息公开(' }\n"
        let error = try assertError(yaml, line: 3, column: 41)
        XCTAssertEqual(error.description, """
            bad.yaml:3:41: error: 元素“disclosure”的 pattern 有误：正则表达式的括号不配对（缺少“)”）
             3 |   disclosure: { label: 信息公开选项, pattern: '信息公开(' }
               | \(String(repeating: " ", count: 46))^
            """)
    }

    func testCaretUnderAValueAfterCJKInARuleWithTwoDigitLineNumber() throws {
        let yaml = ruleFile("""
                check: forbidden
                scope: body
                # 禁用的词语
                phrases: [其它]
                severity: error
                help: 请改用规范词形
                message: 不要用“其它”
                examples: { valid: [其他], 正确: [其它] }

            """)
        let error = try assertError(yaml, line: 12, column: 30)
        XCTAssertEqual(error.message, "examples 中只能有 valid、invalid、fixed 和 parameters，实际是“正确”")
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[0], "bad.yaml:12:30: error: examples 中只能有 valid、invalid、fixed 和 parameters，实际是“正确”")
        XCTAssertEqual(lines[1], " 12 |     examples: { valid: [其他], 正确: [其它] }")
        // 29 scalars before the key, two of them CJK: 31 cells.
        XCTAssertEqual(lines[2], "    | " + String(repeating: " ", count: 31) + "^")
    }

    func testTabsInTheSourceLineMoveTheCaretByFourCells() throws {
        // A tab is not YAML indentation, but inside a flow mapping it is whitespace.
        let yaml = "ruleset: x\nextends: [bulletin]\noverrides: {\tnope: off }\n"
        let error = try assertError(yaml, line: 3, column: 14, "overrides 中的规则“nope”不存在")
        XCTAssertEqual(error.description.split(separator: "\n").last, "   | " + String(repeating: " ", count: 16) + "^")
    }

    func testCRLFAndCRRuleFilesShowTheRightLine() throws {
        // Rule files written on Windows: "\r\n" is one Swift Character, so a split on "\n" misses it.
        for ending in ["\r\n", "\r"] {
            let yaml = ruleFile("    check: required\n    element: disclosure\n    severity: fatal\n    message: 缺\n")
                .replacingOccurrences(of: "\n", with: ending)
            let error = try assertError(yaml, line: 7, column: 15)
            XCTAssertEqual(error.sourceLine, "    severity: fatal", ending.debugDescription)
            XCTAssertEqual(error.description, """
                bad.yaml:7:15: error: 未知的严重级别“fatal”，可用：error、warning、info
                 7 |     severity: fatal
                   |               ^
                """, ending.debugDescription)
        }
    }

    func testRuleFileWithUTF8BOMKeepsItsColumns() throws {
        let file = try temporaryDirectory("rulefile").appendingPathComponent("bom.yaml")
        try Data([0xEF, 0xBB, 0xBF] + Array("ruleset: &a x\n".utf8)).write(to: file)
        let error = try XCTUnwrap(referencesError([file.path]))
        XCTAssertEqual(error.line, 1)
        XCTAssertEqual(error.column, 10)
        XCTAssertEqual(error.sourceLine, "ruleset: &a x")
        XCTAssertEqual(error.description.split(separator: "\n").last, "   | " + String(repeating: " ", count: 9) + "^")
    }

    func testErrorInAFileOnDiskNamesThatFile() throws {
        let directory = try temporaryDirectory("rulefile")
        let file = directory.appendingPathComponent("house.yaml")
        try "ruleset: house\nextends: [bulletin]\noverrides:\n  date-spacing: { severity: loud }\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let error = try XCTUnwrap(referencesError([file.path]))
        // An override's new value is checked when the rule is built.
        XCTAssertEqual(error.file, file.path)
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.column, 29)
        XCTAssertEqual(error.message, "未知的严重级别“loud”，可用：error、warning、info")
    }
}
