import Foundation

/// `bulletinlint inspect`: how the tool sees a document.
public enum InspectFormatter {
    /// The stable JSON: `{"path", "encoding", "elements": [{"kind", "text", "span", "fields",
    /// "entries", "children"}], "genre": {"genre", "wenzhong", "date", "evidence"}}` (with
    /// `"documents": [{"line", "genre"}]` when the file holds several); for a .docx, .ofd, .pdf
    /// or .md also `"format"`, and, when there
    /// are any, `"apart"` (headers, footers, template pages: `{"kind", "part", "text"}`),
    /// `"artifacts"` (`{"kind", "span", "text"}`) and `"tables"` (`{"span", "rows": [{"header",
    /// "cells": [{"column", "span", "merged", "text"}]}]}`).
    public static func json(_ bulletin: Bulletin) -> String {
        value(bulletin).render()
    }

    /// `json(_:)` as a value, for front ends that embed it in answers of their own (MCP).
    public static func value(_ bulletin: Bulletin) -> JSON {
        let source = bulletin.source
        let documents = bulletin.documents
        var members: [(String, JSON)] = [
            ("path", .string(source.path)),
            ("encoding", .string(source.encoding.rawValue)),
            ("elements", .array(documents.flatMap { $0.elements.map { element($0, source) } })),
            ("genre", genre(bulletin)),
        ]
        if documents.count > 1 {
            // Several documents in one file: each one's genre, date and first line.
            members.append(("documents", .array(documents.map { document in
                let line = document.elements.first.map { source.span($0.range).start.line } ?? 1
                return .object([("line", .int(line)), ("genre", genre(document))])
            })))
        }
        if source.format != .text { members.append(("format", .string(source.format.rawValue))) }
        if !source.apart.isEmpty {
            members.append(("apart", .array(source.apart.map { item in
                .object([("kind", .string(item.kind.rawValue)), ("part", .string(item.part)), ("text", .string(item.text))])
            })))
        }
        if !source.artifacts.isEmpty {
            members.append(("artifacts", .array(source.artifacts.map { artifact in
                .object([("kind", .string(artifact.kind.rawValue)), ("span", JSONFormatter.span(source.span(artifact.range))),
                         ("text", .string(String(source.slice(artifact.range))))])
            })))
        }
        let tables = source.tablesForChecks()
        if !tables.isEmpty {
            // Typed step by step: nested closures of implicit members do not type-check in a
            // release build (the type checker gives up), though they do in a debug one.
            func cell(_ cell: TextTable.Cell) -> JSON {
                JSON.object([("column", JSON.int(cell.column)), ("span", JSON.int(cell.span)),
                             ("merged", JSON.bool(cell.continuesAbove)), ("text", JSON.string(source.content(cell.range)))])
            }
            func row(_ row: TextTable.Row) -> JSON {
                JSON.object([("header", JSON.bool(row.isHeader)), ("cells", JSON.array(row.cells.map(cell)))])
            }
            let rendered: [JSON] = tables.map { table in
                JSON.object([("span", JSONFormatter.span(source.span(table.range))), ("rows", JSON.array(table.rows.map(row)))])
            }
            members.append(("tables", JSON.array(rendered)))
        }
        return JSON.object(members)
    }

    /// `{"genre": "公文", "wenzhong": "通知", "date": "2019-05-14", "evidence": [...]}`.
    public static func genre(_ bulletin: Bulletin) -> JSON {
        var members: [(String, JSON)] = [("genre", .string(bulletin.genre.kind.rawValue))]
        if let wenzhong = bulletin.genre.wenzhong { members.append(("wenzhong", .string(wenzhong))) }
        members.append(("date", bulletin.date.map { .string($0) } ?? .null))
        members.append(("evidence", .array(bulletin.genre.evidence(in: bulletin.source).map { .string($0) })))
        return .object(members)
    }

    static func element(_ element: Element, _ source: SourceText) -> JSON {
        .object([
            ("kind", .string(element.kind)),
            ("text", .string(element.text)),
            ("span", JSONFormatter.span(source.span(element.range))),
            ("fields", .object(element.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("entries", .array(element.entries.map { .string($0.text) })),
            ("children", .array(element.children.map { child in InspectFormatter.element(child, source) })),
        ])
    }

    /// An indented outline for people. Text from the document and its file name is escaped as the
    /// text format escapes it (`TerminalEscaping`): an ESC in a paragraph must not drive the
    /// terminal, and a line break in a field must not start a line of the outline.
    public static func text(_ bulletin: Bulletin) -> String {
        let safe: (String) -> String = TerminalEscaping.escape
        var out = "\(safe(bulletin.source.path))（编码：\(bulletin.source.encoding.rawValue)）\n"
        func visit(_ element: Element, depth: Int) {
            let span = bulletin.source.span(element.range)
            let indent = String(repeating: "  ", count: depth)
            var text = element.text.replacingOccurrences(of: "\n", with: " ")
            if text.count > 40 { text = String(text.prefix(40)) + "…" }
            out += "\(indent)\(span.start.line):\(span.start.column)-\(span.end.line):\(span.end.column) \(safe(element.kind))"
            if element.role != .container { out += "  \(safe(text))" }
            out += "\n"
            for (key, value) in element.fields.sorted(by: { $0.key < $1.key }) {
                out += "\(indent)    \(safe(key)) = \(safe(value))\n"
            }
            for entry in element.entries { out += "\(indent)    · \(safe(entry.text))\n" }
            for child in element.children { visit(child, depth: depth + 1) }
        }
        let documents = bulletin.documents
        for (index, document) in documents.enumerated() {
            if documents.count > 1 { out += "—— 第 \(index + 1) 份文件（共 \(documents.count) 份）——\n" }
            out += "类别：\(document.genre.description)"
            let evidence = document.genre.evidence(in: document.source)
            if !evidence.isEmpty { out += "（依据：\(safe(evidence.joined(separator: "、")))）" }
            out += "；文件日期：\(safe(document.date ?? "无"))\n"
            for element in document.elements { visit(element, depth: 0) }
        }
        // What the reader kept out of the text, and what it marked as not the author's.
        let source = bulletin.source
        for item in source.apart {
            let label = ["header": "页眉", "footer": "页脚", "template": "模板页"][item.kind.rawValue] ?? item.kind.rawValue
            out += "\(label)（\(safe(item.part))）  \(safe(item.text.replacingOccurrences(of: "\n", with: " / ")))\n"
        }
        for table in source.tablesForChecks() {
            let line = source.lineLabel(source.span(table.range).start.line)
            out += "表格（\(line) 起，\(table.rows.count) 行 × \(table.columnCount) 列）\n"
            for row in table.rows {
                let cells = row.cells.map { cell in
                    cell.continuesAbove ? "↑" : safe(source.content(cell.range).replacingOccurrences(of: "\n", with: " "))
                }
                out += "  | " + cells.joined(separator: " | ") + " |" + (row.isHeader ? "（表头）" : "") + "\n"
            }
        }
        if !source.artifacts.isEmpty {
            var counts: [String: Int] = [:]
            for artifact in source.artifacts { counts[artifact.kind.rawValue, default: 0] += 1 }
            out += "提取产物（不参与检查）：" + counts.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: "，") + "\n"
        }
        return out
    }
}
