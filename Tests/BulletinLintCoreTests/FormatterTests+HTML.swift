@testable import BulletinLintCore
import Foundation
import XCTest

/// `--format html`: one self-contained page with the same findings as JSON, every document
/// character escaped, and a large run that stays small and folded. (An extension of
/// `FormatterTests`, whose sample reports and golden files it shares.)
extension FormatterTests {
    func testHTMLMatchesGolden() throws {
        try compareOrRecord(try output(.html), golden: "expected.html")
    }

    func testHTMLEveryFindingOfTheSamplesIsListedAndItsSpanMarked() throws {
        let (reports, context) = try sampleReports()
        let html = HTMLFormatter().format(reports, context: context)
        let findings = reports.reduce(0) { $0 + $1.diagnostics.count }
        XCTAssertGreaterThan(findings, 20)
        XCTAssertEqual(html.components(separatedBy: "<li class=\"finding ").count - 1, findings)
        for report in reports {
            for diagnostic in report.diagnostics {
                XCTAssertTrue(html.contains(HTMLText.escapeShown(diagnostic.message)), diagnostic.message)
                // A finding with a non-empty span in the text has its text marked, titled with its rule.
                if let range = diagnostic.range, !range.isEmpty, let source = report.source,
                   source.lineIndex(containing: range.lowerBound) == source.lineIndex(containing: range.upperBound - 1) {
                    XCTAssertTrue(html.contains("[\(diagnostic.ruleID)]"), diagnostic.ruleID)
                    let text = HTMLText.escapeShown(String(source.slice(range)))
                    XCTAssertTrue(html.contains(text), "\(report.path): the span \(text) is not shown")
                }
            }
        }
        // The summary counts what the text format counts.
        let summary = Summary(reports: reports)
        XCTAssertTrue(html.contains("<li class=\"error\"><b>\(summary.errors)</b> 个错误</li>"))
        XCTAssertTrue(html.contains("<li class=\"warning\"><b>\(summary.warnings)</b> 个警告</li>"))
        // Each finding's place links to its line, and that line is in the page.
        let links = html.components(separatedBy: "href=\"#").dropFirst().map { $0.prefix { $0 != "\"" } }
        XCTAssertFalse(links.isEmpty)
        for link in links {
            XCTAssertTrue(html.contains("id=\"\(link)\""), "link #\(link) has no target")
        }
    }

    func testHTMLNothingIsLoadedFromElsewhereAndNoScriptRuns() throws {
        let html = try output(.html)
        for forbidden in ["<script", "<link", "src=", "http://", "https://", "@import", "url("] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        XCTAssertTrue(html.hasSuffix("</html>\n"))
    }

    func testHTMLDocumentTextAndFileNamesAreEscaped() throws {
        let text = "<script>alert(1)</script>亲爱的\u{1B}[31m同志\"们\"&'\n"
        let source = SourceText(path: "a<b>\u{1B}.txt", text: text)
        let start = text.utf8.count - "同志\"们\"&'\n".utf8.count - "亲爱的\u{1B}[31m".utf8.count
        let range = start..<(start + "亲爱的".utf8.count)
        let report = FileReport(path: "a<b>\u{1B}.txt", source: source, diagnostics: [
            Diagnostic(ruleID: "x<y", severity: .warning, message: "“<b>亲爱的</b>”", help: "<i>", range: range, span: source.span(range)),
        ])
        let html = HTMLFormatter().format([report])
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("<b>亲爱的"))
        XCTAssertFalse(html.contains("<i>"))
        XCTAssertFalse(html.contains("\u{1B}"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("a&lt;b&gt;\\u{1B}.txt"))
        XCTAssertTrue(html.contains("<mark class=\"warning\" title=\"“&lt;b&gt;亲爱的&lt;/b&gt;” [x&lt;y]\">亲爱的</mark>\\u{1B}[31m同志&quot;们&quot;&amp;&#39;"))
    }

    func testHTMLOverlappingSpansAreCutWhereTheyMeet() throws {
        let text = "甲乙丙丁戊\n"
        let source = SourceText(path: "t.txt", text: text)
        func range(_ from: Int, _ to: Int) -> TextRange { (3 * from)..<(3 * to) }
        let report = FileReport(path: "t.txt", source: source, diagnostics: [
            Diagnostic(ruleID: "w", severity: .warning, message: "W", help: "", range: range(0, 3), span: source.span(range(0, 3))),
            Diagnostic(ruleID: "e", severity: .error, message: "E", help: "", range: range(2, 4), span: source.span(range(2, 4))),
        ])
        let html = HTMLFormatter().format([report])
        XCTAssertTrue(html.contains(
            "<mark class=\"warning\" title=\"W [w]\">甲乙</mark><mark class=\"error\" title=\"W [w]&#10;E [e]\">丙</mark><mark class=\"error\" title=\"E [e]\">丁</mark>戊"
        ), html)
    }

    func testHTMLALargeRunStaysFoldedAndSmall() throws {
        let text = String(repeating: "正文一行，没有问题。\n", count: 200) + "问题在这里\n" + String(repeating: "正文。\n", count: 200)
        let source = SourceText(path: "x.txt", text: text)
        let start = text.utf8.count - String(repeating: "正文。\n", count: 200).utf8.count - "问题在这里\n".utf8.count
        let range = start..<(start + "问题".utf8.count)
        var reports: [FileReport] = []
        for index in 0..<2_000 {
            let path = String(format: "archive/%05d.txt", index)
            let diagnostics = index % 2 == 0 ? [Diagnostic(ruleID: "r", severity: .error, message: "m", help: "", range: range, span: source.span(range))] : []
            reports.append(FileReport(path: path, source: source, diagnostics: diagnostics))
        }
        let html = HTMLFormatter().format(reports)
        XCTAssertEqual(html.components(separatedBy: "<details class=\"file\"").count - 1, 1_000)
        XCTAssertEqual(html.components(separatedBy: "\" open>").count - 1, HTMLFormatter.openFiles)
        XCTAssertTrue(html.contains("没有问题的文件（1000 个）"))
        // Only the lines around a finding are shown, not the 400 others of each file.
        XCTAssertEqual(html.components(separatedBy: "<div class=\"line").count - 1, 1_000 * (1 + 2 * HTMLFormatter.contextLines))
        XCTAssertLessThan(html.utf8.count, 3_000_000)
    }

    func testHTMLALongLineIsCutAroundItsSpan() throws {
        let text = String(repeating: "长", count: 100_000) + "错字" + String(repeating: "长", count: 100_000) + "\n"
        let source = SourceText(path: "long.txt", text: text)
        let start = 3 * 100_000
        let range = start..<(start + 6)
        let report = FileReport(path: "long.txt", source: source, diagnostics: [
            Diagnostic(ruleID: "r", severity: .error, message: "m", help: "", range: range, span: source.span(range)),
        ])
        let html = HTMLFormatter().format([report])
        XCTAssertTrue(html.contains(">错字</mark>"))
        XCTAssertLessThan(html.utf8.count, 20_000)
    }
}
