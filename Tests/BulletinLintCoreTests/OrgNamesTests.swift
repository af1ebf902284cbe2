import BulletinLintCore
import Foundation
import XCTest

/// `org-names`: an office's registry of organs — first mention in full, forms to avoid (fixed),
/// short forms outside the registry — from the rule's `organs:` or a registry file.
final class OrgNamesTests: XCTestCase {
    /// A rule file with one `org-names` rule; `parameters` are its lines after `check:`.
    private func ruleFile(_ parameters: String) -> String {
        """
        ruleset: office
        extends: [base]
        rules:
          - id: organs
            check: org-names
        \(parameters)
            severity: warning
            fix: { with: '{replacement}' }
            message: “{text}”：{problem}
        """
    }

    private static let registry = """
            organs:
              - { name: 四川省地方志工作办公室, short: [省地方志办], avoid: [四川方志办] }
              - { name: 国家发展和改革委员会, short: 国家发展改革委 }
              - { name: 国务院办公厅, short: [国办] }
              - { name: 四川省人民代表大会常务委员会, short: [省人大常委会] }
              - { name: 四川省人民政府办公厅, short: [省政府办公厅] }
              - 四川省教育厅
        """

    private func officeRules(_ parameters: String = OrgNamesTests.registry) throws -> RuleSet {
        try RuleSetLoader().load(text: ruleFile(parameters), path: "office.yaml")
    }

    /// The rule's findings on a bulletin whose one article has `paragraph` (and `masthead` above).
    private func findings(_ paragraph: String, masthead: String = "", rules: RuleSet? = nil) throws -> [Diagnostic] {
        let text = masthead + "【工作动态】\n某市召开会议\n\(paragraph)（某市地方志办）\n"
        return Linter(ruleSet: try rules ?? officeRules()).lint(SourceText(path: "t.txt", text: text)).diagnostics
            .filter { $0.ruleID == "organs" }
    }

    private func loadError(_ text: String, path: String = "office.yaml") -> RuleFileError? {
        do {
            _ = try RuleSetLoader().load(text: text, path: path)
            return nil
        } catch {
            return error
        }
    }

    // MARK: The registry

    func testRegistryFromYAMLAcceptsListsStringsAndBareNames() throws {
        let found = try findings("省教育厅召开会议，国家发改委参加。")
        XCTAssertEqual(found.map { $0.message }, [
            "“省教育厅”：不在机构名录中；“四川省教育厅”没有规范简称，应写全称",
            "“国家发改委”：不在机构名录中；“国家发展和改革委员会”的规范简称是“国家发展改革委”",
        ])
        // `short: 省地方志办、省志办` is two forms.
        let two = try officeRules("    organs: [{ name: 四川省地方志工作办公室, short: 省地方志办、省志办 }]")
        XCTAssertEqual(try findings("四川省地方志工作办公室召开会议，省志办、省地方志办参加。", rules: two).count, 0)
    }

    func testRegistryMistakesPointAtTheYAML() throws {
        let unknownKey = loadError(ruleFile("    organs:\n      - { name: 四川省教育厅, shrt: [省教育厅] }"))
        XCTAssertEqual(unknownKey?.line, 7)
        XCTAssertEqual(unknownKey?.column, 25)
        XCTAssertTrue(unknownKey?.message.contains("是否要写“short”") ?? false, "\(String(describing: unknownKey))")

        let missingName = loadError(ruleFile("    organs:\n      - { short: [省教育厅] }"))
        XCTAssertEqual(missingName?.line, 7)
        XCTAssertTrue(missingName?.message.contains("缺少 name") ?? false)

        let shared = loadError(ruleFile("""
            organs:
              - { name: 四川省教育厅, short: [省教育厅] }
              - { name: 四川省教育考试院, short: [省教育厅] }
        """))
        XCTAssertEqual(shared?.line, 8)
        XCTAssertEqual(shared?.column, 35)
        XCTAssertTrue(shared?.message.contains("已登记为“四川省教育厅”的规范简称") ?? false, "\(String(describing: shared))")

        let oneCharacter = loadError(ruleFile("    organs:\n      - { name: 国务院办公厅, short: [办] }"))
        XCTAssertTrue(oneCharacter?.message.contains("只有一个字") ?? false)

        let sameAsName = loadError(ruleFile("    organs:\n      - { name: 国务院办公厅, avoid: 国务院办公厅 }"))
        XCTAssertTrue(sameAsName?.message.contains("与全称相同") ?? false)
    }

