/// Copies a part's bytes with some elements replaced; an element copied unchanged still gets
/// the replacements inside it (a run's text box holds runs of its own).
struct Renderer {
    indirect enum Content {
        case bytes([UInt8])
        /// An element of the part, as written but with the replacements inside it.
        case element(XMLNode)
        case sequence([Content])

        /// Plain bytes, for content that holds no replaced element.
        func flattened(_ xml: PositionedXML) -> Content {
            var out: [UInt8] = []
            Renderer(xml: xml).write(self, into: &out)
            return .bytes(out)
        }
    }

    let xml: PositionedXML
    /// Byte ranges of the part and what replaces them; an empty range is an insertion.
    var replacements: [(Range<Int>, Content)] = []

    init(xml: PositionedXML) { self.xml = xml }

    func render() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(xml.bytes.count + 4096)
        copy(0..<xml.bytes.count, sorted: sortedReplacements, nested: false, into: &out)
        return out
    }

    private var sortedReplacements: [(Range<Int>, Content)] {
        replacements.sorted { ($0.0.lowerBound, $0.0.count) < ($1.0.lowerBound, $1.0.count) }
    }

    /// Copies `range`, writing the replacements that lie in it. In an element copied whole
    /// (`nested`), an insertion at its very end belongs to its parent, not to it.
    private func copy(_ range: Range<Int>, sorted: [(Range<Int>, Content)], nested: Bool, into out: inout [UInt8]) {
        var cursor = range.lowerBound
        for (replaced, content) in sorted where replaced.lowerBound >= cursor && replaced.upperBound <= range.upperBound {
            if nested, replaced.isEmpty, replaced.lowerBound == range.upperBound { continue }
            out += xml.bytes[cursor..<replaced.lowerBound]
            write(content, sorted: sorted, into: &out)
            cursor = replaced.upperBound
        }
        out += xml.bytes[cursor..<range.upperBound]
    }

    func write(_ content: Content, into out: inout [UInt8]) {
        write(content, sorted: sortedReplacements, into: &out)
    }

    private func write(_ content: Content, sorted: [(Range<Int>, Content)], into out: inout [UInt8]) {
        switch content {
        case .bytes(let bytes): out += bytes
        case .sequence(let list): for item in list { write(item, sorted: sorted, into: &out) }
        case .element(let node):
            guard let position = xml.position(of: node) else { return }
            // Replacements strictly inside the element (not the element itself).
            let inner = sorted.filter { $0.0 != position.start..<position.end }
            copy(position.start..<position.end, sorted: inner, nested: true, into: &out)
        }
    }
}
