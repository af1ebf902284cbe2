@testable import BulletinLintCore
import Foundation
import XCTest

/// The JSON report is written straight to bytes (`JSONWriter`) instead of through a `JSON` tree,
/// and escaped a word at a time: the bytes must stay exactly those of the tree's rendering, and
/// of the byte-by-byte escaping it replaced (kept here as the reference).
final class JSONWriterTests: XCTestCase {
    /// A tiny deterministic generator, so a failing case can be reproduced.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    // MARK: Escaping and layout

    /// The escaping as it was, byte by byte.
    private func referenceEscape(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        let bytes = Array(s.utf8)
        var k = 0
        while k < bytes.count {
            let b = bytes[k]
            switch b {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x00..<0x20, 0x7F:
                let hex = String(b, radix: 16)
                out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            case 0xE2 where k + 2 < bytes.count && bytes[k + 1] == 0x80 && (bytes[k + 2] == 0xA8 || bytes[k + 2] == 0xA9):
                out += Array((bytes[k + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                k += 2
            default:
                out.append(b)
            }
            k += 1
        }
        out.append(0x22)
        return out
    }

    func testEscapingAgreesWithTheByteLoop() {
        let fixed = ["", "\"", "\\", "\u{2028}", "\u{2029}", "\u{2027}\u{202A}", "“其它”", "\u{7F}", "\u{0}\u{1F}",
                     "a\u{1B}[0m", "…—", "\u{E2}", "报\u{2028}", "12345678\u{2028}", "1234567\u{2028}", "123456\"\u{2029}"]
        for text in fixed {
            var out: [UInt8] = []
            JSON.escape(text, into: &out)
            XCTAssertEqual(out, referenceEscape(text), text.debugDescription)
        }
        let pieces = ["a", "中", "“", "”", "\u{2028}", "\u{2029}", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{7F}", "😀", "…", "\u{0}"]
        var generator = Generator(state: 11)
        for round in 0..<500 {
            var text = ""
            for _ in 0..<generator.next(40) { text += pieces[generator.next(pieces.count)] }
            var out: [UInt8] = []
            JSON.escape(text, into: &out)
            XCTAssertEqual(out, referenceEscape(text), "round \(round): \(text.debugDescription)")
        }
    }

    func testIntegersAreWrittenAsStringDoes() {
        for value in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, Int.max, Int.min, 1_000_000_000_000_000_000] {
            var out: [UInt8] = []
            JSON.appendInt(value, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(value))
        }
    }

    func testWriterLaysOutLikeTheTree() {
        let tree = JSON.object([
            ("empty object", .object([])),
            ("empty array", .array([])),
            ("list", .array([.int(1), .string("a\u{2028}b"), .null, .bool(true), .array([.object([("k", .bool(false))])])])),
            ("deep", .object([("a", .object([("b", .object([("c", .array([.array([.array([.int(-3)])])]))]))]))])),
        ])
        for indent in [0, 1, 2, 5, 40] {
            var bytes: [UInt8] = Array("prefix".utf8)
            JSONWriter.write(into: &bytes, indent: indent) { json in
                json.openObject()
                json.key("empty object"); json.openObject(); json.closeObject()
                json.key(escaping: "empty array"); json.openArray(); json.closeArray()
                json.key("list")
                json.openArray()
                json.item(); json.int(1)
                json.item(); json.string("a\u{2028}b")
                json.item(); json.null()
                json.item(); json.bool(true)
                json.item(); json.value(.array([.object([("k", .bool(false))])]))
                json.closeArray()
                json.key("deep")
                json.value(.object([("a", .object([("b", .object([("c", .array([.array([.array([.int(-3)])])]))]))]))]))
                json.closeObject()
            }
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "prefix" + tree.render(indent: indent), "indent \(indent)")
        }
        // The layout itself, one level deep.
        let expected = #"""
        {
            "empty object": {},
            "empty array": [],
            "list": [
              1,
              "a\u2028b",
              null,
              true,
              [
                {
                  "k": false
                }
              ]
            ],
            "deep": {
              "a": {
                "b": {
                  "c": [
                    [
                      [
                        -3
                      ]
                    ]
                  ]
                }
              }
            }
          }
        """#
        XCTAssertEqual(tree.render(indent: 1), expected)
    }

    /// Every sample linted, with an awkward display path, plus an unread file and an empty one:
    /// findings with fixes, without, and files without findings.
    private func awkwardReports() throws -> [FileReport] {
        let linter = Linter(ruleSet: try RuleSetLoader().load(references: ["bulletin"]))
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples")
        var reports: [FileReport] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: samples.path).filter({ $0.hasSuffix(".txt") }).sorted() {
            guard case .success(let source) = DocumentReader.read(path: samples.appendingPathComponent(name).path,
                                                                  displayPath: "samples/\"\(name)\"\\\u{2028}") else { continue }
            reports.append(linter.lint(source))
        }
        XCTAssertTrue(reports.contains { $0.diagnostics.contains { $0.fix != nil } }, "some finding should carry a fix")
        let origin = Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 1))
        reports.append(FileReport(path: "/srv/missing\u{1} 简报.txt", source: nil, diagnostics: [
            Diagnostic(ruleID: "io-error", severity: .error, message: "文件不存在\t或无法访问\n", help: "“\u{7F}”",
                       range: nil, span: origin),
        ]))
        reports.append(FileReport(path: "empty.txt", source: SourceText(path: "empty.txt", text: ""), diagnostics: []))
        return reports
    }

    /// A file's report as a `JSON` tree, the way the formatter built it before it wrote bytes:
    /// the reference for the byte writer.
    private func referenceFile(_ report: FileReport) -> JSON {
        .object([
            ("path", .string(report.path)),
            ("encoding", report.source.map { .string($0.encoding.rawValue) } ?? .null),
            ("diagnostics", .array(report.diagnostics.map { referenceDiagnostic($0, source: report.source) })),
        ])
    }

    private func referenceDiagnostic(_ d: Diagnostic, source: SourceText?) -> JSON {
        var pairs: [(String, JSON)] = [
            ("rule", .string(d.ruleID)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("help", .string(d.help)),
            ("span", JSONFormatter.span(d.span)),
        ]
        if let fix = d.fix, let source {
            pairs.append(("fixes", .array([.object([
                ("applicability", .string(fix.applicability.rawValue)),
                ("description", .string(fix.description)),
                ("edits", .array(fix.edits.map { edit in
                    .object([("span", JSONFormatter.span(source.span(edit.range))), ("replacement", .string(edit.replacement))])
                })),
            ])])))
        }
        return .object(pairs)
    }

    /// The JSON stream's bytes against the tree.
    func testJSONReportBytesMatchTheTree() throws {
        let reports = try awkwardReports()
        var expected = "{\n  \"version\": 1,\n  \"files\": ["
        for (index, report) in reports.enumerated() {
            expected += (index == 0 ? "\n    " : ",\n    ") + referenceFile(report).render(indent: 2)
        }
        let stream = JSONFormatter().makeStream(context: ReportContext())
        var bytes = Array(stream.begin().utf8)
        for report in reports { stream.add(report, into: &bytes) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected)
        // The String path gives the same.
        let again = JSONFormatter().makeStream(context: ReportContext())
        XCTAssertEqual(again.begin() + reports.map { again.add($0) }.joined(), expected)
    }

    /// A SARIF result as a `JSON` tree, the way the formatter built it before it wrote bytes:
    /// the reference for the byte writer.
    private func referenceResult(_ diagnostic: Diagnostic, in report: FileReport, ruleIndex: Int?) -> JSON {
        var physical: [(String, JSON)] = [
            ("artifactLocation", .object([("uri", .string(SARIFFormatter.uriReference(forPath: report.path)))])),
        ]
        if report.source != nil, diagnostic.range != nil {
            let span = diagnostic.span
            physical.append(("region", .object([
                ("startLine", .int(span.start.line)),
                ("startColumn", .int(span.start.column)),
                ("endLine", .int(span.end.line)),
                ("endColumn", .int(span.end.column)),
            ])))
        }
        var pairs: [(String, JSON)] = [("ruleId", .string(diagnostic.ruleID))]
        if let ruleIndex { pairs.append(("ruleIndex", .int(ruleIndex))) }
        pairs += [
            ("level", .string(SARIFFormatter.level(diagnostic.severity))),
            ("message", .object([("text", .string(diagnostic.message))])),
            ("locations", .array([.object([("physicalLocation", .object(physical))])])),
        ]
        if let fix = diagnostic.fix, let source = report.source {
            let replacements: [JSON] = fix.edits.map { edit in
                let span = source.span(edit.range)
                return .object([
                    ("deletedRegion", .object([
                        ("startLine", .int(span.start.line)), ("startColumn", .int(span.start.column)),
                        ("endLine", .int(span.end.line)), ("endColumn", .int(span.end.column)),
                    ])),
                    ("insertedContent", .object([("text", .string(edit.replacement))])),
                ])
            }
            pairs.append(("fixes", .array([.object([
                ("description", .object([("text", .string(fix.description))])),
                ("artifactChanges", .array([.object([
                    ("artifactLocation", .object([("uri", .string(SARIFFormatter.uriReference(forPath: report.path)))])),
                    ("replacements", .array(replacements)),
                ])])),
            ])])))
        }
        return .object(pairs)
    }

    /// The SARIF stream's results against the tree.
    func testSARIFResultBytesMatchTheTree() throws {
        let reports = try awkwardReports()
        let rules = try RuleSetLoader().load(references: ["bulletin"]).rules
        let context = ReportContext(rules: rules, toolVersion: "0.1.0")
        let formatter = SARIFFormatter()
        let indexes = Dictionary(RuleCatalog.descriptors(rules: rules).enumerated().map { ($1.id, $0) }, uniquingKeysWith: { _, last in last })
        var expected = ""
        var count = 0
        for report in reports {
            for diagnostic in report.diagnostics {
                expected += (count == 0 ? "\n        " : ",\n        ")
                    + referenceResult(diagnostic, in: report, ruleIndex: indexes[diagnostic.ruleID]).render(indent: 4)
                count += 1
            }
        }
        let stream = formatter.makeStream(context: context)
        _ = stream.begin()
        var bytes: [UInt8] = []
        for report in reports { stream.add(report, into: &bytes) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected)
    }

    /// A formatter without a byte path of its own goes through its `String`.
    func testDefaultByteOutputIsTheString() throws {
        let report = FileReport(path: "a.txt", source: SourceText(path: "a.txt", text: "其它\n"), diagnostics: [
            Diagnostic(ruleID: "outdated-terms", severity: .warning, message: "“其它”应改为“其他”", help: "",
                       range: 0..<6, span: Span(start: Position(line: 1, column: 1), end: Position(line: 1, column: 3))),
        ])
        for format in OutputFormat.allCases {
            let byString = format.formatter(color: false).makeStream(context: ReportContext())
            let byBytes = format.formatter(color: false).makeStream(context: ReportContext())
            _ = byString.begin()
            _ = byBytes.begin()
            var bytes: [UInt8] = []
            byBytes.add(report, into: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), byString.add(report), format.rawValue)
            XCTAssertEqual(byBytes.end(), byString.end(), format.rawValue)
        }
    }
}

/// The order-keeping JSON reader that `merge` and `--baseline` use.
final class JSONParserTests: XCTestCase {
    func testSurrogatePairsAndMalformedOnes() throws {
        XCTAssertEqual(try JSON.parse(#""\uD83D\uDE00""#), .string("😀"))
        XCTAssertEqual(try JSON.parse(#""\u4E2D""#), .string("中"))
        // A high surrogate followed by something else than a low one: an error, not a trap or a
        // wrong character.
        for malformed in [#""\uD800\u0041""#, #""\uD800""#, #""\uDC00""#, #""\uD800\uD800""#] {
            XCTAssertThrowsError(try JSON.parse(malformed), malformed)
        }
    }
}
