/// The registry of `org-names`: each organ's full name, its allowed short forms (规范化简称) and
/// the forms it must not be written as, read from a rule's `organs:` list and from registry files
/// (`registry:`) an office edits without touching YAML:
///
/// ```text
/// # 全称<Tab>规范简称（、或 , 分隔）<Tab>不用的写法
/// 四川省地方志工作办公室	省地方志办	四川方志办
/// 国务院办公厅	国办
/// ```
///
/// Every name and form is written once in the whole registry (a short form shared by two organs
/// could not say which it stands for); a mistake is an error at its line and column, in the YAML
/// or in the registry file.
struct OrganRegistry: Sendable {
    struct Organ: Sendable, Equatable {
        let name: String
        let short: [String]
        let avoid: [String]
    }

    enum Role: Sendable {
        case name, short, avoid

        var label: String {
            switch self {
            case .name: return "全称"
            case .short: return "规范简称"
            case .avoid: return "不用的写法"
            }
        }
    }

    /// A name or form as written, with a way to report a mistake at the place it was written.
    struct Written {
        let text: String
        let error: (String) -> RuleFileError
    }

    private(set) var organs: [Organ] = []
    /// Every name and form so far, with its organ and role.
    private var seen: [String: (organ: Int, role: Role)] = [:]

    /// Separators of the forms in one field or string: `省地方志办、省志办`.
    static let separators: Set<Character> = ["、", ",", "，"]

    /// Adds an organ, refusing what cannot be matched unambiguously.
    mutating func add(name: Written, short: [Written], avoid: [Written]) throws(RuleFileError) {
        try OrganRegistry.validate(name, role: .name)
        if let previous = seen[name.text] {
            throw name.error("“\(name.text)”已登记为“\(organs[previous.organ].name)”的\(previous.role.label)")
        }
        var local: [String: Role] = [name.text: .name]
        for (role, forms) in [(Role.short, short), (Role.avoid, avoid)] {
            for form in forms {
                try OrganRegistry.validate(form, role: role)
                if form.text == name.text { throw form.error("\(role.label)“\(form.text)”与全称相同") }
                if let other = local[form.text] {
                    throw form.error("“\(form.text)”在本条中已写作\(other.label)，同一写法只能写一次")
                }
                if let previous = seen[form.text] {
                    throw form.error("“\(form.text)”已登记为“\(organs[previous.organ].name)”的\(previous.role.label)，一个写法只能对应一个机构")
                }
                local[form.text] = role
            }
        }
        let index = organs.count
        organs.append(Organ(name: name.text, short: short.map(\.text), avoid: avoid.map(\.text)))
        for (text, role) in local { seen[text] = (index, role) }
    }

    private static func validate(_ written: Written, role: Role) throws(RuleFileError) {
        if written.text.isEmpty { throw written.error("\(role.label)不能为空") }
        if written.text.contains(where: { $0.isWhitespace }) {
            throw written.error("\(role.label)“\(written.text)”中有空白：名录文件的各列之间用 Tab 分隔，同一列的几个写法用“、”分隔")
        }
        if written.text.count < 2 { throw written.error("\(role.label)“\(written.text)”只有一个字，会在正文中处处匹配；至少写两个字") }
    }

    // MARK: The rule's YAML

    static let entryKeys = ["name", "short", "avoid"]

