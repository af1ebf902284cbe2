/// Totals over a run.
public struct Summary: Sendable, Equatable {
    /// Checked documents (reports on configuration files are not counted).
    public var files = 0
    /// Every report added, documents and configuration files.
    public var reports = 0
    public var errors = 0
    public var warnings = 0
    public var infos = 0
    /// Findings with a safe fix, and with an unsafe one.
    public var fixable = 0
    public var unsafeFixable = 0

    public init() {}

    public init(reports: [FileReport]) {
        for report in reports { add(report) }
    }

    public mutating func add(_ report: FileReport) {
        reports += 1
        if !report.isConfiguration { files += 1 }
        // Only what `--fix` can repair: fixes in files it writes.
        let writable = report.source.map { TextFormatter.fixWritesFormat($0.format) } ?? false
        for diagnostic in report.diagnostics {
            switch writable ? diagnostic.fix?.applicability : nil {
            case .safe?: fixable += 1
            case .unsafe?: unsafeFixable += 1
            case nil: break
            }
            switch diagnostic.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: infos += 1
            }
        }
    }
}

/// What a formatter may need besides the reports: the rules that ran (SARIF lists them) and
/// the tool's version.
public struct ReportContext: Sendable {
    /// Every rule of the run, in a deterministic order (the configurations' order, each set's
    /// rules in order). SARIF's `tool.driver.rules` and JUnit's test cases are this list (a
    /// repeated id listed once, as first given) followed by every engine id sorted: they depend
    /// on nothing else, so the same rules give the same bytes whatever `--jobs` is.
    public let rules: [Rule]
    public let toolVersion: String

    public init(rules: [Rule] = [], toolVersion: String = BulletinLintVersion.current) {
        self.rules = rules
        self.toolVersion = toolVersion
    }
}

public enum BulletinLintVersion {
    public static let current = "0.1.0"
}

/// Turns reports into one output format. One conformer per format, one file each.
///
/// Output is streamed: `begin`, then `add` for each file in order, then `end`; so a run over an
/// archive of any size holds one file's report at a time.
public protocol Formatter {
    func makeStream(context: ReportContext) -> any ReportStream
}

/// One run's output being written.
public protocol ReportStream: AnyObject {
    func begin() -> String
    func add(_ report: FileReport) -> String
    /// `add(_:)` appended to a byte buffer as UTF-8. A stream that writes bytes anyway (JSON)
    /// implements this one, so a run's output never becomes a `String` on its way out.
    func add(_ report: FileReport, into bytes: inout [UInt8])
    func end() -> String
}

extension ReportStream {
    public func add(_ report: FileReport, into bytes: inout [UInt8]) {
        bytes.append(contentsOf: add(report).utf8)
    }
}

extension Formatter {
    /// The whole output for a list of reports.
    public func format(_ reports: [FileReport], context: ReportContext) -> String {
        let stream = makeStream(context: context)
        var out = stream.begin()
        for report in reports { out += stream.add(report) }
        return out + stream.end()
    }

    public func format(_ reports: [FileReport]) -> String { format(reports, context: ReportContext()) }
}

/// The formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, checkstyle, html

    public func formatter(color: Bool) -> any Formatter {
        switch self {
        case .text: return TextFormatter(color: color)
        case .json: return JSONFormatter()
        case .sarif: return SARIFFormatter()
        case .junit: return JUnitFormatter()
        case .github: return GitHubFormatter()
        case .checkstyle: return CheckstyleFormatter()
        case .html: return HTMLFormatter()
        }
    }
}