    func testRegistryFileRelativeToTheRuleFile() throws {
        let folder = try temporaryDirectory("organs")
        let rules = folder.appendingPathComponent("rules", isDirectory: true)
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try """
        # 本单位机构名录
        四川省地方志工作办公室\t省地方志办、省志办\t四川方志办
        国家发展和改革委员会\t国家发展改革委

        四川省教育厅
        """.write(to: rules.appendingPathComponent("机构.tsv"), atomically: true, encoding: .utf8)
        let path = rules.appendingPathComponent("office.yaml")
        try ruleFile("    registry: 机构.tsv").write(to: path, atomically: true, encoding: .utf8)
        let set = try RuleSetLoader().load(references: [path.path])
        let found = try findings("四川省地方志工作办公室召开会议，四川方志办、省志办、省方志办参加。", rules: set)
        XCTAssertEqual(found.map(\.message), [
            "“四川方志办”：不用此写法，应写作“省地方志办”",
            "“省方志办”：不在机构名录中；“四川省地方志工作办公室”的规范简称是“省地方志办”“省志办”",
        ])
        // `organs:` and `registry:` together, from the rule file and from a list of files.
        let both = try RuleSetLoader().load(text: ruleFile("    organs: [国务院办公厅]\n    registry: [rules/机构.tsv]"),
                                            path: folder.appendingPathComponent("both.yaml").path)
        XCTAssertEqual(try findings("国家发改委参加。", rules: both).count, 1)
    }

    func testABadRegistryLineNamesTheFileLineAndColumn() throws {
        let folder = try temporaryDirectory("organs-bad")
        func error(_ tsv: String) throws -> RuleFileError? {
            try tsv.write(to: folder.appendingPathComponent("organs.tsv"), atomically: true, encoding: .utf8)
            return loadError(ruleFile("    registry: organs.tsv"), path: folder.appendingPathComponent("office.yaml").path)
        }
        let spaces = try error("# 名录\n四川省教育厅 省教育厅\n")
        XCTAssertTrue(spaces?.file.hasSuffix("organs.tsv") ?? false, "\(String(describing: spaces))")
        XCTAssertEqual(spaces?.line, 2)
        XCTAssertEqual(spaces?.column, 1)
        XCTAssertTrue(spaces?.message.contains("Tab") ?? false)
        XCTAssertEqual(spaces?.sourceLine, "四川省教育厅 省教育厅")

        let columns = try error("四川省教育厅\t省教育厅\t教育厅\t多余\n")
        XCTAssertEqual(columns?.line, 1)
        XCTAssertEqual(columns?.column, 17)
        XCTAssertTrue(columns?.message.contains("最多三列") ?? false)

        let duplicate = try error("四川省教育厅\t省教育厅\n四川省教育考试院\t省考试院、 省教育厅\n")
        XCTAssertEqual(duplicate?.line, 2)
        XCTAssertEqual(duplicate?.column, 16)
        XCTAssertTrue(duplicate?.message.contains("一个写法只能对应一个机构") ?? false)

        let noName = try error("\t省教育厅\n")
        XCTAssertTrue(noName?.message.contains("缺少全称") ?? false)

        let missing = loadError(ruleFile("    registry: nowhere.tsv"), path: folder.appendingPathComponent("office.yaml").path)
        XCTAssertEqual(missing?.line, 6)
        XCTAssertEqual(missing?.column, 15)
        XCTAssertTrue(missing?.message.contains("找不到机构名录文件") ?? false)

        // Measured before it is read, as a rule file is.
        try Data(count: 5 * 1024 * 1024).write(to: folder.appendingPathComponent("huge.tsv"))
        let huge = loadError(ruleFile("    registry: huge.tsv"), path: folder.appendingPathComponent("office.yaml").path)
        XCTAssertEqual(huge?.line, 6)
        XCTAssertTrue(huge?.message.contains("过大（5 MB），上限为 4 MB") ?? false, "\(String(describing: huge))")

        let builtin = loadError(ruleFile("    registry: organs-exampel"))
        XCTAssertTrue(builtin?.message.contains("是否要写“organs-example”") ?? false, "\(String(describing: builtin))")
    }

