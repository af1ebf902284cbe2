import BulletinLintCore
import Foundation

/// What the web page and the JSON API do, without HTTP: choose a configuration, lint, fix,
/// describe rule sets. Everything here works on bytes and text in memory; nothing is read from
/// or written to a path the request names.
public enum LintService {
    /// An error the API answers with `{"error": {"code", "message"}}` (and `line`/`column` for
    /// a rule file).
    public struct Failure: Error, Sendable, Equatable {
        public let status: Int
        public let code: String
        public let message: String
        public var line: Int? = nil
        public var column: Int? = nil

        public init(status: Int, code: String, message: String, line: Int? = nil, column: Int? = nil) {
            self.status = status
            self.code = code
            self.message = message
            self.line = line
            self.column = column
        }

        public var json: JSON {
            var members: [(String, JSON)] = [("code", .string(code)), ("message", .string(message))]
            if let line { members.append(("line", .int(line))) }
            if let column { members.append(("column", .int(column))) }
            return .object([("error", .object(members))])
        }
    }

    /// The document of a request: uploaded bytes (only the name's extension is used) or pasted text.
    public enum Document: Sendable {
        case bytes([UInt8], name: String)
        case text(String, name: String)

        var input: DocumentLinter.Input {
            switch self {
            case .bytes(let bytes, let name): return .bytes(bytes, name: name)
            case .text(let text, let name): return .text(text, name: name)
            }
        }

        public var name: String {
            switch self {
            case .bytes(_, let name), .text(_, let name): return name
            }
        }
    }

    /// A display name for an uploaded file: its last path component, without control
    /// characters, at most 120 characters; never used as a path.
    public static func safeName(_ raw: String?, fallback: String) -> String {
        guard let raw else { return fallback }
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        let trimmed = cleaned.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "." || trimmed == ".." { return fallback }
        return String(trimmed.prefix(120))
    }

    // MARK: Configuration

    /// The configuration of a request: an uploaded `.bulletinlint.yaml` (which may extend
    /// built-in sets only), else a built-in rule set by name, else `default`.
    public static func configuration(ruleSet: String?, configText: [UInt8]?, configName: String?) throws(Failure) -> Configuration {
        let directory = "/"
        if let configText {
            guard let text = String(validating: configText, as: UTF8.self) else {
                throw Failure(status: 400, code: "bad_rule_file", message: "规则文件必须是 UTF-8 编码")
            }
            let name = safeName(configName, fallback: ".bulletinlint.yaml")
            do {
                return try RuleSetLoader.builtinReferencesOnly().loadConfiguration(text: text, name: name, directory: directory)
            } catch {
                throw Failure(status: 400, code: "bad_rule_file", message: "规则文件“\(name)”第 \(error.line) 行第 \(error.column) 列：\(error.message)",
                              line: error.line, column: error.column)
            }
        }
        let name = (ruleSet?.isEmpty ?? true) ? BuiltinRuleSets.defaultName : (ruleSet ?? BuiltinRuleSets.defaultName)
        guard BuiltinRuleSets.names.contains(name) else {
            throw Failure(status: 400, code: "unknown_ruleset",
                          message: "未知的内置规则集“\(name)”；可用：\(BuiltinRuleSets.names.joined(separator: "、"))")
        }
        return try cachedBuiltin(name)
    }

    private static let cache = BuiltinCache()

    private final class BuiltinCache: @unchecked Sendable {
        let lock = NSLock()
        var sets: [String: Configuration] = [:]
    }

    /// Built-in sets are loaded once per process.
    static func cachedBuiltin(_ name: String) throws(Failure) -> Configuration {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let found = cache.sets[name] { return found }
        do {
            let configuration = Configuration(ruleSet: try RuleSetLoader().load(references: [name]), directory: "/")
            cache.sets[name] = configuration
            return configuration
        } catch {
            throw Failure(status: 500, code: "internal", message: "内置规则集“\(name)”无法加载：\(error.message)")
        }
    }

    // MARK: Lint

    /// Lints a document; a document that cannot be read is a 422 `unreadable_document`.
    public static func lint(_ document: Document, configuration: Configuration) throws(Failure) -> (DocumentLinter.Outcome, SourceText, Bulletin?) {
        let linter = DocumentLinter(configuration: configuration)
        let outcome = linter.lint(document.input)
        guard let source = outcome.source else {
            let first = outcome.report.diagnostics.first
            let message = first.map { $0.message + ($0.help.isEmpty ? "" : "（\($0.help)）") } ?? "无法读取文档"
            throw Failure(status: 422, code: first?.ruleID ?? "unreadable_document", message: message)
        }
        return (outcome, source, outcome.document)
    }

