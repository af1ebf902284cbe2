/// SARIF 2.1.0, for GitHub code scanning, GitLab, Azure DevOps and SARIF viewers: one run whose
/// `tool.driver.rules` lists every rule of the rule set (plus the engine ids that occurred),
/// and one result per finding.
///
/// Columns count Unicode scalars (`columnKind: unicodeCodePoints`), as everywhere in
/// bulletinlint; `endColumn` is exclusive, as SARIF defines it. A file that could not be read
/// has a result without a region.
public struct SARIFFormatter: Formatter {
    /// The schema's own id (the OASIS errata 01 schema).
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public init() {}

    public func format(_ reports: [FileReport], context: ReportContext) -> String {
        let descriptors = RuleCatalog.descriptors(rules: context.rules, reports: reports)
        var ruleIndex: [String: Int] = [:]
        for (index, descriptor) in descriptors.enumerated() { ruleIndex[descriptor.id] = index }
        var results: [JSON] = []
        for report in reports {
            for diagnostic in report.diagnostics {
                results.append(result(diagnostic, in: report, ruleIndex: ruleIndex[diagnostic.ruleID]))
            }
        }
        let driver = JSON.object([
            ("name", .string("bulletinlint")),
            ("version", .string(context.toolVersion)),
            ("rules", .array(descriptors.map(rule))),
        ])
        let run = JSON.object([
            ("tool", .object([("driver", driver)])),
            // Messages and descriptions are Chinese.
            ("language", .string("zh-CN")),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
        ])
        return JSON.object([
            ("$schema", .string(SARIFFormatter.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).render()
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    private func rule(_ descriptor: RuleDescriptor) -> JSON {
        var pairs: [(String, JSON)] = [
            ("id", .string(descriptor.id)),
            ("shortDescription", .object([("text", .string(descriptor.shortDescription))])),
            ("fullDescription", .object([("text", .string(descriptor.fullDescription))])),
        ]
        if !descriptor.help.isEmpty {
            pairs.append(("help", .object([("text", .string(descriptor.help))])))
        }
        pairs.append(("defaultConfiguration", .object([("level", .string(SARIFFormatter.level(descriptor.severity)))])))
        return .object(pairs)
    }

    private func result(_ diagnostic: Diagnostic, in report: FileReport, ruleIndex: Int?) -> JSON {
        var physical: [(String, JSON)] = [
            ("artifactLocation", .object([("uri", .string(SARIFFormatter.uriReference(forPath: report.path)))])),
        ]
        if report.source != nil, diagnostic.range != nil {
            let span = diagnostic.span
            physical.append(("region", .object([
                ("startLine", .int(span.start.line)),
                ("startColumn", .int(span.start.column)),
                ("endLine", .int(span.end.line)),
                ("endColumn", .int(span.end.column)),
            ])))
        }
        var pairs: [(String, JSON)] = [("ruleId", .string(diagnostic.ruleID))]
        if let ruleIndex { pairs.append(("ruleIndex", .int(ruleIndex))) }
        pairs += [
            ("level", .string(SARIFFormatter.level(diagnostic.severity))),
            ("message", .object([("text", .string(diagnostic.message))])),
            ("locations", .array([.object([("physicalLocation", .object(physical))])])),
        ]
        return .object(pairs)
    }

    /// A path as a URI reference (RFC 3986): a relative path stays relative, an absolute one
    /// becomes a `file:` URI; every byte outside the unreserved set and `/` is percent-encoded
    /// (UTF-8), so Chinese names, spaces, `%`, `#`, `?` and a `:` in the first segment are safe.
    public static func uriReference(forPath path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
