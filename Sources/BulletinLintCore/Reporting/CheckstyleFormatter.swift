/// Checkstyle XML, as Jenkins warnings-ng and reviewdog (`-f=checkstyle`) read it: a `<file>`
/// per file (also the clean ones), an `<error>` per finding with `line`, `column` (Unicode
/// scalars, 1-based), `severity` (error, warning, info), `message` and
/// `source="bulletinlint.RULE-ID"`.
public struct CheckstyleFormatter: Formatter {
    public init() {}

    public func makeStream(context: ReportContext) -> any ReportStream { Stream() }

    final class Stream: ReportStream {
        func begin() -> String { XMLText.declaration + "<checkstyle version=\"4.3\">\n" }
        func add(_ report: FileReport) -> String {
            let name = XMLText.attribute(report.path)
            if report.diagnostics.isEmpty { return "  <file name=\"\(name)\"/>\n" }
            var out = "  <file name=\"\(name)\">\n"
            for diagnostic in report.diagnostics {
                out += "    <error line=\"\(diagnostic.span.start.line)\" column=\"\(diagnostic.span.start.column)\""
                    + " severity=\"\(diagnostic.severity.rawValue)\""
                    + " message=\"\(XMLText.attribute(diagnostic.message))\""
                    + " source=\"bulletinlint.\(XMLText.attribute(diagnostic.ruleID))\"/>\n"
            }
            return out + "  </file>\n"
        }
        func end() -> String { "</checkstyle>\n" }
    }
}
