/// Whether a fix may be applied without review (ruff's model): `--fix` applies safe fixes,
/// `--unsafe-fixes` adds the rest.
public enum FixApplicability: String, Sendable {
    case safe, unsafe
}

/// One replacement in the source text.
public struct TextEdit: Sendable, Equatable {
    /// UTF-8 range in the source text; empty for an insertion.
    public let range: TextRange
    public let replacement: String

    public init(range: TextRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }
}

/// A fix for one finding.
public struct Fix: Sendable, Equatable {
    public let applicability: FixApplicability
    public let edits: [TextEdit]
    /// What it does, for people (`改为“2021年4月2日”`).
    public let description: String

    public init(applicability: FixApplicability, edits: [TextEdit], description: String) {
        self.applicability = applicability
        self.edits = edits
        self.description = description
    }
}

/// How a rule fixes its findings, as declared in YAML (`fix:`):
///
/// ```yaml
/// fix: { with: "{replacement}" }                      # a template over the finding's variables
/// fix: { replace: '(\d{4})\s*-\s*(\d{4})', by: '$1—$2' }   # a regex over the finding's text
/// fix: { fixer: normalize-date }                      # a named built-in fixer
/// fix: { fixer: list-terminator, applicability: unsafe }
/// ```
public struct FixSpec: Sendable {
    public enum Method: Sendable {
        case template(MessageTemplate)
        case regex(ICURegex, String)
        case fixer(Fixer)
    }

    public let method: Method
    public let applicability: FixApplicability

    /// Named fixers for what a regex cannot do safely.
    public enum Fixer: String, Sendable, CaseIterable {
        /// Dates: strip inner spaces and leading zeros (`2021年04月 02日` → `2021年4月2日`).
        case normalizeDate = "normalize-date"
        /// Half-width punctuation in a Chinese context becomes full-width; only the marks the
        /// finding covers, so URLs, decimals and Latin text stay as they are.
        case fullwidthPunctuation = "fullwidth-punctuation"
        /// The year of a 发文字号 in 六角括号: `[2021]` → `〔2021〕`.
        case hexagonalBrackets = "hexagonal-brackets"
        /// A list's final `。`: added when missing; a `。` inside a list becomes `，`.
        case listTerminator = "list-terminator"
    }

    /// The fix for a finding, or nil when there is nothing to change.
    func fix(for finding: Finding, in source: SourceText) -> Fix? {
        // Over extraction artifacts or Markdown markup the text is not what the author wrote
        // (`3 月 31 号` in a PDF): no edit there.
        guard source.artifacts(in: finding.range).isEmpty else { return nil }
        let original = String(source.slice(finding.range))
        let replacement: String
        var range = finding.range
        switch method {
        case .template(let template):
            replacement = template.render(finding.variables)
        case .regex(let regex, let template):
            // The match is replaced; the rest of the finding's text stays.
            guard let match = try? regex.firstMatch(in: original) else { return nil }
            replacement = String(original.utf8Slice(0..<match.range.lowerBound))
                + FixSpec.substitute(template, match: match, in: original)
                + String(original.utf8Slice(match.range.upperBound..<original.utf8.count))
        case .fixer(let fixer):
            switch fixer {
            case .normalizeDate:
                replacement = FixSpec.normalizeDate(original)
            case .fullwidthPunctuation:
                replacement = String(original.map { FixSpec.fullwidth[$0] ?? $0 })
            case .hexagonalBrackets:
                replacement = String(original.map { "[［(（【﹝".contains($0) ? "〔" : "]］)）】﹞".contains($0) ? "〕" : $0 })
            case .listTerminator:
                if original == "。" || original == "." {
                    replacement = "，"
                } else if finding.variables["expected"] == "。" || finding.variables["problem"]?.contains("末尾") == true {
                    // Missing final 。: insert after the last entry.
                    range = finding.range.upperBound..<finding.range.upperBound
                    replacement = "。"
                } else {
                    return nil
                }
            }
        }
        guard replacement != original || range.isEmpty else { return nil }
        let description = range.isEmpty ? "插入“\(replacement)”" : "改为“\(replacement)”"
        return Fix(applicability: applicability, edits: [TextEdit(range: range, replacement: replacement)], description: description)
    }

    static let fullwidth: [Character: Character] = [
        ",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。",
    ]

    /// `2021年04月 02日` → `2021年4月2日`; Chinese numerals are left alone (a different rule).
    static func normalizeDate(_ text: String) -> String {
        var out = ""
        var digits = ""
        func flush() {
            // Leading zeros go, but a lone 0 stays and a year keeps all its digits.
            var trimmed = Substring(digits)
            if trimmed.count < 4 { while trimmed.count > 1, trimmed.first == "0" { trimmed = trimmed.dropFirst() } }
            out += trimmed
            digits = ""
        }
        for ch in text {
            if ch.isWhitespace || ch == "\u{3000}" { continue }
            if ch.isASCII, ch.isNumber { digits.append(ch); continue }
            flush()
            out.append(ch)
        }
        flush()
        return out
    }

    /// `$1`…`$9` in `template` become the match's numbered groups (named groups by `${name}`).
    static func substitute(_ template: String, match: ICURegex.Match, in text: String) -> String {
        var out = ""
        var chars = Array(template)[...]
        while let ch = chars.first {
            chars = chars.dropFirst()
            if ch == "$", let next = chars.first {
                if let digit = next.wholeNumberValue {
                    chars = chars.dropFirst()
                    if let range = match.numberedGroups[safe: digit] ?? nil { out += text.utf8Slice(range) }
                    continue
                }
                if next == "{", let close = chars.firstIndex(of: "}") {
                    let name = String(chars[chars.index(after: chars.startIndex)..<close])
                    chars = chars[chars.index(after: close)...]
                    if let range = match.groups[name] { out += text.utf8Slice(range) }
                    continue
                }
            }
            out.append(ch)
        }
        return out
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
