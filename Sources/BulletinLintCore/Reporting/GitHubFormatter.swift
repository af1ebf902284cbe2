/// GitHub Actions workflow commands, one line per finding, which the runner turns into
/// annotations on the pull request:
///
///     ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE-ID::MESSAGE
///
/// `warning` for warnings, `notice` for infos. Data escapes `%`, CR and LF; properties also
/// `:` and `,` (as `@actions/core` does); other control characters of a document (ESC, C1,
/// U+2028, bidirectional controls) are shown as `\u{1B}` (`TerminalEscaping`). Columns are given only when the finding starts and
/// ends on one line: the runner drops columns from a range over several lines. A file that
/// could not be read gets an annotation on the file, without a line. Nothing else is printed,
/// so every line is a command.
public struct GitHubFormatter: Formatter {
    public init() {}

    public func makeStream(context: ReportContext) -> any ReportStream { Stream(formatter: self) }

    final class Stream: ReportStream {
        let formatter: GitHubFormatter
        init(formatter: GitHubFormatter) { self.formatter = formatter }
        func begin() -> String { "" }
        func add(_ report: FileReport) -> String {
            report.diagnostics.map {
                formatter.command($0, path: report.path, located: report.source != nil && $0.range != nil)
            }.joined()
        }
        func end() -> String { "" }
    }

    func command(_ diagnostic: Diagnostic, path: String, located: Bool) -> String {
        let name: String
        switch diagnostic.severity {
        case .error: name = "error"
        case .warning: name = "warning"
        case .info: name = "notice"
        }
        var properties = ["file=" + GitHubFormatter.escapeProperty(path)]
        if located {
            let span = diagnostic.span
            properties.append("line=\(span.start.line)")
            if span.start.line == span.end.line {
                properties += ["col=\(span.start.column)", "endLine=\(span.end.line)", "endColumn=\(span.end.column)"]
            } else {
                properties.append("endLine=\(span.end.line)")
            }
        }
        properties.append("title=" + GitHubFormatter.escapeProperty(diagnostic.ruleID))
        return "::\(name) \(properties.joined(separator: ","))::\(GitHubFormatter.escapeData(diagnostic.message))\n"
    }

    /// A command's message: `%`, CR and LF escaped.
    public static func escapeData(_ text: String) -> String {
        escape(text, property: false)
    }

    /// A property value: also `:` and `,`, which would end the value.
    public static func escapeProperty(_ text: String) -> String {
        escape(text, property: true)
    }

    private static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            case _ where TerminalEscaping.needsEscape(scalar): out += TerminalEscaping.escaped(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
