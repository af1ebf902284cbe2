/// A message, help or fix text with `{name}` placeholders, split into its pieces once (when
/// the rule is built) so that rendering a finding is a few appends rather than a walk over
/// the template's characters.
///
/// The split follows the characters of the template, exactly as the rendering always has: a
/// `{` opens a name, a `}` closes the open one, a `{` while a name is open gives the open part
/// back as text, and a name still open at the end is text.
public struct MessageTemplate: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case text(String)
        case variable(String)
    }

    public let source: String
    let pieces: [Piece]

    public init(_ source: String) {
        self.source = source
        guard source.contains("{") else {
            pieces = source.isEmpty ? [] : [.text(source)]
            return
        }
        var pieces: [Piece] = []
        var text = ""
        var name: String? = nil
        for ch in source {
            if ch == "{" {
                if let pending = name { text += "{" + pending }
                name = ""
            } else if ch == "}", let current = name {
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                pieces.append(.variable(current))
                name = nil
            } else if name != nil {
                name?.append(ch)
            } else {
                text.append(ch)
            }
        }
        if let pending = name { text += "{" + pending }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }

    /// The longest a variable's value is shown in a capped rendering, in characters.
    public static let valueLimit = 200
    /// The longest a capped rendering is, in characters (before its closing `…`).
    public static let messageLimit = 1_000

    /// The text with each placeholder replaced by its variable; an unknown one stays as written
    /// (rule loading refuses them, so only hand-built rules have any).
    ///
    /// `capped` (messages and help): each value longer than `valueLimit` characters is cut there
    /// and ends in `…`, and the whole text is cut at `messageLimit` characters the same way, so a
    /// template that repeats `{text}` cannot turn one finding into megabytes. A fix's replacement
    /// is rendered uncapped: it is text written into the document.
    public func render(_ variables: [String: String], capped: Bool = false) -> String {
        switch pieces.count {
        case 0: return ""
        case 1:
            if case .text(let text) = pieces[0] { return capped ? MessageTemplate.cut(text, at: MessageTemplate.messageLimit) : text }
        default: break
        }
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .variable(let name):
                let value = variables[name] ?? "{\(name)}"
                out += capped ? MessageTemplate.cut(value, at: MessageTemplate.valueLimit) : value
            }
            // Far past the limit in bytes (a character is at most a few dozen): stop building.
            if capped, out.utf8.count > MessageTemplate.messageLimit * 8 { break }
        }
        return capped ? MessageTemplate.cut(out, at: MessageTemplate.messageLimit) : out
    }

    /// `text` cut to `limit` characters, ending in `…` when anything was cut.
    static func cut(_ text: String, at limit: Int) -> String {
        // At most `limit` bytes: at most `limit` characters, without counting them.
        if text.utf8.count <= limit { return text }
        var end = text.startIndex
        var count = 0
        while end < text.endIndex, count < limit {
            end = text.index(after: end)
            count += 1
        }
        return end == text.endIndex ? text : String(text[..<end]) + "…"
    }

    /// What each placeholder stands for, as `explain` shows a message to people: `{text}` reads
    /// 〈原文〉, not a brace.
    static let placeholderNames: [String: String] = [
        "text": "原文", "replacement": "应改为的写法", "expected": "应有的写法", "element": "元素",
        "other": "另一处", "relation": "前后关系", "title": "文章标题", "count": "数量", "min": "下限",
        "max": "上限", "length": "长度", "field": "字段", "match": "匹配的文字", "problem": "问题所在",
        "level": "层级", "property": "格式项", "actual": "实际的格式", "where": "位置", "full": "全称",
        "parent": "上级地名", "child": "下级地名", "until": "停用日期", "note": "说明", "sum": "各项之和",
        "total": "合计数", "column": "列名", "label": "合计行的名称", "entry": "附件说明中的条目",
        "number": "附件序号",
    ]

    /// The text with each placeholder written as 〈what it stands for〉.
    public var readable: String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .variable(let name): out += "〈\(MessageTemplate.placeholderNames[name] ?? name)〉"
            }
        }
        return out
    }
}
