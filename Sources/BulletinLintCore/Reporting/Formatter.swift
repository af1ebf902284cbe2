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

/// Turns reports into one output format. One conformer per format, one file each.
public protocol Formatter {
    func format(_ reports: [FileReport]) -> String
}

/// The formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json

    public func formatter(color: Bool) -> any Formatter {
        switch self {
        case .text: return TextFormatter(color: color)
        case .json: return JSONFormatter()
        }
    }
}
