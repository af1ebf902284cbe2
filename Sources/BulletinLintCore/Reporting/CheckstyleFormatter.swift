/// Checkstyle XML, as Jenkins warnings-ng and reviewdog (`-f=checkstyle`) read it: a `<file>`
/// per file (also the clean ones), an `<error>` per finding with `line`, `column` (Unicode
/// scalars, 1-based), `severity` (error, warning, info), `message` and
/// `source="bulletinlint.RULE-ID"`.
public struct CheckstyleFormatter: Formatter {
    public init() {}

    public func format(_ reports: [FileReport], context: ReportContext) -> String {
        var out = XMLText.declaration + "<checkstyle version=\"4.3\">\n"
        for report in reports {
            let name = XMLText.attribute(report.path)
            if report.diagnostics.isEmpty {
                out += "  <file name=\"\(name)\"/>\n"
                continue
            }
            out += "  <file name=\"\(name)\">\n"
            for diagnostic in report.diagnostics {
                out += "    <error line=\"\(diagnostic.span.start.line)\" column=\"\(diagnostic.span.start.column)\""
                    + " severity=\"\(diagnostic.severity.rawValue)\""
                    + " message=\"\(XMLText.attribute(diagnostic.message))\""
                    + " source=\"bulletinlint.\(XMLText.attribute(diagnostic.ruleID))\"/>\n"
            }
            out += "  </file>\n"
        }
        return out + "</checkstyle>\n"
    }
}
