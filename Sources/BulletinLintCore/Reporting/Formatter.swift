/// Totals over a run.
public struct Summary: Sendable, Equatable {
    public var files = 0
    public var errors = 0
    public var warnings = 0
    public var infos = 0

    public init(reports: [FileReport]) {
        files = reports.count
        for diagnostic in reports.flatMap(\.diagnostics) {
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
public protocol Formatter {
    func format(_ reports: [FileReport], context: ReportContext) -> String
}

extension Formatter {
    public func format(_ reports: [FileReport]) -> String { format(reports, context: ReportContext()) }
}

/// The formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, checkstyle

    public func formatter(color: Bool) -> any Formatter {
        switch self {
        case .text: return TextFormatter(color: color)
        case .json: return JSONFormatter()
        case .sarif: return SARIFFormatter()
        case .junit: return JUnitFormatter()
        case .github: return GitHubFormatter()
        case .checkstyle: return CheckstyleFormatter()
        }
    }
}