    /// The answer of `POST /api/lint`.
    public static func lintJSON(_ document: Document, configuration: Configuration) throws(Failure) -> JSON {
        let (outcome, source, bulletin) = try lint(document, configuration: configuration)
        return report(name: document.name, configuration: configuration, diagnostics: outcome.report.diagnostics,
                      source: source, bulletin: bulletin)
    }

    /// `{"name", "ruleset", "format", "encoding", "text", "findings", "summary", "rules", "inspect"}`.
    static func report(name: String, configuration: Configuration, diagnostics: [Diagnostic], source: SourceText,
                       bulletin: Bulletin?) -> JSON {
        let text = source.text
        let offsets = UTF16Offsets(text: text, utf8Offsets: diagnostics.flatMap { d in d.range.map { [$0.lowerBound, $0.upperBound] } ?? [] })
        var findings: [JSON] = []
        var counts: [String: Int] = [:]
        var errors = 0, warnings = 0, infos = 0, fixable = 0, unsafeFixable = 0
        for (index, d) in diagnostics.enumerated() {
            switch d.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: infos += 1
            }
            counts[d.ruleID, default: 0] += 1
            var members: [(String, JSON)] = [
                ("id", .int(index)),
                ("rule", .string(d.ruleID)),
                ("severity", .string(d.severity.rawValue)),
                ("message", .string(d.message)),
                ("help", .string(d.help)),
                ("line", .int(d.span.start.line)),
                ("column", .int(d.span.start.column)),
                ("endLine", .int(d.span.end.line)),
                ("endColumn", .int(d.span.end.column)),
            ]
            if let range = d.range {
                members.append(("start", .int(offsets[range.lowerBound])))
                members.append(("end", .int(offsets[range.upperBound])))
            } else {
                members.append(("start", .null))
                members.append(("end", .null))
            }
            if let fix = d.fix {
                if fix.applicability == .safe { fixable += 1 } else { unsafeFixable += 1 }
                members.append(("fix", .object([("applicability", .string(fix.applicability.rawValue)),
                                                ("description", .string(fix.description))])))
            } else {
                members.append(("fix", .null))
            }
            findings.append(.object(members))
        }
        let ruleSet = configuration.ruleSet
        let byRule: [JSON] = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { id, count in
            let rule = ruleSet.rule(id)
            let engine = EngineRule(rawValue: id)
            let severity = diagnostics.first { $0.ruleID == id }?.severity.rawValue ?? "info"
            let explanation = rule.map { RuleExplanation.text($0) } ?? engine.map { RuleExplanation.text($0) } ?? ""
            return .object([
                ("rule", .string(id)),
                ("title", .string(rule?.displayTitle ?? engine?.title ?? id)),
                ("severity", .string(severity)),
                ("count", .int(count)),
                ("explanation", .string(explanation)),
            ])
        }
        var inspect: JSON = .null
        if let bulletin {
            inspect = (try? JSON.parse(InspectFormatter.json(bulletin))) ?? .null
        }
        return .object([
            ("name", .string(name)),
            ("ruleset", .string(ruleSet.name)),
            ("format", .string(source.format.rawValue)),
            ("encoding", .string(source.encoding.rawValue)),
            ("text", .string(text)),
            ("findings", .array(findings)),
            ("summary", .object([
                ("errors", .int(errors)), ("warnings", .int(warnings)), ("infos", .int(infos)),
                ("fixable", .int(fixable)), ("unsafeFixable", .int(unsafeFixable)),
                ("byRule", .array(byRule)),
            ])),
            ("inspect", inspect),
            ("labels", .object(labels(ruleSet))),
            ("inspectText", .string(bulletin.map { InspectFormatter.text($0) } ?? "")),
        ])
    }

    /// The Chinese name of each element kind (`column` → 栏目), for the inspect view.
    static func labels(_ ruleSet: RuleSet) -> [(String, JSON)] {
        var labels: [(String, JSON)] = [("article", .string("文章")), ("paragraph", .string("段落"))]
        for spec in ruleSet.elements where !spec.label.isEmpty && !labels.contains(where: { $0.0 == spec.kind }) {
            labels.append((spec.kind, .string(spec.label)))
        }
        return labels
    }

    // MARK: Fix

    /// What `POST /api/fix` does: with `finding`, the fix of that one finding (by its `id` in
    /// the lint answer of the same document and configuration); otherwise every safe fix, until
    /// the text stops changing. Answers the fixed text, how many fixes were applied, and the
    /// lint answer of the fixed text (as plain text or Markdown, by the name's extension).
    public static func fixJSON(_ document: Document, configuration: Configuration, finding: Int?) throws(Failure) -> JSON {
        let (outcome, source, _) = try lint(document, configuration: configuration)
        let fixedText: String
        let applied: Int
        if let finding {
            let diagnostics = outcome.report.diagnostics
            guard diagnostics.indices.contains(finding) else {
                throw Failure(status: 400, code: "bad_request", message: "没有编号为 \(finding) 的问题")
            }
            guard let fix = diagnostics[finding].fix else {
                throw Failure(status: 400, code: "no_fix", message: "这个问题没有可自动修正的改法")
            }
            guard fix.applicability == .safe else {
                throw Failure(status: 400, code: "unsafe_fix", message: "这个修正不安全，需要人工判断，网页不自动应用")
            }
            (fixedText, applied) = FixApplier.apply([fix], to: source.text)
        } else {
            let linter = DocumentLinter(configuration: configuration)
            let result = linter.fix(source, ignorePath: document.name, unsafe: false)
            fixedText = result.text
            applied = result.applied
        }
        // The fixed text is text from now on: a .docx or .pdf becomes a .txt of its text.
        let textName = textName(for: document.name)
        let fixedSource = DocumentLinter.source(text: fixedText, name: textName)
        let relinted = DocumentLinter(configuration: configuration).lint(fixedSource, ignorePath: textName)
        let report = report(name: textName, configuration: configuration, diagnostics: relinted.report.diagnostics,
                            source: fixedSource, bulletin: relinted.document)
        return .object([("applied", .int(applied)), ("name", .string(textName)), ("result", report)])
    }

    /// The name of a document's text: itself for .txt and .md, else with `.txt` appended.
    public static func textName(for name: String) -> String {
        let lower = name.lowercased()
        if lower.hasSuffix(".txt") || lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return name }
        return name + ".txt"
    }

    // MARK: Rules

    /// The answer of `GET /api/rules`: the built-in rule sets and the rules of one of them.
    public static func rulesJSON(ruleSet name: String?) throws(Failure) -> JSON {
        let configuration = try configuration(ruleSet: name, configText: nil, configName: nil)
        let ruleSet = configuration.ruleSet
        return .object([
            ("rulesets", .array(BuiltinRuleSets.names.map { .string($0) })),
            ("default", .string(BuiltinRuleSets.defaultName)),
            ("ruleset", .string(ruleSet.name)),
            ("title", .string(ruleSet.title)),
            ("rules", .array(ruleSet.rules.map { rule in
                .object([
                    ("id", .string(rule.id)),
                    ("title", .string(rule.displayTitle)),
                    ("severity", .string(rule.severity.rawValue)),
                    ("fixable", .bool(rule.fix != nil)),
                    ("help", .string(rule.help)),
                ])
            })),
        ])
    }
}

/// UTF-8 offsets of a text mapped to UTF-16 offsets (what JavaScript strings count), in one
/// pass over the text.
struct UTF16Offsets {
    private var map: [Int: Int] = [:]

    init(text: String, utf8Offsets: [Int]) {
        let wanted = Set(utf8Offsets)
        guard !wanted.isEmpty else { return }
        var utf8 = 0, utf16 = 0
        for scalar in text.unicodeScalars {
            if wanted.contains(utf8) { map[utf8] = utf16 }
            utf8 += UTF8.width(scalar)
            utf16 += UTF16.width(scalar)
        }
        if wanted.contains(utf8) { map[utf8] = utf16 }
    }

    /// An offset inside a scalar (never given by the linter) maps to the next scalar boundary's
    /// neighbour: the nearest known offset below it.
    subscript(utf8: Int) -> Int {
        if let found = map[utf8] { return found }
        return map.filter { $0.key <= utf8 }.max { $0.key < $1.key }?.value ?? 0
    }
}
