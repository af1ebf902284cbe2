/// SARIF 2.1.0, for GitHub code scanning, GitLab, Azure DevOps and SARIF viewers: one run whose
/// `tool.driver.rules` lists every rule of the rule set, then every engine id (`EngineRule`),
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
            var bytes: [UInt8] = []
            add(report, into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        /// Each result written straight to bytes (`writeResult`), the file's URI made once.
        func add(_ report: FileReport, into bytes: inout [UInt8]) {
            guard !report.diagnostics.isEmpty else { return }
            let uri = SARIFFormatter.uriReference(forPath: report.path)
            for diagnostic in report.diagnostics {
                bytes.append(contentsOf: (results == 0 ? "\n        " : ",\n        ").utf8)
                JSONWriter.write(into: &bytes, indent: 4) { json in
                    formatter.writeResult(diagnostic, in: report, uri: uri, ruleIndex: ruleIndex[diagnostic.ruleID], to: &json)
                }
                results += 1
            }
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

    /// One result, written straight to bytes, with the file's URI reference made by the caller:
    /// rule, level, message, the location with its region (when the finding has a range in a
    /// read source), and the fix as an artifact change.
    func writeResult(_ diagnostic: Diagnostic, in report: FileReport, uri: String, ruleIndex: Int?,
                     to json: inout JSONWriter) {
        json.openObject()
        json.key("ruleId"); json.string(diagnostic.ruleID)
        if let ruleIndex { json.key("ruleIndex"); json.int(ruleIndex) }
        json.key("level"); json.string(SARIFFormatter.level(diagnostic.severity))
        json.key("message"); SARIFFormatter.writeText(diagnostic.message, to: &json)
        json.key("locations")
        json.openArray()
        json.item()
        json.openObject()
        json.key("physicalLocation")
        json.openObject()
        json.key("artifactLocation"); SARIFFormatter.writeURI(uri, to: &json)
        if report.source != nil, diagnostic.range != nil {
            json.key("region"); SARIFFormatter.writeRegion(diagnostic.span, to: &json)
        }
        json.closeObject()
        json.closeObject()
        json.closeArray()
        if !diagnostic.related.isEmpty, report.source != nil {
            json.key("relatedLocations")
            json.openArray()
            for (index, note) in diagnostic.related.enumerated() {
                json.item()
                json.openObject()
                json.key("id"); json.int(index)
                json.key("physicalLocation")
                json.openObject()
                json.key("artifactLocation"); SARIFFormatter.writeURI(uri, to: &json)
                json.key("region"); SARIFFormatter.writeRegion(note.span, to: &json)
                json.closeObject()
                json.key("message"); SARIFFormatter.writeText(note.message, to: &json)
                json.closeObject()
            }
            json.closeArray()
        }
        if let fix = diagnostic.fix, let source = report.source {
            json.key("fixes")
            json.openArray()
            json.item()
            json.openObject()
            json.key("description"); SARIFFormatter.writeText(fix.description, to: &json)
            json.key("artifactChanges")
            json.openArray()
            json.item()
            json.openObject()
            json.key("artifactLocation"); SARIFFormatter.writeURI(uri, to: &json)
            json.key("replacements")
            json.openArray()
            for edit in fix.edits {
                json.item()
                json.openObject()
                json.key("deletedRegion"); SARIFFormatter.writeRegion(source.span(edit.range), to: &json)
                json.key("insertedContent"); SARIFFormatter.writeText(edit.replacement, to: &json)
                json.closeObject()
            }
            json.closeArray()
            json.closeObject()
            json.closeArray()
            json.closeObject()
            json.closeArray()
        }
        json.closeObject()
    }

    /// `{"text": …}`.
    private static func writeText(_ text: String, to json: inout JSONWriter) {
        json.openObject()
        json.key("text"); json.string(text)
        json.closeObject()
    }

    /// `{"uri": …}`.
    private static func writeURI(_ uri: String, to json: inout JSONWriter) {
        json.openObject()
        json.key("uri"); json.string(uri)
        json.closeObject()
    }

    /// `{"startLine", "startColumn", "endLine", "endColumn"}`.
    private static func writeRegion(_ span: Span, to json: inout JSONWriter) {
        json.openObject()
        json.key("startLine"); json.int(span.start.line)
        json.key("startColumn"); json.int(span.start.column)
        json.key("endLine"); json.int(span.end.line)
        json.key("endColumn"); json.int(span.end.column)
        json.closeObject()
    }

    /// A path as a URI reference (RFC 3986): a relative path stays relative, an absolute one
    /// becomes a `file:` URI; every byte outside the unreserved set and `/` is percent-encoded
    /// (UTF-8), so Chinese names, spaces, `%`, `#`, `?` and a `:` in the first segment are safe.
    public static func uriReference(forPath path: String) -> String {
        // Built as bytes: appending scalar by scalar to a String costs more than the whole
        // result it goes into.
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count + 8)
        if path.hasPrefix("/") { out.append(contentsOf: "file://".utf8) }
        let hex: StaticString = "0123456789ABCDEF"
        hex.withUTF8Buffer { digits in
            for byte in path.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                    out.append(byte)
                default:
                    out.append(UInt8(ascii: "%"))
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0x0F)])
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
