/// How serious a finding is.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case error, warning, info

    var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .info: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Where a rule was written.
public struct RuleOrigin: Sendable {
    public let file: String
    public let line: Int
    public let column: Int
    /// The `ruleset:` name of the file that defined the rule.
    public let ruleSet: String
}

/// A rule's examples, run as tests (`valid` must not fire, `invalid` must).
public struct RuleExamples: Sendable {
    public struct Example: Sendable {
        /// The example's document: its own text inside the rule's `context:`, markers kept.
        public let text: String
        public let origin: RuleOrigin
        /// The document date the example is judged by (`date:`), for a rule of an era.
        public var date: String?
        /// The genre the example is judged as (`genre:`); by default one the rule applies to.
        public var genre: String?
        /// What an invalid example becomes once the rule's fixes are applied (`fixed:`), inside
        /// the same context.
        public var fixed: FixExpectation?

        public init(text: String, origin: RuleOrigin, date: String? = nil, genre: String? = nil) {
            self.text = text
            self.origin = origin
            self.date = date
            self.genre = genre
        }
    }

    /// The text an invalid example must become when fixed, and where it was written.
    public struct FixExpectation: Sendable {
        public let text: String
        public let origin: RuleOrigin

        public init(text: String, origin: RuleOrigin) {
            self.text = text
            self.origin = origin
        }
    }

    public var valid: [Example] = []
    public var invalid: [Example] = []
}

/// The lines an example scaffold (`context:`) puts before and after each example of a rule, so
/// that examples need not repeat a 栏目 and a title, or the lines of a 版记.
public struct ExampleContext: Sendable, Equatable {
    public var before: String
    public var after: String

    public init(before: String = "", after: String = "") {
        self.before = before
        self.after = after
    }

    /// `before`, the example and `after`, each on lines of its own (an empty part left out).
    public func wrap(_ text: String) -> String {
        [before, text, after].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// One resolved rule: what it checks (a `Check`), how it reports.
public struct Rule: Sendable {
    public let id: String
    /// One short line that names the rule (`title:`), e.g. “缺少信息公开选项”; nil when the rule
    /// file gives none (`displayTitle` then derives one from the message).
    public var title: String?
    public let checkKind: String
    public var severity: Severity
    public var message: String {
        didSet { messageTemplate = MessageTemplate(message) }
    }
    public var help: String {
        didSet { helpTemplate = MessageTemplate(help) }
    }
    /// `message` and `help` split at their placeholders once, for rendering every finding.
    public private(set) var messageTemplate: MessageTemplate
    public private(set) var helpTemplate: MessageTemplate
    public var examples: RuleExamples
    public var locked: Bool
    /// The rule set whose `locked: true` locked the rule.
    public var lockedBy: String?
    public internal(set) var check: any Check
    /// The check the rule's examples run with when `examples:` gives parameters of their own
    /// (`examples: { parameters: { organs: […] } }`: a registry that is empty until an office
    /// fills it, filled for the examples); nil when they run with the rule's own.
    public internal(set) var exampleCheck: (any Check)?
    public let origin: RuleOrigin
    /// The rule's YAML as written where it was defined (for `explain`).
    public var definition: String = ""
    /// How the rule repairs its findings (`fix:`), if it can.
    public var fix: FixSpec?
    /// The genres and period the rule applies to (`when:`, `effective:`).
    public var condition = RuleCondition()
    /// Where an `overrides:` entry set the severity (not the rule's own definition), if one did.
    public var severitySetAt: RuleOrigin?

    public init(id: String, checkKind: String, severity: Severity, message: String, help: String,
                examples: RuleExamples, locked: Bool, lockedBy: String?, check: any Check, origin: RuleOrigin,
                definition: String = "", fix: FixSpec? = nil) {
        self.id = id
        self.checkKind = checkKind
        self.severity = severity
        self.message = message
        self.help = help
        self.messageTemplate = MessageTemplate(message)
        self.helpTemplate = MessageTemplate(help)
        self.examples = examples
        self.locked = locked
        self.lockedBy = lockedBy
        self.check = check
        self.origin = origin
        self.definition = definition
        self.fix = fix
    }
}

/// A resolved rule set: element specs and rules, after `extends` and `overrides`.
public struct RuleSet: Sendable {
    public let name: String
    public let title: String
    /// Element specs in their canonical order.
    public let elements: [ElementSpec]
    public internal(set) var rules: [Rule]
    /// Every file that went into the set, in load order.
    public let files: [String]

    /// The parser of the set's elements, made once: it sorts the specs out for every step.
    public let parser: BulletinParser
    /// Rules an override switched off (`rule: off`), with where, for `rules` and `explain`.
    public var disabledRules: [(id: String, origin: RuleOrigin)] = []

    /// The distinct conditions of the rules, and for each rule the index of its condition there
    /// (-1 for none): a document is judged against a handful of conditions, not every rule's.
    let conditions: [RuleCondition]
    let conditionSlots: [Int]
    /// Whether each rule runs per document: cross-document (archive) rules run in a phase of
    /// their own, over every document of a run (`ArchivePass`). Worked out once, not per file.
    let perDocument: [Bool]

    public init(name: String, title: String, elements: [ElementSpec], rules: [Rule], files: [String]) {
        self.name = name
        self.title = title
        self.elements = elements
        self.rules = rules
        self.files = files
        parser = BulletinParser(specs: elements)
        var conditions: [RuleCondition] = []
        conditionSlots = rules.map { rule in
            guard !rule.condition.isEmpty else { return -1 }
            if let index = conditions.firstIndex(of: rule.condition) { return index }
            conditions.append(rule.condition)
            return conditions.count - 1
        }
        self.conditions = conditions
        perDocument = rules.map { $0.crossDocumentCheck == nil }
    }

    /// Which rules apply to a document of this genre and date, by rule index.
    func applicable(genre: DocumentGenre, date: String?, has: (String) -> Bool) -> [Bool] {
        let holds = conditions.map { $0.applies(to: genre, date: date, has: has) }
        return conditionSlots.map { $0 < 0 || holds[$0] }
    }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// The set its rules' examples run against: each rule with its examples' own check, where
    /// it has one (the parser and conditions are the same).
    var forExamples: RuleSet {
        guard rules.contains(where: { $0.exampleCheck != nil }) else { return self }
        var copy = self
        copy.rules = rules.map(\.forExamples)
        return copy
    }
}

extension Rule {
    /// The rule as its examples run it: with its examples' check, where it has one.
    var forExamples: Rule {
        guard let exampleCheck else { return self }
        var copy = self
        copy.check = exampleCheck
        copy.exampleCheck = nil
        return copy
    }
}

extension Rule {
    /// A finding of this rule as a diagnostic of `source` (archive findings, which come from
    /// outside the per-document linter).
    func diagnostic(for finding: Finding, in source: SourceText) -> Diagnostic {
        Diagnostic(ruleID: id, severity: severity, message: messageTemplate.render(finding.variables, capped: true),
                   help: helpTemplate.render(finding.variables, capped: true), range: finding.range, span: source.span(finding.range))
    }
}
