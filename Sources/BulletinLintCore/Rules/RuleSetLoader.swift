import Foundation

/// Loads rule files strictly and resolves `extends` and `overrides` into a `RuleSet`.
///
/// Every mistake is a `RuleFileError` at the YAML line and column; nothing is ignored.
public struct RuleSetLoader {
    /// Whether `extends` may name rule files on disk; false for a rule file that came from
    /// elsewhere (an upload to `bulletinlint serve`), which may extend built-in sets only.
    let allowsFileReferences: Bool

    public init() { allowsFileReferences = true }

    /// A loader whose `extends` may name built-in rule sets only, never a path on disk.
    public static func builtinReferencesOnly() -> RuleSetLoader { RuleSetLoader(allowsFileReferences: false) }

    private init(allowsFileReferences: Bool) { self.allowsFileReferences = allowsFileReferences }

    static let topLevelKeys = ["ruleset", "title", "extends", "when", "contexts", "elements", "rules", "overrides"]
    /// Keys only a configuration file (`.bulletinlint.yaml`, `--config`) may have.
    static let configKeys = ["include", "exclude", "ignore"]
    static let commonRuleKeys = ["id", "title", "check", "severity", "message", "help", "examples", "context", "locked", "fix",
                                 "when", "effective"]
    static let elementKeys = ["pattern", "region", "list", "lines", "inline", "label", "max-length", "normalize", "join"]
    /// Kinds the parser makes without a spec.
    static let implicitKinds = [ElementSpec.Structural.article, ElementSpec.Structural.paragraph, "footer-text"]

    typealias Entries = [(key: String, keyValue: YAMLValue, value: YAMLValue)]

    struct RawRule {
        let id: String
        let node: YAMLValue
        var entries: Entries
        let ruleSet: String
        /// The set that locked the rule when an override did (`locked: true`), else nil.
        var lockedBy: String? = nil
        /// The defining file's top-level `when:`, which its rules take unless they have their own.
        var fileWhen: YAMLValue? = nil
        /// Where an override set the severity, if one did.
        var severitySetAt: RuleOrigin? = nil
        /// The example scaffolds (`contexts:`) of the defining file and the files it extends,
        /// which the rule's `context:` may name.
        var contexts: [String: ExampleContext] = [:]
    }

    struct RawSet {
        var name = ""
        var title = ""
        var elements: [(kind: String, entries: Entries)] = []
        var rules: [RawRule] = []
        var files: [String] = []
        /// Configuration-only keys (`include`, `exclude`, `ignore`) of the top file.
        var configFields: [String: (keyValue: YAMLValue, value: YAMLValue)] = [:]
        /// The top file's root node, for errors about the file as a whole.
        var root: YAMLValue?
        /// Rules switched off by an override (`rule: off`), with where.
        var disabled: [(id: String, origin: RuleOrigin)] = []
        /// Named example scaffolds (`contexts:`), a later file's replacing an earlier one's.
        var contexts: [String: ExampleContext] = [:]

        mutating func merge(_ other: RawSet) {
            for element in other.elements { mergeElement(element.kind, element.entries) }
            contexts.merge(other.contexts) { _, later in later }
            for rule in other.rules {
                if let index = rules.firstIndex(where: { $0.id == rule.id }) { rules[index] = rule } else { rules.append(rule) }
            }
            for off in other.disabled where !disabled.contains(where: { $0.id == off.id }) { disabled.append(off) }
            for file in other.files where !files.contains(file) { files.append(file) }
        }

        mutating func mergeElement(_ kind: String, _ entries: Entries) {
            guard let index = elements.firstIndex(where: { $0.kind == kind }) else {
                elements.append((kind, entries))
                return
            }
            for entry in entries {
                elements[index].entries.removeAll { $0.key == entry.key }
                elements[index].entries.append(entry)
            }
        }
    }

    // MARK: Entry points

    /// Loads `--rules` references in order (later wins): built-in names or file paths.
    public func load(references: [String]) throws(RuleFileError) -> RuleSet {
        var merged = RawSet()
        var names: [String] = []
        for reference in references {
            let (id, document) = try locate(reference, relativeTo: nil, at: nil)
            let raw = try resolve(document, id: id, stack: [])
            merged.merge(raw)
            names.append(raw.name)
            if references.count == 1 { merged.name = raw.name; merged.title = raw.title }
        }
        if references.count > 1 { merged.name = names.joined(separator: "+") }
        return try build(merged)
    }

