import Foundation
import ZIPFoundation

/// A .docx described in a few lines of text, so that typography rules can have `examples` that
/// run like every other rule's: the example runner builds a real .docx package from the sketch,
/// reads it with `DocxReader` and lints that. Plain text carries no typography, so without this
/// a typography rule's examples could not be run at all.
///
/// ```
/// %docx
/// page: A4                      page size: A4, A3, B5… or 宽x高 in mm (default A4)
/// margins: 37 28 35 26          top left bottom right, mm (default 37 28 35 26)
/// grid: 579 -849                w:docGrid linePitch (twips) and charSpace (optional)
/// defaults: 仿宋_GB2312 三号     the document's default East Asian font and size
/// ¶ 方正小标宋简体 二号 center | 关于做好年鉴编纂工作的通知
/// ¶ indent=2 | 正文，[+插入的文字+]、[-删除的文字-]和[?一条批注?]。
/// ```
///
/// A `¶` line is a paragraph: before `|` its formatting (a font name; a 字号 name or `16pt`;
/// `left`/`center`/`right`/`justify`; `bold`; `indent=N` characters of first-line indent), after it
/// the text, where `[+…+]` is a tracked insertion, `[-…-]` a tracked deletion and `[?…?]` a comment.
/// The first line must be `%docx`; an example without it is plain text.
public enum DocxSketch {
    public static let header = "%docx"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "%docx 草图第 \(line) 行：\(message)" }
    }

    /// Whether an example is a sketch (its first line is `%docx`).
    public static func isSketch(_ text: String) -> Bool {
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return first.trimmingCharacters(in: .whitespaces) == header
    }

    /// The document a sketch describes, read back through `DocxReader`.
    public static func source(_ text: String, path: String = "<example>.docx") -> Result<SourceText, Failure> {
        let data: Data
        do {
            data = try build(text)
        } catch {
            return .failure(error)
        }
        switch DocxReader.read(data: data, displayPath: path) {
        case .success(let source): return .success(source)
        case .failure(let failure): return .failure(Failure(line: 1, message: failure.message))
        }
    }

    struct Paragraph {
        var font: String?
        var size: Double?
        var alignment: String?
        var bold = false
        var indent: Double?
        var text = ""
    }

    /// The .docx bytes of a sketch.
    public static func build(_ text: String) throws(Failure) -> Data {
        let lines = text.components(separatedBy: "\n")
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == header else {
            throw Failure(line: 1, message: "第一行应为 \(header)")
        }
        var page = (width: 210.0, height: 297.0)
        var margins = (top: 37.0, left: 28.0, bottom: 35.0, right: 26.0)
        var grid: (pitch: Int, space: Int)? = nil
        var defaults = Paragraph()
        var paragraphs: [Paragraph] = []
        for (index, raw) in lines.enumerated().dropFirst() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("¶") {
                guard let bar = line.firstIndex(of: "|") else { throw Failure(line: number, message: "段落行应写作“¶ 格式 | 文字”") }
                var paragraph = Paragraph()
                try apply(String(line[line.index(after: line.startIndex)..<bar]), to: &paragraph, line: number)
                paragraph.text = String(line[line.index(after: bar)...]).trimmingCharacters(in: .whitespaces)
                paragraphs.append(paragraph)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw Failure(line: number, message: "无法识别的行“\(line)”") }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let numbers = value.split(separator: " ").compactMap { Double($0) }.filter { $0.isFinite && abs($0) < 100_000 }
            switch key {
            case "page":
                guard let size = TypographyCheck.pageSize(value) else { throw Failure(line: number, message: "无法识别的页面尺寸“\(value)”") }
                page = (size.width, size.height)
            case "margins":
                guard numbers.count == 4 else { throw Failure(line: number, message: "margins 应为四个毫米数：上 左 下 右") }
                margins = (numbers[0], numbers[1], numbers[2], numbers[3])
            case "grid":
                guard numbers.count == 2 else { throw Failure(line: number, message: "grid 应为 linePitch 和 charSpace 两个数") }
                grid = (Int(numbers[0]), Int(numbers[1]))
            case "defaults":
                try apply(value, to: &defaults, line: number)
            default:
                throw Failure(line: number, message: "未知的设置“\(key)”，可用：page、margins、grid、defaults")
            }
        }
        var comments: [String] = []
        var body = ""
        for paragraph in paragraphs {
            body += "<w:p><w:pPr>"
            if let indent = paragraph.indent { body += "<w:ind w:firstLineChars=\"\(Int(indent * 100))\"/>" }
            if let alignment = paragraph.alignment { body += "<w:jc w:val=\"\(alignment)\"/>" }
            body += "</w:pPr>"
            body += try runs(paragraph, comments: &comments)
            body += "</w:p>"
        }
        func twips(_ millimetres: Double) -> Int { Int((millimetres / 25.4 * 1440).rounded()) }
        body += "<w:sectPr><w:pgSz w:w=\"\(twips(page.width))\" w:h=\"\(twips(page.height))\"/>"
        body += "<w:pgMar w:top=\"\(twips(margins.top))\" w:right=\"\(twips(margins.right))\" w:bottom=\"\(twips(margins.bottom))\" w:left=\"\(twips(margins.left))\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>"
        if let grid { body += "<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"\(grid.pitch)\" w:charSpace=\"\(grid.space)\"/>" }
        body += "</w:sectPr>"
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(comments: !comments.isEmpty)),
            ("_rels/.rels", packageRelationships),
            ("word/_rels/document.xml.rels", documentRelationships(comments: !comments.isEmpty)),
            ("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"\(DocxReader.wordNamespace)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>\(body)</w:body></w:document>"),
            ("word/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"\(DocxReader.wordNamespace)\"><w:docDefaults><w:rPrDefault><w:rPr>\(runProperties(font: defaults.font, size: defaults.size, bold: defaults.bold))</w:rPr></w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style></w:styles>"),
        ]
        if !comments.isEmpty {
            let items = comments.enumerated().map { "<w:comment w:id=\"\($0.offset)\" w:author=\"审稿人\"><w:p><w:r><w:t>\(escape($0.element))</w:t></w:r></w:p></w:comment>" }
            parts.append(("word/comments.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"\(DocxReader.wordNamespace)\">\(items.joined())</w:comments>"))
        }
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, content) in parts {
                let bytes = Data(content.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                    bytes.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            guard let data = archive.data else { throw Failure(line: 1, message: "无法生成 .docx") }
            return data
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(line: 1, message: "无法生成 .docx：\(error)")
        }
    }

    private static func apply(_ spec: String, to paragraph: inout Paragraph, line: Int) throws(Failure) {
        for token in spec.split(separator: " ").map(String.init) where !token.isEmpty {
            if let alignment = ["left": "left", "center": "center", "right": "right", "justify": "both"][token] {
                paragraph.alignment = alignment
            } else if token == "bold" {
                paragraph.bold = true
            } else if token.hasPrefix("indent=") {
                guard let value = Double(token.dropFirst("indent=".count)), value.isFinite, abs(value) < 100 else {
                    throw Failure(line: line, message: "indent= 后应为字数")
                }
                paragraph.indent = value
            } else if let size = TypographyCheck.fontSize(token) {
                paragraph.size = size
            } else {
                paragraph.font = token
            }
        }
    }

    /// The runs of a paragraph's text, with tracked changes and comments.
    private static func runs(_ paragraph: Paragraph, comments: inout [String]) throws(Failure) -> String {
        let properties = runProperties(font: paragraph.font, size: paragraph.size, bold: paragraph.bold)
        func run(_ text: String, deleted: Bool = false) -> String {
            guard !text.isEmpty else { return "" }
            let tag = deleted ? "w:delText" : "w:t"
            return "<w:r><w:rPr>\(properties)</w:rPr><\(tag) xml:space=\"preserve\">\(escape(text))</\(tag)></w:r>"
        }
        var out = ""
        var rest = Substring(paragraph.text)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "["), rest.index(after: open) < rest.endIndex,
                  let kind = "+-?".first(where: { $0 == rest[rest.index(after: open)] }) else {
                out += run(String(rest))
                break
            }
            out += run(String(rest[..<open]))
            let inner = rest[rest.index(open, offsetBy: 2)...]
            guard let close = inner.range(of: String(kind) + "]") else {
                out += run(String(rest[open...]))
                break
            }
            let content = String(inner[..<close.lowerBound])
            switch kind {
            case "+": out += "<w:ins w:id=\"\(comments.count + 1000)\" w:author=\"修订人\">\(run(content))</w:ins>"
            case "-": out += "<w:del w:id=\"\(comments.count + 2000)\" w:author=\"修订人\">\(run(content, deleted: true))</w:del>"
            default:
                let id = comments.count
                comments.append(content)
                out += "<w:commentRangeStart w:id=\"\(id)\"/><w:commentRangeEnd w:id=\"\(id)\"/><w:r><w:commentReference w:id=\"\(id)\"/></w:r>"
            }
            rest = inner[close.upperBound...]
        }
        return out
    }

    private static func runProperties(font: String?, size: Double?, bold: Bool) -> String {
        var out = ""
        if let font { out += "<w:rFonts w:eastAsia=\"\(escape(font))\" w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/>" }
        if bold { out += "<w:b/>" }
        if let size { out += "<w:sz w:val=\"\(Int(size))\"/>" }
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    private static func contentTypes(comments: Bool) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
            + (comments ? "<Override PartName=\"/word/comments.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml\"/>" : "")
            + "</Types>"
    }

    private static let packageRelationships = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"

    private static func documentRelationships(comments: Bool) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + (comments ? "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/>" : "")
            + "</Relationships>"
    }
}
