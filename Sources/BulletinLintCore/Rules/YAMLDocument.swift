import Yams

/// A rule file's text and its composed YAML tree. Reading goes through `Yams.compose` so every
/// node keeps its line and column (DESIGN §4: errors point at the YAML).
public struct YAMLDocument: Sendable {
    public let path: String
    public let text: String
    let lines: [Substring]

    init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func line(_ number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        var line = String(lines[number - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    func error(_ message: String, at mark: Mark?) -> RuleFileError {
        let line = mark?.line ?? 1
        let column = mark?.column ?? 1
        return RuleFileError(file: path, line: line, column: column, message: message, sourceLine: self.line(line))
    }

    /// Composes the file, refusing anchors and aliases (an alias bomb makes any walk of the
    /// tree exponential) and duplicate keys.
    func compose() throws(RuleFileError) -> Node? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw translate(error)
        } catch {
            throw RuleFileError(file: path, line: 1, column: 1, message: "YAML 解析失败：\(error)")
        }
        guard let root else { return nil }
        var budget = 200_000
        try check(root, budget: &budget)
        return root
    }

    private func check(_ node: Node, budget: inout Int) throws(RuleFileError) {
        budget -= 1
        if budget < 0 { throw error("规则文件过大（节点过多）", at: node.mark) }
        if node.anchor != nil {
            throw error("规则文件不允许使用 YAML 锚点（&）和别名（*）：请直接写出内容", at: node.mark)
        }
        switch node {
        case .mapping(let mapping):
            var seen: [String: Mark?] = [:]
            for (key, value) in mapping {
                if let name = key.string {
                    if seen[name] != nil {
                        throw error("重复的键“\(name)”", at: key.mark)
                    }
                    seen[name] = key.mark
                }
                try check(key, budget: &budget)
                try check(value, budget: &budget)
            }
        case .sequence(let sequence):
            for item in sequence { try check(item, budget: &budget) }
        case .scalar, .alias:
            break
        }
    }

    private func translate(_ error: YamlError) -> RuleFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            var message = "YAML 语法错误：\(problem)"
            if let context { message += "（\(context.text)）" }
            return self.error(message, at: mark)
        case .composer(let context, let problem, let mark, _):
            if problem.contains("alias") {
                return self.error("规则文件不允许使用 YAML 锚点（&）和别名（*）", at: mark)
            }
            var message = "YAML 结构错误：\(problem)"
            if let context { message += "（\(context.text)）" }
            return self.error(message, at: mark)
        case .reader(let problem, _, _, _):
            return RuleFileError(file: path, line: 1, column: 1, message: "YAML 读取错误：\(problem)")
        default:
            return RuleFileError(file: path, line: 1, column: 1, message: "YAML 解析失败：\(error)")
        }
    }
}

/// A YAML node together with the file it came from, so errors can name both.
public struct YAMLValue: @unchecked Sendable {
    // Yams.Node is a value type without Sendable conformance; it is never mutated here.
    let node: Node
    let document: YAMLDocument

    var mark: Mark? { node.mark }

    func error(_ message: String) -> RuleFileError { document.error(message, at: node.mark) }

    static func typeName(_ node: Node) -> String {
        switch node {
        case .scalar: return "标量"
        case .mapping: return "映射（键: 值）"
        case .sequence: return "列表"
        case .alias: return "别名"
        }
    }

    func string() throws(RuleFileError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error("应为字符串，实际是\(YAMLValue.typeName(node))")
        }
        return scalar.string
    }

    func nonEmptyString() throws(RuleFileError) -> String {
        let value = try string()
        if value.trimmingCharactersInSet(" ").isEmpty { throw error("不能为空") }
        return value
    }

    func int() throws(RuleFileError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("应为整数，实际是“\(node.string ?? YAMLValue.typeName(node))”")
        }
        return value
    }

    func bool() throws(RuleFileError) -> Bool {
        guard case .scalar(let scalar) = node else { throw error("应为 true 或 false") }
        switch scalar.string {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error("应为 true 或 false，实际是“\(scalar.string)”")
        }
    }

    /// A list of strings; a single string is taken as a list of one.
    func stringList() throws(RuleFileError) -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            var out: [String] = []
            for item in sequence { out.append(try YAMLValue(node: item, document: document).string()) }
            return out
        default:
            throw error("应为字符串或字符串列表，实际是\(YAMLValue.typeName(node))")
        }
    }

    func list() throws(RuleFileError) -> [YAMLValue] {
        switch node {
        case .sequence(let sequence): return sequence.map { YAMLValue(node: $0, document: document) }
        default: throw error("应为列表，实际是\(YAMLValue.typeName(node))")
        }
    }

    /// The entries of a mapping, in order, with their keys as strings.
    func entries() throws(RuleFileError) -> [(key: String, keyValue: YAMLValue, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else {
            throw error("应为映射（键: 值），实际是\(YAMLValue.typeName(node))")
        }
        var out: [(key: String, keyValue: YAMLValue, value: YAMLValue)] = []
        for (key, value) in mapping {
            let keyValue = YAMLValue(node: key, document: document)
            guard case .scalar(let scalar) = key else { throw keyValue.error("键应为字符串") }
            out.append((scalar.string, keyValue, YAMLValue(node: value, document: document)))
        }
        return out
    }

    var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    var isNull: Bool { if case .scalar(let s) = node { return s.string == "~" || s.string == "null" || s.string.isEmpty } else { return false } }
}

extension String {
    func trimmingCharactersInSet(_ characters: String) -> String {
        let set = Set(characters.unicodeScalars).union(["\t", "\n", "\r", "\u{3000}"])
        return trimmingScalars(set)
    }
}
