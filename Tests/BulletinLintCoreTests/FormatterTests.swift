@testable import BulletinLintCore
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine formats (SARIF, JUnit, GitHub, Checkstyle) over every sample, against golden
/// files in `Fixtures/formats/expected.*`, plus what each consumer needs of them, and the
/// atomic report writer.
///
/// Re-record after an intended change of output, then review `git diff`:
///
///     BULLETINLINT_RECORD=1 swift test --skip-build --filter FormatterTests
final class FormatterTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/formats")

    /// Every `samples/*.txt` linted with the `bulletin` rules, plus a file that could not be
    /// read; sorted by path, as `LintSession` hands them to formatters.
    func sampleReports() throws -> ([FileReport], ReportContext) {
        let ruleSet = try RuleSetLoader().load(references: ["bulletin"])
        let linter = Linter(ruleSet: ruleSet)
        let samples = FormatterTests.root.appendingPathComponent("samples")
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 9)
        var reports: [FileReport] = []
        for name in names {
            switch DocumentReader.read(path: samples.appendingPathComponent(name).path, displayPath: "samples/\(name)") {
            case .success(let source): reports.append(linter.lint(source))
            case .failure(let failure): XCTFail("samples/\(name): \(failure.message)")
            }
        }
        let origin = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))
        reports.append(FileReport(path: "samples/missing.txt", source: nil, diagnostics: [
            Diagnostic(ruleID: "io-error", severity: .error, message: "文件不存在或无法访问",
                       help: "请确认路径和读取权限。", range: nil, span: origin),
        ]))
        reports.sort { $0.path < $1.path }
        return (reports, ReportContext(rules: ruleSet.rules, toolVersion: "0.1.0"))
    }

    func output(_ format: OutputFormat) throws -> String {
        let (reports, context) = try sampleReports()
        return format.formatter(color: false).format(reports, context: context)
    }

    /// Compares with the golden file, or writes it when `BULLETINLINT_RECORD=1`.
    func compareOrRecord(_ actual: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = FormatterTests.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["BULLETINLINT_RECORD"] == "1" {
            // A changed golden file fails the run that recorded it (see GoldenSamplesTests).
            if FileManager.default.contents(atPath: url.path) == Data(actual.utf8) { return }
            try FileManager.default.createDirectory(at: FormatterTests.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            XCTFail("recorded \(name); review the change and run again without BULLETINLINT_RECORD", file: file, line: line)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path), let expected = String(data: data, encoding: .utf8) else {
            XCTFail("missing golden file \(name); record it with BULLETINLINT_RECORD=1", file: file, line: line)
            return
        }
        if actual == expected { return }
        let actualLines = actual.components(separatedBy: "\n")
        let expectedLines = expected.components(separatedBy: "\n")
        let index = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        let got = index < actualLines.count ? actualLines[index] : "<end>"
        let want = index < expectedLines.count ? expectedLines[index] : "<end>"
        XCTFail("\(name) differs at line \(index + 1):\n  expected: \(want)\n  actual:   \(got)", file: file, line: line)
    }

    // MARK: Golden files

    func testSARIFMatchesGolden() throws {
        try compareOrRecord(try output(.sarif), golden: "expected.sarif")
    }

    func testJUnitMatchesGolden() throws {
        try compareOrRecord(try output(.junit), golden: "expected.junit.xml")
    }

    func testGitHubMatchesGolden() throws {
        try compareOrRecord(try output(.github), golden: "expected.github.txt")
    }

    func testCheckstyleMatchesGolden() throws {
        try compareOrRecord(try output(.checkstyle), golden: "expected.checkstyle.xml")
    }

    // MARK: What consumers need

    func testJUnitParsesAsXMLWithConsistentCounts() throws {
        let (reports, context) = try sampleReports()
        let document = try XMLDocumentTree.parse(JUnitFormatter().format(reports, context: context))
        XCTAssertEqual(document.name, "testsuites")
        let suites = document.children.filter { $0.name == "testsuite" }
        XCTAssertEqual(suites.map { $0.attributes["name"] ?? "" }, reports.map(\.path))
        // Every rule, then the ids that occurred in the file and are not rules (engine ids).
        let ruleCount = context.rules.count
        let listed = context.rules.map(\.id)
        for (suite, report) in zip(suites, reports) {
            let cases = suite.children.filter { $0.name == "testcase" }
            XCTAssertEqual(Array(cases.compactMap { $0.attributes["name"] }.prefix(ruleCount)), context.rules.map(\.id), report.path)
            let extra = Set(report.diagnostics.map(\.ruleID)).subtracting(listed)
            XCTAssertEqual(cases.count, ruleCount + extra.count, report.path)
            XCTAssertEqual(suite.attributes["tests"], String(cases.count), report.path)
            let failures = cases.filter { $0.children.contains { $0.name == "failure" } }
            XCTAssertEqual(suite.attributes["failures"], String(failures.count), report.path)
            // One failure per rule with an error; its body names each error finding.
            let errorRules = Set(report.diagnostics.filter { $0.severity == .error && $0.ruleID != "io-error" }.map(\.ruleID))
            XCTAssertEqual(Set(failures.compactMap { $0.attributes["name"] }), errorRules, report.path)
            for testcase in failures {
                let body = testcase.children.first { $0.name == "failure" }?.text ?? ""
                for diagnostic in report.diagnostics where diagnostic.ruleID == testcase.attributes["name"] && diagnostic.severity == .error {
                    XCTAssertTrue(body.contains("\(diagnostic.span.start.line):\(diagnostic.span.start.column): \(diagnostic.message)"),
                                  "\(report.path): \(diagnostic.message)")
                }
            }
        }
        let missing = try XCTUnwrap(suites.first { $0.attributes["name"] == "samples/missing.txt" })
        XCTAssertEqual(missing.attributes["errors"], "1")
        // Every rule's case is skipped; io-error's own case is the error.
        XCTAssertEqual(missing.attributes["skipped"], String(ruleCount))
        XCTAssertEqual(missing.attributes["tests"], String(ruleCount + 1))
    }

    func testCheckstyleParsesAsXMLWithEveryFinding() throws {
        let (reports, context) = try sampleReports()
        let document = try XMLDocumentTree.parse(CheckstyleFormatter().format(reports, context: context))
        XCTAssertEqual(document.name, "checkstyle")
        XCTAssertEqual(document.attributes["version"], "4.3")
        let files = document.children.filter { $0.name == "file" }
        XCTAssertEqual(files.map { $0.attributes["name"] ?? "" }, reports.map(\.path))
        for (file, report) in zip(files, reports) {
            let errors = file.children.filter { $0.name == "error" }
            XCTAssertEqual(errors.count, report.diagnostics.count, report.path)
            for (error, diagnostic) in zip(errors, report.diagnostics) {
                XCTAssertEqual(error.attributes["line"], String(diagnostic.span.start.line))
                XCTAssertEqual(error.attributes["column"], String(diagnostic.span.start.column))
                XCTAssertEqual(error.attributes["severity"], diagnostic.severity.rawValue)
                XCTAssertEqual(error.attributes["message"], diagnostic.message)
                XCTAssertEqual(error.attributes["source"], "bulletinlint.\(diagnostic.ruleID)")
            }
        }
    }

    /// `::error|warning|notice [file=…][,line=N][,col=N][,endLine=N][,endColumn=N][,title=…]::data`,
    /// with `%` only in the escapes GitHub defines.
    static let commandPattern: NSRegularExpression? = {
        let property = "(?:[^%,:\\r\\n]|%25|%0D|%0A|%3A|%2C)+"
        let number = "[1-9][0-9]*"
        let pattern = "^::(error|warning|notice) file=\(property)"
            + "(?:,line=\(number)(?:,col=\(number))?(?:,endLine=\(number))?(?:,endColumn=\(number))?)?"
            + ",title=\(property)::(?:[^%\\r\\n]|%25|%0D|%0A)*$"
        return try? NSRegularExpression(pattern: pattern)
    }()

    func testGitHubLinesAreWorkflowCommands() throws {
        let (reports, context) = try sampleReports()
        let text = GitHubFormatter().format(reports, context: context)
        XCTAssertTrue(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, reports.reduce(0) { $0 + $1.diagnostics.count })
        let pattern = try XCTUnwrap(FormatterTests.commandPattern)
        for line in lines {
            let line = String(line)
            XCTAssertNotNil(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
        }
    }

    /// Escaping: messages, rule ids and paths with every character that means something to a
    /// format survive it.
    func testHostileTextSurvivesEveryFormat() throws {
        let path = "out/报 告,1%:#?.txt"
        let message = "含有 <标签> & \"引号\" 'a' 50% a,b:c\n第二行\r\u{0C}换页\u{1}\u{7F}]]>"
        let source = SourceText(path: path, text: "第一行\n第二行\n")
        let report = FileReport(path: path, source: source, diagnostics: [
            Diagnostic(ruleID: "x:y,z", severity: .warning, message: message, help: "帮助 <b>",
                       range: 0..<3, span: Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 4))),
            Diagnostic(ruleID: "x:y,z", severity: .error, message: message, help: "",
                       range: 0..<12, span: Span(start: Position(line: 1, column: 2), end: Position(line: 2, column: 3))),
        ])
        let context = ReportContext(rules: [], toolVersion: "0.1.0")

        // GitHub: each command is one line and unescapes to the original.
        let github = GitHubFormatter().format([report], context: context)
        let lines = github.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2)
        let pattern = try XCTUnwrap(FormatterTests.commandPattern)
        for line in lines {
            XCTAssertNotNil(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
            let data = try XCTUnwrap(line.range(of: "::", options: .backwards)).upperBound
            // Controls other than CR and LF are shown as `\u{1}` (`TerminalEscaping`, issue 14).
            let shown = message.unicodeScalars.map { $0 == "\n" || $0 == "\r" || !TerminalEscaping.needsEscape($0) ? String($0) : TerminalEscaping.escaped($0) }.joined()
            XCTAssertEqual(Self.unescapeGitHub(String(line[data...])), shown)
        }
        XCTAssertTrue(lines[0].contains("file=out/报 告%2C1%25%3A#?.txt,line=1,col=1,endLine=1,endColumn=4,title=x%3Ay%2Cz::"), lines[0])
        // Over two lines: no columns (the runner would drop them).
        XCTAssertTrue(lines[1].hasPrefix("::error file=out/报 告%2C1%25%3A#?.txt,line=1,endLine=2,title="), lines[1])

        // XML: parses, and attributes come back exactly (control characters made visible).
        let visible = message.replacingOccurrences(of: "\u{0C}", with: "\\u000C").replacingOccurrences(of: "\u{1}", with: "\\u0001")
        let checkstyle = try XMLDocumentTree.parse(CheckstyleFormatter().format([report], context: context))
        let errors = checkstyle.children.first?.children ?? []
        XCTAssertEqual(checkstyle.children.first?.attributes["name"], path)
        XCTAssertEqual(errors.map { $0.attributes["message"] }, [visible, visible])
        XCTAssertEqual(errors.first?.attributes["source"], "bulletinlint.x:y,z")
        let junit = try XMLDocumentTree.parse(JUnitFormatter().format([report], context: context))
        let testcase = try XCTUnwrap(junit.children.first?.children.first { $0.attributes["name"] == "x:y,z" })
        XCTAssertEqual(testcase.attributes["name"], "x:y,z")
        XCTAssertEqual(testcase.attributes["classname"], path)
        let failure = try XCTUnwrap(testcase.children.first { $0.name == "failure" })
        XCTAssertEqual(failure.attributes["message"], "1:2: " + visible)
        XCTAssertEqual(failure.text, "1:2: " + visible + "\n")
        let output = try XCTUnwrap(testcase.children.first { $0.name == "system-out" })
        XCTAssertEqual(output.text, "1:1: warning: " + visible + "\n  帮助：帮助 <b>\n")

        // SARIF: the URI is a valid reference that decodes to the path; an id that is neither a
        // rule of the set nor an engine id has no descriptor (the rules are written before any
        // result, as the output is streamed), so its result carries no ruleIndex.
        let sarif = try Self.jsonObject(SARIFFormatter().format([report], context: context))
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        let result = try XCTUnwrap((run["results"] as? [[String: Any]])?.first)
        let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let uri = try XCTUnwrap((location["artifactLocation"] as? [String: Any])?["uri"] as? String)
        XCTAssertEqual(uri, "out/%E6%8A%A5%20%E5%91%8A%2C1%25%3A%23%3F.txt")
        XCTAssertEqual(uri.removingPercentEncoding, path)
        XCTAssertEqual(SARIFFormatter.uriReference(forPath: "/srv/简报 1.txt"), "file:///srv/%E7%AE%80%E6%8A%A5%201.txt")
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        XCTAssertFalse(rules.contains { $0["id"] as? String == "x:y,z" })
        XCTAssertEqual(result["ruleId"] as? String, "x:y,z")
        XCTAssertNil(result["ruleIndex"])
    }

    /// The rule descriptions in SARIF: message templates without their placeholders.
    func testTemplatesBecomeDescriptions() {
        let cases: [(String, String)] = [
            ("日期“{text}”中有多余空格", "日期中有多余空格"),
            ("印发日期“{text}”格式不规范：{problem}", "印发日期格式不规范"),
            ("标点重复：“{text}”", "标点重复"),
            ("“{text}”应改为“{replacement}”", "“…”应改为“…”"),
            ("“{text}”语义重复，可改为“{replacement}”", "“…”语义重复"),
            ("表示概数的“{text}”中间不应加顿号", "表示概数的“…”中间不应加顿号"),
            ("期号“第{text}期”写法不规范", "期号写法不规范"),
            ("版记顺序不对：“{element}”应排在“{other}”{relation}", "版记顺序不对"),
            ("文章“{title}”缺少来源署名", "文章缺少来源署名"),
            ("缺少“信息公开选项”", "缺少“信息公开选项”"),
            ("{text}", "…"),
            ("GB/T 9704-2012 §7.4.3：年份应标全称，月、日不编虚位（1 不编为 01）；应写作“{expected}”。",
             "GB/T 9704-2012 §7.4.3：年份应标全称，月、日不编虚位（1 不编为 01）。"),
            ("日期中间不加空格，应写作“{expected}”（从 PDF 提取的文本常有此类空格，可据实忽略）。", "日期中间不加空格。"),
            ("《条例》、川办发〔2019〕59号：只能选一项，取值为{expected}。", "《条例》、川办发〔2019〕59号：只能选一项。"),
            ("甲，{x}。乙。", "甲。乙。"),
            ("标题“{text}”有 {length} 个字，超过 {max} 个字", "标题有 … 个字，超过 … 个字"),
            ("本单位简报只用“报”“送”“发”，不用“{element}”", "本单位简报只用“报”“送”“发”"),
            ("“{text}”：{problem}", "“…”"),
        ]
        for (template, expected) in cases {
            XCTAssertEqual(RuleCatalog.summary(of: template), expected, template)
        }
        XCTAssertEqual(RuleCatalog.sentence("缺少“信息公开选项”"), "缺少“信息公开选项”。")
        XCTAssertEqual(RuleCatalog.sentence("“…”应改为“…”"), "“…”应改为“…”。")
        XCTAssertEqual(RuleCatalog.sentence("如“第5期”。（只检查单页摘录时可忽略。）"), "如“第5期”。（只检查单页摘录时可忽略。）")
    }

    /// JSON and SARIF report the same findings: rule, file, start, end and message.
    func testJSONAndSARIFAgreeOnEveryFinding() throws {
        let (reports, context) = try sampleReports()
        struct Finding: Equatable, CustomStringConvertible {
            let path, rule, message, level: String
            let region: [Int]?
            var description: String { "\(path) \(rule) \(region ?? []) \(level) \(message)" }
        }
        let json = try Self.jsonObject(JSONFormatter().format(reports, context: context))
        var fromJSON: [Finding] = []
        for file in json["files"] as? [[String: Any]] ?? [] {
            let path = try XCTUnwrap(file["path"] as? String)
            let readable = !(file["encoding"] is NSNull)
            for d in file["diagnostics"] as? [[String: Any]] ?? [] {
                let span = try XCTUnwrap(d["span"] as? [String: [String: Int]])
                let region = [span["start"]?["line"], span["start"]?["column"], span["end"]?["line"], span["end"]?["column"]].compactMap { $0 }
                let severity = try XCTUnwrap(d["severity"] as? String)
                fromJSON.append(Finding(path: path, rule: try XCTUnwrap(d["rule"] as? String),
                                        message: try XCTUnwrap(d["message"] as? String),
                                        level: severity == "info" ? "note" : severity, region: readable ? region : nil))
            }
        }
        let sarif = try Self.jsonObject(SARIFFormatter().format(reports, context: context))
        XCTAssertEqual(sarif["version"] as? String, "2.1.0")
        let runs = try XCTUnwrap(sarif["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let run = runs[0]
        XCTAssertEqual(run["columnKind"] as? String, "unicodeCodePoints")
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "bulletinlint")
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let ruleIDs = rules.compactMap { $0["id"] as? String }
        XCTAssertEqual(Array(ruleIDs.prefix(context.rules.count)), context.rules.map(\.id))
        for rule in rules {
            for key in ["shortDescription", "fullDescription", "help"] {
                let text = (rule[key] as? [String: Any])?["text"] as? String ?? ""
                XCTAssertFalse(text.isEmpty, "\(rule["id"] ?? "?") \(key)")
                XCTAssertFalse(text.contains("{"), "\(rule["id"] ?? "?") \(key): \(text)")
            }
        }
        var fromSARIF: [Finding] = []
        for result in try XCTUnwrap(run["results"] as? [[String: Any]]) {
            let rule = try XCTUnwrap(result["ruleId"] as? String)
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(ruleIDs[index], rule)
            let physical = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = try XCTUnwrap((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
            let region = (physical["region"] as? [String: Int]).map {
                [$0["startLine"], $0["startColumn"], $0["endLine"], $0["endColumn"]].compactMap { $0 }
            }
            fromSARIF.append(Finding(path: try XCTUnwrap(uri.removingPercentEncoding), rule: rule,
                                     message: try XCTUnwrap((result["message"] as? [String: Any])?["text"] as? String),
                                     level: try XCTUnwrap(result["level"] as? String), region: region))
        }
        XCTAssertGreaterThan(fromJSON.count, 20)
        XCTAssertEqual(fromSARIF.count, fromJSON.count)
        for (a, b) in zip(fromJSON, fromSARIF) where a != b {
            XCTFail("JSON \(a)\nSARIF \(b)")
        }
        // The engine id that occurred is described too.
        XCTAssertTrue(ruleIDs.contains("io-error"))
    }

    func testEveryFormatIsSelectable() {
        XCTAssertEqual(OutputFormat.allCases.map(\.rawValue), ["text", "json", "sarif", "junit", "github", "checkstyle", "html"])
        XCTAssertTrue(OutputFormat.html.formatter(color: true) is HTMLFormatter)
        XCTAssertTrue(OutputFormat.sarif.formatter(color: true) is SARIFFormatter)
        XCTAssertTrue(OutputFormat.junit.formatter(color: true) is JUnitFormatter)
        XCTAssertTrue(OutputFormat.github.formatter(color: true) is GitHubFormatter)
        XCTAssertTrue(OutputFormat.checkstyle.formatter(color: true) is CheckstyleFormatter)
    }

    // MARK: ReportWriter

    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("bulletinlint-report-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock {
            _ = chmod(folder.path, 0o755)
            try? FileManager.default.removeItem(at: folder)
        }
        return folder
    }

    func contents(_ url: URL) -> String? {
        FileManager.default.contents(atPath: url.path).flatMap { String(data: $0, encoding: .utf8) }
    }

    func testReportWriterWritesTheFullText() throws {
        let folder = try temporaryFolder()
        let target = folder.appendingPathComponent("report.sarif")
        let text = String(repeating: "简报 report 𠀀\n", count: 100_000)
        try ReportWriter.writeAtomically(text, to: target.path)
        XCTAssertEqual(contents(target), text)
        // Replacing keeps the file's permissions, and leaves no temporary file behind.
        XCTAssertEqual(chmod(target.path, 0o640), 0)
        try ReportWriter.writeAtomically("新内容\n", to: target.path)
        XCTAssertEqual(contents(target), "新内容\n")
        var info = stat()
        XCTAssertEqual(stat(target.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o640)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["report.sarif"])
        // A relative path (no folder part) is written in the current folder.
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        try ReportWriter.writeAtomically("相对路径\n", to: "relative.xml")
        XCTAssertEqual(contents(folder.appendingPathComponent("relative.xml")), "相对路径\n")
    }

    func testReportWriterKeepsTheOriginalWhenTheFolderIsNotWritable() throws {
        let folder = try temporaryFolder()
        let target = folder.appendingPathComponent("report.xml")
        try Data("原来的报告\n".utf8).write(to: target)
        XCTAssertEqual(chmod(folder.path, 0o555), 0)
        try Self.withoutPrivileges(folder: folder) {
            XCTAssertThrowsError(try ReportWriter.writeAtomically("新的报告\n", to: target.path)) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.hasPrefix("无法写入报告“\(target.path)”："), message)
                XCTAssertTrue(message.contains("权限不足"), message)
                XCTAssertEqual(error.localizedDescription, message)
            }
        }
        XCTAssertEqual(contents(target), "原来的报告\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["report.xml"])
    }

    /// A write that fails halfway (the file-size limit, which root is held to as well) leaves
    /// the original and no temporary file.
    func testReportWriterCleansUpAfterAFailedWrite() throws {
        let folder = try temporaryFolder()
        let target = folder.appendingPathComponent("report.json")
        try Data("原来的报告\n".utf8).write(to: target)
        var limit = rlimit()
        XCTAssertEqual(getrlimit(Self.fileSizeResource, &limit), 0)
        let saved = limit
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        limit.rlim_cur = 4096
        XCTAssertEqual(setrlimit(Self.fileSizeResource, &limit), 0)
        var thrown: Error? = nil
        do {
            try ReportWriter.writeAtomically(String(repeating: "大", count: 100_000), to: target.path)
        } catch {
            thrown = error
        }
        var restore = saved
        XCTAssertEqual(setrlimit(Self.fileSizeResource, &restore), 0)
        signal(SIGXFSZ, previousHandler)
        let error = try XCTUnwrap(thrown)
        XCTAssertTrue(String(describing: error).contains("写入失败"), String(describing: error))
        XCTAssertEqual(contents(target), "原来的报告\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["report.json"])
    }

    func testReportWriterRefusesAFolder() throws {
        let folder = try temporaryFolder()
        XCTAssertThrowsError(try ReportWriter.writeAtomically("x", to: folder.path)) { error in
            XCTAssertTrue(String(describing: error).contains("文件夹"), String(describing: error))
        }
        XCTAssertThrowsError(try ReportWriter.writeAtomically("x", to: folder.appendingPathComponent("no/such/report.xml").path)) { error in
            XCTAssertTrue(String(describing: error).contains("文件夹不存在"), String(describing: error))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    // MARK: Helpers

    #if canImport(Glibc)
    static let fileSizeResource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
    #else
    static let fileSizeResource = RLIMIT_FSIZE
    #endif

    /// Runs `body` as a user a 0555 folder refuses. Root ignores permissions, so as root the
    /// filesystem uid of this thread is switched to `nobody` (Linux `setfsuid`, which also
    /// drops the capabilities that bypass permission checks) for the duration.
    static func withoutPrivileges(folder: URL, _ body: () throws -> Void) throws {
        guard geteuid() == 0 else { return try body() }
        #if os(Linux)
        typealias SetFSUID = @convention(c) (UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setfsuid") else {
            throw XCTSkip("running as root without setfsuid: a read-only folder cannot be simulated")
        }
        let setfsuid = unsafeBitCast(symbol, to: SetFSUID.self)
        _ = setfsuid(65534)
        defer { _ = setfsuid(0) }
        // Make sure the folder really refuses us now.
        let probe = folder.appendingPathComponent("probe").path
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if descriptor >= 0 {
            close(descriptor)
            unlink(probe)
            throw XCTSkip("setfsuid did not drop the permission override")
        }
        try body()
        #else
        throw XCTSkip("running as root: a read-only folder cannot be simulated")
        #endif
    }

    static func unescapeGitHub(_ text: String) -> String {
        text.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",")
            .replacingOccurrences(of: "%25", with: "%")
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// A small DOM built with Foundation's `XMLParser`, so the tests read what an XML consumer reads.
final class XMLDocumentTree {
    let name: String
    let attributes: [String: String]
    var children: [XMLDocumentTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ xml: String) throws -> XMLDocumentTree {
        let builder = Builder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "no root") at line \(parser.lineNumber)")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLDocumentTree] = []
        var root: XMLDocumentTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let node = XMLDocumentTree(name: elementName, attributes: attributeDict)
            stack.last?.children.append(node)
            if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}

/// `[*]` and the fix line say what `--fix` will do for the file at hand.
final class FixMarkerTests: XCTestCase {
    func testTheMarkerIsForWhatFixRepairs() throws {
        let linter = Linter(ruleSet: try RuleSetLoader().load(references: ["default"]))
        let text = "四川省地方志工作简报\n第5期\n【工作动态】\n某市召开会议\n某市研究其它工作。（某办）\n报：省委，省政府。省人大。\n某办 2021年4月2日印发\n"
        let formatter = TextFormatter(color: false)
        func rendered(_ source: SourceText) -> String {
            let report = linter.lint(source)
            return report.diagnostics.map { formatter.format($0, in: report) }.joined()
        }
        let plain = rendered(SourceText(path: "a.txt", text: text))
        // A safe fix: marked; an unsafe one (a 。 inside a list): named, not marked.
        XCTAssertTrue(plain.contains("[outdated-terms] [*]"), plain)
        XCTAssertTrue(plain.contains("[distribution-inner-terminator]\n"), plain)
        XCTAssertTrue(plain.contains("需加 --fix --unsafe-fixes"), plain)
        // The same findings in a .docx: --fix does not write it, and says so.
        let docx = try PackageBuilder.docx(body: text.split(separator: "\n").map { PackageBuilder.paragraph(String($0)) }.joined())
        guard case .success(let source) = DocxReader.read(data: docx, displayPath: "a.docx") else { return XCTFail("docx not read") }
        let word = rendered(source)
        XCTAssertFalse(word.contains("[*]"), word)
        XCTAssertTrue(word.contains("--fix 不修改 .docx 文件"), word)
        XCTAssertEqual(Summary(reports: [linter.lint(source)]).fixable, 0)
        XCTAssertGreaterThan(Summary(reports: [linter.lint(SourceText(path: "a.txt", text: text))]).fixable, 0)
    }
}

/// `--diff`'s unified diff.
final class UnifiedDiffTests: XCTestCase {
    func testCRLFLinesKeepTheirLineEnds() {
        let old = "第一行\r\n其它工作\r\n第三行\r\n"
        let new = "第一行\r\n其他工作\r\n第三行\r\n"
        XCTAssertEqual(UnifiedDiff.make(old: old, new: new, path: "a.txt"),
                       "--- a.txt\r\n+++ a.txt\r\n@@ -1,3 +1,3 @@\r\n 第一行\r\n-其它工作\r\n+其他工作\r\n 第三行\r\n")
        XCTAssertEqual(UnifiedDiff.make(old: "甲\n乙", new: "甲\n丙", path: "b.txt"),
                       "--- b.txt\n+++ b.txt\n@@ -1,2 +1,2 @@\n 甲\n-乙\n\\ No newline at end of file\n+丙\n\\ No newline at end of file\n")
    }

    func testALargeFileWithScatteredChangesDiffsLineByLine() {
        // 20,000 lines with every 1,000th changed: the old LCS table would hold 400 million
        // cells; the diff must still name exactly the changed lines.
        let old = (0..<20_000).map { "第\($0)行。\n" }.joined()
        let new = (0..<20_000).map { $0 % 1_000 == 500 ? "改\($0)行。\n" : "第\($0)行。\n" }.joined()
        let diff = UnifiedDiff.make(old: old, new: new, path: "c.txt")
        XCTAssertEqual(diff.split(separator: "\n").filter { $0.hasPrefix("-第") }.count, 20)
        XCTAssertEqual(diff.split(separator: "\n").filter { $0.hasPrefix("+改") }.count, 20)
        XCTAssertEqual(diff.split(separator: "\n").filter { $0.hasPrefix("@@") }.count, 20)
    }
}
