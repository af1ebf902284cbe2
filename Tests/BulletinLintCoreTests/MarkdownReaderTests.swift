import BulletinLintCore
import Foundation
import XCTest

/// Markdown: markup is not content, positions stay those of the file.
final class MarkdownReaderTests: XCTestCase {
    private func markdown(_ text: String) -> SourceText {
        MarkdownReader.source(text: text, displayPath: "draft.md")
    }

    private func content(_ source: SourceText, line: Int) -> String {
        source.content(source.lineStarts[line - 1]..<source.lineEnds[line - 1])
    }

    func testMarkupIsNotContent() {
        let source = markdown("""
            # 四川省地方志工作简报
            > 引用：**加粗**和*斜体*、~~删除线~~
            - 列表项 `代码` 与[链接](https://example.org "标题")
            1. 有序编号保留
            ![图片](a.png)正文
            <span class="x">标签</span>中的文字<!-- 注释 -->
            转义\\*星号\\*
            """)
        XCTAssertEqual(source.format, .markdown)
        XCTAssertEqual(content(source, line: 1), "四川省地方志工作简报")
        XCTAssertEqual(content(source, line: 2), "引用：加粗和斜体、删除线")
        XCTAssertEqual(content(source, line: 3), "列表项  与链接")
        XCTAssertEqual(content(source, line: 4), "1. 有序编号保留")
        XCTAssertEqual(content(source, line: 5), "正文")
        XCTAssertEqual(content(source, line: 6), "标签中的文字")
        XCTAssertEqual(content(source, line: 7), "转义*星号*")
    }

    func testCodeBlocksFrontMatterAndBreaksAreNotContent() {
        let source = markdown("""
            ---
            title: 简报
            ---
            正文第一段。
            ```
            其它 代码 不检查
            ```
            ***
            正文第二段。
            """)
        let kept = (1...source.lineCount).map { content(source, line: $0) }.filter { !$0.isEmpty }
        XCTAssertEqual(kept, ["正文第一段。", "正文第二段。"])
    }

    func testSnakeCaseAndLoneAsterisksStay() {
        let source = markdown("文件名 file_name_v2 与 3*4 的乘积")
        XCTAssertEqual(content(source, line: 1), "文件名 file_name_v2 与 3*4 的乘积")
    }

    func testAMarkdownBulletinParsesLikeThePlainOne() throws {
        let plain = """
            四川省地方志工作简报
            第5期
            【工作动态】
            某市召开地方志工作会议
            3月24日，某市召开地方志工作会议，其它工作进展顺利。（某市地方志办）
            信息公开选项：主动公开
            报：省委，省人民政府。
            四川省地方志工作办公室综合处 2021年4月2日印发
            """
        let marked = """
            # 四川省地方志工作简报
            **第5期**
            ## 【工作动态】
            ### 某市召开地方志工作会议
            3月24日，某市召开地方志工作会议，*其它*工作进展顺利。（某市地方志办）
            - 信息公开选项：主动公开
            - 报：省委，省人民政府。
            - 四川省地方志工作办公室综合处 2021年4月2日印发
            """
        let rules = try ruleSet()
        let a = rules.parser.parse(SourceText(path: "t.txt", text: plain))
        let b = rules.parser.parse(markdown(marked))
        XCTAssertEqual(a.allElements.map(\.kind), b.allElements.map(\.kind))
        XCTAssertEqual(a.allElements.map(\.text), b.allElements.map(\.text))
        // The finding in the emphasised word points at the word in the file: after `*`.
        let report = Linter(ruleSet: rules).lint(markdown(marked))
        let finding = try XCTUnwrap(report.diagnostics.first { $0.ruleID == "outdated-terms" })
        XCTAssertEqual(finding.span.start, Position(line: 5, column: 20))
        let range = try XCTUnwrap(finding.range)
        XCTAssertEqual(String(report.source?.slice(range) ?? ""), "其它")
    }

    func testMarkdownFilesAreReadThroughTheMarkdownReader() throws {
        guard case .success(let source) = DocumentReader.read(data: Data("## 【工作动态】\n".utf8), displayPath: "a.markdown") else {
            return XCTFail("not read")
        }
        XCTAssertEqual(source.format, .markdown)
        XCTAssertEqual(source.artifacts.count, 1)
    }
}