    /// `organs:` — a list of `{ name: …, short: [...], avoid: [...] }` (or a bare full name, an
    /// organ that has no short form); `short` and `avoid` take a string or a list, and a string
    /// may hold several forms separated by `、`.
    mutating func addYAML(_ node: YAMLValue) throws(RuleFileError) {
        for item in try node.list() {
            if case .scalar = item.node {
                let name = try item.string().trimmingCharactersInSet(" ")
                try add(name: Written(text: name, error: item.error), short: [], avoid: [])
                continue
            }
            var fields: [String: YAMLValue] = [:]
            for entry in try item.entries() {
                guard OrganRegistry.entryKeys.contains(entry.key) else {
                    throw entry.keyValue.error("“organs”的条目中只能写 name、short、avoid，实际是“\(entry.key)”\(Suggestion.hint(for: entry.key, among: OrganRegistry.entryKeys))")
                }
                fields[entry.key] = entry.value
            }
            guard let nameNode = fields["name"] else { throw item.error("“organs”的条目缺少 name（机构全称）") }
            let name = try nameNode.string().trimmingCharactersInSet(" ")
            try add(name: Written(text: name, error: nameNode.error),
                    short: try OrganRegistry.forms(fields["short"]), avoid: try OrganRegistry.forms(fields["avoid"]))
        }
    }

    /// The forms of `short:` or `avoid:`, each reported at the string it came from.
    private static func forms(_ value: YAMLValue?) throws(RuleFileError) -> [Written] {
        guard let value, !value.isNull else { return [] }
        let items: [YAMLValue]
        if case .scalar = value.node { items = [value] } else { items = try value.list() }
        var out: [Written] = []
        for item in items {
            for part in try item.string().split(whereSeparator: { separators.contains($0) }) {
                out.append(Written(text: String(part).trimmingCharactersInSet(" "), error: item.error))
            }
        }
        return out
    }

    // MARK: Registry files

    /// A registry file: one organ a line, `全称<Tab>规范简称<Tab>不用的写法`, the forms of a column
    /// separated by `、` or `,`; the second and third columns may be empty or left out. A line
    /// starting with `#` is a comment; blank lines are skipped. `file` is the path shown in errors.
    mutating func addFile(_ text: String, file: String) throws(RuleFileError) {
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let shown = String(line)
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let lineNumber = number
            func error(at column: Int) -> (String) -> RuleFileError {
                { message in RuleFileError(file: file, line: lineNumber, column: column, message: message, sourceLine: shown) }
            }
            // Columns: each field with the 1-based column (in scalars) it starts at.
            var fields: [(text: Substring, column: Int)] = []
            var column = 1
            for field in line.split(separator: "\t", omittingEmptySubsequences: false) {
                fields.append((field, column))
                column += field.unicodeScalars.count + 1
            }
            if fields.count > 3 {
                throw error(at: fields[3].column)("每行最多三列（全称、规范简称、不用的写法，用 Tab 分隔），这一行有 \(fields.count) 列")
            }
            let name = OrganRegistry.items(fields[0].text, column: fields[0].column, separators: [])
            guard let first = name.first, !first.text.isEmpty else {
                throw error(at: 1)("缺少全称：每行第一列写机构全称，用 Tab 与规范简称分开")
            }
            let short = fields.count > 1 ? OrganRegistry.items(fields[1].text, column: fields[1].column, separators: OrganRegistry.separators) : []
            let avoid = fields.count > 2 ? OrganRegistry.items(fields[2].text, column: fields[2].column, separators: OrganRegistry.separators) : []
            try add(name: Written(text: first.text, error: error(at: first.column)),
                    short: short.map { Written(text: $0.text, error: error(at: $0.column)) },
                    avoid: avoid.map { Written(text: $0.text, error: error(at: $0.column)) })
        }
    }

    /// The forms of one column, trimmed, each with the column it starts at; an empty column has
    /// none. With no separators, the whole field is one item (a full name).
    private static func items(_ field: Substring, column: Int, separators: Set<Character>) -> [(text: String, column: Int)] {
        var out: [(text: String, column: Int)] = []
        var start = column
        let parts = separators.isEmpty ? [field] : field.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        for part in parts {
            let lead = part.prefix { $0 == " " || $0 == "\u{3000}" }
            let text = String(part).trimmingCharactersInSet(" ")
            if !text.isEmpty || separators.isEmpty { out.append((text, start + lead.unicodeScalars.count)) }
            start += part.unicodeScalars.count + 1
        }
        return out
    }
}
