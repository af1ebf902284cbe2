import Foundation

/// An XML part parsed into the same `XMLNode` tree `XMLTree` gives, with the byte positions of
/// every element kept, so that `annotate` can rewrite a few runs of `document.xml` and copy every
/// other byte as it was. (FoundationXML's parser reports no byte offsets.)
///
/// It is a small, strict parser for what OOXML parts are: UTF-8, no DOCTYPE (refused, as in
/// `XMLTree`), the five predefined entities and character references, CDATA, comments and
/// processing instructions. Nesting is capped like `XMLTree`'s.
struct PositionedXML {
    /// Where an element sits in the part's bytes.
    struct Position {
        /// The `<` of its start tag.
        let start: Int
        /// Just after the `>` of its start tag (equal to `end` for `<a/>`).
        let startTagEnd: Int
        /// The `<` of its end tag (equal to `end` for `<a/>`).
        let endTagStart: Int
        /// Just after its end.
        let end: Int
        /// The name as written (`w:r`), for writing new tags with the same prefix.
        let qualifiedName: String

        var isEmpty: Bool { startTagEnd == end }
        /// The namespace prefix as written (`w`), empty when there is none.
        var prefix: String {
            guard let colon = qualifiedName.firstIndex(of: ":") else { return "" }
            return String(qualifiedName[..<colon])
        }
    }

    let bytes: [UInt8]
    let root: XMLNode
    private let positions: [ObjectIdentifier: Position]

    func position(of node: XMLNode) -> Position? { positions[ObjectIdentifier(node)] }

    /// The bytes of an element, exactly as written.
    func slice(_ node: XMLNode) -> ArraySlice<UInt8> {
        guard let position = position(of: node) else { return [] }
        return bytes[position.start..<position.end]
    }

