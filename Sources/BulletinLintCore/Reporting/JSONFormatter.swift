/// Machine-readable output, version 1:
/// `{"version": 1, "files": [{"path", "encoding", "diagnostics": [...]}], "summary": {...}}`.
public struct JSONFormatter: Formatter {
    public init() {}

    public func format(_ reports: [FileReport], context: ReportContext) -> String {
        let summary = Summary(reports: reports)
        return JSON.object([
            ("version", .int(1)),
            ("files", .array(reports.map(file))),
            ("summary", .object([
                ("files", .int(summary.files)), ("errors", .int(summary.errors)),
                ("warnings", .int(summary.warnings)), ("infos", .int(summary.infos)),
            ])),
        ]).render()
    }

    private func file(_ report: FileReport) -> JSON {
        .object([
            ("path", .string(report.path)),
            ("encoding", report.source.map { .string($0.encoding.rawValue) } ?? .null),
            ("diagnostics", .array(report.diagnostics.map(diagnostic))),
        ])
    }

    private func diagnostic(_ d: Diagnostic) -> JSON {
        .object([
            ("rule", .string(d.ruleID)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("help", .string(d.help)),
            ("span", JSONFormatter.span(d.span)),
        ])
    }

    static func span(_ span: Span) -> JSON {
        .object([
            ("start", .object([("line", .int(span.start.line)), ("column", .int(span.start.column))])),
            ("end", .object([("line", .int(span.end.line)), ("column", .int(span.end.column))])),
        ])
    }
}
