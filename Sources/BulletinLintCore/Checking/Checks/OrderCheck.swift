/// `order`: elements appear in the given sequence (报 → 送 → 发). An item may be a list of
/// kinds of equal rank (`[report-to, send-to]`). A finding lands on each element that stands
/// after one it should precede, naming the element it should follow (`之后`) or precede (`之前`).
struct OrderCheck: Check {
    static let kind = "order"
    static let messageVariables = ["element", "other", "relation"]
    static let parameterKeys = ["elements"]

    /// Rank of each kind, as a list: a short list compared in turn is cheaper than hashing
    /// every element's kind.
    let rankList: [(kind: String, rank: Int)]
    /// The kinds of `rankList`, for the context's per-document lists.
    let kinds: [String]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        let value = try parameters.required("elements")
        var rankList: [(kind: String, rank: Int)] = []
        let items = try value.list()
        for (rank, item) in items.enumerated() {
            for kind in try item.stringList() {
                if rankList.contains(where: { $0.kind == kind }) { throw item.error("“elements”中重复出现“\(kind)”") }
                rankList.append((kind, rank))
                parameters.recordReference(kind, at: item)
            }
        }
        if items.count < 2 { throw value.error("“elements”至少要列出两项") }
        self.rankList = rankList
        kinds = rankList.map(\.kind)
    }

    func run(_ context: CheckContext) -> [Finding] {
        var present: [Element] = []
        var rank: [Int] = []
        // The elements of the ranked kinds, in document order (worked out once per document),
        // and then each one's rank.
        for element in context.elements(ofKinds: kinds) where element.role != .artifact {
            let kind = element.kind
            for entry in rankList where entry.kind == kind {
                present.append(element)
                rank.append(entry.rank)
                break
            }
        }
        guard present.count > 1 else { return [] }
        // Already in order (most documents): the longest run in order is all of them.
        if zip(rank, rank.dropFirst()).allSatisfy({ $0 <= $1 }) { return [] }
        // Keep the longest run already in order; everything else is what moved. With 发 put
        // before 报 and 送, that blames 发 alone rather than both 报 and 送.
        var length = [Int](repeating: 1, count: rank.count)
        var previous = [Int](repeating: -1, count: rank.count)
        for i in rank.indices {
            for j in 0..<i where rank[j] <= rank[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1
                previous[i] = j
            }
        }
        let best = length.max() ?? 0
        var keep = Set<Int>()
        var cursor = length.firstIndex(of: best) ?? -1
        while cursor >= 0 {
            keep.insert(cursor)
            cursor = previous[cursor]
        }
        var findings: [Finding] = []
        for i in present.indices where !keep.contains(i) {
            let element = present[i]
            // Name the last kept element it should follow, or else the first it should precede:
            // that is where it belongs.
            let later = keep.filter { $0 > i && rank[$0] < rank[i] }.max()
            let earlier = keep.filter { $0 < i && rank[$0] > rank[i] }.min()
            let (other, relation) = later.map { (present[$0], "之后") } ?? earlier.map { (present[$0], "之前") } ?? (element, "")
            findings.append(Finding(range: context.firstLine(of: element), variables: [
                "element": context.label(element.kind), "other": context.label(other.kind),
                "relation": relation, "text": element.text,
            ]))
        }
        return findings
    }
}
