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
    /// What the genre was read from: which element, where. Worded for people by
    /// `evidence(in:)` only when someone asks (`inspect`), not for every document linted.
    public var clues: [Clue]

    /// An element the genre was read from.
    public struct Clue: Sendable, Equatable {
        /// What it is, in Chinese (`期号`).
        public let what: String
        public let range: TextRange
    }

    public init(kind: Kind, wenzhong: String? = nil, clues: [Clue] = []) {
        self.kind = kind
        self.wenzhong = wenzhong
        self.clues = clues
    }

    /// The clues in words: `期号“第5期”（第3行）`.
    public func evidence(in source: SourceText) -> [String] {
        clues.map { clue in
            var text = String(source.slice(clue.range)).replacingOccurrences(of: "\n", with: "")
            if text.count > 24 { text = String(text.prefix(24)) + "…" }
            return "\(clue.what)“\(text)”（第\(source.lineIndex(containing: clue.range.lowerBound) + 1)行）"
        }
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
    /// The genre of a document whose elements, flattened depth first, are `all`.
    static func genre(of all: [Element]) -> DocumentGenre {
        // The first element of each kind that tells, in one pass.
        var issueNumber: Element?, name: Element?, title: Element?, mark: Element?, number: Element?,
            addressee: Element?, column: Element?, list: Element?, order: Element?
        var closing: [Element] = []
        for element in all {
            switch element.kind {
            case ElementSpec.Structural.issueNumber: if issueNumber == nil { issueNumber = element }
            case ElementSpec.Structural.bulletinName: if name == nil { name = element }
            case ElementSpec.Structural.docTitle: if title == nil { title = element }
            case ElementSpec.Structural.issuerMark: if mark == nil { mark = element }
            case "order-mark": if order == nil { order = element }
            case ElementSpec.Structural.docNumber: if number == nil { number = element }
            case ElementSpec.Structural.addressee: if addressee == nil { addressee = element }
            case ElementSpec.Structural.column: if column == nil { column = element }
            case "report-to", "send-to", "issue-to": if list == nil { list = element }
            case ElementSpec.Structural.article:
                // Source attributions count when they close articles: after a finished
                // paragraph (a lone `（征求意见稿）` under a title is no attribution).
                if closing.count < 2, let attribution = closingAttribution(of: element) { closing.append(attribution) }
            default: continue
            }
        }
        func clue(_ element: Element?, _ what: String) -> DocumentGenre.Clue? {
            element.map { DocumentGenre.Clue(what: what, range: $0.range) }
        }
        // A masthead with a 期号, or a 简报名称: a bulletin; 专报 in its name: a 信息专报.
        if issueNumber != nil || name != nil {
            let clues = [clue(name, "简报名称"), clue(issueNumber, "期号")].compactMap { $0 }
            let special = name?.text.contains("专报") ?? false
            return DocumentGenre(kind: special ? .specialReport : .bulletin, clues: clues)
        }
        // A 公文: its title (with the 文种), an `XX文件` masthead, a 发文字号, a 主送机关.
        let official = [clue(title, "公文标题"), clue(mark, "发文机关标志"), clue(number, "发文字号"), clue(addressee, "主送机关")].compactMap { $0 }
        // A `XX令` masthead makes a 命令 (when no title names another 文种).
        if let order, official.isEmpty || title?.field("wenzhong") == nil {
            return DocumentGenre(kind: .official, wenzhong: "命令", clues: [clue(order, "命令（令）的发文机关标志")].compactMap { $0 } + official)
        }
        if !official.isEmpty { return DocumentGenre(kind: .official, wenzhong: title?.field("wenzhong"), clues: official) }
        // No masthead (a page of a bulletin, a draft without one): 栏目, 报/送/发 lists and
        // attributions that close at least two articles are the bulletin's own.
        var clues = [clue(column, "栏目"), clue(list, "报送名单")].compactMap { $0 }
        if closing.count >= 2, let first = clue(closing[0], "来源署名") { clues.append(first) }
        if !clues.isEmpty { return DocumentGenre(kind: .bulletin, clues: clues) }
        return DocumentGenre(kind: .unknown)
    }

    /// The attribution that ends an article after a finished paragraph (or on the same line).
    private static func closingAttribution(of article: Element) -> Element? {
        let children = article.children
        guard let index = children.lastIndex(where: { $0.kind == ElementSpec.Structural.attribution }), index > 0,
              children[index - 1].kind == ElementSpec.Structural.paragraph else { return nil }
        let sameLine = children[index - 1].range.upperBound >= children[index].range.lowerBound - 3
        return sameLine || LogicalLine.endsSentence(children[index - 1].text) ? children[index] : nil
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
    static func date(of all: [Element]) -> String? {
        let order: [(String, String)] = [(ElementSpec.Structural.imprint, "date"), (ElementSpec.Structural.signingDate, "date"),
                                         (ElementSpec.Structural.mastheadDate, "date"), ("compiler", "date"),
                                         (ElementSpec.Structural.issueNumber, "date")]
        for (kind, field) in order {
            for element in all where element.kind == kind {
                if let value = element.field(field), ParseState.isFullISO(value) { return value }
            }
        }
        return nil
    }
}
