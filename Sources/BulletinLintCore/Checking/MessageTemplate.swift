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

    /// The text with each placeholder replaced by its variable; an unknown one stays as written
    /// (rule loading refuses them, so only hand-built rules have any).
    public func render(_ variables: [String: String]) -> String {
        switch pieces.count {
        case 0: return ""
        case 1:
            if case .text(let text) = pieces[0] { return text }
        default: break
        }
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .variable(let name): out += variables[name] ?? "{\(name)}"
            }
        }
        return out
    }

    /// What each placeholder stands for, as `explain` shows a message to people: `{text}` reads
    /// 〈原文〉, not a brace.
    static let placeholderNames: [String: String] = [
        "text": "原文", "replacement": "应改为的写法", "expected": "应有的写法", "element": "元素",
        "other": "另一处", "relation": "前后关系", "title": "文章标题", "count": "数量", "min": "下限",
        "max": "上限", "length": "长度", "field": "字段", "match": "匹配的文字", "problem": "问题所在",
        "level": "层级", "property": "格式项", "actual": "实际的格式", "where": "位置",
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
