// Compiled only with the MCP package trait (on by default); see Package.swift.
#if MCP
import BulletinLintCore
import MCP

/// Positions as tools report them: `line` and `column` from 1, the column in Unicode scalars
/// (as `check` prints them), and `offset`, the number of Unicode scalars before the position in
/// the text as read (from 0). Offsets are worked out in one pass over the text for all the
/// positions of an answer.
struct Positions {
    private var scalarOffsets: [Int: Int] = [:]

    /// `offsets` are UTF-8 offsets into `source.text`.
    init(_ source: SourceText, offsets: [Int]) {
        let wanted = Set(offsets).sorted()
        guard !wanted.isEmpty else { return }
        var text = source.text
        var map: [Int: Int] = [:]
        text.withUTF8 { bytes in
            var byte = 0
            var scalars = 0
            for target in wanted {
                let end = min(target, bytes.count)
                while byte < end {
                    if bytes[byte] & 0xC0 != 0x80 { scalars += 1 }
                    byte += 1
                }
                map[target] = scalars
            }
        }
        scalarOffsets = map
    }

    func offset(_ utf8Offset: Int) -> Int { scalarOffsets[utf8Offset] ?? 0 }

    func json(_ position: Position, offset utf8Offset: Int) -> JSON {
        .object([("line", .int(position.line)), ("column", .int(position.column)), ("offset", .int(offset(utf8Offset)))])
    }
}

/// Findings as tools report them.
enum Findings {
    static func offsets(of findings: [Diagnostic]) -> [Int] {
        var offsets: [Int] = []
        for finding in findings {
            if let range = finding.range { offsets += [range.lowerBound, range.upperBound] }
            for edit in finding.fix?.edits ?? [] { offsets += [edit.range.lowerBound, edit.range.upperBound] }
        }
        return offsets
    }

    /// `{"rule", "severity", "message", "help", "start", "end", "fix"?}`; `fix` is
    /// `{"safety": "safe"|"unsafe", "description", "edits": [{"start", "end", "replacement"}]}`.
    static func json(_ finding: Diagnostic, source: SourceText, positions: Positions) -> JSON {
        var members: [(String, JSON)] = [
            ("rule", .string(finding.ruleID)),
            ("severity", .string(finding.severity.rawValue)),
            ("message", .string(finding.message)),
            ("help", .string(finding.help)),
        ]
        if let range = finding.range {
            members.append(("start", positions.json(finding.span.start, offset: range.lowerBound)))
            members.append(("end", positions.json(finding.span.end, offset: range.upperBound)))
        } else {
            members.append(("start", .object([("line", .int(finding.span.start.line)), ("column", .int(finding.span.start.column))])))
            members.append(("end", .object([("line", .int(finding.span.end.line)), ("column", .int(finding.span.end.column))])))
        }
        if let fix = finding.fix {
            members.append(("fix", .object([
                ("safety", .string(fix.applicability.rawValue)),
                ("description", .string(fix.description)),
                ("edits", .array(fix.edits.map { edit in
                    let span = source.span(edit.range)
                    return .object([
                        ("start", positions.json(span.start, offset: edit.range.lowerBound)),
                        ("end", positions.json(span.end, offset: edit.range.upperBound)),
                        ("replacement", .string(edit.replacement)),
                    ])
                })),
            ])))
        }
        return .object(members)
    }

    /// Counts by severity, and how many findings `fix` repairs (safe) or repairs with
    /// `unsafe: true`.
    static func summary(_ findings: [Diagnostic]) -> JSON {
        func count(_ severity: Severity) -> JSON { .int(findings.filter { $0.severity == severity }.count) }
        return .object([
            ("errors", count(.error)),
            ("warnings", count(.warning)),
            ("infos", count(.info)),
            ("fixable", .int(findings.filter { $0.fix?.applicability == .safe }.count)),
            ("unsafeFixable", .int(findings.filter { $0.fix?.applicability == .unsafe }.count)),
        ])
    }
}