    init(_ data: [UInt8]) throws(XMLTree.Failure) {
        if let encoding = XMLTree.unscannableEncoding(Data(data.prefix(200))) {
            throw XMLTree.Failure(reason: "使用 \(encoding) 编码；OOXML 的 XML 部件应为 UTF-8")
        }
        var parser = Parser(bytes: data)
        try parser.parse()
        guard let root = parser.root else { throw XMLTree.Failure(reason: "没有根元素") }
        bytes = data
        self.root = root
        positions = parser.positions
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var root: XMLNode?
        var positions: [ObjectIdentifier: Position] = [:]
        /// Open elements: node, start, start tag end, name as written, namespace declarations.
        var stack: [(node: XMLNode, start: Int, startTagEnd: Int, name: String, namespaces: [String: String])] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        func failure(_ what: String) -> XMLTree.Failure {
            // Line numbers as a reader would count them.
            let line = bytes[..<min(index, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            return XMLTree.Failure(reason: "第 \(line) 行格式错误：\(what)")
        }

        func starts(with literal: String, at position: Int) -> Bool {
            let needle = Array(literal.utf8)
            guard position + needle.count <= bytes.count else { return false }
            for (offset, byte) in needle.enumerated() where bytes[position + offset] != byte { return false }
            return true
        }

        /// The index just after the next `terminator` from `position`.
        func skip(past terminator: String, from position: Int) throws(XMLTree.Failure) -> Int {
            let needle = Array(terminator.utf8)
            var i = position
            while i + needle.count <= bytes.count {
                if bytes[i] == needle[0], starts(with: terminator, at: i) { return i + needle.count }
                i += 1
            }
            throw failure("“\(terminator)”缺失")
        }

        mutating func parse() throws(XMLTree.Failure) {
            while index < bytes.count {
                if bytes[index] != UInt8(ascii: "<") {
                    let end = bytes[index...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
                    let text = try decode(index..<end)
                    if let parent = stack.last?.node {
                        parent.append(.text(text))
                    } else if !text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
                        throw failure("根元素之外有文字")
                    }
                    index = end
                    continue
                }
                if starts(with: "<?", at: index) {
                    index = try skip(past: "?>", from: index + 2)
                } else if starts(with: "<!--", at: index) {
                    index = try skip(past: "-->", from: index + 4)
                } else if starts(with: "<![CDATA[", at: index) {
                    let end = try skip(past: "]]>", from: index + 9)
                    stack.last?.node.append(.text(String(decoding: bytes[(index + 9)..<(end - 3)], as: UTF8.self)))
                    index = end
                } else if starts(with: "<!", at: index) {
                    throw XMLTree.Failure(reason: "含有文档类型声明（DOCTYPE），为安全起见不予解析")
                } else if starts(with: "</", at: index) {
                    try endTag()
                } else {
                    try startTag()
                }
            }
            if let open = stack.last { throw XMLTree.Failure(reason: "文件不完整（元素“\(open.name)”没有结束）") }
        }

        mutating func endTag() throws(XMLTree.Failure) {
            let tagStart = index
            guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { throw failure("结束标记不完整") }
            let name = String(decoding: bytes[(index + 2)..<close], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let open = stack.popLast(), open.name == name else { throw failure("结束标记“\(name)”与开始标记不符") }
            index = close + 1
            positions[ObjectIdentifier(open.node)] = Position(start: open.start, startTagEnd: open.startTagEnd,
                                                              endTagStart: tagStart, end: index, qualifiedName: open.name)
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }

        mutating func startTag() throws(XMLTree.Failure) {
            let tagStart = index
            var i = index + 1
            while i < bytes.count, !Parser.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") { i += 1 }
            let name = String(decoding: bytes[(index + 1)..<i], as: UTF8.self)
            guard !name.isEmpty else { throw failure("元素没有名字") }
            var rawAttributes: [(String, String)] = []
            var selfClosing = false
            while true {
                while i < bytes.count, Parser.isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count else { throw failure("标记“\(name)”不完整") }
                if bytes[i] == UInt8(ascii: ">") { i += 1; break }
                if bytes[i] == UInt8(ascii: "/") {
                    guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">") else { throw failure("标记“\(name)”不完整") }
                    selfClosing = true
                    i += 2
                    break
                }
                let nameStart = i
                while i < bytes.count, bytes[i] != UInt8(ascii: "="), !Parser.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                let key = String(decoding: bytes[nameStart..<i], as: UTF8.self)
                while i < bytes.count, Parser.isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw failure("属性“\(key)”没有值") }
                i += 1
                while i < bytes.count, Parser.isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { throw failure("属性“\(key)”的值没有引号") }
                let quote = bytes[i]
                guard let close = bytes[(i + 1)...].firstIndex(of: quote) else { throw failure("属性“\(key)”的值没有结束") }
                let saved = index
                index = i
                let value = try decode((i + 1)..<close, attribute: true)
                index = saved
                rawAttributes.append((key, value))
                i = close + 1
            }
            if stack.count >= XMLTree.maximumDepth { throw XMLTree.Failure(reason: "元素嵌套超过 \(XMLTree.maximumDepth) 层") }
            var namespaces = stack.last?.namespaces ?? [:]
            var attributes: [String: String] = [:]
            for (key, value) in rawAttributes {
                if key == "xmlns" { namespaces[""] = value; continue }
                if key.hasPrefix("xmlns:") { namespaces[String(key.dropFirst(6))] = value; continue }
                let local = key.split(separator: ":").last.map(String.init) ?? key
                // A prefixed name wins over an unprefixed one of the same local name (as in `XMLTree`).
                if attributes[local] == nil || key.contains(":") { attributes[local] = value }
            }
            let parts = name.split(separator: ":", maxSplits: 1)
            let prefix = parts.count == 2 ? String(parts[0]) : ""
            let local = parts.count == 2 ? String(parts[1]) : name
            let node = XMLNode(name: local, namespace: namespaces[prefix] ?? "", attributes: attributes)
            if let parent = stack.last?.node {
                parent.append(.element(node))
            } else if root == nil {
                root = node
            } else {
                throw failure("有多个根元素")
            }
            index = i
            if selfClosing {
                positions[ObjectIdentifier(node)] = Position(start: tagStart, startTagEnd: i, endTagStart: i, end: i, qualifiedName: name)
            } else {
                stack.append((node, tagStart, i, name, namespaces))
            }
        }

        /// Text with entity and character references replaced and line ends normalised.
        func decode(_ range: Range<Int>, attribute: Bool = false) throws(XMLTree.Failure) -> String {
            let slice = bytes[range]
            if !slice.contains(UInt8(ascii: "&")), !slice.contains(0x0D), !(attribute && slice.contains(where: { $0 == 0x0A || $0 == 0x09 })) {
                return String(decoding: slice, as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(slice.count)
            var i = range.lowerBound
            while i < range.upperBound {
                let byte = bytes[i]
                if byte == UInt8(ascii: "&") {
                    guard let semicolon = bytes[i..<range.upperBound].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 12 else {
                        throw failure("“&”后没有实体名")
                    }
                    let name = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
                    switch name {
                    case "lt": out.append(UInt8(ascii: "<"))
                    case "gt": out.append(UInt8(ascii: ">"))
                    case "amp": out.append(UInt8(ascii: "&"))
                    case "quot": out.append(UInt8(ascii: "\""))
                    case "apos": out.append(UInt8(ascii: "'"))
                    default:
                        let value: UInt32?
                        if name.hasPrefix("#x") || name.hasPrefix("#X") {
                            value = UInt32(name.dropFirst(2), radix: 16)
                        } else if name.hasPrefix("#") {
                            value = UInt32(name.dropFirst(1))
                        } else {
                            value = nil
                        }
                        guard let value, let scalar = Unicode.Scalar(value) else { throw failure("未知的实体“&\(name);”") }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    }
                    i = semicolon + 1
                    continue
                }
                if byte == 0x0D {
                    // CR LF and a lone CR are one LF (XML 1.0 §2.11); in an attribute, a space.
                    out.append(attribute ? 0x20 : 0x0A)
                    if i + 1 < range.upperBound, bytes[i + 1] == 0x0A { i += 1 }
                } else if attribute, byte == 0x0A || byte == 0x09 {
                    out.append(0x20)
                } else {
                    out.append(byte)
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