    /// Loads a rule file from its text (tests, `test-rules` on stdin).
    public func load(text: String, path: String) throws(RuleFileError) -> RuleSet {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let document = YAMLDocument(path: path, text: text,
                                    directory: URL(fileURLWithPath: absolute).deletingLastPathComponent().path)
        return try build(resolve(document, id: "file:" + absolute, stack: []))
    }

    // MARK: Locating files

    private func locate(_ reference: String, relativeTo directory: String?, at value: YAMLValue?) throws(RuleFileError) -> (String, YAMLDocument) {
        let looksLikePath = reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml")
        if !looksLikePath {
            if let document = BuiltinRuleSets.document(named: reference) { return ("builtin:" + reference, document) }
            let hint = Suggestion.hint(for: reference, among: BuiltinRuleSets.names)
            let message = "未知的内置规则集“\(reference)”\(hint)；可用：\(BuiltinRuleSets.names.joined(separator: "、"))"
            if let value { throw value.error(message) }
            throw RuleFileError(file: reference, line: 1, column: 1, message: message)
        }
        guard allowsFileReferences else {
            let message = "上传的规则文件只能扩展内置规则集（\(BuiltinRuleSets.names.joined(separator: "、"))），不能引用文件“\(reference)”"
            if let value { throw value.error(message) }
            throw RuleFileError(file: reference, line: 1, column: 1, message: message)
        }
        let path: String
        if reference.hasPrefix("/") || directory == nil {
            path = reference
        } else {
            path = URL(fileURLWithPath: directory ?? ".").appendingPathComponent(reference).path
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let data: Data
        switch BoundedFile.read(path: path, limit: BoundedFile.ruleFileLimit) {
        case .success(let read): data = read
        case .failure(.missing):
            let message = "找不到规则文件“\(reference)”"
            if let value { throw value.error(message) }
            throw RuleFileError(file: reference, line: 1, column: 1, message: message)
        case .failure(let failure):
            // Checked before the file is parsed (or, for its size, read): a huge rule file took
            // minutes and gigabytes to refuse.
            throw RuleFileError(file: displayPath(path), line: 1, column: 1, message: "规则文件\(failure.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleFileError(file: displayPath(path), line: 1, column: 1, message: "规则文件必须是 UTF-8 编码")
        }
        return ("file:" + absolute, YAMLDocument(path: displayPath(path), text: text,
                                                 directory: URL(fileURLWithPath: absolute).deletingLastPathComponent().path))
    }

    private func displayPath(_ path: String) -> String { RuleSetLoader.displayPath(path) }

    /// A path relative to the working directory when it is below it.
    static func displayPath(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if absolute.hasPrefix(cwd + "/") { return String(absolute.dropFirst(cwd.count + 1)) }
        return path
    }

    // MARK: Resolving extends and overrides

    func resolve(_ document: YAMLDocument, id: String, stack: [String], asConfig: Bool = false) throws(RuleFileError) -> RawSet {
        // A built-in set is the same every time (it extends built-in sets only, and no file can
        // change it), so it is parsed once per process.
        if id.hasPrefix("builtin:"), !asConfig {
            return try RuleSetLoader.resolvedBuiltins.value(for: id) { () throws(RuleFileError) -> RawSet in
                try resolveParsing(document, id: id, stack: stack, asConfig: false)
            }
        }
        return try resolveParsing(document, id: id, stack: stack, asConfig: asConfig)
    }

    private static let resolvedBuiltins = ProcessCache<String, RawSet>(capacity: 64)

    private func resolveParsing(_ document: YAMLDocument, id: String, stack: [String], asConfig: Bool) throws(RuleFileError) -> RawSet {
        guard let root = try document.compose() else {
            throw RuleFileError(file: document.path, line: 1, column: 1,
                                message: asConfig ? "配置文件为空：至少要写 extends 或 rules" : "规则文件为空")
        }
        let top = YAMLValue(node: root, document: document)
        guard top.isMapping else { throw top.error("规则文件的顶层应为映射（ruleset、rules 等键）") }
        let allowed = RuleSetLoader.topLevelKeys + (asConfig ? RuleSetLoader.configKeys : [])
        var fields: [String: (keyValue: YAMLValue, value: YAMLValue)] = [:]
        for entry in try top.entries() {
            guard allowed.contains(entry.key) else {
                let note = RuleSetLoader.configKeys.contains(entry.key) ? "（include、exclude、ignore 只能写在配置文件 .bulletinlint.yaml 中）" : ""
                throw entry.keyValue.error("未知的顶层键“\(entry.key)”\(Suggestion.hint(for: entry.key, among: allowed))\(note)")
            }
            fields[entry.key] = (entry.keyValue, entry.value)
        }
        let name: String
        if let nameField = fields["ruleset"] {
            name = try nameField.value.nonEmptyString()
        } else if asConfig {
            name = document.path
        } else {
            throw top.error("缺少“ruleset”（规则集名称）")
        }

        var merged = RawSet()
        if let extendsField = fields["extends"] {
            let directory = id.hasPrefix("file:") ? URL(fileURLWithPath: String(id.dropFirst(5))).deletingLastPathComponent().path : nil
            let items: [YAMLValue]
            if case .scalar = extendsField.value.node { items = [extendsField.value] } else { items = try extendsField.value.list() }
            for item in items {
                let reference = try item.nonEmptyString()
                let (childID, childDocument) = try locate(reference, relativeTo: directory, at: item)
                if childID == id || stack.contains(childID) {
                    let chain = (stack + [id, childID]).map { $0.split(separator: ":", maxSplits: 1).last.map(String.init) ?? $0 }
                    throw item.error("extends 形成循环：\(chain.joined(separator: " → "))")
                }
                merged.merge(try resolve(childDocument, id: childID, stack: stack + [id]))
            }
        }
        merged.name = name
        merged.title = try fields["title"]?.value.string() ?? ""
        if !merged.files.contains(document.path) { merged.files.append(document.path) }

        if let whenField = fields["when"] {
            // Checked here, where it is written, even when the file has no rules of its own.
            _ = try RuleCondition.parse(when: whenField.value, effective: nil)
        }
        if let contextsField = fields["contexts"] {
            for entry in try contextsField.value.entries() {
                merged.contexts[entry.key] = try RuleSetLoader.exampleContext(entry.value)
            }
        }
        if let elementsField = fields["elements"] {
            for entry in try elementsField.value.entries() {
                let entries = try entry.value.entries()
                for e in entries where !RuleSetLoader.elementKeys.contains(e.key) {
                    throw e.keyValue.error("元素“\(entry.key)”中有未知的键“\(e.key)”\(Suggestion.hint(for: e.key, among: RuleSetLoader.elementKeys))")
                }
                merged.mergeElement(entry.key, entries)
            }
        }

        if let rulesField = fields["rules"] {
            var ownIDs: [String: YAMLValue] = [:]
            for item in try rulesField.value.list() {
                let entries = try item.entries()
                guard let idEntry = entries.first(where: { $0.key == "id" }) else { throw item.error("规则缺少“id”") }
                let ruleID = try idEntry.value.nonEmptyString()
                guard RuleSetLoader.isKebabCase(ruleID) else {
                    throw idEntry.value.error("规则 id“\(ruleID)”应为小写字母、数字和连字符（如 disclosure-missing）")
                }
                if let previous = ownIDs[ruleID] {
                    throw idEntry.value.error("重复的规则 id“\(ruleID)”（第 \(previous.mark?.line ?? 0) 行已定义）")
                }
                if let inherited = merged.rules.first(where: { $0.id == ruleID }) {
                    throw idEntry.value.error("规则“\(ruleID)”已在继承的规则集“\(inherited.ruleSet)”中定义；要修改它，请在 overrides 中写")
                }
                ownIDs[ruleID] = idEntry.value
                let locked = try entries.first { $0.key == "locked" }?.value.bool() ?? false
                merged.rules.append(RawRule(id: ruleID, node: item, entries: entries, ruleSet: name,
                                            lockedBy: locked ? name : nil, fileWhen: fields["when"]?.value,
                                            contexts: merged.contexts))
            }
        }

        if let overridesField = fields["overrides"] {
            for entry in try overridesField.value.entries() {
                guard let index = merged.rules.firstIndex(where: { $0.id == entry.key }) else {
                    let hint = Suggestion.hint(for: entry.key, among: merged.rules.map(\.id))
                    throw entry.keyValue.error("overrides 中的规则“\(entry.key)”不存在\(hint)")
                }
                let rule = merged.rules[index]
                let lockedBy = rule.lockedBy
                if case .scalar(let scalar) = entry.value.node {
                    guard scalar.string == "off" else {
                        throw entry.value.error("覆盖规则时应写 off 或一个映射（如 { severity: warning }），实际是“\(scalar.string)”")
                    }
                    if let lockedBy { throw entry.value.error("规则“\(entry.key)”已被规则集“\(lockedBy)”锁定（locked: true），不能关闭") }
                    merged.rules.remove(at: index)
                    merged.disabled.append((entry.key, RuleOrigin(file: document.path, line: entry.keyValue.mark?.line ?? 1,
                                                                  column: entry.keyValue.mark?.column ?? 1, ruleSet: name)))
                    continue
                }
                let changes = try entry.value.entries()
                var updated = rule
                for change in changes {
                    if change.key == "id" || change.key == "check" {
                        throw change.keyValue.error("overrides 中不能修改“\(change.key)”；请另写一条规则")
                    }
                    if change.key == "severity", (try? change.value.string()) == "off" {
                        if let lockedBy { throw change.value.error("规则“\(entry.key)”已被规则集“\(lockedBy)”锁定（locked: true），不能关闭") }
                        updated.entries = []
                        merged.disabled.append((entry.key, RuleOrigin(file: document.path, line: change.keyValue.mark?.line ?? 1,
                                                                      column: change.keyValue.mark?.column ?? 1, ruleSet: name)))
                        break
                    }
                    if change.key == "severity" {
                        updated.severitySetAt = RuleOrigin(file: document.path, line: change.keyValue.mark?.line ?? 1,
                                                           column: change.keyValue.mark?.column ?? 1, ruleSet: name)
                    }
                    if change.key == "locked" {
                        let locking = try change.value.bool()
                        if let lockedBy, !locking {
                            throw change.value.error("规则“\(entry.key)”已被规则集“\(lockedBy)”锁定，不能解除锁定")
                        }
                        if locking, updated.lockedBy == nil { updated.lockedBy = name }
                    }
                    updated.entries.removeAll { $0.key == change.key }
                    updated.entries.append(change)
                }
                if updated.entries.isEmpty { merged.rules.remove(at: index) } else { merged.rules[index] = updated }
            }
        }
        if asConfig {
            for key in RuleSetLoader.configKeys { if let field = fields[key] { merged.configFields[key] = field } }
            merged.root = top
        }
        return merged
    }

    static func isKebabCase(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.last != "-", !id.contains("--") else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    // MARK: Building

    func build(_ raw: RawSet) throws(RuleFileError) -> RuleSet {
        var specs: [ElementSpec] = []
        for element in raw.elements {
            let builtin = element.entries.allSatisfy { $0.value.document.isBuiltin }
            specs.append(try RuleSetLoader.keepingPatterns(builtin) { () throws(RuleFileError) in try buildElement(element.kind, element.entries) })
        }
        let knownKinds = specs.map(\.kind) + RuleSetLoader.implicitKinds
        var rules: [Rule] = []
        for rawRule in raw.rules {
            let builtin = rawRule.node.document.isBuiltin && (rawRule.fileWhen?.document.isBuiltin ?? true)
                && rawRule.entries.allSatisfy { $0.value.document.isBuiltin }
            rules.append(try RuleSetLoader.keepingPatterns(builtin) { () throws(RuleFileError) in try buildRule(rawRule, knownKinds: knownKinds) })
        }
        if raw.root != nil, rules.isEmpty, let root = raw.root {
            throw root.error("配置最终没有任何规则：请 extends 一个规则集（如 bulletin）或添加 rules")
        }
        var ruleSet = RuleSet(name: raw.name, title: raw.title, elements: specs, rules: rules, files: raw.files)
        ruleSet.disabledRules = raw.disabled.filter { off in !rules.contains { $0.id == off.id } }.map { ($0.id, $0.origin) }
        return ruleSet
    }

    private func buildElement(_ kind: String, _ entries: Entries) throws(RuleFileError) -> ElementSpec {
        func value(_ key: String) -> YAMLValue? { entries.last { $0.key == key }?.value }
        var pattern: ICURegex? = nil
        if let patternValue = value("pattern") {
            let text = try patternValue.nonEmptyString()
            do { pattern = try ICURegex(text) } catch { throw patternValue.error("元素“\(kind)”的 pattern 有误：\(error.message)") }
        }
        var region = Region.any
        if let regionValue = value("region") {
            let name = try regionValue.string()
            guard let parsed = Region(rawValue: name) else {
                throw regionValue.error("未知的区域“\(name)”，可用：masthead、body、footer、any")
            }
            region = parsed
        }
        let lines = try value("lines")?.int() ?? 1
        if !(1...3).contains(lines), let linesValue = value("lines") { throw linesValue.error("“lines”应为 1 到 3") }
        let maxLength = try value("max-length")?.int() ?? 40
        if pattern == nil && kind != ElementSpec.Structural.articleTitle, let first = entries.first {
            throw first.keyValue.error("元素“\(kind)”缺少“pattern”")
        }
        var normalizations: [ElementSpec.Normalization] = []
        if let normalizeValue = value("normalize") {
            let groups = pattern?.groupNames ?? []
            for entry in try normalizeValue.entries() {
                guard groups.contains(entry.key) else {
                    throw entry.keyValue.error("元素“\(kind)”的 normalize 中的“\(entry.key)”不是 pattern 中的命名分组\(Suggestion.hint(for: entry.key, among: groups))")
                }
                var field = entry.key
                var map: [String: String] = [:]
                for item in try entry.value.entries() {
                    switch item.key {
                    case "field": field = try item.value.nonEmptyString()
                    case "map":
                        for pair in try item.value.entries() { map[pair.key] = try pair.value.nonEmptyString() }
                    default:
                        throw item.keyValue.error("normalize 中只能写 field 和 map，实际是“\(item.key)”\(Suggestion.hint(for: item.key, among: ["field", "map"]))")
                    }
                }
                normalizations.append(ElementSpec.Normalization(group: entry.key, field: field, map: map))
            }
        }
        return ElementSpec(kind: kind, pattern: pattern, region: region,
                           isList: try value("list")?.bool() ?? false, lines: lines,
                           inline: try value("inline")?.bool() ?? false,
                           label: try value("label")?.string(), maxLength: maxLength,
                           normalizations: normalizations, joiner: try value("join")?.string() ?? "")
    }

    /// Runs `body` with `ICURegex.keepsCompiled` set to `builtin`: what only built-in rule sets
    /// wrote may keep its compiled patterns for the process; a rule file's own patterns (an
    /// upload's too), or a built-in rule a file overrode, are compiled for this rule set alone.
    private static func keepingPatterns<T>(_ builtin: Bool, _ body: () throws(RuleFileError) -> T) throws(RuleFileError) -> T {
        let result: Result<T, RuleFileError> = ICURegex.$keepsCompiled.withValue(builtin) {
            do throws(RuleFileError) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private func buildRule(_ raw: RawRule, knownKinds: [String]) throws(RuleFileError) -> Rule {
        var params: [String: (keyValue: YAMLValue, value: YAMLValue)] = [:]
        var common: [String: (keyValue: YAMLValue, value: YAMLValue)] = [:]
        for entry in raw.entries {
            if RuleSetLoader.commonRuleKeys.contains(entry.key) { common[entry.key] = (entry.keyValue, entry.value) } else { params[entry.key] = (entry.keyValue, entry.value) }
        }
        // A key missing because it was misspelt (`serverity`) is reported at the misspelling.
        func misspelt(_ missing: String) -> RuleFileError? {
            let candidates = params.filter { Suggestion.closest(to: $0.key, among: [missing]) != nil }
            guard let typo = candidates.min(by: { ($0.value.keyValue.mark?.line ?? 0) < ($1.value.keyValue.mark?.line ?? 0) }) else { return nil }
            return typo.value.keyValue.error("规则“\(raw.id)”中有未知的键“\(typo.key)”（是否要写“\(missing)”？）")
        }
        guard let checkEntry = common["check"] else { throw misspelt("check") ?? raw.node.error("规则“\(raw.id)”缺少“check”") }
        let checkName = try checkEntry.value.string()
        guard let checkType = CheckRegistry.kind(named: checkName) else {
            throw checkEntry.value.error("未知的检查类型“\(checkName)”\(Suggestion.hint(for: checkName, among: CheckRegistry.names))；可用：\(CheckRegistry.names.joined(separator: "、"))")
        }
        guard let severityEntry = common["severity"] else { throw misspelt("severity") ?? raw.node.error("规则“\(raw.id)”缺少“severity”") }
        let severityName = try severityEntry.value.string()
        guard let severity = Severity(rawValue: severityName) else {
            throw severityEntry.value.error("未知的严重级别“\(severityName)”，可用：error、warning、info")
        }
        guard let messageEntry = common["message"] else { throw misspelt("message") ?? raw.node.error("规则“\(raw.id)”缺少“message”") }
        let message = try messageEntry.value.nonEmptyString()
        let allowedVariables = ["text"] + checkType.messageVariables
        for placeholder in RuleSetLoader.placeholders(in: message) where !allowedVariables.contains(placeholder) {
            throw messageEntry.value.error("消息中的占位符“{\(placeholder)}”不可用于检查“\(checkName)”；可用：\(allowedVariables.map { "{\($0)}" }.joined(separator: "、"))")
        }
        let help = try common["help"]?.value.string() ?? ""
        let title = try common["title"].map { entry throws(RuleFileError) in try RuleSetLoader.title(entry.value, ruleID: raw.id) }
        let locked = try common["locked"]?.value.bool() ?? false
        let origin = RuleOrigin(file: raw.node.document.path, line: raw.node.mark?.line ?? 1,
                                column: raw.node.mark?.column ?? 1, ruleSet: raw.ruleSet)
        let fix = try common["fix"].map { entry throws(RuleFileError) in
            try RuleSetLoader.fixSpec(entry.value, ruleID: raw.id, variables: allowedVariables)
        }
        let context = try common["context"].map { entry throws(RuleFileError) in
            try RuleSetLoader.ruleContext(entry.value, ruleID: raw.id, contexts: raw.contexts)
        }
        let examples = try RuleSetLoader.examples(common["examples"]?.value, ruleID: raw.id, ruleSet: raw.ruleSet,
                                                  context: context, hasFix: fix != nil)
        var parameters = RuleParameters(ruleID: raw.id, ruleNode: raw.node, entries: params,
                                        allowsFileReferences: allowsFileReferences)
        // A misspelt parameter (`mach`, `elemnt`) is reported where it was written, before the
        // check complains that the real one is missing.
        try parameters.rejectUnknown(known: checkType.parameterKeys, commonKeys: RuleSetLoader.commonRuleKeys)
        let check = try checkType.init(&parameters)
        try parameters.finish(commonKeys: RuleSetLoader.commonRuleKeys)
        var references = parameters.elementReferences
        // `examples: { parameters: … }`: the examples run with these parameters in place of all
        // of the rule's own (a registry an office fills, filled for the examples; what an
        // office's override adds to the rule does not reach them).
        var exampleCheck: (any Check)? = nil
        if let examplesValue = common["examples"]?.value, examplesValue.isMapping,
           let given = try examplesValue.entries().first(where: { $0.key == "parameters" }) {
            var merged: [String: (keyValue: YAMLValue, value: YAMLValue)] = [:]
            for entry in try given.value.entries() {
                guard checkType.parameterKeys.contains(entry.key) else {
                    let hint = Suggestion.hint(for: entry.key, among: checkType.parameterKeys)
                    throw entry.keyValue.error("examples 的 parameters 中只能写检查“\(checkName)”的参数（\(checkType.parameterKeys.joined(separator: "、"))），实际是“\(entry.key)”\(hint)")
                }
                merged[entry.key] = (entry.keyValue, entry.value)
            }
            var exampleParameters = RuleParameters(ruleID: raw.id, ruleNode: raw.node, entries: merged,
                                                   allowsFileReferences: allowsFileReferences)
            exampleCheck = try checkType.init(&exampleParameters)
            try exampleParameters.finish(commonKeys: RuleSetLoader.commonRuleKeys)
            references += exampleParameters.elementReferences
        }
        for reference in references where !knownKinds.contains(reference.kind) {
            let hint = Suggestion.hint(for: reference.kind, among: knownKinds)
            throw reference.at.error("规则“\(raw.id)”引用了未定义的元素“\(reference.kind)”\(hint)")
        }
        var rule = Rule(id: raw.id, checkKind: checkName, severity: severity, message: message, help: help,
                        examples: examples, locked: locked || raw.lockedBy != nil, lockedBy: raw.lockedBy, check: check,
                        origin: origin, definition: raw.node.document.block(startingAt: raw.node.mark?.line ?? 1), fix: fix)
        rule.severitySetAt = raw.severitySetAt
        rule.exampleCheck = exampleCheck
        rule.title = title
        rule.condition = try RuleCondition.parse(when: common["when"]?.value ?? raw.fileWhen, effective: common["effective"]?.value,
                                                 knownKinds: knownKinds)
        return rule
    }

    // MARK: Examples

    /// An example scaffold: `{ before: …, after: … }`, lines put before and after each example.
    /// A block scalar's final line break is not a blank line of the example.
    static func exampleContext(_ value: YAMLValue) throws(RuleFileError) -> ExampleContext {
        guard value.isMapping else {
            throw value.error("context 应写成映射，如 { before: \"【工作动态】\\n某市召开会议\" }（before、after 为示例前后的几行）")
        }
        var context = ExampleContext()
        for entry in try value.entries() {
            var text = try entry.value.string()
            while text.hasSuffix("\n") { text.removeLast() }
            if text.contains(ExampleRunner.marker) {
                throw entry.value.error("context 中不能有 ↓ 标记：↓ 只写在示例自己的文字里")
            }
            switch entry.key {
            case "before": context.before = text
            case "after": context.after = text
            default:
                throw entry.keyValue.error("context 中只能写 before 和 after，实际是“\(entry.key)”\(Suggestion.hint(for: entry.key, among: ["before", "after"]))")
            }
        }
        return context
    }

    /// A rule's `context:`: the name of a scaffold in `contexts:`, or a scaffold of its own.
    static func ruleContext(_ value: YAMLValue, ruleID: String, contexts: [String: ExampleContext]) throws(RuleFileError) -> ExampleContext {
        if value.isMapping { return try exampleContext(value) }
        let name = try value.nonEmptyString()
        guard let context = contexts[name] else {
            let names = contexts.keys.sorted()
            let known = names.isEmpty ? "；规则文件顶层的 contexts 中还没有定义任何示例框架" : "；可用：\(names.joined(separator: "、"))"
            throw value.error("规则“\(ruleID)”的 context“\(name)”没有在 contexts 中定义\(Suggestion.hint(for: name, among: names))\(known)")
        }
        return context
    }

    /// `examples:` — `valid` and `invalid` lists of texts, or of `{ text, date, genre }` (an
    /// invalid one also `fixed`: the text once fixed); each inside the rule's `context`. The old
    /// form, a `fixed` list paired with `invalid` by position, is still read.
    static func examples(_ value: YAMLValue?, ruleID: String, ruleSet: String, context: ExampleContext?,
                         hasFix: Bool) throws(RuleFileError) -> RuleExamples {
        var examples = RuleExamples()
        guard let value else { return examples }
        func origin(_ node: YAMLValue) -> RuleOrigin {
            RuleOrigin(file: node.document.path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, ruleSet: ruleSet)
        }
        func wrapped(_ text: String, at node: YAMLValue) throws(RuleFileError) -> String {
            guard let context else { return text }
            if DocxSketch.isSketch(text) { throw node.error("规则“\(ruleID)”有 context，%docx 草图示例不能套用它") }
            return context.wrap(text)
        }
        func noFix(_ node: YAMLValue) -> RuleFileError {
            node.error("规则“\(ruleID)”没有 fix，不能写 fixed 示例")
        }
        var fixedList: [YAMLValue] = []
        var inlineFixed: YAMLValue? = nil
        for entry in try value.entries() {
            let sections = ["valid", "invalid", "fixed", "parameters"]
            guard sections.contains(entry.key) else {
                throw entry.keyValue.error("examples 中只能有 valid、invalid、fixed 和 parameters，实际是“\(entry.key)”\(Suggestion.hint(for: entry.key, among: sections))")
            }
            // The examples' own parameters make a check of their own (`buildRule`).
            if entry.key == "parameters" { continue }
            for item in try entry.value.list() {
                if entry.key == "fixed" {
                    fixedList.append(item)
                    continue
                }
                // A string, or `{ text: …, date: 2009-11-27, genre: 公文 }` for a document of
                // another era or genre than the rule's own; an invalid one may add `fixed: …`.
                var text: String
                var date: String? = nil
                var genre: String? = nil
                var fixed: YAMLValue? = nil
                if item.isMapping {
                    let keys = entry.key == "invalid" ? ["text", "fixed", "date", "genre"] : ["text", "date", "genre"]
                    var found: String? = nil
                    for field in try item.entries() {
                        switch field.key {
                        case "text": found = try field.value.string()
                        case "date":
                            let value = try field.value.nonEmptyString()
                            guard RuleCondition.isISODate(value) else { throw field.value.error("示例的 date 应写成 YYYY-MM-DD，实际是“\(value)”") }
                            date = value
                        case "genre":
                            let value = try field.value.nonEmptyString()
                            guard DocumentGenre.conditionNames.contains(value) else {
                                throw field.value.error("未知的文书类别“\(value)”；可用：\(DocumentGenre.conditionNames.joined(separator: "、"))")
                            }
                            genre = value
                        case "fixed" where entry.key == "invalid":
                            guard hasFix else { throw noFix(field.value) }
                            fixed = field.value
                        case "fixed":
                            throw field.keyValue.error("只有 invalid 示例可以写 fixed（修正后的文字）")
                        default:
                            throw field.keyValue.error("示例中只能写 \(keys.joined(separator: "、"))，实际是“\(field.key)”\(Suggestion.hint(for: field.key, among: keys))")
                        }
                    }
                    guard let found else { throw item.error("示例缺少 text") }
                    text = found
                } else {
                    text = try item.string()
                }
                var example = RuleExamples.Example(text: try wrapped(text, at: item), origin: origin(item), date: date, genre: genre)
                if let fixed {
                    if inlineFixed == nil { inlineFixed = fixed }
                    example.fixed = RuleExamples.FixExpectation(text: try wrapped(try fixed.string(), at: fixed), origin: origin(fixed))
                }
                if entry.key == "valid" { examples.valid.append(example) } else { examples.invalid.append(example) }
            }
        }
        guard let first = fixedList.first else { return examples }
        guard hasFix else { throw noFix(first) }
        if inlineFixed != nil {
            throw first.error("fixed 已写在 invalid 示例中（{ text: …, fixed: … }），不能再写 fixed 列表")
        }
        guard fixedList.count == examples.invalid.count else {
            throw first.error("fixed 示例应与 invalid 示例一一对应（invalid \(examples.invalid.count) 个，fixed \(fixedList.count) 个）；"
                              + "也可以写在 invalid 示例中：{ text: …, fixed: … }")
        }
        for (index, item) in fixedList.enumerated() {
            // Read as before the inline form: a string, or a mapping whose `text` is the fixed text.
            let text = item.isMapping ? try item.entries().first { $0.key == "text" }?.value.string() ?? "" : try item.string()
            examples.invalid[index].fixed = RuleExamples.FixExpectation(text: try wrapped(text, at: item), origin: origin(item))
        }
        return examples
    }

    /// `title:` — one short line that names the rule, without placeholders (it describes the
    /// rule, not a finding).
    static func title(_ value: YAMLValue, ruleID: String) throws(RuleFileError) -> String {
        let text = try value.nonEmptyString().trimmingCharacters(in: .whitespaces)
        if text.contains(where: \.isNewline) {
            throw value.error("规则“\(ruleID)”的 title 应为一行")
        }
        if let placeholder = placeholders(in: text).first {
            throw value.error("规则“\(ruleID)”的 title 不能有占位符“{\(placeholder)}”：标题说明规则本身，不是某一处问题")
        }
        return text
    }

    /// `fix:` — `with` (a template), `replace` + `by` (a regex), or `fixer` (a named fixer); and
    /// `applicability` (safe by default).
    static func fixSpec(_ value: YAMLValue, ruleID: String, variables: [String]) throws(RuleFileError) -> FixSpec {
        let keys = ["with", "replace", "by", "fixer", "applicability"]
        var fields: [String: YAMLValue] = [:]
        for entry in try value.entries() {
            guard keys.contains(entry.key) else {
                throw entry.keyValue.error("fix 中有未知的键“\(entry.key)”\(Suggestion.hint(for: entry.key, among: keys))；可用：\(keys.joined(separator: "、"))")
            }
            fields[entry.key] = entry.value
        }
        var applicability = FixApplicability.safe
        if let field = fields["applicability"] {
            let name = try field.string()
            guard let parsed = FixApplicability(rawValue: name) else { throw field.error("applicability 应为 safe 或 unsafe，实际是“\(name)”") }
            applicability = parsed
        }
        let methods = ["with", "replace", "fixer"].filter { fields[$0] != nil }
        guard methods.count == 1 else {
            throw value.error("规则“\(ruleID)”的 fix 应当且只能写 with、replace（配 by）或 fixer 中的一种")
        }
        if let template = fields["with"] {
            let text = try template.string()
            for placeholder in placeholders(in: text) where !variables.contains(placeholder) {
                throw template.error("fix 中的占位符“{\(placeholder)}”不可用；可用：\(variables.map { "{\($0)}" }.joined(separator: "、"))")
            }
            return FixSpec(method: .template(MessageTemplate(text)), applicability: applicability)
        }
        if let pattern = fields["replace"] {
            guard let by = fields["by"] else { throw pattern.error("fix 的 replace 需要配一个 by（替换成的文字，可用 $1 引用分组）") }
            let text = try pattern.nonEmptyString()
            let regex: ICURegex
            do { regex = try ICURegex(text) } catch { throw pattern.error("\(error.message)：\(text)") }
            return FixSpec(method: .regex(regex, try by.string()), applicability: applicability)
        }
        if let by = fields["by"] { throw by.error("by 只能和 replace 一起用") }
        guard let fixerValue = fields["fixer"] else { throw value.error("fix 缺少内容") }
        let name = try fixerValue.string()
        guard let fixer = FixSpec.Fixer(rawValue: name) else {
            let names = FixSpec.Fixer.allCases.map(\.rawValue)
            throw fixerValue.error("未知的 fixer“\(name)”\(Suggestion.hint(for: name, among: names))；可用：\(names.joined(separator: "、"))")
        }
        return FixSpec(method: .fixer(fixer), applicability: applicability)
    }

    static func placeholders(in message: String) -> [String] {
        var names: [String] = []
        var current: String? = nil
        for ch in message {
            if ch == "{" { current = "" } else if ch == "}" { if let name = current, !name.isEmpty { names.append(name) }; current = nil }
            else if current != nil { current?.append(ch) }
        }
        return names
    }
}
