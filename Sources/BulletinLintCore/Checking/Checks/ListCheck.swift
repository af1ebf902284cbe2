/// `list`: the punctuation and content of a distribution list: separator between entries,
/// the final `。`, no `。` in the middle, no entry twice, only allowed entries.
struct ListCheck: Check {
    static let kind = "list"
    static let messageVariables = ["element", "problem", "expected", "other"]
    static let parameterKeys = ["element", "separator", "terminator", "inner-terminators", "duplicates", "allowed"]

    let kinds: [String]
    let separator: String?
    let terminator: String?
    let innerTerminators: Bool
    let duplicates: Bool
    let allowed: [String]?

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        kinds = try parameters.elementKinds()
        separator = try parameters.optional("separator")?.nonEmptyString()
        terminator = try parameters.optional("terminator")?.nonEmptyString()
        innerTerminators = try parameters.optional("inner-terminators")?.bool() ?? true
        duplicates = try parameters.optional("duplicates")?.bool() ?? true
        allowed = try parameters.optional("allowed")?.stringList()
        if separator == nil, terminator == nil, innerTerminators, duplicates, allowed == nil {
            throw parameters.ruleNode.error(
                "规则“\(parameters.ruleID)”没有要检查的内容：请设置 separator、terminator、inner-terminators、duplicates 或 allowed")
        }
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        // Entries seen, and the label of the list each was in: lists are short, and hashing a
        // Chinese entry normalises it first, which costs more than comparing a few.
        var seen: [(text: String, label: String)] = []
        for element in context.elements(ofKinds: kinds) {
            guard let view = element.listView else { continue }
            // Named only in a finding or for a later duplicate.
            lazy var label = context.label(element.kind)
            let syntax = context.listSyntax(of: element, view: view)
            func add(_ range: Range<Int>, _ problem: String, text: String, extra: [String: String] = [:]) {
                var variables = ["element": label, "problem": problem, "text": text, "expected": ""]
                variables.merge(extra) { $1 }
                findings.append(Finding(range: view.sourceRange(range), variables: variables))
            }
            if let separator {
                for token in syntax.separators where token.text != separator {
                    add(token.range, "条目之间应使用“\(separator)”分隔，而不是“\(token.text)”", text: token.text,
                        extra: ["expected": separator])
                }
            }
            if let terminator, let last = syntax.tokens.last {
                if syntax.finalTerminator?.text != terminator {
                    add(last.range, "名单末尾应有“\(terminator)”", text: last.text, extra: ["expected": terminator])
                }
            }
            if !innerTerminators {
                for token in syntax.innerTerminators {
                    add(token.range, "名单中间不应出现“\(token.text)”，条目之间应使用逗号", text: token.text)
                }
            }
            for entry in syntax.entries {
                if !duplicates {
                    if let other = seen.first(where: { $0.text == entry.text })?.label {
                        add(entry.range, "“\(entry.text)”重复出现（已见于\(other)）", text: entry.text, extra: ["other": other])
                    } else {
                        seen.append((entry.text, label))
                    }
                }
                if let allowed, !allowed.contains(entry.text) {
                    add(entry.range, "“\(entry.text)”不在允许的名单中", text: entry.text,
                        extra: ["expected": allowed.joined(separator: "、")])
                }
            }
        }
        return findings
    }
}
