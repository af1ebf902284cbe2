import BulletinLintCore
import Foundation
import XCTest

/// The `typography` check and the `gbt9704-typography` set: findings on a real .docx, silence on
/// plain text, the `%docx` sketches that let typography rules have running examples, and OFD.
final class TypographyTests: XCTestCase {
    typealias P = PackageBuilder

    private func typographySet() throws -> RuleSet {
        try RuleSetLoader().load(references: ["bulletin", "gbt9704-typography"])
    }

    private func lintDocx(_ data: Data, rules: RuleSet) throws -> FileReport {
        guard case .success(let source) = DocxReader.read(data: data, displayPath: "draft.docx") else {
            XCTFail("not read")
            throw XCTSkip("not read")
        }
        return Linter(ruleSet: rules).lint(source)
    }

    /// The case: wrong body size, a non-A4 page and wrong margins.
    func testADocxWithWrongSizePageAndMargins() throws {
        let lines = ["四川省地方志工作简报", "第5期", "【工作动态】", "某市召开地方志工作会议",
                     "3月24日，某市召开地方志工作会议。（某市地方志办）",
                     "信息公开选项：主动公开", "报：省委。", "某某办公室 2021年4月2日印发"]
        var body = ""
        for (index, line) in lines.enumerated() {
            switch index {
            case 3: body += P.paragraph(line, properties: "<w:jc w:val=\"center\"/>", run: P.fonts("方正小标宋简体") + "<w:sz w:val=\"44\"/>")
            case 4: body += P.paragraph(line, properties: "<w:ind w:firstLineChars=\"200\"/>", run: "<w:sz w:val=\"24\"/>")
            case 5...: body += P.paragraph(line, run: "<w:sz w:val=\"28\"/>")
            default: body += P.paragraph(line)
            }
        }
        // US Letter with Word's default margins.
        body += "<w:sectPr><w:pgSz w:w=\"12240\" w:h=\"15840\"/><w:pgMar w:top=\"1440\" w:right=\"1800\" w:bottom=\"1440\" w:left=\"1800\"/><w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"-849\"/></w:sectPr>"
        let data = try P.docx(body: body, parts: [P.styles(defaults: P.fonts("仿宋_GB2312") + "<w:sz w:val=\"32\"/>")])
        let report = try lintDocx(data, rules: try typographySet())
        let typography = report.diagnostics.filter { ["page-size-a4", "page-margins", "body-size"].contains($0.ruleID) }
        XCTAssertEqual(typography.map(\.ruleID).sorted(), ["body-size", "page-margins", "page-size-a4"])
        let page = try XCTUnwrap(typography.first { $0.ruleID == "page-size-a4" })
        XCTAssertEqual(page.severity, .error)
        XCTAssertEqual(page.message, "页面尺寸为 215.9mm×279.4mm（Letter），应为 A4（210mm×297mm）（第1节（¶1–¶8））")
        let margins = try XCTUnwrap(typography.first { $0.ruleID == "page-margins" })
        XCTAssertEqual(margins.message, "页边距不符合要求：上 25.4mm、下 25.4mm、左 31.8mm、右 31.8mm，应为 上 37mm、下 35mm、左 28mm、右 26mm（允许 ±1mm）（第1节（¶1–¶8））")
        let size = try XCTUnwrap(typography.first { $0.ruleID == "body-size" })
        XCTAssertEqual(size.severity, .warning)
        XCTAssertEqual(size.message, "正文段落的字号是 小四，一般应为 三号（第5段）")
        XCTAssertEqual(size.span.start, Position(line: 5, column: 1))
        let text = TextFormatter(color: false).format(size, in: report)
        XCTAssertTrue(text.hasPrefix("draft.docx:¶5:1: warning: 正文段落的字号是 小四"), text)
        // The Letter page's narrower text block also holds one character less per line; nothing
        // else is wrong with it.
        let others = report.diagnostics.filter { $0.ruleID != "page-size-a4" && $0.ruleID != "page-margins" && $0.ruleID != "body-size" }
        XCTAssertEqual(others.map(\.message), ["每行排 27字，一般应为 28字（第1节（¶1–¶8））"])
    }

    func testAConformingDocxHasNoTypographyFindings() throws {
        let lines = try Fixtures.text("documents/bulletin.txt").split(separator: "\n").map(String.init)
        let report = try lintDocx(try P.bulletinDocx(lines), rules: try typographySet())
        let rules = Set(try RuleSetLoader().load(references: ["gbt9704-typography"]).rules.filter { $0.checkKind == "typography" }.map(\.id))
        XCTAssertEqual(report.diagnostics.filter { rules.contains($0.ruleID) }.map { "\($0.ruleID) \($0.message)" }, [])
    }

