import Foundation

/// `bulletinlint inspect`: how the tool sees a document.
public enum InspectFormatter {
    /// The stable JSON: `{"path", "encoding", "elements": [{"kind", "text", "span", "fields",
    /// "entries", "children"}]}`.
    public static func json(_ bulletin: Bulletin) -> String {
        JSON.object([
            ("path", .string(bulletin.source.path)),
            ("encoding", .string(bulletin.source.encoding.rawValue)),
            ("elements", .array(bulletin.elements.map { element($0, bulletin.source) })),
        ]).render()
    }

    static func element(_ element: Element, _ source: SourceText) -> JSON {
        .object([
            ("kind", .string(element.kind)),
            ("text", .string(element.text)),
            ("span", JSONFormatter.span(source.span(element.range))),
            ("fields", .object(element.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("entries", .array(element.entries.map { .string($0.text) })),
            ("children", .array(element.children.map { child in InspectFormatter.element(child, source) })),
        ])
    }

    /// An indented outline for people.
    public static func text(_ bulletin: Bulletin) -> String {
        var out = "\(bulletin.source.path)（编码：\(bulletin.source.encoding.rawValue)）\n"
        func visit(_ element: Element, depth: Int) {
            let span = bulletin.source.span(element.range)
            let indent = String(repeating: "  ", count: depth)
            var text = element.text.replacingOccurrences(of: "\n", with: " ")
            if text.count > 40 { text = String(text.prefix(40)) + "…" }
            out += "\(indent)\(span.start.line):\(span.start.column)-\(span.end.line):\(span.end.column) \(element.kind)"
            if element.role != .container { out += "  \(text)" }
            out += "\n"
            for (key, value) in element.fields.sorted(by: { $0.key < $1.key }) {
                out += "\(indent)    \(key) = \(value)\n"
            }
            for entry in element.entries { out += "\(indent)    · \(entry.text)\n" }
            for child in element.children { visit(child, depth: depth + 1) }
        }
        for element in bulletin.elements { visit(element, depth: 0) }
        return out
    }
}
