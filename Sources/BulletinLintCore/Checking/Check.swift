import Foundation

/// One kind of check: a Swift type parameterised by a rule's YAML. It validates its parameters
/// when it is built and is pure when it runs.
public protocol Check: Sendable {
    /// The `check:` name in rule files.
    static var kind: String { get }
    /// Placeholders a message may use besides `{text}`.
    static var messageVariables: [String] { get }
    /// The parameters a rule of this kind may set; any other key is a typo, reported where it
    /// was written before the check reads anything.
    static var parameterKeys: [String] { get }
    init(_ parameters: inout RuleParameters) throws(RuleFileError)
    func run(_ context: CheckContext) -> [Finding]
}

/// Something a check found: where, and the values its message quotes.
public struct Finding: Sendable {
    public var range: TextRange
    public var variables: [String: String]
    /// Other places in the document the finding refers to.
    public var related: [Note]

    /// A place and what it says (`全文以第一次出现的写法为准`).
    public struct Note: Sendable {
        public var range: TextRange
        public var message: String

        public init(range: TextRange, message: String) {
            self.range = range
            self.message = message
        }
    }

    public init(range: TextRange, variables: [String: String] = [:], related: [Note] = []) {
        self.range = range
        self.variables = variables
        self.related = related
    }
}

/// All check kinds, by name.
public enum CheckRegistry {
    public static let kinds: [any Check.Type] = [
        RequiredCheck.self, PatternCheck.self, OneOfCheck.self, ForbiddenCheck.self,
        SubstitutionCheck.self, OrderCheck.self, ListCheck.self, DateCheck.self, PairedCheck.self,
        ConsistencyCheck.self, HeadingLevelsCheck.self, LengthCheck.self, TypographyCheck.self, ArchiveCheck.self,
        DatedTermsCheck.self, DivisionsCheck.self, AttachmentsCheck.self, TableTotalsCheck.self, OrgNamesCheck.self,
    ]

    public static func kind(named name: String) -> (any Check.Type)? {
        kinds.first { $0.kind == name }
    }

    public static var names: [String] { kinds.map { $0.kind } }
}

/// Where a check looks.
public enum Scope: Sendable, Equatable {
    case document
    case region(Region)
    case elements([String])
}

/// A rule's parameters, read strictly: a key no check asks for is an error.
public struct RuleParameters {
    public let ruleID: String
    let ruleNode: YAMLValue
    private var entries: [String: (keyValue: YAMLValue, value: YAMLValue)]
    private(set) var asked: [String] = []
    /// Element kinds the check refers to, checked against the rule set once it is built.
    private(set) var elementReferences: [(kind: String, at: YAMLValue)] = []

    /// Whether the rule's data files (`registry:`) may be read from disk: false for a rule file
    /// that came from elsewhere (an upload to `bulletinlint serve`), as for its `extends`.
    let allowsFileReferences: Bool

    init(ruleID: String, ruleNode: YAMLValue, entries: [String: (keyValue: YAMLValue, value: YAMLValue)],
         allowsFileReferences: Bool = true) {
        self.ruleID = ruleID
        self.ruleNode = ruleNode
        self.entries = entries
        self.allowsFileReferences = allowsFileReferences
    }

    public mutating func optional(_ key: String) -> YAMLValue? {
        asked.append(key)
        return entries[key]?.value
    }

    public mutating func required(_ key: String) throws(RuleFileError) -> YAMLValue {
        guard let value = optional(key) else {
            throw ruleNode.error("规则“\(ruleID)”缺少参数“\(key)”")
        }
        return value
    }

    mutating func recordReference(_ kind: String, at value: YAMLValue) {
        elementReferences.append((kind, value))
    }

    /// Element kinds under `key` (a string or a list).
    public mutating func elementKinds(_ key: String = "element") throws(RuleFileError) -> [String] {
        let value = try required(key)
        let kinds = try value.stringList()
        if kinds.isEmpty { throw value.error("“\(key)”不能为空") }
        for kind in kinds { elementReferences.append((kind, value)) }
        return kinds
    }

    public mutating func scope(_ key: String = "scope", default fallback: Scope? = nil) throws(RuleFileError) -> Scope {
        guard let value = optional(key) else {
            if let fallback { return fallback }
            throw ruleNode.error("规则“\(ruleID)”缺少参数“\(key)”")
        }
        let names = try value.stringList()
        if names == ["document"] { return .document }
        if names.count == 1, let region = Region(rawValue: names[0]), region != .any { return .region(region) }
        for name in names { elementReferences.append((name, value)) }
        return .elements(names)
    }

    public mutating func regex(_ value: YAMLValue) throws(RuleFileError) -> ICURegex {
        let pattern = try value.nonEmptyString()
        do {
            return try ICURegex(pattern)
        } catch {
            throw value.error("\(error.message)：\(pattern)")
        }
    }

    public mutating func regexList(_ key: String) throws(RuleFileError) -> [ICURegex] {
        guard let value = optional(key) else { return [] }
        var out: [ICURegex] = []
        switch value.node {
        case .sequence:
            for item in try value.list() { out.append(try regex(item)) }
        default:
            out.append(try regex(value))
        }
        return out
    }

    /// A data file named in a rule (`registry: 本单位机构.tsv`), read as `extends` reads a rule
    /// file: relative to the file the name is written in (an override's name is relative to the
    /// configuration that wrote it), within the rule-file size limit, as UTF-8. A rule file that
    /// is not on disk (a built-in set, an upload to `bulletinlint serve`) cannot name one.
    /// Returns the path to show in messages and the text.
    func dataFile(_ value: YAMLValue, what: String) throws(RuleFileError) -> (path: String, text: String) {
        let reference = try value.nonEmptyString()
        guard allowsFileReferences, let directory = value.document.directory else {
            throw value.error("这里的规则文件不在磁盘上（内置规则集或上传的文件），不能引用\(what)文件“\(reference)”")
        }
        let path = reference.hasPrefix("/") ? reference : URL(fileURLWithPath: directory).appendingPathComponent(reference).path
        let shown = RuleSetLoader.displayPath(path)
        let data: Data
        switch BoundedFile.read(path: path, limit: BoundedFile.ruleFileLimit) {
        case .success(let read): data = read
        case .failure(.missing): throw value.error("找不到\(what)文件“\(reference)”（相对于本文件所在的目录）")
        case .failure(let failure): throw value.error("\(what)文件“\(reference)”\(failure.reason)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw RuleFileError(file: shown, line: 1, column: 1, message: "\(what)文件必须是 UTF-8 编码")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return (shown, text)
    }

    /// Fails on the first key (in file order) that is not in `known`.
    func rejectUnknown(known: [String], commonKeys: [String]) throws(RuleFileError) {
        let ordered = entries.sorted { ($0.value.keyValue.mark?.line ?? 0, $0.value.keyValue.mark?.column ?? 0)
            < ($1.value.keyValue.mark?.line ?? 0, $1.value.keyValue.mark?.column ?? 0) }
        for (key, entry) in ordered where !known.contains(key) {
            let hint = Suggestion.hint(for: key, among: known + commonKeys)
            throw entry.keyValue.error("规则“\(ruleID)”中有未知的键“\(key)”\(hint)")
        }
    }

    /// Fails on any key the check did not read (a check whose `parameterKeys` and reads disagree).
    func finish(commonKeys: [String]) throws(RuleFileError) {
        try rejectUnknown(known: asked, commonKeys: commonKeys)
    }
}
