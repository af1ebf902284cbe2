/// Machine-readable output, version 1:
/// `{"version": 1, "files": [{"path", "encoding", "diagnostics": [...]}], "summary": {...}}`.
public struct JSONFormatter: Formatter {
    public init() {}

    public func makeStream(context: ReportContext) -> any ReportStream { Stream() }

    final class Stream: ReportStream {
        var summary = Summary()
        func begin() -> String { "{\n  \"version\": 1,\n  \"files\": [" }
        func add(_ report: FileReport) -> String {
            let first = summary.files == 0
            summary.add(report)
            return (first ? "\n    " : ",\n    ") + JSONFormatter.file(report).render(indent: 2)
        }
        func end() -> String {
            let summaryJSON = JSON.object([
                ("files", .int(summary.files)), ("errors", .int(summary.errors)),
                ("warnings", .int(summary.warnings)), ("infos", .int(summary.infos)),
            ])
            return (summary.files == 0 ? "]" : "\n  ]") + ",\n  \"summary\": " + summaryJSON.render(indent: 1) + "\n}\n"
        }
    }

    static func file(_ report: FileReport) -> JSON {
        .object([
            ("path", .string(report.path)),
            ("encoding", report.source.map { .string($0.encoding.rawValue) } ?? .null),
            ("diagnostics", .array(report.diagnostics.map { JSONFormatter.diagnostic($0, source: report.source) })),
        ])
    }

    /// A finding; `fixes` only when it has one, as `{"applicability", "description", "edits":
    /// [{"span", "replacement"}]}`.
    static func diagnostic(_ d: Diagnostic, source: SourceText?) -> JSON {
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

    static func span(_ span: Span) -> JSON {
        .object([
            ("start", .object([("line", .int(span.start.line)), ("column", .int(span.start.column))])),
            ("end", .object([("line", .int(span.end.line)), ("column", .int(span.end.column))])),
        ])
    }
}