    func testTrackedChangesAndCommentsAreErrors() throws {
        let body = "<w:p><w:r><w:t>会议要求</w:t></w:r><w:ins w:id=\"1\" w:author=\"张三\"><w:r><w:t>切实</w:t></w:r></w:ins><w:r><w:t>抓好落实。</w:t></w:r><w:commentRangeStart w:id=\"0\"/><w:commentRangeEnd w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r></w:p>"
        let comments = ("word/comments.xml", "<w:comments xmlns:w=\"\(P.w)\"><w:comment w:id=\"0\" w:author=\"王五\"><w:p><w:r><w:t>请核对</w:t></w:r></w:p></w:comment></w:comments>")
        let report = try lintDocx(try P.docx(body: body, parts: [comments]), rules: try typographySet())
        let messages = report.diagnostics.filter { $0.ruleID == "tracked-changes" || $0.ruleID == "comments-left" }.map(\.message)
        XCTAssertEqual(messages, ["文件中留有未处理的修订：插入“切实”（修订人：张三）", "文件中留有批注：“请核对”（批注人：王五）"])
        XCTAssertTrue(report.diagnostics.filter { $0.ruleID == "tracked-changes" }.allSatisfy { $0.severity == .error })
    }

    func testFontAliasesAreOneFamily() throws {
        let sketch = { (font: String) in "%docx\ndefaults: \(font) 三号\n¶ | 【工作动态】\n¶ 方正小标宋简体 二号 center | 某市召开地方志工作会议\n¶ indent=2 | 3月24日，某市召开会议。（某市地方志办）" }
        let rules = try typographySet()
        let runner = ExampleRunner(ruleSet: rules)
        let rule = try XCTUnwrap(rules.rule("body-font"))
        for alias in ["仿宋", "仿宋_GB2312", "FangSong", "方正仿宋_GBK"] {
            XCTAssertEqual(runner.diagnostics(of: rule, on: sketch(alias)).count, 0, alias)
        }
        for other in ["宋体", "SimSun", "楷体_GB2312", "Microsoft YaHei"] {
            XCTAssertEqual(runner.diagnostics(of: rule, on: sketch(other)).count, 1, other)
        }
    }

    // MARK: Plain text and the examples mechanism

    /// Typography rules are silent on plain text: each invalid example, read as a .txt, raises
    /// nothing (the text of a sketch is not a document).
    func testTypographyRulesAreSilentOnPlainText() throws {
        let rules = try typographySet()
        let linter = Linter(ruleSet: rules)
        for rule in rules.rules where rule.checkKind == "typography" {
            for example in rule.examples.invalid {
                let text = example.text.components(separatedBy: "\n").filter { $0.hasPrefix("¶") }
                    .map { $0.components(separatedBy: "| ").last ?? "" }.joined(separator: "\n")
                let found = linter.lint(SourceText(path: "t.txt", text: text)).diagnostics.filter { $0.ruleID == rule.id }
                XCTAssertEqual(found.count, 0, "\(rule.id) fired on plain text")
            }
        }
        let reference = try Fixtures.text(Fixtures.reference)
        let found = linter.lint(SourceText(path: "t.txt", text: reference)).diagnostics
        XCTAssertFalse(found.contains { rules.rule($0.ruleID)?.checkKind == "typography" })
        XCTAssertNotNil(CheckRegistry.formatNote(forKind: "typography"))
        XCTAssertTrue(CheckRegistry.formatNote(forKind: "typography")?.contains(".docx") ?? false)
        XCTAssertNil(CheckRegistry.formatNote(forKind: "forbidden"))
    }

    /// The examples of typography rules run as documents: every one is a `%docx` sketch (so
    /// none is skipped), and every sketch builds.
    func testEveryTypographyExampleIsASketchThatBuilds() throws {
        for name in BuiltinRuleSets.names {
            for rule in try RuleSetLoader().load(references: [name]).rules where rule.checkKind == "typography" {
                for example in rule.examples.valid + rule.examples.invalid {
                    XCTAssertTrue(DocxSketch.isSketch(example.text), "\(rule.id): \(example.text)")
                    guard case .success(let source) = DocxSketch.source(example.text) else {
                        XCTFail("\(rule.id): sketch does not build"); continue
                    }
                    XCTAssertEqual(source.format, .docx)
                    XCTAssertNotNil(source.typography)
                }
            }
        }
    }

