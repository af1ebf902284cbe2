/// The default output, like clang and rustc: `path:line:col: severity: message [rule]`, the
/// source line with a caret run placed by display width, and the help line.
public struct TextFormatter: Formatter {
    public let color: Bool
    /// Display cells of source shown around the caret on a very long line.
    static let window = 60

    public init(color: Bool) {
        self.color = color
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func severityLabel(_ severity: Severity) -> String {
        switch severity {
        case .error: return paint("error", "1;31")
        case .warning: return paint("warning", "1;33")
        case .info: return paint("info", "1;36")
        }
    }

    public func format(_ reports: [FileReport]) -> String {
        var out = ""
        for report in reports {
            for diagnostic in report.diagnostics {
                out += format(diagnostic, in: report)
            }
        }
        out += summaryLine(Summary(reports: reports))
        return out
    }

    public func format(_ diagnostic: Diagnostic, in report: FileReport) -> String {
        let position = "\(report.path):\(diagnostic.span.start.line):\(diagnostic.span.start.column)"
        var out = "\(paint(position, "1")): \(severityLabel(diagnostic.severity)): \(diagnostic.message) \(paint("[\(diagnostic.ruleID)]", "2"))\n"
        if let source = report.source, diagnostic.range != nil {
            out += excerpt(diagnostic.span, in: source)
        }
        if !diagnostic.help.isEmpty {
            let gutter = String(repeating: " ", count: String(diagnostic.span.start.line).count + 1)
            out += "\(gutter) = \(paint("help:", "1")) \(diagnostic.help)\n"
        }
        return out
    }

    /// The line with a caret under the span (first line only when the span runs on).
    func excerpt(_ span: Span, in source: SourceText) -> String {
        let lineNumber = span.start.line
        let line = String(source.line(lineNumber))
        let scalars = Array(line.unicodeScalars)
        let startColumn = min(max(span.start.column - 1, 0), scalars.count)
        let endColumn = span.end.line == lineNumber ? min(max(span.end.column - 1, startColumn), scalars.count) : scalars.count
        // Keep long lines readable: show a window around the caret.
        var from = 0
        var to = scalars.count
        var cells = 0
        for i in stride(from: startColumn - 1, through: 0, by: -1) {
            cells += cell(scalars[i])
            if cells > TextFormatter.window { from = i + 1; break }
        }
        cells = 0
        for i in startColumn..<scalars.count {
            cells += cell(scalars[i])
            if cells > TextFormatter.window * 2, i >= endColumn { to = i; break }
        }
        let prefix = scalars[from..<startColumn].reduce(0) { $0 + cell($1) }
        let marked = max(1, scalars[startColumn..<max(startColumn, min(endColumn, to))].reduce(0) { $0 + cell($1) })
        var shown = from > 0 ? "…" : ""
        for scalar in scalars[from..<to] { shown += scalar == "\t" ? "    " : String(scalar) }
        if to < scalars.count { shown += "…" }
        let lead = from > 0 ? 1 : 0
        let gutter = String(lineNumber)
        let pad = String(repeating: " ", count: gutter.count)
        let caret = "^" + String(repeating: "~", count: max(0, marked - 1))
        return " \(paint(gutter, "34")) | \(shown)\n \(pad) | \(String(repeating: " ", count: prefix + lead))\(paint(caret, "1;32"))\n"
    }

    private func cell(_ scalar: Unicode.Scalar) -> Int {
        scalar == "\t" ? 4 : max(0, DisplayWidth.of(scalar))
    }

    public func summaryLine(_ summary: Summary) -> String {
        let text = "共检查 \(summary.files) 个文件：\(summary.errors) 个错误，\(summary.warnings) 个警告，\(summary.infos) 个提示"
        return paint(text, "1") + "\n"
    }
}
