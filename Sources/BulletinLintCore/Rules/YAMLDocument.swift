import Foundation
import Yams
// libyaml, which Yams wraps: its event parser sees anchors and aliases before Yams composes
// (and hashes) the tree.
internal import CYaml

/// A rule file's text and its composed YAML tree. Reading goes through `Yams.compose` so every
/// node keeps its line and column (DESIGN §4: errors point at the YAML).
public struct YAMLDocument: Sendable {
    public let path: String
    public let text: String
    /// The absolute folder of the file on disk, which the paths written in it are relative to
    /// (`registry:` of `org-names`); nil for a built-in rule set or an upload, which may not name
    /// files on disk.
    let directory: String?
    let lines: [Substring]
    /// One of the rule sets built into the binary (`BuiltinRuleSets`): fixed text nobody can
    /// change, whose compiled patterns may be kept for the process.
    let isBuiltin: Bool

    init(path: String, text: String, directory: String? = nil, isBuiltin: Bool = false) {
        self.path = path
        self.text = text
        self.directory = directory
        self.isBuiltin = isBuiltin
        // "\r\n" is one Character, so splitting on "\n" alone would leave a CRLF file as one
        // line; libyaml counts CR, LF and CRLF as line breaks.
        self.lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }

    /// The lines of a list item starting at `start`: up to the next line indented as far as
    /// its dash or less (the next item, or the end of the list).
    func block(startingAt start: Int) -> String {
        guard let first = line(start) else { return "" }
        let dash = first.prefix { $0 == " " }.count
        var out = [first]
        var number = start + 1
        while let next = line(number) {
            let indent = next.prefix { $0 == " " }.count
            let blank = YAMLDocument.isBlank(next)
            if !blank && indent <= dash { break }
            out.append(next)
            number += 1
        }
        while let last = out.last, YAMLDocument.isBlank(last) { out.removeLast() }
        return out.joined(separator: "\n")
    }

    /// Whether a line holds only what `CharacterSet.whitespaces` holds (tab, the space
    /// separators and, in Foundation's set, U+200B), without bridging it to `NSString` for
    /// `trimmingCharacters` (which cost more than the rest of reading a rule set's lines).
    static func isBlank(_ line: String) -> Bool {
        line.unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
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
        // Before composing: Yams hashes mapping keys to find duplicates, and an alias bomb
        // used as a key takes minutes to hash. (Yams also holds anchors weakly, so a composed
        // tree no longer shows them.)
        if let (line, column) = firstAnchorOrAlias() {
            throw RuleFileError(file: path, line: line, column: column,
                                message: "规则文件不允许使用 YAML 锚点（&）和别名（*）：请直接写出内容",
                                sourceLine: self.line(line))
        }
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

    /// The 1-based line and column of the first anchor (`&a`) or alias (`*a`), from libyaml's
    /// events; nil when there is none or the text is not valid YAML (composing reports that).
    private func firstAnchorOrAlias() -> (Int, Int)? {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeMutableBufferPointer { buffer -> (Int, Int)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let anchored: Bool
                switch event.type {
                case YAML_ALIAS_EVENT: anchored = true
                case YAML_SCALAR_EVENT: anchored = event.data.scalar.anchor != nil
                case YAML_SEQUENCE_START_EVENT: anchored = event.data.sequence_start.anchor != nil
                case YAML_MAPPING_START_EVENT: anchored = event.data.mapping_start.anchor != nil
                case YAML_STREAM_END_EVENT: return nil
                default: anchored = false
                }
                if anchored { return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1) }
            }
            return nil
        }
    }

    /// Yams names the first occurrence of a duplicated key; the mistake is the later one, at the
    /// same indentation.
    private func secondOccurrence(of key: String, after first: Mark) -> (line: Int, column: Int) {
        guard first.line >= 1 else { return (first.line, first.column) }
        for number in (first.line + 1)...max(first.line + 1, lines.count) {
            guard let line = self.line(number) else { break }
            let scalars = Array(line.unicodeScalars)
            let column = first.column - 1
            guard column < scalars.count,
                  scalars[..<column].allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = String(String.UnicodeScalarView(scalars[column...]))
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate) {
                let after = rest.dropFirst(candidate.count).drop { $0 == " " }
                if after.hasPrefix(":") { return (number, first.column) }
            }
        }
        return (first.line, first.column)
    }

    /// libyaml's English problem in Chinese, with what to do; its words stay beside it for a search.
    static func explain(_ problem: String) -> String {
        let known: [(String, String)] = [
            ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或其中两项之间少了逗号"),
            ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或其中两项之间少了逗号"),
            ("mapping values are not allowed in this context", "这里不能写“键: 值”：多半是缩进不对，或值里的冒号需要加引号"),
            ("found character that cannot start any token", "这里有不能出现在 YAML 中的字符：缩进请用空格，不要用 Tab"),
            ("found a tab character that violates indentation", "缩进里有 Tab：YAML 的缩进只能用空格"),
            ("did not find expected key", "缩进不对齐，或少了“键:”"),
            ("did not find expected '-' indicator", "列表项的缩进不对齐，每项应以同样缩进的“- ”开头"),
            ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
            ("found unknown escape character", "双引号里的反斜杠转义无效：正则表达式请改用单引号"),
            ("could not find expected ':'", "少了冒号“:”"),
            ("block sequence entries are not allowed in this context", "这里不能开始列表：检查上一行的缩进和冒号"),
            ("found undefined tag handle", "“!”开头的写法在规则文件中无效"),
            ("found unexpected ':'", "多了一个冒号：值里的冒号请加引号"),
        ]
        for (english, chinese) in known where problem.contains(english) { return chinese }
        return "YAML 无法解析这一处"
    }

    /// libyaml's name of the construct that went wrong, in Chinese.
    static func explain(context: String) -> String {
        if context.contains("flow mapping") { return "（花括号 { }）" }
        if context.contains("flow sequence") { return "（方括号 [ ]）" }
        if context.contains("block mapping") { return "（映射）" }
        if context.contains("block collection") || context.contains("block sequence") { return "（列表）" }
        if context.contains("quoted scalar") { return "（引号中的文字）" }
        return "（\(context)）"
    }

    private func translate(_ error: YamlError) -> RuleFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            var message = "YAML 语法错误：\(YAMLDocument.explain(problem))（\(problem)）"
            // The context says where the construct that went wrong began (the unclosed `[`).
            if let context {
                message += "；出错的结构\(YAMLDocument.explain(context: context.text))始于第 \(context.mark.line) 行第 \(context.mark.column) 列"
            }
            return self.error(message, at: mark)
        case .composer(let context, let problem, let mark, _):
            if problem.contains("alias") {
                return self.error("规则文件不允许使用 YAML 锚点（&）和别名（*）", at: mark)
            }
            var message = "YAML 结构错误：\(problem)"
            if let context { message += "（\(context.text)）" }
            return self.error(message, at: mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? ""
            let at = secondOccurrence(of: key, after: context.mark)
            return RuleFileError(file: path, line: at.line, column: at.column,
                                 message: "重复的键“\(key)”：同一映射中只能写一次", sourceLine: line(at.line))
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