    func testASketchBuildsTheDocumentItDescribes() throws {
        let sketch = "%docx\npage: B5\nmargins: 30 20 30 20\ngrid: 600 0\ndefaults: 仿宋_GB2312 三号\n¶ 黑体 二号 center bold | 一、标题\n¶ indent=2 | 正文[+新增+]。[-旧-][?核对?]"
        guard case .success(let source) = DocxSketch.source(sketch) else { return XCTFail("not built") }
        XCTAssertEqual(source.text, "一、标题\n正文新增。")
        let typography = try XCTUnwrap(source.typography)
        let section = try XCTUnwrap(typography.sections.first)
        XCTAssertEqual(section.pageWidth ?? 0, 176, accuracy: 0.1)
        XCTAssertEqual(section.marginTop ?? 0, 30, accuracy: 0.1)
        XCTAssertEqual(section.marginLeft ?? 0, 20, accuracy: 0.1)
        XCTAssertEqual(section.linePitch ?? 0, 30, accuracy: 0.01)
        XCTAssertEqual(typography.paragraphs[1]?.dominantFont, "黑体")
        XCTAssertEqual(typography.paragraphs[1]?.dominantSize, 44)
        XCTAssertEqual(typography.paragraphs[1]?.dominantBold, true)
        XCTAssertEqual(typography.paragraphs[1]?.alignment, .center)
        XCTAssertEqual(typography.paragraphs[2]?.dominantFont, "仿宋_GB2312")
        XCTAssertEqual(typography.paragraphs[2]?.firstLineIndent, 2)
        XCTAssertEqual(typography.revisions.map(\.kind), [.insertion, .deletion])
        XCTAssertEqual(typography.comments.map(\.text), ["核对"])
    }

    func testABrokenSketchFailsItsRule() throws {
        let yaml = """
            ruleset: broken
            extends: [base]
            rules:
              - id: page-a4
                check: typography
                property: page-size
                expect: A4
                severity: error
                message: 页面不是 A4
                help: GB/T 9704-2012 §5.1。
                examples:
                  valid: ["%docx\\npage: 巨大\\n¶ | 正文。"]
                  invalid: ["%docx\\n¶ 正文没有竖线"]
            """
        let rules = try RuleSetLoader().load(text: yaml, path: "broken.yaml")
        let failures = ExampleRunner(ruleSet: rules).failures()
        let broken = failures.filter { if case .brokenSketch = $0.kind { return true } else { return false } }
        XCTAssertEqual(broken.count, 2, failures.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(broken[0].description.contains("%docx 草图第 2 行"), broken[0].description)
    }

    func testRuleFileMistakesAreReportedWhereWritten() {
        func error(_ parameters: String) -> String {
            let yaml = "ruleset: t\nextends: [base]\nrules:\n  - id: t\n    check: typography\n\(parameters)    severity: warning\n    message: m\n"
            do {
                _ = try RuleSetLoader().load(text: yaml, path: "t.yaml")
                return "loaded"
            } catch {
                return error.description
            }
        }
        XCTAssertTrue(error("    property: colour\n    expect: red\n").contains("未知的排版属性“colour”"))
        XCTAssertTrue(error("    property: size\n    expect: 大号\n").contains("字号应写作"))
        XCTAssertTrue(error("    property: page-size\n    expect: A4\n    scope: body\n").contains("整节的设置"))
        XCTAssertTrue(error("    property: revisions\n    expect: 0\n").contains("不需要“expect”"))
        XCTAssertTrue(error("    property: font\n    expect: 仿宋\n    heading-level: 7\n").contains("heading-level"))
        XCTAssertTrue(error("    property: font\n").contains("expect"))
        XCTAssertEqual(error("    property: margins\n    expect: { top: 37, left: 28 }\n    tolerance: 0.5\n"), "loaded")
    }

    // MARK: OFD

    func testTypographyRulesWorkOnAnOFD() throws {
        let lines = ["内部资料", "某市地方志工作简报", "2021年第5期", "某市地方志办公室编 2021年4月2日", "【工作动态】",
                     "某市召开地方志工作会议", "3月24日，某市召开地方志工作会议，研究部署2021年重点工作。（某市地方志办）"]
        let (pages, fonts) = OFDLayout().pages(for: lines)
        let rules = try typographySet()
        guard case .success(let source) = OFDReader.read(data: try P.ofd(pages: pages, fonts: fonts), displayPath: "a.ofd") else {
            return XCTFail("not read")
        }
        let typographyIDs = Set(rules.rules.filter { $0.checkKind == "typography" }.map(\.id))
        let found = Linter(ruleSet: rules).lint(source).diagnostics.filter { typographyIDs.contains($0.ruleID) }
        XCTAssertEqual(found.map(\.ruleID), [])
        // In 宋体 instead of 仿宋, and on a B5 page.
        let wrong = try P.ofd(pages: pages, fonts: [("1", "宋体"), ("2", "方正小标宋简体"), ("3", "宋体")], box: "0 0 176 250")
        guard case .success(let other) = OFDReader.read(data: wrong, displayPath: "b.ofd") else { return XCTFail("not read") }
        let findings = Linter(ruleSet: rules).lint(other).diagnostics.filter { typographyIDs.contains($0.ruleID) }
        XCTAssertEqual(Set(findings.map(\.ruleID)), ["page-size-a4", "body-font"])
        let text = TextFormatter(color: false).format(try XCTUnwrap(findings.first { $0.ruleID == "body-font" }),
                                                      in: FileReport(path: "b.ofd", source: other, diagnostics: findings))
        XCTAssertTrue(text.hasPrefix("b.ofd:¶"), text)
    }
}
