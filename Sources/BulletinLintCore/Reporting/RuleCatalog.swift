/// How formats that list rules (SARIF's `tool.driver.rules`, JUnit's test cases) describe them:
/// every rule of the rule set, then every engine id (`EngineRule`).
struct RuleDescriptor: Sendable, Equatable {
    let id: String
    /// The title: one line, without placeholders (“日期中有多余空格”).
    let shortDescription: String
    /// The short description and the help, as sentences.
    let fullDescription: String
    /// The help line with placeholders stripped; may be empty.
    let help: String
    let severity: Severity
}

enum RuleCatalog {
    /// The rules of `rules` in their order (a repeated id is listed once), then every engine id
    /// (`EngineRule`, sorted by id) that is not a rule's, so that the list is known before any
    /// report is written and depends on nothing else.
    static func descriptors(rules: [Rule]) -> [RuleDescriptor] {
        var seen = Set<String>()
        var out: [RuleDescriptor] = []
        for rule in rules where seen.insert(rule.id).inserted {
            out.append(describe(rule))
        }
        for engine in EngineRule.allCases.sorted(by: { $0.id < $1.id }) where !seen.contains(engine.id) {
            out.append(describe(engine))
        }
        return out
    }

    static func describe(_ engine: EngineRule) -> RuleDescriptor {
        RuleDescriptor(id: engine.id, shortDescription: engine.title, fullDescription: engine.description,
                       help: engine.help, severity: engine.severity)
    }

    /// Whether a finding of `id` means the document's rules did not run.
    static func documentNotChecked(_ id: String) -> Bool {
        EngineRule(rawValue: id)?.documentNotChecked ?? false
    }

    static func describe(_ rule: Rule) -> RuleDescriptor {
        let short = rule.displayTitle
        let help = summary(of: rule.help)
        var full = sentence(short)
        if containsWord(help) { full += sentence(help) }
        return RuleDescriptor(id: rule.id, shortDescription: short, fullDescription: full,
                              help: containsWord(help) ? help : "", severity: rule.severity)
    }

    /// A title derived from a rule's message, for a rule without `title:` (a user's rule file
    /// may have none): the message with its placeholders taken out (`summary(of:)`).
    static func derivedTitle(_ rule: Rule) -> String {
        let short = summary(of: rule.message)
        return containsWord(short) ? short : "规则“\(rule.id)”"
    }

    /// Ends `text` with a full stop unless it already ends a sentence (closing brackets and
    /// quotes after the stop included: “（只检查单页摘录时可忽略。）”).
    static func sentence(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let last = scalars.last, "）)”’】》".unicodeScalars.contains(last) { scalars.removeLast() }
        guard let last = scalars.last else { return text }
        return "。！？!?".unicodeScalars.contains(last) ? text : text + "。"
    }

