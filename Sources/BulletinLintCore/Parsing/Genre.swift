/// What kind of document a text is — a 简报, a 信息专报, a 公文 of some 文种 — read from its
/// elements, with the evidence, so rules can be applied to the genre they are written for.
public struct DocumentGenre: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case bulletin = "简报"
        case specialReport = "信息专报"
        case official = "公文"
        case unknown = "未知"
    }

    public var kind: Kind
    /// The 公文's 文种 (通知, 请示, …), when its title names one.
    public var wenzhong: String?
    /// What the genre was read from, in Chinese (`期号“第5期”（第3行）`).
    public var evidence: [String]

    public init(kind: Kind, wenzhong: String? = nil, evidence: [String] = []) {
        self.kind = kind
        self.wenzhong = wenzhong
        self.evidence = evidence
    }

    /// `公文（通知）`, `简报`.
    public var description: String {
        if kind == .official, let wenzhong { return "\(kind.rawValue)（\(wenzhong)）" }
        return kind.rawValue
    }

    /// The 文种 a rule condition may name.
    public static let wenzhongNames = ["通知", "通报", "意见", "请示", "报告", "函", "纪要", "决定", "批复",
                                       "命令", "公告", "通告", "决议", "议案", "公报"]

    /// The names a `when: { genre: […] }` condition accepts: the kinds and the 文种.
    public static let conditionNames = Kind.allCases.map(\.rawValue) + ["unknown"] + wenzhongNames

    /// Whether a condition's genre name covers this genre: a kind by its name, a 文种 as a 公文
    /// of that 文种.
    public func matches(_ name: String) -> Bool {
        if name == kind.rawValue || (name == "unknown" && kind == .unknown) { return true }
        return kind == .official && wenzhong == name
    }

    /// The genre a name stands for (`简报`, `公文`, or a 文种 such as `请示`, a 公文 of it); nil
    /// for a name that is none of `conditionNames`.
    public static func named(_ name: String) -> DocumentGenre? {
        if let kind = Kind(rawValue: name) { return DocumentGenre(kind: kind) }
        if name == "unknown" { return DocumentGenre(kind: .unknown) }
        return wenzhongNames.contains(name) ? DocumentGenre(kind: .official, wenzhong: name) : nil
    }

    /// The 文种 a title's last word names (`复函` is a 函, `会议纪要` a 纪要).
    public static func wenzhong(fromTitleWord word: String) -> String? {
        switch word {
        case "复函": return "函"
        case "会议纪要": return "纪要"
        default: return wenzhongNames.contains(word) ? word : nil
        }
    }
}

/// Reads the genre from a parsed document's elements.
enum GenreReader {
    static func genre(of elements: [Element], source: SourceText) -> DocumentGenre {
        func line(_ element: Element) -> Int { source.lineIndex(containing: element.range.lowerBound) + 1 }
        func quote(_ element: Element, _ what: String) -> String {
            let text = element.text.count > 24 ? String(element.text.prefix(24)) + "…" : element.text
            return "\(what)“\(text)”（第\(line(element))行）"
        }
        var all: [Element] = []
        for element in elements { element.appendFlattened(to: &all) }
        let first = { (kind: String) in all.first { $0.kind == kind } }
        // A masthead with a 期号, or a 简报名称: a bulletin; 专报 in its name: a 信息专报.
        let issueNumber = first(ElementSpec.Structural.issueNumber)
        let name = first(ElementSpec.Structural.bulletinName)
        if issueNumber != nil || name != nil {
            var evidence: [String] = []
            if let name { evidence.append(quote(name, "简报名称")) }
            if let issueNumber { evidence.append(quote(issueNumber, "期号")) }
            let special = name?.text.contains("专报") ?? false
            return DocumentGenre(kind: special ? .specialReport : .bulletin, evidence: evidence)
        }
        // A 公文: its title (with the 文种), an `XX文件` masthead, a 发文字号, a 主送机关.
        var evidence: [String] = []
        var wenzhong: String? = nil
        if let title = first(ElementSpec.Structural.docTitle) {
            wenzhong = title.field("wenzhong")
            evidence.append(quote(title, "公文标题"))
        }
        if let mark = first(ElementSpec.Structural.issuerMark) { evidence.append(quote(mark, "发文机关标志")) }
        if let number = first(ElementSpec.Structural.docNumber) { evidence.append(quote(number, "发文字号")) }
        if let addressee = first(ElementSpec.Structural.addressee) { evidence.append(quote(addressee, "主送机关")) }
        if !evidence.isEmpty { return DocumentGenre(kind: .official, wenzhong: wenzhong, evidence: evidence) }
        // No masthead (a page of a bulletin, a draft without one): 栏目, source attributions and
        // 报/送/发 lists are the bulletin's own.
        for (kind, what) in [(ElementSpec.Structural.column, "栏目"), ("report-to", "报送名单"), ("send-to", "报送名单"), ("issue-to", "报送名单")] {
            if let element = first(kind) { evidence.append(quote(element, what)) }
        }
        // Source attributions count when they close articles: after a finished paragraph, twice
        // at least (a lone `（征求意见稿）` under a title is no attribution).
        let closing = all.filter { $0.kind == ElementSpec.Structural.article }.compactMap { article -> Element? in
            let children = article.children
            guard let index = children.lastIndex(where: { $0.kind == ElementSpec.Structural.attribution }), index > 0,
                  children[index - 1].kind == ElementSpec.Structural.paragraph else { return nil }
            let before = children[index - 1].text
            let sameLine = children[index - 1].range.upperBound >= children[index].range.lowerBound - 3
            return sameLine || LogicalLine.endsSentence(before) ? children[index] : nil
        }
        if closing.count >= 2 { evidence.append(quote(closing[0], "来源署名")) }
        if !evidence.isEmpty { return DocumentGenre(kind: .bulletin, evidence: evidence) }
        return DocumentGenre(kind: .unknown)
    }

    /// A document of no known genre has no bulletin structure: what the body parser took for
    /// article titles and source attributions are its paragraphs.
    static func unstructure(_ elements: inout [Element]) {
        for i in elements.indices {
            let kind = elements[i].kind
            if kind == ElementSpec.Structural.articleTitle || kind == ElementSpec.Structural.attribution {
                elements[i].kind = ElementSpec.Structural.paragraph
                elements[i].clearFields()
            }
            if !elements[i].children.isEmpty {
                unstructure(&elements[i].children)
                if elements[i].kind == ElementSpec.Structural.article { elements[i].setField("title", nil) }
            }
        }
    }

    /// The document's own date, which decides the rules of its era: the 印发日期, else the 成文日期,
    /// else the masthead's date. An ISO date, or nil.
    static func date(of elements: [Element]) -> String? {
        var all: [Element] = []
        for element in elements { element.appendFlattened(to: &all) }
        let order: [(String, String)] = [(ElementSpec.Structural.imprint, "date"), (ElementSpec.Structural.signingDate, "date"),
                                         (ElementSpec.Structural.mastheadDate, "date"), ("compiler", "date"),
                                         (ElementSpec.Structural.issueNumber, "date")]
        for (kind, field) in order {
            for element in all where element.kind == kind {
                if let value = element.field(field), ParseRun.isFullISO(value) { return value }
            }
        }
        return nil
    }
}
