import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of a parsed XML part: local name, namespace, attributes by local name, children
/// and the text directly inside it, in document order.
final class XMLNode {
    enum Child {
        case element(XMLNode)
        case text(String)
    }

    let name: String
    let namespace: String
    let attributes: [String: String]
    private(set) var content: [Child] = []

    init(name: String, namespace: String, attributes: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
    }

    func append(_ child: Child) {
        if case .text(let text) = child, case .text(var previous)? = content.last {
            // The parser hands long text over in many pieces: the last piece is taken out so
            // that it is the only reference and grows in place (a new string for every piece
            // would copy all the text so far each time: quadratic in a line's length).
            content[content.count - 1] = .text("")
            previous += text
            content[content.count - 1] = .text(previous)
        } else {
            content.append(child)
        }
    }

    /// Child elements.
    var children: [XMLNode] {
        content.compactMap { if case .element(let node) = $0 { return node } else { return nil } }
    }

    func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// The first element reached by a path of local names.
    func child(path names: String...) -> XMLNode? {
        var node: XMLNode? = self
        for name in names { node = node?.child(name) }
        return node
    }

    /// All descendants with a local name, in document order.
    func descendants(_ name: String) -> [XMLNode] {
        var out: [XMLNode] = []
        var stack: [XMLNode] = [self]
        while let node = stack.popLast() {
            if node !== self, node.name == name { out.append(node) }
            stack.append(contentsOf: node.children.reversed())
        }
        return out
    }

    /// The text directly inside this element.
    var text: String {
        content.reduce(into: "") { out, child in if case .text(let text) = child { out += text } }
    }

    /// All text below this element.
    var allText: String {
        content.reduce(into: "") { out, child in
            switch child {
            case .text(let text): out += text
            case .element(let node): out += node.allText
            }
        }
    }

    func attribute(_ name: String) -> String? { attributes[name] }

    /// A number attribute; nil unless it is finite and of a sane size (hostile files write
    /// `nan`, `inf` or 1e308 where a length belongs).
    func double(_ name: String) -> Double? {
        guard let value = attributes[name].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
              value.isFinite, abs(value) < 10_000_000 else { return nil }
        return value
    }

    func int(_ name: String) -> Int? {
        double(name).map { Int($0) }
    }
}

/// Parses XML parts of untrusted packages. A document type declaration is refused outright:
/// OOXML and OFD never have one, and it is how external entities (file disclosure) and entity
/// expansion bombs get in. Nesting deeper than `maximumDepth` is refused too.
enum XMLTree {
    struct Failure: Error {
        let reason: String
    }

    static let maximumDepth = 256

    /// Parts larger than this are parsed from a stream (see `parse`).
    static let streamThreshold = 8_000_000

    static func parse(_ data: Data) throws(Failure) -> XMLNode {
        if let encoding = unscannableEncoding(data) {
            // The DOCTYPE check reads bytes as ASCII: in UTF-16 (or any encoding whose `<` is
            // not the byte 3C) it would see nothing, and the parser would go on past it.
            throw Failure(reason: "使用 \(encoding) 编码；OOXML 与 OFD 的 XML 部件应为 UTF-8，为安全起见不予解析")
        }
        if containsDoctype(data) {
            throw Failure(reason: "含有文档类型声明（DOCTYPE），为安全起见不予解析")
        }
        // libxml2 hands a name with a byte that is not UTF-8 (`<\u{D3}`) on to FoundationXML,
        // which traps on it: the whole run would die on one file. A part read as UTF-8 (no
        // declared encoding, or UTF-8/ASCII) must be UTF-8; the other encodings allowed are
        // converted by libxml2, whose output is UTF-8.
        if readsAsUTF8(data), !isUTF8(data) {
            throw Failure(reason: "含有不是 UTF-8 的字节，文件可能已损坏")
        }
        // FoundationXML reads a processing instruction's data with `strlen`, and libxml2 gives
        // none for `<?x?>`: a null pointer, and the whole run died (SIGSEGV, found by fuzz-ofd).
        // Such instructions are given data (nothing here keeps byte offsets; `PositionedXML`,
        // which does, skips instructions itself).
        let data = givingDataToProcessingInstructions(data)
        let builder = Builder()
        // Given its bytes at once, libxml2 refuses more than 10,000,000 of them ("huge input"),
        // though the part limit is 64 MB; fed from a stream it reads in pieces and has no such
        // limit. Smaller parts keep the direct path.
        let parser = data.count > streamThreshold ? XMLParser(stream: InputStream(data: data)) : XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        if let failure = builder.failure { throw Failure(reason: failure) }
        if ok, !builder.stack.isEmpty {
            // libxml2 may accept a document cut short: its elements are still open.
            throw Failure(reason: "文件不完整（元素“\(builder.stack.last?.name ?? "")”没有结束）")
        }
        guard ok, let root = builder.root else {
            let detail = parser.parserError.map { " (\(($0 as NSError).code))" } ?? ""
            throw Failure(reason: "第 \(parser.lineNumber) 行第 \(parser.columnNumber) 列格式错误\(detail)")
        }
        return root
    }

