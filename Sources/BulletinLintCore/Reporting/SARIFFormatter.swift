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

    public func makeStream(context: ReportContext) -> any ReportStream { Stream(formatter: self, context: context) }

    /// The rules are known before the first result (the rule set's, then every engine id), so
    /// results can be written as files arrive.
    final class Stream: ReportStream {
        let formatter: SARIFFormatter
        let context: ReportContext
        let descriptors: [RuleDescriptor]
        var ruleIndex: [String: Int] = [:]
        var results = 0
        init(formatter: SARIFFormatter, context: ReportContext) {
            self.formatter = formatter
            self.context = context
            descriptors = RuleCatalog.descriptors(rules: context.rules)
            for (index, descriptor) in descriptors.enumerated() { ruleIndex[descriptor.id] = index }
        }
        func begin() -> String {
            let driver = JSON.object([
                ("name", .string("bulletinlint")),
                ("version", .string(context.toolVersion)),
                ("rules", .array(descriptors.map(formatter.rule))),
            ])
            return "{\n  \"$schema\": \"\(SARIFFormatter.schemaURI)\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
                + "      \"tool\": {\n        \"driver\": " + driver.render(indent: 4) + "\n      },\n"
                // Messages and descriptions are Chinese.
                + "      \"language\": \"zh-CN\",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        }
        func add(_ report: FileReport) -> String {
            var out = ""
            for diagnostic in report.diagnostics {
                out += (results == 0 ? "\n        " : ",\n        ")
                    + formatter.result(diagnostic, in: report, ruleIndex: ruleIndex[diagnostic.ruleID]).render(indent: 4)
                results += 1
            }
            return out
        }
        func end() -> String { (results == 0 ? "]" : "\n      ]") + "\n    }\n  ]\n}\n" }
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    func rule(_ descriptor: RuleDescriptor) -> JSON {
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

    func result(_ diagnostic: Diagnostic, in report: FileReport, ruleIndex: Int?) -> JSON {
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
        if let fix = diagnostic.fix, let source = report.source {
            let replacements: [JSON] = fix.edits.map { edit in
                let span = source.span(edit.range)
                return .object([
                    ("deletedRegion", .object([
                        ("startLine", .int(span.start.line)), ("startColumn", .int(span.start.column)),
                        ("endLine", .int(span.end.line)), ("endColumn", .int(span.end.column)),
                    ])),
                    ("insertedContent", .object([("text", .string(edit.replacement))])),
                ])
            }
            pairs.append(("fixes", .array([.object([
                ("description", .object([("text", .string(fix.description))])),
                ("artifactChanges", .array([.object([
                    ("artifactLocation", .object([("uri", .string(SARIFFormatter.uriReference(forPath: report.path)))])),
                    ("replacements", .array(replacements)),
                ])])),
            ])])))
        }
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