    static func containsWord(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    // MARK: Templates without placeholders

    private static let openers: [Character: Character] = [
        "（": "）", "(": ")", "《": "》", "“": "”", "‘": "’", "【": "】", "〔": "〕", "[": "]", "「": "」",
    ]
    private static let quotes: [Character: Character] = ["“": "”", "‘": "’", "「": "」", "《": "》"]
    private static let clauseSeparators: Set<Character> = ["，", "；", "：", ",", ";", ":"]
    private static let sentenceEnds: Set<Character> = ["。", "！", "？"]

    /// A message or help template with its `{placeholders}` taken out so it reads as a rule's
    /// description rather than one finding's:
    ///
    /// - a quantity (a placeholder with a space on either side, as numbers are written among
    ///   Chinese: `有 {length} 个字`) becomes `…` wherever it is:
    ///   `段落有 {length} 个字，超过 {max} 个字` → `段落有 … 个字，超过 … 个字`;
    /// - a clause after the first (split at top-level `，；：` and `。！？`) that holds another
    ///   placeholder is dropped with the separator before it, since it only details the
    ///   finding: `印发日期“{text}”格式不规范：{problem}` → `印发日期格式不规范`;
    /// - a quoted placeholder that names what the clause is about (at the clause's start or
    ///   after 的) becomes `“…”`, and so do the quoted placeholders after it:
    ///   `“{text}”应改为“{replacement}”` → `“…”应改为“…”`;
    /// - other quoted placeholders are appositions and are removed with their quotes:
    ///   `印发日期“{text}”格式不规范` → `印发日期格式不规范`;
    /// - another bare placeholder is removed (at a clause's start it becomes `…`).
    static func summary(of template: String) -> String {
        guard template.contains("{") else { return template }
        let clauses = split(Array(template))
        var out: [Character] = []
        for (index, clause) in clauses.enumerated() {
            if index > 0, hasDetail(clause.body) {
                // Dropped; a sentence end that closed it still ends the sentence.
                if let end = clause.body.last, sentenceEnds.contains(end) { out.append(end) }
                continue
            }
            out.append(contentsOf: clause.separator)
            out.append(contentsOf: strip(clause.body))
        }
        // Doubled spaces, or a clause separator left dangling at the end, read badly.
        var collapsed: [Character] = []
        for ch in out where !(ch == " " && (collapsed.isEmpty || collapsed.last == " ")) {
            collapsed.append(ch)
        }
        while let last = collapsed.last, last == " " || clauseSeparators.contains(last) { collapsed.removeLast() }
        return String(collapsed)
    }

    /// A clause and the separator that came before it (empty for the first).
    private struct Clause {
        var separator: [Character]
        var body: [Character]
    }

    /// Splits at clause separators and sentence ends outside brackets, quotes and placeholders.
    /// A sentence end stays at the end of its clause's body.
    private static func split(_ chars: [Character]) -> [Clause] {
        var clauses: [Clause] = [Clause(separator: [], body: [])]
        var closers: [Character] = []
        var inPlaceholder = false
        for ch in chars {
            if inPlaceholder {
                clauses[clauses.count - 1].body.append(ch)
                if ch == "}" { inPlaceholder = false }
                continue
            }
            if ch == "{" {
                inPlaceholder = true
                clauses[clauses.count - 1].body.append(ch)
                continue
            }
            if let closer = closers.last, ch == closer {
                closers.removeLast()
                clauses[clauses.count - 1].body.append(ch)
                continue
            }
            if let closer = openers[ch] {
                closers.append(closer)
                clauses[clauses.count - 1].body.append(ch)
                continue
            }
            if closers.isEmpty, clauseSeparators.contains(ch) {
                clauses.append(Clause(separator: [ch], body: []))
            } else if closers.isEmpty, sentenceEnds.contains(ch) {
                clauses[clauses.count - 1].body.append(ch)
                clauses.append(Clause(separator: [], body: []))
            } else {
                clauses[clauses.count - 1].body.append(ch)
            }
        }
        return clauses.filter { !$0.separator.isEmpty || !$0.body.isEmpty }
    }

    private static func hasPlaceholder(_ chars: [Character]) -> Bool {
        guard let open = chars.firstIndex(of: "{") else { return false }
        return chars[open...].contains("}")
    }

    /// Whether a clause holds a placeholder other than a quantity.
    private static func hasDetail(_ chars: [Character]) -> Bool {
        var i = 0
        while i < chars.count {
            if chars[i] == "{", let end = chars[(i + 1)...].firstIndex(of: "}") {
                if !isQuantity(chars, i, end) { return true }
                i = end + 1
            } else {
                i += 1
            }
        }
        return false
    }

    /// A placeholder (`chars[open...close]`) with a space on either side.
    private static func isQuantity(_ chars: [Character], _ open: Int, _ close: Int) -> Bool {
        open > 0 && chars[open - 1] == " " && close + 1 < chars.count && chars[close + 1] == " "
    }

    /// Handles the placeholders of one kept clause (see `summary(of:)`).
    private static func strip(_ body: [Character]) -> [Character] {
        var out: [Character] = []
        var keepQuoted = false
        var i = 0
        while i < body.count {
            let ch = body[i]
            if let closer = quotes[ch], let end = body[(i + 1)...].firstIndex(of: closer),
               hasPlaceholder(Array(body[(i + 1)..<end])) {
                let atStart = out.allSatisfy { $0 == " " }
                if atStart || out.last == "的" { keepQuoted = true }
                if keepQuoted { out.append(contentsOf: [ch, "…", closer]) }
                i = end + 1
                continue
            }
            if ch == "{", let end = body[(i + 1)...].firstIndex(of: "}") {
                if isQuantity(body, i, end) || out.allSatisfy({ $0 == " " }) { out.append("…") }
                i = end + 1
                continue
            }
            out.append(ch)
            i += 1
        }
        return out
    }
}

extension Rule {
    /// The rule's `title:`, or for a rule without one a title derived from its message: what
    /// SARIF's `shortDescription`, `rules` and `explain` show.
    public var displayTitle: String { title ?? RuleCatalog.derivedTitle(self) }
}
