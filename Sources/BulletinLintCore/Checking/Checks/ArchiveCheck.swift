/// `archive`: checks over every document of one run, for an archive intake — 期号 continuous and
/// unique per bulletin and year, 总第N期 advancing with it, 印发日期 not going backwards as 期号
/// grows, and no 发文字号 used twice. A finding lands on the file that breaks the sequence and
/// names the other file.
struct ArchiveCheck: CrossDocumentCheck {
    static let kind = "archive"
    static let messageVariables = ["other", "expected", "problem"]
    static let parameterKeys = ["aspect"]

    enum Aspect: String, CaseIterable {
        case issueSequence = "issue-sequence"
        case issueDuplicate = "issue-duplicate"
        case totalSequence = "total-sequence"
        case dateOrder = "date-order"
        case docNumberDuplicate = "doc-number-duplicate"
    }

    let aspect: Aspect

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        let value = try parameters.required("aspect")
        let name = try value.string()
        guard let aspect = Aspect(rawValue: name) else {
            throw value.error("未知的 aspect“\(name)”\(Suggestion.hint(for: name, among: Aspect.allCases.map(\.rawValue)))；可用：\(Aspect.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        self.aspect = aspect
    }

    func evaluate(_ facts: [ArchiveFacts]) -> [(path: String, finding: Finding)] {
        var out: [(path: String, finding: Finding)] = []
        func add(_ fact: ArchiveFacts, _ range: TextRange?, _ problem: String, other: String, expected: String = "", text: String) {
            out.append((fact.path, Finding(range: range ?? 0..<0, variables: [
                "text": text, "other": other, "expected": expected, "problem": problem,
            ])))
        }
        switch aspect {
        case .docNumberDuplicate:
            var first: [String: String] = [:]
            for fact in facts.sorted(by: { $0.path < $1.path }) {
                for number in fact.docNumbers {
                    if let other = first[number.key] {
                        add(fact, number.range, "发文字号“\(number.text)”与 \(other) 重复", other: other, text: number.text)
                    } else {
                        first[number.key] = fact.path
                    }
                }
            }
        case .issueSequence, .issueDuplicate, .totalSequence, .dateOrder:
            // One sequence per bulletin and year, in 期号 order (path order among equals).
            var groups: [String: [ArchiveFacts]] = [:]
            for fact in facts where fact.number != nil { groups[fact.series, default: []].append(fact) }
            for key in groups.keys.sorted() {
                let series = (groups[key] ?? []).sorted { ($0.number ?? 0, $0.path) < ($1.number ?? 0, $1.path) }
                for (previous, current) in zip(series, series.dropFirst()) {
                    guard let a = previous.number, let b = current.number else { continue }
                    let label = "第\(b)期"
                    switch aspect {
                    case .issueDuplicate where a == b:
                        add(current, current.issueRange, "\(label)与 \(previous.path) 重复", other: previous.path, text: label)
                    case .issueSequence where b > a + 1:
                        let missing = a + 1 == b - 1 ? "第\(a + 1)期" : "第\(a + 1)—\(b - 1)期"
                        add(current, current.issueRange, "上一期是 \(previous.path) 的第\(a)期，缺少\(missing)",
                            other: previous.path, expected: "第\(a + 1)期", text: label)
                    case .totalSequence where b > a:
                        if let ta = previous.total, let tb = current.total, tb - ta != b - a {
                            add(current, current.issueRange, "总第\(tb)期与 \(previous.path) 的总第\(ta)期不相接（应为总第\(ta + b - a)期）",
                                other: previous.path, expected: "总第\(ta + b - a)期", text: "总第\(tb)期")
                        }
                    case .dateOrder where b > a:
                        if let da = previous.imprintDate, let db = current.imprintDate, db < da {
                            add(current, current.imprintRange, "印发日期 \(db) 早于上一期（\(previous.path)，\(da)）",
                                other: previous.path, text: db)
                        }
                    default:
                        break
                    }
                }
            }
        }
        return out
    }
}

/// What the archive checks need of one document; small, so a run over a national archive keeps
/// only these in memory.
public struct ArchiveFacts: Sendable {
    public let path: String
    /// Bulletin name and year: one 期号 sequence.
    public let series: String
    public let number: Int?
    public let total: Int?
    public let imprintDate: String?
    public let issueRange: TextRange?
    public let imprintRange: TextRange?
    public let docNumbers: [(text: String, key: String, range: TextRange)]

    public init(bulletin: Bulletin) {
        path = bulletin.source.path
        // The tree flattened once for the four kinds read here.
        let all = bulletin.allElements
        let issue = all.first { $0.kind == "issue-number" }
        let imprint = all.first { $0.kind == ElementSpec.Structural.imprint }
        let name = all.first { $0.kind == "bulletin-name" }?.field("name") ?? ""
        imprintDate = imprint?.field("date").flatMap { ParseState.isFullISO($0) ? $0 : nil }
        let year = issue?.field("year") ?? imprintDate.map { String($0.prefix(4)) } ?? ""
        series = name + "|" + year
        number = issue?.field("number").flatMap { Int($0) }
        total = issue?.field("total").flatMap { Int($0) }
        issueRange = issue?.range
        imprintRange = imprint?.fieldRange("date") ?? imprint?.range
        docNumbers = all.filter { $0.kind == "doc-number" }.map { element in
            // 〔2021〕 and [2021] are the same number.
            let key = element.text.filter { !"〔〕[]［］()（）【】﹝﹞ 第".contains($0) }
            return (element.text, key, element.range)
        }
    }
}