/// What a rule is, for `explain`: the facts as fields, and `explain`'s own text.
enum RuleFacts {
    static func json(_ rule: Rule) -> JSON {
        func examples(_ list: [RuleExamples.Example]) -> JSON {
            .array(list.map { example in
                var members: [(String, JSON)] = [("text", .string(example.text))]
                if let genre = example.genre { members.append(("genre", .string(genre))) }
                if let date = example.date { members.append(("date", .string(date))) }
                if let fixed = example.fixed { members.append(("fixed", .string(fixed.text))) }
                return .object(members)
            })
        }
        return .object([
            ("id", .string(rule.id)),
            ("title", .string(rule.displayTitle)),
            ("severity", .string(rule.severity.rawValue)),
            ("check", .string(rule.checkKind)),
            ("ruleset", .string(rule.origin.ruleSet)),
            ("origin", .string("\(rule.origin.file):\(rule.origin.line)")),
            ("scope", .string(RuleExplanation.scope(rule.condition))),
            ("message", .string(rule.messageTemplate.readable)),
            ("help", .string(rule.helpTemplate.readable)),
            ("fix", rule.fix.map { .string($0.applicability.rawValue) } ?? .null),
            ("locked", .bool(rule.locked)),
            ("examples", .object([("valid", examples(rule.examples.valid)), ("invalid", examples(rule.examples.invalid))])),
            ("definition", .string(rule.definition)),
            ("text", .string(RuleExplanation.text(rule))),
        ])
    }

    static func json(_ engine: EngineRule) -> JSON {
        .object([
            ("id", .string(engine.id)),
            ("title", .string(engine.title)),
            ("severity", .string(engine.severity.rawValue)),
            ("engine", .bool(true)),
            ("description", .string(engine.description)),
            ("help", .string(engine.help)),
            ("text", .string(RuleExplanation.text(engine))),
        ])
    }
}

/// The changes between a text and its fixed form, in the original's UTF-8 offsets: one per
/// changed line when the line count stays (fixes rarely add or remove lines), else one for the
/// span between the common prefix and suffix; each cut to whole scalars.
enum TextChanges {
    struct Change {
        let range: Range<Int>
        let replacement: String
    }

    static func between(_ old: String, _ new: String) -> [Change] {
        let oldBytes = Array(old.utf8), newBytes = Array(new.utf8)
        guard oldBytes != newBytes else { return [] }
        let oldLines = lines(oldBytes), newLines = lines(newBytes)
        guard oldLines.count == newLines.count else {
            return minimal(oldBytes, 0..<oldBytes.count, newBytes[...]).map { [$0] } ?? []
        }
        var changes: [Change] = []
        for (oldLine, newLine) in zip(oldLines, newLines) where !oldBytes[oldLine].elementsEqual(newBytes[newLine]) {
            if let change = minimal(oldBytes, oldLine, newBytes[newLine]) { changes.append(change) }
        }
        return changes
    }

    /// Whether two ranges meet (closed intervals: an insertion at either end counts).
    static func touch(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.lowerBound <= b.upperBound && b.lowerBound <= a.upperBound
    }

    /// Each line with its terminator.
    private static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            ranges.append(start..<(i + 1))
            start = i + 1
        }
        if start < bytes.count || ranges.isEmpty { ranges.append(start..<bytes.count) }
        return ranges
    }

    /// The change turning `old[base]` into `new`: the span between their common prefix and
    /// suffix, at scalar boundaries; nil when they are equal.
    private static func minimal(_ old: [UInt8], _ base: Range<Int>, _ new: ArraySlice<UInt8>) -> Change? {
        let a = old[base], b = Array(new)
        guard !a.elementsEqual(b) else { return nil }
        let aa = Array(a)
        var prefix = 0
        while prefix < aa.count, prefix < b.count, aa[prefix] == b[prefix] { prefix += 1 }
        while prefix > 0, (prefix < aa.count && aa[prefix] & 0xC0 == 0x80) || (prefix < b.count && b[prefix] & 0xC0 == 0x80) {
            prefix -= 1
        }
        var suffix = 0
        while suffix < aa.count - prefix, suffix < b.count - prefix, aa[aa.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        while suffix > 0, aa[aa.count - suffix] & 0xC0 == 0x80 || b[b.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
        let replacement = String(decoding: b[prefix..<(b.count - suffix)], as: UTF8.self)
        return Change(range: (base.lowerBound + prefix)..<(base.lowerBound + aa.count - suffix), replacement: replacement)
    }
}

/// The core's ordered JSON as the SDK's `Value` (structured tool results).
enum MCPValue {
    static func from(_ json: JSON) -> Value {
        switch json {
        case .string(let text): return .string(text)
        case .int(let number): return .int(number)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .array(let items): return .array(items.map(from))
        case .object(let members):
            var object: [String: Value] = [:]
            for (key, value) in members { object[key] = from(value) }
            return .object(object)
        }
    }
}
#endif