    func testAnUploadedRuleFileCannotReadARegistryFromDisk() throws {
        let folder = try temporaryDirectory("organs-upload")
        try "四川省教育厅\t省教育厅\n".write(to: folder.appendingPathComponent("organs.tsv"), atomically: true, encoding: .utf8)
        let text = """
        extends: [default]
        overrides:
          organ-names: { registry: organs.tsv }
        """
        XCTAssertThrowsError(try RuleSetLoader.builtinReferencesOnly().loadConfiguration(text: text, name: "upload.yaml", directory: folder.path)) { error in
            XCTAssertTrue((error as? RuleFileError)?.message.contains("不能引用机构名录文件") ?? false, "\(error)")
        }
        // The built-in example registry is not on disk: an upload may name it.
        let upload = try RuleSetLoader.builtinReferencesOnly().loadConfiguration(
            text: "extends: [default]\noverrides:\n  organ-names: { registry: organs-example }\n", name: "upload.yaml", directory: folder.path)
        XCTAssertNotNil(upload.ruleSet.rule("organ-names"))
    }

    /// An office turns the built-in rule on in its configuration; the path is relative to the
    /// configuration that names it, not to the built-in set that defines the rule.
    func testAnOfficeFillsTheBuiltinRuleInItsConfiguration() throws {
        let folder = try temporaryDirectory("organs-config")
        try "四川省地方志工作办公室\t省地方志办\t四川方志办\n".write(to: folder.appendingPathComponent("本单位机构.tsv"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent(".bulletinlint.yaml")
        try """
        extends: [default]
        overrides:
          organ-names:
            registry: 本单位机构.tsv
        """.write(to: config, atomically: true, encoding: .utf8)
        let configuration = try RuleSetLoader().loadConfiguration(path: config.path)
        let text = "【工作动态】\n某市召开会议\n四川方志办召开会议，四川省地方志工作办公室主任出席，四川方志办参加。（某市地方志办）\n"
        let linter = DocumentLinter(configuration: configuration)
        let source = DocumentLinter.source(text: text, name: "t.txt")
        let found = linter.lint(source, ignorePath: nil).report.diagnostics.filter { $0.ruleID == "organ-names" }
        XCTAssertEqual(found.map(\.message), [
            "“四川方志办”：不用此写法；这里是第一次提到，应写全称“四川省地方志工作办公室”",
            "“四川方志办”：不用此写法，应写作“省地方志办”",
        ])
        XCTAssertTrue(found.allSatisfy { $0.fix?.applicability == .safe })
        let fixed = linter.fix(source, ignorePath: nil, unsafe: false, only: ["organ-names"])
        XCTAssertEqual(fixed.text, "【工作动态】\n某市召开会议\n四川省地方志工作办公室召开会议，四川省地方志工作办公室主任出席，省地方志办参加。（某市地方志办）\n")
        XCTAssertEqual(fixed.remaining.filter { $0.ruleID == "organ-names" }.count, 0)
        // The built-in examples still run with their own registry.
        let rule = try XCTUnwrap(configuration.ruleSet.rule("organ-names"))
        XCTAssertEqual(ExampleRunner(ruleSet: configuration.ruleSet).failures(of: rule).map(\.description), [])
    }

    // MARK: Findings

    func testAShortFormBeforeTheFullNameIsReportedOncePerOrgan() throws {
        let found = try findings("省地方志办召开会议，省地方志办主任讲话，四川省地方志工作办公室各处室参加。")
        XCTAssertEqual(found.map(\.message), ["“省地方志办”：简称出现在全称“四川省地方志工作办公室”之前，第一次提到时应写全称"])
        XCTAssertEqual(found.first?.span.start, Position(line: 3, column: 1))
        XCTAssertNil(found.first?.fix)
        XCTAssertEqual(found.first?.related.map(\.message), ["全称“四川省地方志工作办公室”在这里第一次出现"])
        let never = try findings("省地方志办召开会议。")
        XCTAssertEqual(never.map(\.message), ["“省地方志办”：文中没有写出全称“四川省地方志工作办公室”，第一次提到时应写全称"])
        XCTAssertEqual(never.first?.related.count, 0)
    }

    func testTheFullNameInTheMastheadIsTheFirstMention() throws {
        let masthead = "四川省地方志工作简报\n第5期\n四川省地方志工作办公室编          2021年4月2日\n\n"
        XCTAssertEqual(try findings("省地方志办召开会议。", masthead: masthead).count, 0)
    }

    /// A title and a 主送 may use the 规范化简称 first; the running text may not.
    func testTitlesAndAddresseesMayUseTheShortFormFirst() throws {
        let bulletin = "【工作动态】\n省地方志办召开会议\n3月2日，省地方志办召开会议。（某市地方志办）\n"
        let found = Linter(ruleSet: try officeRules()).lint(SourceText(path: "t.txt", text: bulletin)).diagnostics
            .filter { $0.ruleID == "organs" }
        XCTAssertEqual(found.map(\.span.start), [Position(line: 3, column: 6)])
        let notice = "关于做好2021年年鉴编纂工作的通知\n省政府办公厅、省人大常委会：\n现将有关事项通知如下。\n四川省地方志工作办公室\n2021年4月2日\n"
        let inNotice = Linter(ruleSet: try officeRules()).lint(SourceText(path: "t.txt", text: notice)).diagnostics
            .filter { $0.ruleID == "organs" }
        XCTAssertEqual(inNotice.map(\.message), [])
    }

    func testAFormToAvoidIsFixedToTheShortFormOrTheFullName() throws {
        let set = try officeRules()
        let text = "【工作动态】\n某市召开会议\n四川省地方志工作办公室召开会议，四川方志办主任出席。（某市地方志办）\n"
        let linter = DocumentLinter(configuration: Configuration(ruleSet: set, directory: "."))
        let source = DocumentLinter.source(text: text, name: "t.txt")
        let found = linter.lint(source, ignorePath: nil).report.diagnostics.filter { $0.ruleID == "organs" }
        XCTAssertEqual(found.map(\.message), ["“四川方志办”：不用此写法，应写作“省地方志办”"])
        XCTAssertEqual(found.first?.fix?.edits.map(\.replacement), ["省地方志办"])
        XCTAssertEqual(linter.fix(source, ignorePath: nil, unsafe: false, only: ["organs"]).text,
                       "【工作动态】\n某市召开会议\n四川省地方志工作办公室召开会议，省地方志办主任出席。（某市地方志办）\n")
        // Without the full name, the first becomes the full name and the next the short form.
        let twice = DocumentLinter.source(text: "【工作动态】\n某市召开会议\n四川方志办召开会议，四川方志办主任出席。（某市地方志办）\n", name: "t.txt")
        XCTAssertEqual(linter.fix(twice, ignorePath: nil, unsafe: false, only: ["organs"]).text,
                       "【工作动态】\n某市召开会议\n四川省地方志工作办公室召开会议，省地方志办主任出席。（某市地方志办）\n")
    }

    func testShortFormsOutsideTheRegistryAreReported() throws {
        for (paragraph, form) in [
            ("四川省地方志工作办公室召开会议，省方志办主任出席。", "省方志办"),
            ("四川省地方志工作办公室召开会议，四川省方志办主任出席。", "四川省方志办"),
            ("国家发展和改革委员会印发通知，国家发改委有关司局参加。", "国家发改委"),
            ("四川省教育厅召开会议，省教育厅有关处室参加。", "省教育厅"),
        ] {
            let found = try findings(paragraph)
            XCTAssertEqual(found.map { $0.message.components(separatedBy: "：").first }, ["“\(form)”"], paragraph)
            XCTAssertNil(found.first?.fix, paragraph)
        }
        // `first-mention: false`: a registered short form may come first.
        let direct = try officeRules(OrgNamesTests.registry + "\n    first-mention: false")
        XCTAssertEqual(try findings("国家发展改革委印发通知，国家发改委参加。", rules: direct).map { $0.message.components(separatedBy: "：").first },
                       ["“国家发改委”"])
        // `unregistered: false` keeps the first two findings only.
        let quiet = try officeRules(OrgNamesTests.registry + "\n    unregistered: false")
        XCTAssertEqual(try findings("四川省地方志工作办公室召开会议，省方志办主任出席。", rules: quiet).count, 0)
    }

    func testNoFalseAlarms() throws {
        for paragraph in [
            // The full name, and registered short forms after it.
            "四川省地方志工作办公室召开会议。",
            "四川省地方志工作办公室召开会议，省地方志办主任出席，四川省地方志办有关处室参加。",
            "国家发展和改革委员会印发通知，国家发展改革委会同有关部门落实。",
            "四川省人民代表大会常务委员会召开会议，省人大常委会主任出席。",
            // Words that hold a form or look like one.
            "全省地方志办公室主任会议在成都召开，各地方志办汇报工作。",
            "全省地方志办主任参加培训。",
            "四川省人民代表大会召开会议。",
            "省民政厅、省财政厅和省人民政府召开会议。",
            "全国办理案件数量上升，中国办学水平提高。",
            "根据国办发〔2020〕1号文件精神，某市召开会议。",
            "某市学习《省地方志办关于加强年鉴编纂工作的通知》。",
            // The name of a unit of the organ: the 办公厅 of the 委员会, not the 委员会.
            "国家发展改革委办公厅、省地方志办党组印发通知。",
            "市地方志办、县地方志办、区地方志办参加培训。",
            "四川省教育厅办公室召开会议。",
            // An abbreviation the text declares.
            "四川省地方志工作办公室（以下简称省方志办）召开会议，省方志办主任出席。",
            // Another province's organ: the document names its place.
            "浙江省教育厅召开会议，省教育厅有关处室参加。",
            "浙江省地方志办公室召开会议，省地方志办主任出席。",
            // Ordinary text.
            "会议要求各单位做好资料报送和志书编纂工作，加强委员会建设。",
        ] {
            let found = try findings(paragraph)
            XCTAssertEqual(found.map(\.message), [], paragraph)
        }
        // A two-character form where it stands alone.
        XCTAssertEqual(try findings("国务院办公厅印发通知，经国办同意，某市召开会议。").count, 0)
        XCTAssertEqual(try findings("经国办同意，某市召开会议。").map(\.message),
                       ["“国办”：文中没有写出全称“国务院办公厅”，第一次提到时应写全称"])
    }

    func testAnEmptyRegistryFindsNothing() throws {
        let empty = try officeRules("    organs: []")
        XCTAssertEqual(try findings("省地方志办召开会议，省方志办参加。", rules: empty).count, 0)
        // The built-in rule is in every set, with an empty registry.
        for name in ["default", "bulletin", "gongwen", "base"] {
            XCTAssertEqual(try RuleSetLoader().load(references: [name]).rule("organ-names")?.checkKind, "org-names", name)
        }
        XCTAssertEqual(try lint("【工作动态】\n某市召开会议\n省地方志办召开会议，省方志办参加。（省地方志办）\n", rules: "default")
            .filter { $0.ruleID == "organ-names" }.count, 0)
    }

    /// `examples: { parameters: … }` gives the examples a check of their own; the rule keeps its own.
    func testExampleParametersAreForTheExamplesOnly() throws {
        let rules = try RuleSetLoader().load(references: ["base"])
        let rule = try XCTUnwrap(rules.rule("organ-names"))
        XCTAssertNotNil(rule.exampleCheck)
        XCTAssertEqual(ExampleRunner(ruleSet: rules).failures(of: rule).map(\.description), [])
        let wrong = loadError(ruleFile("""
            organs: []
            examples:
              parameters: { organs: [国务院办公厅], severity: error }
              valid: ["国务院办公厅。"]
        """))
        XCTAssertEqual(wrong?.line, 8)
        XCTAssertTrue(wrong?.message.contains("只能写检查“org-names”的参数") ?? false, "\(String(describing: wrong))")
    }

    func testTheExampleRegistryLoads() throws {
        let set = try officeRules("    registry: organs-example")
        XCTAssertEqual(try findings("国办印发通知。", rules: set).map(\.message),
                       ["“国办”：文中没有写出全称“国务院办公厅”，第一次提到时应写全称"])
        XCTAssertEqual(try findings("住房和城乡建设部、科学技术部召开会议，住房城乡建设部、科技部参加。", rules: set).count, 0)
    }

    /// The example registry over every text the project holds: bulletins of six provinces'
    /// shapes (`corpus/written`), the samples and the house-style samples, read as `check` reads
    /// them. None of them misuses an organ of the example registry, so nothing may be reported.
    func testTheExampleRegistryRaisesNothingOnTheCorpusAndSamples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let set = try RuleSetLoader().load(text: """
            ruleset: office
            extends: [default]
            overrides:
              organ-names: { registry: organs-example }
            """, path: root.appendingPathComponent("office.yaml").path)
        let linter = DocumentLinter(configuration: Configuration(ruleSet: set, directory: root.path))
        var checked = 0
        for folder in ["corpus/written", "corpus/real", "samples", "samples/house-style"] {
            let url = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
            where [".txt", ".docx", ".ofd", ".md"].contains(where: name.hasSuffix) {
                let outcome = linter.lint(.file(path: url.appendingPathComponent(name).path))
                let found = outcome.report.diagnostics.filter { $0.ruleID == "organ-names" }
                XCTAssertEqual(found.map { "\($0.span.start.line):\($0.span.start.column) \($0.message)" }, [], "\(folder)/\(name)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 25)
    }
}
