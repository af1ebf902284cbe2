/// JUnit XML, for Jenkins, GitLab and other CI test reports: a `<testsuite>` per file and a
/// `<testcase>` per rule of the rule set, in the order SARIF lists them, then a case for each
/// engine id (`EngineRule`: `io-error`, `corrupt-document`, …) that occurred in the file: an
/// engine id is not a test that passes, so it is listed only where it happened.
///
/// - A rule's error-severity findings in a file are one `<failure>`, one finding per line of
///   its body (`LINE:COL: message`, then the help); warnings and infos go to `<system-out>`.
/// - A file that could not be read (`io-error`, `encoding-error`, `corrupt-document`, …) is an `<error>` of that id's
///   test case: the check could not run, which JUnit calls an error, not a failure.
/// - Where the document was not checked (unreadable or empty), the rules' test cases are
///   `<skipped>` rather than passed.
public struct JUnitFormatter: Formatter {
    public init() {}

    /// Whether findings of `id` are an `<error>` rather than a `<failure>`: the file could not
    /// be read (`io-error`, `encoding-error`, `corrupt-document`, …).
    static func isError(_ id: String) -> Bool {
        EngineRule(rawValue: id)?.isReadFailure ?? false
    }

    fileprivate struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0
        mutating func add(_ other: Counts) {
            tests += other.tests; failures += other.failures; errors += other.errors; skipped += other.skipped
        }
        var attributes: String {
            "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
        }
    }

    /// A test case for every rule, in the order SARIF lists them.
    public func makeStream(context: ReportContext) -> any ReportStream {
        Stream(formatter: self, ruleIDs: RuleCatalog.descriptors(rules: context.rules).map(\.id)
            .filter { EngineRule(rawValue: $0) == nil })
    }

    /// The totals go on the last element, `<testsuites>`'s summary being optional in JUnit XML:
    /// the output is streamed one file at a time.
    final class Stream: ReportStream {
        let formatter: JUnitFormatter
        let ruleIDs: [String]
        init(formatter: JUnitFormatter, ruleIDs: [String]) {
            self.formatter = formatter
            self.ruleIDs = ruleIDs
        }
        func begin() -> String { XMLText.declaration + "<testsuites name=\"bulletinlint\">\n" }
        func add(_ report: FileReport) -> String { formatter.suite(report, ruleIDs: ruleIDs).0 }
        func end() -> String { "</testsuites>\n" }
    }

    fileprivate func suite(_ report: FileReport, ruleIDs: [String]) -> (String, Counts) {
        var byRule: [String: [Diagnostic]] = [:]
        for diagnostic in report.diagnostics { byRule[diagnostic.ruleID, default: []].append(diagnostic) }
        let known = Set(ruleIDs)
        let extra = byRule.keys.filter { !known.contains($0) }.sorted()
        let notChecked = report.diagnostics.contains { RuleCatalog.documentNotChecked($0.ruleID) }
        let path = XMLText.attribute(report.path)
        var counts = Counts()
        var cases = ""
        for id in ruleIDs + extra {
            let diagnostics = byRule[id] ?? []
            counts.tests += 1
            let open = "    <testcase classname=\"\(path)\" name=\"\(XMLText.attribute(id))\" file=\"\(path)\""
            let errors = diagnostics.filter { $0.severity == .error }
            let others = diagnostics.filter { $0.severity != .error }
            if diagnostics.isEmpty {
                if notChecked {
                    counts.skipped += 1
                    cases += open + ">\n      <skipped message=\"\(XMLText.attribute(skipReason(report)))\"/>\n    </testcase>\n"
                } else {
                    cases += open + "/>\n"
                }
                continue
            }
            cases += open + ">\n"
            if !errors.isEmpty {
                let element = JUnitFormatter.isError(id) ? "error" : "failure"
                if element == "error" { counts.errors += 1 } else { counts.failures += 1 }
                let message = errors.count == 1
                    ? findingLine(errors[0], severityLabel: false)
                    : "\(errors.count) 处错误，第一处：\(findingLine(errors[0], severityLabel: false))"
                let body = errors.map { finding($0, severityLabel: false) }.joined()
                cases += "      <\(element) type=\"\(XMLText.attribute(id))\" message=\"\(XMLText.attribute(message))\">"
                    + XMLText.content(body) + "</\(element)>\n"
            }
            if !others.isEmpty {
                cases += "      <system-out>" + XMLText.content(others.map { finding($0, severityLabel: true) }.joined())
                    + "</system-out>\n"
            }
            cases += "    </testcase>\n"
        }
        let xml = "  <testsuite name=\"\(path)\" \(counts.attributes)>\n" + cases + "  </testsuite>\n"
        return (xml, counts)
    }

    private func skipReason(_ report: FileReport) -> String {
        report.source == nil ? "文件无法读取，未检查" : "文件为空，未检查"
    }

    /// `LINE:COL: message` (`LINE:COL: warning: message` with the label); a finding without a
    /// place in the text (an unreadable file) is just the message.
    private func findingLine(_ diagnostic: Diagnostic, severityLabel: Bool) -> String {
        var out = ""
        if diagnostic.range != nil {
            out += "\(diagnostic.span.start.line):\(diagnostic.span.start.column): "
        }
        if severityLabel { out += "\(diagnostic.severity.rawValue): " }
        return out + diagnostic.message
    }

    private func finding(_ diagnostic: Diagnostic, severityLabel: Bool) -> String {
        var out = findingLine(diagnostic, severityLabel: severityLabel) + "\n"
        if !diagnostic.help.isEmpty { out += "  帮助：\(diagnostic.help)\n" }
        return out
    }
}
