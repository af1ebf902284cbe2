/// `divisions`: a place named under a province or city it does not belong to — 湖北省张家界市
/// (张家界市 is in 湖南省), 四川省重庆市 (重庆市 is a municipality of its own) — from the GB/T 2260
/// code table: a division's code begins with its province's two digits and its city's four.
///
/// A full name (湖北省, 张家界市) directly followed by another (no character between) is checked:
/// the second must lie under the first for one of the codes each name has had. Names of the
/// lower place shorter than three characters (城区, 郊区) are common words and not looked at, and
/// a place under a county-level one (a town) is not in the table. The built-in table
/// (`data: divisions`, `rules/data/divisions.tsv`) holds the names of 2002 to about 2018; an
/// office adds what it needs with `add: { "510185": 简阳市 }` (code: name).
struct DivisionsCheck: Check {
    static let kind = "divisions"
    static let messageVariables = ["parent", "child", "problem"]
    static let parameterKeys = ["scope", "data", "add"]

    let scope: Scope
    let table: DivisionTable

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        scope = try parameters.scope(default: .document)
        let dataNode = parameters.optional("data")
        let name = try dataNode?.nonEmptyString() ?? "divisions"
        guard let file = EmbeddedDataFiles.all.first(where: { $0.name == name }) else {
            let names = EmbeddedDataFiles.all.map(\.name)
            throw (dataNode ?? parameters.ruleNode).error("没有名为“\(name)”的行政区划数据；可用：\(names.joined(separator: "、"))")
        }
        guard let add = parameters.optional("add") else {
            // The embedded tables are fixed: each is parsed once per process.
            table = DivisionTable.embedded.value(for: file.name) { DivisionTable(DivisionTable.parse(file.text)) }
            return
        }
        var pairs = DivisionTable.parse(file.text)
        for entry in try add.entries() {
            guard entry.key.count == 6, let code = Int(entry.key) else {
                throw entry.keyValue.error("“add”的键应是 6 位行政区划代码（如 \"510185\"），实际是“\(entry.key)”")
            }
            pairs.append((code, try entry.value.nonEmptyString()))
        }
        table = DivisionTable(pairs)
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        for unit in context.units(in: scope) {
            let names = table.occurrences(in: unit.text)
            for (parent, child) in zip(names, names.dropFirst()) where parent.range.upperBound == child.range.lowerBound {
                guard let problem = table.problem(parent: parent.name, child: child.name) else { continue }
                findings.append(Finding(range: unit.view.sourceRange(child.range), variables: [
                    "text": child.name, "parent": parent.name, "child": child.name, "problem": problem,
                ]))
            }
        }
        return findings
    }
}

/// The code table: every name with the codes it has had, and a matcher for full names in text.
struct DivisionTable: Sendable {
    /// The tables of `rules/data`, by name, as made from their text.
    static let embedded = ProcessCache<String, DivisionTable>(capacity: 16)

    /// Codes by name; a name several divisions share (朝阳区) has several.
    let codes: [String: [Int]]
    /// Names by their first character, longest first, for the matcher.
    private let byFirst: [Unicode.Scalar: [String]]
    /// The name each code had last in the table (for messages).
    private let nameOfCode: [Int: String]

    init(_ pairs: [(Int, String)]) {
        var codes: [String: [Int]] = [:]
        var nameOfCode: [Int: String] = [:]
        for (code, name) in pairs {
            if !(codes[name]?.contains(code) ?? false) { codes[name, default: []].append(code) }
            nameOfCode[code] = name
        }
        var byFirst: [Unicode.Scalar: [String]] = [:]
        for name in codes.keys {
            if let first = name.unicodeScalars.first { byFirst[first, default: []].append(name) }
        }
        for key in byFirst.keys { byFirst[key]?.sort { $0.utf8.count > $1.utf8.count } }
        self.codes = codes
        self.byFirst = byFirst
        self.nameOfCode = nameOfCode
    }

    /// `code<TAB>name` lines; `#` starts a comment.
    static func parse(_ text: String) -> [(Int, String)] {
        var pairs: [(Int, String)] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let code = Int(fields[0]) else { continue }
            pairs.append((code, String(fields[1])))
        }
        return pairs
    }

    enum Level { case province, city, county }

    static func level(_ code: Int) -> Level {
        if code % 10_000 == 0 { return .province }
        if code % 100 == 0 { return .city }
        return .county
    }

    /// Full names in `text`, leftmost-longest and not overlapping, with their UTF-8 ranges.
    func occurrences(in text: String) -> [(name: String, range: Range<Int>)] {
        var found: [(name: String, range: Range<Int>)] = []
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var offset = 0
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if let candidates = byFirst[scalar] {
                let rest = text.utf8[index...]
                if let name = candidates.first(where: { rest.starts(with: $0.utf8) }) {
                    let length = name.utf8.count
                    found.append((name, offset..<(offset + length)))
                    offset += length
                    index = scalars.index(index, offsetBy: name.unicodeScalars.count)
                    continue
                }
            }
            offset += UTF8.width(scalar)
            index = scalars.index(after: index)
        }
        return found
    }

    /// Why `child` written right after `parent` is wrong, or nil when it is right (for one of the
    /// codes each has had) or cannot be judged.
    func problem(parent: String, child: String) -> String? {
        guard child.count >= 3, let parents = codes[parent], let children = codes[child] else { return nil }
        // Only a province or a city holds places the table knows.
        let holders = parents.filter { DivisionTable.level($0) != .county }
        guard !holders.isEmpty else { return nil }
        for holder in holders {
            for code in children where code != holder {
                switch DivisionTable.level(holder) {
                case .province:
                    if DivisionTable.level(code) != .province, code / 10_000 == holder / 10_000 { return nil }
                case .city:
                    if DivisionTable.level(code) == .county, code / 100 == holder / 100 { return nil }
                case .county:
                    break
                }
            }
        }
        // Where the child does belong, for the message.
        if children.allSatisfy({ DivisionTable.level($0) == .province }) {
            return "\(child)是省级行政区，不属于\(parent)"
        }
        let homes = children.compactMap { code -> String? in
            let province = nameOfCode[code / 10_000 * 10_000]
            let city = DivisionTable.level(code) == .county ? nameOfCode[code / 100 * 100] : nil
            guard let province else { return nil }
            if let city, city != province { return province + city }
            return province
        }
        let unique = Array(Set(homes)).sorted()
        return unique.isEmpty ? "\(child)不在\(parent)之下" : "\(child)属于\(unique.prefix(3).joined(separator: "、"))"
    }
}
