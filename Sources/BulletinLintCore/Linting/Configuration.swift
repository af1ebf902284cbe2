import Foundation

/// An `ignore` entry of a configuration: findings of a rule in matching files are dropped, for
/// a stated reason.
public struct IgnoreEntry: Sendable {
    public let paths: [Glob]
    /// nil: every rule.
    public let ruleIDs: [String]?
    public let reason: String
    public let line: Int
    public let column: Int

    func covers(ruleID: String, relativePath: String) -> Bool {
        (ruleIDs?.contains(ruleID) ?? true) && paths.contains { $0.matches(relativePath) }
    }
}

/// What governs the files under one folder: the resolved rule set plus the configuration-only
/// settings (`include`, `exclude`, `ignore`).
public struct Configuration: Sendable {
    /// The configuration file as reported, or nil for the built-in default.
    public let path: String?
    /// Absolute folder that globs are relative to.
    public let directory: String
    public let ruleSet: RuleSet
    public let include: [Glob]
    public let exclude: [Glob]
    public let ignores: [IgnoreEntry]
    /// The file's text, to show an `unused-suppression` finding in it.
    public let text: String?

    /// The built-in default: `bulletin`, or the `--rules` sets given.
    public init(ruleSet: RuleSet, directory: String) {
        path = nil
        self.directory = directory
        self.ruleSet = ruleSet
        include = []
        exclude = []
        ignores = []
        text = nil
    }

    init(path: String, directory: String, ruleSet: RuleSet, include: [Glob], exclude: [Glob], ignores: [IgnoreEntry], text: String) {
        self.path = path
        self.directory = directory
        self.ruleSet = ruleSet
        self.include = include
        self.exclude = exclude
        self.ignores = ignores
        self.text = text
    }

    /// A file's path relative to this configuration's folder.
    public func relativePath(of filePath: String) -> String {
        let absolute = URL(fileURLWithPath: filePath).standardizedFileURL.path
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return absolute.hasPrefix(base) ? String(absolute.dropFirst(base.count)) : absolute
    }

    /// Whether a file found in a folder is linted (`include`/`exclude`).
    public func admits(_ filePath: String) -> Bool {
        if include.isEmpty && exclude.isEmpty { return true }
        let relative = relativePath(of: filePath)
        if !include.isEmpty, !include.contains(where: { $0.matches(relative) }) { return false }
        return !exclude.contains { $0.matches(relative) }
    }

    /// Names of configuration files, looked for from a file's folder upward.
    public static let fileNames = [".bulletinlint.yaml", ".bulletinlint.yml"]
}

extension RuleSetLoader {
    /// Loads a configuration file: a rule file that may also have `include`, `exclude` and
    /// `ignore`, and needs no `ruleset` name.
    public func loadConfiguration(path: String) throws(RuleFileError) -> Configuration {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let data: Data
        switch BoundedFile.read(path: path, limit: BoundedFile.ruleFileLimit) {
        case .success(let read): data = read
        case .failure(.missing): throw RuleFileError(file: path, line: 1, column: 1, message: "找不到配置文件“\(path)”")
        case .failure(let failure): throw RuleFileError(file: path, line: 1, column: 1, message: "配置文件\(failure.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleFileError(file: path, line: 1, column: 1, message: "配置文件必须是 UTF-8 编码")
        }
        let display = RuleSetLoader.displayPath(path)
        let directory = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
        return try configuration(YAMLDocument(path: display, text: text, directory: directory), id: "file:" + absolute,
                                 directory: directory)
    }

    /// Loads a configuration file from its text alone (an upload), shown as `name`, with globs
    /// relative to `directory`. With `builtinReferencesOnly()`, `extends` cannot reach the disk.
    public func loadConfiguration(text: String, name: String, directory: String) throws(RuleFileError) -> Configuration {
        try configuration(YAMLDocument(path: name, text: text), id: "upload:" + name, directory: directory)
    }

    private func configuration(_ document: YAMLDocument, id: String, directory: String) throws(RuleFileError) -> Configuration {
        let raw = try resolve(document, id: id, stack: [], asConfig: true)
        let ruleSet = try build(raw)
        func globs(_ key: String) throws(RuleFileError) -> [Glob] {
            guard let field = raw.configFields[key] else { return [] }
            let patterns = try field.value.stringList()
            if patterns.contains(where: { $0.isEmpty }) { throw field.value.error("“\(key)”中不能有空的路径模式") }
            return patterns.map(Glob.init)
        }
        var ignores: [IgnoreEntry] = []
        if let field = raw.configFields["ignore"] {
            for item in try field.value.list() {
                ignores.append(try ignoreEntry(item, ruleSet: ruleSet))
            }
        }
        return Configuration(path: document.path, directory: directory, ruleSet: ruleSet, include: try globs("include"),
                             exclude: try globs("exclude"), ignores: ignores, text: document.text)
    }

    private func ignoreEntry(_ item: YAMLValue, ruleSet: RuleSet) throws(RuleFileError) -> IgnoreEntry {
        let keys = ["path", "rule", "reason"]
        var values: [String: YAMLValue] = [:]
        for entry in try item.entries() {
            guard keys.contains(entry.key) else {
                throw entry.keyValue.error("ignore 中有未知的键“\(entry.key)”\(Suggestion.hint(for: entry.key, among: keys))；可用：path、rule、reason")
            }
            values[entry.key] = entry.value
        }
        guard let pathValue = values["path"] else { throw item.error("ignore 条目缺少“path”（要忽略的文件路径模式）") }
        guard let reasonValue = values["reason"] else { throw item.error("ignore 条目缺少“reason”：请写明忽略的理由") }
        let reason = try reasonValue.nonEmptyString()
        let paths = try pathValue.stringList()
        if paths.isEmpty || paths.contains(where: { $0.isEmpty }) { throw pathValue.error("“path”不能为空") }
        var ruleIDs: [String]? = nil
        if let ruleValue = values["rule"] {
            let ids = try ruleValue.stringList()
            for id in ids {
                guard let rule = ruleSet.rule(id) else {
                    throw ruleValue.error("ignore 中的规则“\(id)”不存在\(Suggestion.hint(for: id, among: ruleSet.rules.map(\.id)))")
                }
                if rule.locked {
                    throw ruleValue.error("规则“\(id)”已被规则集“\(rule.lockedBy ?? rule.origin.ruleSet)”锁定（locked: true），不能忽略")
                }
            }
            ruleIDs = ids
        } else if let locked = ruleSet.rules.first(where: \.locked) {
            throw item.error("不写“rule”会忽略所有规则，但规则“\(locked.id)”已被规则集“\(locked.lockedBy ?? locked.origin.ruleSet)”锁定；请列出要忽略的规则")
        }
        return IgnoreEntry(paths: paths.map(Glob.init), ruleIDs: ruleIDs, reason: reason,
                           line: item.mark?.line ?? 1, column: item.mark?.column ?? 1)
    }
}
