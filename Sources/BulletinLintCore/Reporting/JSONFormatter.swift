/// Machine-readable output, version 1:
/// `{"version": 1, "files": [{"path", "encoding", "diagnostics": [...]}], "summary": {...}}`.
public struct JSONFormatter: Formatter {
    public init() {}

    public func makeStream(context: ReportContext) -> any ReportStream { Stream() }

    final class Stream: ReportStream {
        var summary = Summary()
        func begin() -> String { "{\n  \"version\": 1,\n  \"files\": [" }
        func add(_ report: FileReport) -> String {
            var bytes: [UInt8] = []
            add(report, into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        func add(_ report: FileReport, into bytes: inout [UInt8]) {
            let first = summary.reports == 0
            summary.add(report)
            bytes.append(contentsOf: (first ? "\n    " : ",\n    ").utf8)
            JSONWriter.write(into: &bytes, indent: 2) { JSONFormatter.write(report, to: &$0) }
        }
        func end() -> String {
            let summaryJSON = JSON.object([
                ("files", .int(summary.files)), ("errors", .int(summary.errors)),
                ("warnings", .int(summary.warnings)), ("infos", .int(summary.infos)),
            ])
            return (summary.reports == 0 ? "]" : "\n  ]") + ",\n  \"summary\": " + summaryJSON.render(indent: 1) + "\n}\n"
        }
    }

    /// A file's report: `{"path", "encoding", "diagnostics"}`, written straight to bytes.
    static func write(_ report: FileReport, to json: inout JSONWriter) {
        json.openObject()
        json.key("path"); json.string(report.path)
        json.key("encoding")
        if let source = report.source { json.string(source.encoding.rawValue) } else { json.null() }
        json.key("diagnostics")
        json.openArray()
        for diagnostic in report.diagnostics {
            json.item()
            write(diagnostic, source: report.source, to: &json)
        }
        json.closeArray()
        json.closeObject()
    }

    /// A finding; `fixes` only when it has one, as `{"applicability", "description", "edits":
    /// [{"span", "replacement"}]}`; `related` only when it refers to other places.
    static func write(_ d: Diagnostic, source: SourceText?, to json: inout JSONWriter) {
        json.openObject()
        json.key("rule"); json.string(d.ruleID)
        json.key("severity"); json.string(d.severity.rawValue)
        json.key("message"); json.string(d.message)
        json.key("help"); json.string(d.help)
        json.key("span"); write(d.span, to: &json)
        if let fix = d.fix, let source {
            json.key("fixes")
            json.openArray()
            json.item()
            json.openObject()
            json.key("applicability"); json.string(fix.applicability.rawValue)
            json.key("description"); json.string(fix.description)
            json.key("edits")
            json.openArray()
            for edit in fix.edits {
                json.item()
                json.openObject()
                json.key("span"); write(source.span(edit.range), to: &json)
                json.key("replacement"); json.string(edit.replacement)
                json.closeObject()
            }
            json.closeArray()
            json.closeObject()
            json.closeArray()
        }
        if !d.related.isEmpty {
            // Other places in the same file the finding refers to: `[{"span", "message"}]`.
            json.key("related")
            json.openArray()
            for note in d.related {
                json.item()
                json.openObject()
                json.key("span"); write(note.span, to: &json)
                json.key("message"); json.string(note.message)
                json.closeObject()
            }
            json.closeArray()
        }
        json.closeObject()
    }

    /// `span(_:)` written straight to bytes: `{"start", "end"}`, each `{"line", "column"}`.
    static func write(_ span: Span, to json: inout JSONWriter) {
        json.openObject()
        json.key("start")
        write(span.start, to: &json)
        json.key("end")
        write(span.end, to: &json)
        json.closeObject()
    }

    private static func write(_ position: Position, to json: inout JSONWriter) {
        json.openObject()
        json.key("line"); json.int(position.line)
        json.key("column"); json.int(position.column)
        json.closeObject()
    }

    static func span(_ span: Span) -> JSON {
        .object([
            ("start", .object([("line", .int(span.start.line)), ("column", .int(span.start.column))])),
            ("end", .object([("line", .int(span.end.line)), ("column", .int(span.end.column))])),
        ])
    }
}