    /// Whether the part must be UTF-8: unless a well-formed declaration names another
    /// encoding, libxml2 reads it as UTF-8. (A malformed declaration, such as
    /// `<?xml verencoding="GBK"sion="1.0"?>`, does not count: libxml2 does not honour it.
    /// Found by `fuzz-ofd`.)
    static func readsAsUTF8(_ data: Data) -> Bool {
        guard let name = strictlyDeclaredEncoding(data) else { return true }
        return ["utf-8", "utf8", "us-ascii", "ascii"].contains(name)
    }

    /// The encoding of a declaration written exactly as XML has it, `<?xml version="…"
    /// encoding="…"`, lowercased; nil for anything else.
    static func strictlyDeclaredEncoding(_ data: Data) -> String? {
        let prolog = [UInt8](data.prefix(200))
        var at = 0
        func skipSpace() -> Bool {
            let start = at
            while at < prolog.count, [0x20, 0x09, 0x0D, 0x0A].contains(prolog[at]) { at += 1 }
            return at > start
        }
        func literal(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            guard prolog.count - at >= bytes.count, Array(prolog[at..<at + bytes.count]) == bytes else { return false }
            at += bytes.count
            return true
        }
        /// `= "value"` or `= 'value'`.
        func value() -> String? {
            _ = skipSpace()
            guard literal("=") else { return nil }
            _ = skipSpace()
            guard at < prolog.count, prolog[at] == 0x22 || prolog[at] == 0x27 else { return nil }
            let quote = prolog[at]
            at += 1
            let start = at
            while at < prolog.count, prolog[at] != quote {
                let byte = prolog[at]
                // Letters, digits, `.`, `_`, `-`: the characters of an encoding name and a version.
                guard (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                        || [0x2E, 0x5F, 0x2D].contains(byte) else { return nil }
                at += 1
            }
            guard at < prolog.count, at > start else { return nil }
            defer { at += 1 }
            return String(decoding: prolog[start..<at], as: UTF8.self)
        }
        guard literal("<?xml"), skipSpace(), literal("version"), value() != nil, skipSpace(), literal("encoding"),
              let name = value() else { return nil }
        return name.lowercased()
    }

    /// Whether every byte sequence of the part is UTF-8 (checked without copying it).
    static func isUTF8(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            var iterator = raw.bindMemory(to: UInt8.self).makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue: continue
                case .emptyInput: return true
                case .error: return false
                }
            }
        }
    }

    /// The encoding the XML declaration (`<?xml version="1.0" encoding="…"?>`, at the very
    /// start) names, lowercased; nil when there is none.
    static func declaredEncoding(_ data: Data) -> String? {
        let prolog = [UInt8](data.prefix(200))
        guard prolog.starts(with: Array("<?xml".utf8)), let end = prolog.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: prolog[..<end], as: UTF8.self).lowercased()
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\"" || $0 == "'" }
        return String(rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " && $0 != "?" })
    }

    /// Encodings whose markup the byte scan of `containsDoctype` cannot see: UTF-16 and UTF-32
    /// (a byte-order mark, or a NUL byte in the first four, as `<\0?\0` begins), and any encoding
    /// the XML declaration names that does not keep ASCII as ASCII (UTF-7, EBCDIC, …). The
    /// encodings that do (UTF-8, ASCII, ISO 8859, GB 2312/GBK/GB 18030, Big5, windows-125x)
    /// pass. Nil when the part can be scanned.
    static func unscannableEncoding(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(4))
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32" }
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { return "UTF-16" }
        if head.contains(0) { return head.filter { $0 == 0 }.count >= 3 ? "UTF-32" : "UTF-16" }
        if head.starts(with: [0x4C, 0x6F, 0xA7, 0x94]) { return "EBCDIC" }
        guard let name = declaredEncoding(data) else { return nil }
        let compatible = ["utf-8", "utf8", "us-ascii", "ascii", "gb2312", "gbk", "gb18030", "big5", "euc-cn", "cp936"]
        if compatible.contains(name) || name.hasPrefix("iso-8859-") || name.hasPrefix("windows-125") || name.hasPrefix("latin") {
            return nil
        }
        return name.uppercased()
    }

    /// `<!DOCTYPE` anywhere in the part (before the root element in well-formed XML).
    /// `data` with every processing instruction that has no data (`<?x?>`, `<?x  ?>`) given some
    /// (`<?x _?>`); the same `data` when there is none. FoundationXML passes an instruction's
    /// data to `strlen` without looking, and libxml2 gives a null pointer for missing data:
    /// SIGSEGV, found twice by `fuzz-ofd`. The scan does not try to follow XML: every `<?` is
    /// looked at, inside comments, CDATA and the data of another instruction too, because
    /// libxml2 recovers from errors in ways a scanner cannot predict (after `<?` with no name it
    /// went on to parse the `<?o?>` that followed). Data is added rather than the instruction
    /// removed, so no new instruction can form where one was cut out, and one pass suffices.
    /// Instructions carry no text, so what is read is unchanged, except inside CDATA.
    static func givingDataToProcessingInstructions(_ data: Data) -> Data {
        let insertions: [Int] = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> [Int] in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let n = bytes.count
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            func isEnd(_ i: Int) -> Bool { i + 1 < n && bytes[i] == 0x3F && bytes[i + 1] == 0x3E }
            var insertions: [Int] = []
            var i = 0
            while i + 1 < n {
                guard bytes[i] == 0x3C, bytes[i + 1] == 0x3F else { i += 1; continue }
                // The target: up to a space, `?>`, or the next `<` (where another may start).
                var j = i + 2
                while j < n, !isSpace(bytes[j]), !isEnd(j), bytes[j] != 0x3C { j += 1 }
                let targetEnd = j
                while j < n, isSpace(bytes[j]) { j += 1 }
                if targetEnd > i + 2, isEnd(j) { insertions.append(targetEnd) }
                i += 2
            }
            return insertions
        }
        guard !insertions.isEmpty else { return data }
        var copy = Data()
        copy.reserveCapacity(data.count + 2 * insertions.count)
        let base = data.startIndex
        var kept = 0
        for at in insertions {
            copy.append(data[(base + kept)..<(base + at)])
            copy.append(contentsOf: [0x20, 0x5F])
            kept = at
        }
        copy.append(data[(base + kept)...])
        return copy
    }

    private static func containsDoctype(_ data: Data) -> Bool {
        let needle = Array("<!DOCTYPE".utf8)
        return data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            let bytes = buffer.bindMemory(to: UInt8.self)
            guard bytes.count >= needle.count else { return false }
            var i = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == 0x3C, bytes[i + 1] == 0x21 {
                    var j = 2
                    while j < needle.count, bytes[i + j] & 0xDF == needle[j] & 0xDF { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            if stack.count >= XMLTree.maximumDepth {
                failure = "元素嵌套超过 \(XMLTree.maximumDepth) 层"
                parser.abortParsing()
                return
            }
            var attributes: [String: String] = [:]
            for (key, value) in attributeDict {
                let local = key.split(separator: ":").last.map(String.init) ?? key
                if key.hasPrefix("xmlns") { continue }
                // A prefixed name wins over an unprefixed one of the same local name.
                if attributes[local] == nil || key.contains(":") { attributes[local] = value }
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            let node = XMLNode(name: local, namespace: namespaceURI ?? "", attributes: attributes)
            if let parent = stack.last { parent.append(.element(node)) } else if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.append(.text(string))
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.append(.text(String(decoding: CDATABlock, as: UTF8.self)))
        }
    }
}
