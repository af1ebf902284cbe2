import BulletinLintCore
import Foundation
import XCTest

/// `.bulletinlint.yaml`: discovery, extends/overrides, include/exclude, ignore, locked rules.
final class ConfigurationTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bl-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func write(_ relative: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A bulletin with exactly one `outdated-terms` warning (其它) and one `redundant-wording` info.
    private let bulletin = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n会议研究了其它工作，涉及到志鉴编纂。（某市地方志办）\n信息公开选项：主动公开\n报：省委。\n某某办公室 2021年4月2日印发\n"

    private func run(_ paths: [String], mode: ConfigResolver.Mode = .discover) throws -> [FileReport] {
        try LintSession(resolver: ConfigResolver(mode: mode)).run(FileCollector.entries(paths)).reports
    }

    private func ids(_ report: FileReport?) -> [String] { report?.diagnostics.map(\.ruleID) ?? [] }

    func testNearestConfigurationWins() throws {
        _ = try write(".bulletinlint.yaml", "extends: [bulletin]\noverrides:\n  outdated-terms: { severity: error }\n")
        _ = try write("city/.bulletinlint.yaml", "extends: [bulletin]\noverrides:\n  outdated-terms: off\n")
        let top = try write("a.txt", bulletin)
        let nested = try write("city/deep/b.txt", bulletin)
        let reports = try run([top, nested])
        let a = reports.first { $0.path == top }
        let b = reports.first { $0.path == nested }
        XCTAssertEqual(a?.diagnostics.first { $0.ruleID == "outdated-terms" }?.severity, .error)
        XCTAssertFalse(ids(b).contains("outdated-terms"))
        XCTAssertTrue(ids(b).contains("redundant-wording"))
    }

    func testWithoutConfigurationTheDefaultSetApplies() throws {
        let file = try write("a.txt", bulletin)
        XCTAssertEqual(ids(try run([file]).first).sorted(), ["outdated-terms", "redundant-wording"])
    }

    func testChainedExtendsResolveDepthFirstLaterWins() throws {
        _ = try write("styles/first.yaml", "ruleset: first\nextends: [bulletin]\noverrides:\n  outdated-terms: { severity: info }\n")
        _ = try write("styles/second.yaml", "ruleset: second\nextends: [bulletin]\noverrides:\n  outdated-terms: { severity: error }\n")
        _ = try write(".bulletinlint.yaml", "extends: [styles/first.yaml, styles/second.yaml]\n")
        let file = try write("a.txt", bulletin)
        XCTAssertEqual(try run([file]).first?.diagnostics.first { $0.ruleID == "outdated-terms" }?.severity, .error)
    }

    func testOverridesChangeParameters() throws {
        _ = try write(".bulletinlint.yaml", """
        extends: [bulletin]
        overrides:
          outdated-terms:
            swap: { 截止目前: 截至目前 }
        """)
        let file = try write("a.txt", bulletin)
        XCTAssertFalse(ids(try run([file]).first).contains("outdated-terms"))
    }

    func testIncludeAndExcludeApplyToFoldersNotToNamedFiles() throws {
        _ = try write(".bulletinlint.yaml", "extends: [bulletin]\ninclude: [\"**/*.txt\"]\nexclude: [\"drafts/**\"]\n")
        _ = try write("issues/a.txt", bulletin)
        _ = try write("issues/a.md", bulletin)
        let draft = try write("drafts/b.txt", bulletin)
        let folder = try run([root.path]).map { URL(fileURLWithPath: $0.path).lastPathComponent }
        XCTAssertEqual(folder, ["a.txt"])
        XCTAssertEqual(try run([draft]).count, 1, "a file named on the command line is always linted")
    }

    func testIgnoreDropsFindingsAndReportsUnusedEntries() throws {
        let config = try write(".bulletinlint.yaml", """
        extends: [bulletin]
        ignore:
          - path: "old/**"
            rule: outdated-terms
            reason: 旧稿不再修改
          - path: "nowhere/**"
            rule: redundant-wording
            reason: 已经没有这类文件
        """)
        let old = try write("old/a.txt", bulletin)
        // Named alone, the file says nothing about "nowhere/**"; over the whole folder it does.
        XCTAssertNil(try run([old]).first { $0.path.hasSuffix(".bulletinlint.yaml") })
        let reports = try LintSession(resolver: ConfigResolver(mode: .discover))
            .run(FileCollector.entries([root.path]), folders: [root.path]).reports
        XCTAssertEqual(ids(reports.first { $0.path == old }), ["redundant-wording"])
        let configReport = try XCTUnwrap(reports.first { $0.path == RuleSetLoaderPaths.display(config) })
        XCTAssertEqual(configReport.diagnostics.map(\.ruleID), ["unused-suppression"])
        XCTAssertEqual(configReport.diagnostics.first?.span.start.line, 6)
        XCTAssertEqual(configReport.diagnostics.first?.severity, .warning)
    }

    func testLockedRuleSurvivesOverrideAndIgnore() throws {
        _ = try write("off.yaml", "extends: [sichuan-difangzhi]\noverrides:\n  disclosure-missing: off\n")
        XCTAssertThrowsError(try RuleSetLoader().loadConfiguration(path: root.appendingPathComponent("off.yaml").path)) { error in
            let error = error as? RuleFileError
            XCTAssertEqual(error?.line, 3)
            XCTAssertEqual(error?.column, 23)
            XCTAssertEqual(error?.message, "规则“disclosure-missing”已被规则集“sichuan-difangzhi”锁定（locked: true），不能关闭")
        }
        _ = try write("ignore.yaml", "extends: [sichuan-difangzhi]\nignore:\n  - path: \"**\"\n    rule: disclosure-value\n    reason: 试图忽略\n")
        XCTAssertThrowsError(try RuleSetLoader().loadConfiguration(path: root.appendingPathComponent("ignore.yaml").path)) { error in
            let error = error as? RuleFileError
            XCTAssertEqual(error?.line, 4)
            XCTAssertEqual(error?.column, 11)
            XCTAssertEqual(error?.message, "规则“disclosure-value”已被规则集“sichuan-difangzhi”锁定（locked: true），不能忽略")
        }
    }

    /// Configuration mistakes: each one error at its line and column.
    func testConfigurationMistakes() throws {
        let cases: [(String, String, Int, Int, String)] = [
            ("include 不是字符串", "extends: [bulletin]\ninclude: { a: b }\n", 2, 10, "应为字符串或字符串列表"),
            ("空路径模式", "extends: [bulletin]\nexclude: [\"\"]\n", 2, 10, "“exclude”中不能有空的路径模式"),
            ("ignore 缺少理由", "extends: [bulletin]\nignore:\n  - path: a.txt\n    rule: date-spacing\n", 3, 5, "ignore 条目缺少“reason”"),
            ("ignore 理由为空", "extends: [bulletin]\nignore:\n  - path: a.txt\n    rule: date-spacing\n    reason: \"\"\n", 5, 13, "不能为空"),
            ("ignore 键拼错", "extends: [bulletin]\nignore:\n  - path: a.txt\n    rule: date-spacing\n    reson: x\n", 5, 5, "（是否要写“reason”？）"),
            ("ignore 规则不存在", "extends: [bulletin]\nignore:\n  - path: a.txt\n    rule: date-spaces\n    reason: x\n", 4, 11, "（是否要写“date-spacing”？）"),
            ("ignore 缺少路径", "extends: [bulletin]\nignore:\n  - rule: date-spacing\n    reason: x\n", 3, 5, "ignore 条目缺少“path”"),
            ("没有任何规则", "include: [\"**/*.txt\"]\n", 1, 1, "配置最终没有任何规则"),
            ("extends 文件不存在", "extends: [./nope.yaml]\n", 1, 11, "找不到规则文件“./nope.yaml”"),
            ("extends 自身", "extends: [.bulletinlint.yaml]\n", 1, 11, "extends 形成循环"),
            ("顶层键拼错", "extend: [bulletin]\n", 1, 1, "（是否要写“extends”？）"),
            ("覆盖不存在的规则", "extends: [bulletin]\noverrides:\n  date-spaceing: off\n", 3, 3, "（是否要写“date-spacing”？）"),
            ("覆盖值不对", "extends: [bulletin]\noverrides:\n  date-spacing: disable\n", 3, 17, "应写 off 或一个映射"),
            ("覆盖中修改 check", "extends: [bulletin]\noverrides:\n  date-spacing: { check: pattern }\n", 3, 19, "overrides 中不能修改“check”"),
            ("空配置", "", 1, 1, "配置文件为空"),
            ("锁定后解除", "extends: [sichuan-difangzhi]\noverrides:\n  disclosure-missing: { locked: false }\n", 3, 33, "不能解除锁定"),
        ]
        for (name, text, line, column, message) in cases {
            let path = try write("\(UUID().uuidString)/.bulletinlint.yaml", text)
            XCTAssertThrowsError(try RuleSetLoader().loadConfiguration(path: path), name) { error in
                guard let error = error as? RuleFileError else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual("\(error.line):\(error.column)", "\(line):\(column)", "\(name): \(error.message)")
                XCTAssertTrue(error.message.contains(message), "\(name): \(error.message)")
            }
        }
    }

    func testConfigOnlyKeysAreRefusedInRuleFiles() throws {
        XCTAssertThrowsError(try RuleSetLoader().load(text: "ruleset: x\nextends: [bulletin]\nignore: []\n", path: "x.yaml")) { error in
            let error = error as? RuleFileError
            XCTAssertEqual(error?.line, 3)
            XCTAssertTrue(error?.message.contains("只能写在配置文件") ?? false)
        }
    }

    func testStarterConfigurationLoadsAndItsExamplesPass() throws {
        let path = try write("starter/.bulletinlint.yaml", StarterConfig.text)
        let configuration = try RuleSetLoader().loadConfiguration(path: path)
        XCTAssertEqual(configuration.ruleSet.rule("date-spacing")?.severity, .error)
        XCTAssertNil(configuration.ruleSet.rule("redundant-wording"))
        XCTAssertEqual(ExampleRunner(ruleSet: configuration.ruleSet).failures().map(\.description), [])
    }

    func testGlobs() {
        XCTAssertTrue(Glob("**/*.txt").matches("a/b/c.txt"))
        XCTAssertTrue(Glob("**/*.txt").matches("c.txt"))
        XCTAssertTrue(Glob("*.txt").matches("deep/c.txt"), "no slash: any depth")
        XCTAssertFalse(Glob("drafts/*.txt").matches("drafts/x/c.txt"))
        XCTAssertTrue(Glob("drafts/**").matches("drafts/x/c.txt"))
        XCTAssertTrue(Glob("drafts/").matches("drafts/c.txt"))
        XCTAssertTrue(Glob("2021-0?.txt").matches("2021-04.txt"))
        XCTAssertFalse(Glob("2021-0?.txt").matches("2021-10.txt"))
    }
}

/// Display paths as the loader shows them (relative to the working directory when below it).
enum RuleSetLoaderPaths {
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

/// Configurations are loaded once each, whatever the number of threads asking.
final class ConfigResolverConcurrencyTests: XCTestCase {
    func testOneConfigurationIsLoadedOnceByManyThreads() throws {
        let folder = try temporaryDirectory("resolver")
        try Data("extends: [default]\n".utf8).write(to: folder.appendingPathComponent(".bulletinlint.yaml"))
        for name in (0..<8).map({ "d\($0).txt" }) {
            try Data("报：省委。\n".utf8).write(to: folder.appendingPathComponent(name))
        }
        for _ in 0..<5 {
            let resolver = ConfigResolver(mode: .discover)
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                _ = try? resolver.configuration(forFile: folder.appendingPathComponent("d\(index).txt").path)
            }
            XCTAssertEqual(resolver.loadCount, 1)
            XCTAssertEqual(resolver.configurations.count, 1)
        }
    }
}
