/// `order`: elements appear in the given sequence (报 → 送 → 发). An item may be a list of
/// kinds of equal rank (`[report-to, send-to]`). A finding lands on each element that stands
/// after one it should precede.
struct OrderCheck: Check {
    static let kind = "order"
    static let messageVariables = ["element", "other"]

    /// Rank of each kind.
    let ranks: [String: Int]

    init(_ parameters: inout RuleParameters) throws(RuleFileError) {
        let value = try parameters.required("elements")
        var ranks: [String: Int] = [:]
        let items = try value.list()
        for (rank, item) in items.enumerated() {
            for kind in try item.stringList() {
                if ranks[kind] != nil { throw item.error("“elements”中重复出现“\(kind)”") }
                ranks[kind] = rank
                parameters.recordReference(kind, at: item)
            }
        }
        if items.count < 2 { throw value.error("“elements”至少要列出两项") }
        self.ranks = ranks
    }

    func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        var furthest: (rank: Int, element: Element)? = nil
        for element in context.all where element.role != .artifact {
            guard let rank = ranks[element.kind] else { continue }
            if let far = furthest, rank < far.rank {
                findings.append(Finding(range: context.firstLine(of: element), variables: [
                    "element": context.label(element.kind), "other": context.label(far.element.kind),
                    "text": element.text,
                ]))
            } else if rank > (furthest?.rank ?? -1) {
                furthest = (rank, element)
            }
        }
        return findings
    }
}
