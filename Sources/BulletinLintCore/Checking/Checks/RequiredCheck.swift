/// `required`: an element is present (at least `min`, at most `max`), per document, per
/// article or per 栏目. A list of kinds counts them together (any of 报/送/发). With `field`,
/// only elements that have that field count (a 签发人 on the 发文字号's line or on its own).
struct RequiredCheck: Check {
    static let kind = "required"
    static let messageVariables = ["element", "count", "min", "max", "title"]
    static let parameterKeys = ["element", "field", "min", "max", "per", "anchor"]

    enum Per: String { case document, article, column }
    /// Where a per-article finding lands: the article's first line, or its last character.
    enum Anchor: String { case start, end }

    let kinds: [String]
    let field: String?
    let min: Int
    let max: Int?
    let per: Per
    let anchor: Anchor

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        kinds = try parameters.elementKinds()
        field = try parameters.optional("field")?.nonEmptyString()
        min = try parameters.optional("min")?.int() ?? 1
        max = try parameters.optional("max")?.int()
        if let perValue = parameters.optional("per") {
            let name = try perValue.string()
            guard let per = Per(rawValue: name) else {
                throw perValue.error("“per”应为 document、article 或 column，实际是“\(name)”")
            }
            self.per = per
        } else {
            per = .document
        }
        if let anchorValue = parameters.optional("anchor") {
            let name = try anchorValue.string()
            guard let anchor = Anchor(rawValue: name) else {
                throw anchorValue.error("“anchor”应为 start 或 end，实际是“\(name)”")
            }
            self.anchor = anchor
        } else {
            anchor = .end
        }
        if min < 0 { throw parameters.ruleNode.error("“min”不能为负数") }
        if let max, max < min { throw parameters.ruleNode.error("“max”不能小于“min”") }
    }

    func run(_ context: CheckContext) -> [Finding] {
        // Named only in a finding.
        let label = { kinds.map(context.label).joined(separator: "或") }
        switch per {
        case .document:
            let all = context.elements(ofKinds: kinds)
            var elements = all
            if let field { elements = elements.filter { $0.field(field).map { !$0.isEmpty } ?? false } }
            return count(elements, label: label, context: context) {
                // With `field`, an element without it is where the field belongs (the 发文字号's
                // line, for a missing 签发人).
                if field != nil, let first = all.first { return context.firstLine(of: first) }
                return context.anchorForMissing(kinds)
            }
        case .article, .column:
            // The same arrays every time, so the context finds its list of them at once.
            let containerKinds = per == .article ? RequiredCheck.articleKinds : RequiredCheck.columnKinds
            var findings: [Finding] = []
            for container in context.elements(ofKinds: containerKinds) {
                // The elements of the kinds below the container, depth first (as `flattened()`
                // lists them), without flattening it: most containers are fine, and need no
                // title or message worked out either.
                var found: [Element] = []
                func collect(_ element: Element) {
                    for child in element.children {
                        if kinds.contains(child.kind), field.map({ child.field($0).map { !$0.isEmpty } ?? false }) ?? true {
                            found.append(child)
                        }
                        if !child.children.isEmpty { collect(child) }
                    }
                }
                collect(container)
                if found.count >= min && (max.map { found.count <= $0 } ?? true) { continue }
                let flat = container.flattened()
                // An article without a title is named by the start of its text.
                let firstText = flat.first { $0.role == .unit }?.text ?? ""
                let title = container.field("title") ?? container.field("name")
                    ?? (firstText.count > 16 ? String(firstText.prefix(16)) + "……" : firstText)
                findings += count(found, label: label, context: context, title: title) {
                    let units = flat.filter { $0.role == .unit }
                    switch anchor {
                    case .start:
                        return context.firstLine(of: units.first ?? container)
                    case .end:
                        // The article's last character, where an attribution would follow.
                        return context.lastCharacter(of: units.last ?? container)
                    }
                }
            }
            return findings
        }
    }

    private static let articleKinds = [ElementSpec.Structural.article]
    private static let columnKinds = [ElementSpec.Structural.column]

    private func count(_ found: [Element], label: () -> String, context: CheckContext, title: String = "",
                       anchor: () -> TextRange) -> [Finding] {
        // Built only for a finding: most documents have none.
        var variables: [String: String] {
            ["element": label(), "count": String(found.count), "min": String(min),
             "max": max.map(String.init) ?? "", "title": title, "text": ""]
        }
        if found.count < min {
            return [Finding(range: anchor(), variables: variables)]
        }
        if let max, found.count > max {
            var variables = variables
            return found.dropFirst(max).map { element in
                variables["text"] = element.text
                variables["element"] = context.label(element.kind)
                return Finding(range: context.firstLine(of: element), variables: variables)
            }
        }
        return []
    }
}
