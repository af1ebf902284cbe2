import Foundation

/// Reads a .docx (WordprocessingML in a ZIP package) into `SourceText`: one paragraph per line,
/// in reading order (body paragraphs, table cells, text boxes), with
/// - runs joined (Word splits phrases across runs: `信息公开|选项`);
/// - auto-numbering labels rebuilt from `numbering.xml` (`一、` is not in the text);
/// - deleted text (`w:del`) left out and inserted text kept, both recorded as revisions;
/// - headers and footers kept apart (`SourceText.apart`), not in the text;
/// - the typography every paragraph ends up with after docDefaults → paragraph style chain →
///   character style chain → direct formatting, fonts named through the theme.
///
/// Line N of the text is paragraph ¶N, so a diagnostic names the paragraph.
public enum DocxReader {
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    public static func read(data: Data, displayPath: String, limits: PackageLimits = .standard) -> Result<SourceText, ReadFailure> {
        do {
            let package = try PackageArchive(data: data, documentName: "Word 文档（.docx）", limits: limits)
            return .success(try read(package: package, displayPath: displayPath))
        } catch {
            return .failure(error)
        }
    }

    private static func read(package: PackageArchive, displayPath: String) throws(ReadFailure) -> SourceText {
        let mainPath = try mainDocumentPath(package)
        guard let document = try package.xml(mainPath) else {
            if package.contains("content.xml") || package.contains("OFD.xml") {
                throw ReadFailure.corrupt("这不是 Word 文档：文件里没有 word/document.xml（是否把 .odt 或 .ofd 改成了 .docx？）")
            }
            throw ReadFailure.corrupt("这不是有效的 Word 文档：缺少正文部件 \(mainPath)")
        }
        guard document.name == "document", let body = document.child("body") else {
            throw ReadFailure.corrupt("这不是有效的 Word 文档：\(mainPath) 中没有 w:body")
        }
        let relationships = try self.relationships(of: mainPath, in: package)
        func target(_ type: String, fallback: String) -> String {
            relationships.first { $0.type.hasSuffix("/" + type) }.map { $0.target } ?? fallback
        }
        let folder = mainPath.split(separator: "/").dropLast().joined(separator: "/")
        let prefix = folder.isEmpty ? "" : folder + "/"
        let theme = try package.xml(target("theme", fallback: prefix + "theme/theme1.xml")).map(ThemeFonts.init) ?? ThemeFonts()
        let styles = try package.xml(target("styles", fallback: prefix + "styles.xml")).map { Styles($0, theme: theme) } ?? Styles(theme: theme)
        let numbering = try package.xml(target("numbering", fallback: prefix + "numbering.xml")).map(Numbering.init) ?? Numbering()
        var commentTexts: [String: (author: String?, text: String)] = [:]
        if let comments = try package.xml(target("comments", fallback: prefix + "comments.xml")) {
            for comment in comments.children("comment") {
                guard let id = comment.attribute("id") else { continue }
                let text = comment.descendants("t").map(\.text).joined()
                commentTexts[id] = (comment.attribute("author"), text)
            }
        }

        var walker = BodyWalker(styles: styles, numbering: numbering, collectTypography: true)
        walker.walkBlocks(body)
        var apart: [ApartText] = []
        for relation in relationships where relation.type.hasSuffix("/header") || relation.type.hasSuffix("/footer") {
            guard let part = try package.xml(relation.target) else { continue }
            var partWalker = BodyWalker(styles: styles, numbering: Numbering(), collectTypography: false)
            partWalker.walkBlocks(part)
            let text = partWalker.lines.map(\.text).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            if text.isEmpty { continue }
            apart.append(ApartText(kind: relation.type.hasSuffix("/header") ? .header : .footer,
                                   text: text.joined(separator: "\n"), part: relation.target))
        }
        return walker.sourceText(path: displayPath, styles: styles, comments: commentTexts, apart: apart)
    }

    // MARK: Package structure

    struct Relationship {
        let id: String
        let type: String
        /// Resolved to a path in the package.
        let target: String
    }

    private static func mainDocumentPath(_ package: PackageArchive) throws(ReadFailure) -> String {
        if let rels = try package.xml("_rels/.rels") {
            for relation in rels.children("Relationship") {
                guard let type = relation.attribute("Type"), let target = relation.attribute("Target") else { continue }
                if type.hasSuffix("/officeDocument") { return PackageArchive.resolve(target, relativeTo: "") }
            }
        }
        return "word/document.xml"
    }

    static func relationships(of part: String, in package: PackageArchive) throws(ReadFailure) -> [Relationship] {
        let components = part.split(separator: "/")
        let folder = components.dropLast().joined(separator: "/")
        let name = components.last.map(String.init) ?? part
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        guard let rels = try package.xml(relsPath) else { return [] }
        return rels.children("Relationship").compactMap { node in
            guard let id = node.attribute("Id"), let type = node.attribute("Type"), let target = node.attribute("Target"),
                  node.attribute("TargetMode") != "External" else { return nil }
            return Relationship(id: id, type: type, target: PackageArchive.resolve(target, relativeTo: part))
        }
    }
}

// MARK: - Properties

/// A font named directly or through the theme (`w:eastAsiaTheme="minorEastAsia"`).
enum FontReference: Equatable {
    case name(String)
    case theme(String)
}

/// Character properties; nil means “not said here”.
struct RunProperties {
    var eastAsia: FontReference?
    var latin: FontReference?
    var size: Double?
    var bold: Bool?

    init() {}

    init(_ node: XMLNode?) {
        guard let node else { return }
        if let fonts = node.child("rFonts") {
            if let theme = fonts.attribute("eastAsiaTheme") { eastAsia = .theme(theme) } else if let name = fonts.attribute("eastAsia") { eastAsia = .name(name) }
            if let theme = fonts.attribute("asciiTheme") { latin = .theme(theme) } else if let name = fonts.attribute("ascii") ?? fonts.attribute("hAnsi") { latin = .name(name) }
        }
        if let sz = node.child("sz")?.double("val"), sz >= 1, sz <= 3276 { size = sz }
        if let b = node.child("b") { bold = DocxValues.toggle(b) }
    }

    /// `other` wins where it says something.
    func applying(_ other: RunProperties) -> RunProperties {
        var out = self
        if let value = other.eastAsia { out.eastAsia = value }
        if let value = other.latin { out.latin = value }
        if let value = other.size { out.size = value }
        if let value = other.bold { out.bold = value }
        return out
    }
}

/// Paragraph properties; nil means “not said here”.
struct ParagraphProperties {
    var alignment: String?
    var firstLine: Double?
    var firstLineChars: Double?
    var hanging: Double?
    var hangingChars: Double?
    var numberingID: String?
    var numberingLevel: Int?
    var lineSpacing: Double?
    var lineRule: String?

    init() {}

    init(_ node: XMLNode?) {
        guard let node else { return }
        alignment = node.child("jc")?.attribute("val")
        if let ind = node.child("ind") {
            firstLine = ind.double("firstLine")
            firstLineChars = ind.double("firstLineChars")
            hanging = ind.double("hanging")
            hangingChars = ind.double("hangingChars")
        }
        if let numPr = node.child("numPr") {
            numberingID = numPr.child("numId")?.attribute("val")
            numberingLevel = numPr.child("ilvl")?.int("val")
        }
        if let spacing = node.child("spacing") {
            lineSpacing = spacing.double("line")
            lineRule = spacing.attribute("lineRule")
        }
    }

    func applying(_ other: ParagraphProperties) -> ParagraphProperties {
        var out = self
        if let value = other.alignment { out.alignment = value }
        // An indent given in characters wins over one in twips; a later level replaces both.
        if other.firstLine != nil || other.firstLineChars != nil || other.hanging != nil || other.hangingChars != nil {
            out.firstLine = other.firstLine
            out.firstLineChars = other.firstLineChars
            out.hanging = other.hanging
            out.hangingChars = other.hangingChars
        }
        if let value = other.numberingID { out.numberingID = value }
        if let value = other.numberingLevel { out.numberingLevel = value }
        if let value = other.lineSpacing { out.lineSpacing = value }
        if let value = other.lineRule { out.lineRule = value }
        return out
    }
}

enum DocxValues {
    /// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`).
    static func toggle(_ node: XMLNode) -> Bool {
        switch node.attribute("val")?.lowercased() {
        case "0", "false", "off", "none": return false
        default: return true
        }
    }

    static func twipsToMillimetres(_ twips: Double) -> Double { twips / 1440 * 25.4 }
}

/// The theme's fonts for East Asian text (`a:majorFont/a:ea`, `a:minorFont/a:ea`).
struct ThemeFonts {
    var major: String?
    var minor: String?
    var majorLatin: String?
    var minorLatin: String?

    init() {}

    init(_ theme: XMLNode) {
        guard let scheme = theme.descendants("fontScheme").first else { return }
        func eastAsian(_ font: XMLNode?) -> String? {
            guard let font else { return nil }
            if let ea = font.child("ea")?.attribute("typeface"), !ea.isEmpty { return ea }
            return font.children("font").first { $0.attribute("script") == "Hans" }?.attribute("typeface")
        }
        major = eastAsian(scheme.child("majorFont"))
        minor = eastAsian(scheme.child("minorFont"))
        majorLatin = scheme.child("majorFont")?.child("latin")?.attribute("typeface")
        minorLatin = scheme.child("minorFont")?.child("latin")?.attribute("typeface")
    }

    func resolve(_ reference: FontReference?) -> String? {
        switch reference {
        case .name(let name)?: return name
        case .theme(let theme)?:
            let lower = theme.lowercased()
            if lower.hasPrefix("major") { return lower.contains("eastasia") ? major : majorLatin }
            return lower.contains("eastasia") ? minor : minorLatin
        case nil: return nil
        }
    }
}

/// `styles.xml`: document defaults and styles with their `basedOn` chains resolved.
struct Styles {
    struct Style {
        let id: String
        let name: String?
        let type: String
        let basedOn: String?
        let paragraph: ParagraphProperties
        let run: RunProperties
    }

    var defaultRun = RunProperties()
    var defaultParagraph = ParagraphProperties()
    var styles: [String: Style] = [:]
    var defaultParagraphStyle: String?
    let theme: ThemeFonts

    init(theme: ThemeFonts) {
        self.theme = theme
    }

    init(_ node: XMLNode, theme: ThemeFonts) {
        self.theme = theme
        if let defaults = node.child("docDefaults") {
            defaultRun = RunProperties(defaults.child(path: "rPrDefault", "rPr"))
            defaultParagraph = ParagraphProperties(defaults.child(path: "pPrDefault", "pPr"))
        }
        for style in node.children("style") {
            guard let id = style.attribute("styleId") else { continue }
            let type = style.attribute("type") ?? "paragraph"
            styles[id] = Style(id: id, name: style.child("name")?.attribute("val"), type: type,
                               basedOn: style.child("basedOn")?.attribute("val"),
                               paragraph: ParagraphProperties(style.child("pPr")), run: RunProperties(style.child("rPr")))
            if type == "paragraph", let isDefault = style.attribute("default"), isDefault == "1" || isDefault == "true" {
                defaultParagraphStyle = id
            }
        }
    }

    /// The chain of a style, root first (cycles and chains over 32 deep are cut).
    func chain(_ id: String?) -> [Style] {
        var out: [Style] = []
        var next = id
        var seen: Set<String> = []
        while let current = next, let style = styles[current], seen.insert(current).inserted, out.count < 32 {
            out.insert(style, at: 0)
            next = style.basedOn
        }
        return out
    }

    func paragraphStyle(_ id: String?) -> (paragraph: ParagraphProperties, run: RunProperties, name: String?) {
        let styleID = id ?? defaultParagraphStyle
        var paragraph = defaultParagraph
        var run = defaultRun
        for style in chain(styleID) {
            paragraph = paragraph.applying(style.paragraph)
            run = run.applying(style.run)
        }
        return (paragraph, run, styleID.flatMap { styles[$0]?.name ?? $0 })
    }

    func characterStyle(_ id: String?) -> RunProperties {
        chain(id).reduce(RunProperties()) { $0.applying($1.run) }
    }
}

/// `numbering.xml`: list definitions, and the counters of the lists met so far.
struct Numbering {
    struct Level {
        var start = 1
        var format = "decimal"
        var text = "%1."
        var suffix = "tab"
        var run = RunProperties()
    }

    var abstractLevels: [String: [Int: Level]] = [:]
    /// numId → (abstractNumId, level overrides of start values).
    var instances: [String: (abstract: String, starts: [Int: Int])] = [:]
    /// Counters per list instance and level.
    var counters: [String: [Int: Int]] = [:]

    init() {}

    init(_ node: XMLNode) {
        for abstract in node.children("abstractNum") {
            guard let id = abstract.attribute("abstractNumId") else { continue }
            var levels: [Int: Level] = [:]
            for lvl in abstract.children("lvl") {
                guard let index = lvl.int("ilvl") else { continue }
                var level = Level()
                if let start = lvl.child("start")?.int("val") { level.start = min(max(start, 0), 100_000) }
                if let format = lvl.child("numFmt")?.attribute("val") { level.format = format }
                if let text = lvl.child("lvlText")?.attribute("val") { level.text = text }
                if let suffix = lvl.child("suff")?.attribute("val") { level.suffix = suffix }
                level.run = RunProperties(lvl.child("rPr"))
                levels[index] = level
            }
            abstractLevels[id] = levels
        }
        for num in node.children("num") {
            guard let id = num.attribute("numId"), let abstract = num.child("abstractNumId")?.attribute("val") else { continue }
            var starts: [Int: Int] = [:]
            for override in num.children("lvlOverride") {
                if let level = override.int("ilvl"), let start = override.child("startOverride")?.int("val") {
                    starts[level] = min(max(start, 0), 100_000)
                }
            }
            instances[id] = (abstract, starts)
        }
    }

    /// The next label of a list level (`一、`), advancing its counter; nil for no numbering.
    mutating func nextLabel(numberingID: String?, level: Int?) -> (label: String, run: RunProperties)? {
        guard let numberingID, numberingID != "0", let instance = instances[numberingID],
              let levels = abstractLevels[instance.abstract] else { return nil }
        let levelIndex = min(max(level ?? 0, 0), 8)
        guard let definition = levels[levelIndex] else { return nil }
        var counts = counters[numberingID] ?? [:]
        let start = instance.starts[levelIndex] ?? definition.start
        counts[levelIndex] = min((counts[levelIndex] ?? (start - 1)) + 1, 1_000_000)
        for deeper in (levelIndex + 1)...9 { counts[deeper] = nil }
        counters[numberingID] = counts
        if definition.format == "none" || definition.format == "bullet" { return nil }
        var label = ""
        let chars = Array(definition.text)
        var i = 0
        while i < chars.count {
            if chars[i] == "%", i + 1 < chars.count, let digit = chars[i + 1].wholeNumberValue, digit >= 1, digit <= 9 {
                let referenced = digit - 1
                let value = counts[referenced] ?? (instance.starts[referenced] ?? levels[referenced]?.start ?? 1)
                let format = levels[referenced]?.format ?? "decimal"
                label += NumberFormat.format(value, as: format)
                i += 2
                continue
            }
            label.append(chars[i])
            i += 1
        }
        if definition.suffix == "space" { label += " " }
        return (label, definition.run)
    }
}

/// Number formats of list labels (`w:numFmt`).
enum NumberFormat {
    static let chineseDigits = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
    static let legalDigits = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]

    static func format(_ value: Int, as format: String) -> String {
        switch format {
        case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "koreanCounting":
            return chinese(value)
        case "chineseLegalSimplified":
            return chinese(value, digits: legalDigits, ten: "拾", hundred: "佰", thousand: "仟")
        case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
            return String(value).map { $0.wholeNumberValue.map { chineseDigits[$0] } ?? String($0) }.joined()
        case "ideographTraditional":
            let stems = Array("甲乙丙丁戊己庚辛壬癸")
            return value >= 1 ? String(stems[(value - 1) % stems.count]) : String(value)
        case "ideographZodiac":
            let branches = Array("子丑寅卯辰巳午未申酉戌亥")
            return value >= 1 ? String(branches[(value - 1) % branches.count]) : String(value)
        case "decimalZero":
            return value < 10 && value >= 0 ? "0\(value)" : String(value)
        case "decimalFullWidth", "decimalFullWidth2":
            return String(String(value).unicodeScalars.map { scalar -> Character in
                guard ("0"..."9").contains(scalar), let wide = Unicode.Scalar(scalar.value + 0xFEE0) else { return Character(scalar) }
                return Character(wide)
            })
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            if (1...20).contains(value), let scalar = Unicode.Scalar(0x2460 + value - 1) { return String(Character(scalar)) }
            return String(value)
        case "decimalEnclosedParen":
            if (1...20).contains(value), let scalar = Unicode.Scalar(0x2474 + value - 1) { return String(Character(scalar)) }
            return "(\(value))"
        case "decimalEnclosedFullstop":
            if (1...20).contains(value), let scalar = Unicode.Scalar(0x2488 + value - 1) { return String(Character(scalar)) }
            return "\(value)."
        case "upperLetter", "lowerLetter":
            guard value >= 1 else { return String(value) }
            let letter = Character(Unicode.Scalar(UInt8(65 + (value - 1) % 26)))
            let repeated = String(repeating: letter, count: (value - 1) / 26 + 1)
            return format == "upperLetter" ? repeated : repeated.lowercased()
        case "upperRoman", "lowerRoman":
            let roman = self.roman(value)
            return format == "upperRoman" ? roman : roman.lowercased()
        default:
            return String(value)
        }
    }

    /// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
    static func chinese(_ value: Int, digits: [String] = chineseDigits, ten: String = "十", hundred: String = "百",
                        thousand: String = "千") -> String {
        guard value > 0, value < 10_000 else { return String(value) }
        let units = [(1000, thousand), (100, hundred), (10, ten), (1, "")]
        var out = ""
        var pendingZero = false
        var remaining = value
        for (unit, name) in units {
            let digit = remaining / unit
            remaining %= unit
            if digit == 0 {
                if !out.isEmpty { pendingZero = true }
                continue
            }
            // Counting writes 零 for a skipped place (一百零五), not the digit 〇.
            if pendingZero { out += "零"; pendingZero = false }
            // 十二, not 一十二 (only for the leading ten).
            if !(unit == 10 && digit == 1 && out.isEmpty && digits == chineseDigits) { out += digits[digit] }
            out += name
        }
        return out
    }

    static func roman(_ value: Int) -> String {
        guard value > 0, value < 4000 else { return String(value) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var out = ""
        var remaining = value
        for (number, letters) in table {
            while remaining >= number { out += letters; remaining -= number }
        }
        return out
    }
}

// MARK: - Walking the body

/// Turns `w:body` (or a header) into paragraphs, one line each.
struct BodyWalker {
    struct Line {
        var text: String
        var runs: [Typography.Run] = []
        var paragraph: Typography.Paragraph?
        /// Revisions and comment anchors, with ranges relative to the line start.
        var revisions: [Typography.Revision] = []
        var commentStarts: [String: Int] = [:]
        var commentEnds: [String: Int] = [:]
    }

    struct SectionBreak {
        /// Index of the last line of the section.
        let lastLine: Int
        let node: XMLNode
    }

    let styles: Styles
    var numbering: Numbering
    let collectTypography: Bool
    private(set) var lines: [Line] = []
    private(set) var sectionBreaks: [SectionBreak] = []
    private var finalSection: XMLNode?

    init(styles: Styles, numbering: Numbering, collectTypography: Bool) {
        self.styles = styles
        self.numbering = numbering
        self.collectTypography = collectTypography
    }

    /// Block-level content: paragraphs, tables, content controls, the final section.
    mutating func walkBlocks(_ node: XMLNode) {
        for child in node.children {
            switch child.name {
            case "p": walkParagraph(child)
            case "tbl":
                for row in child.children("tr") {
                    for cell in row.children("tc") { walkBlocks(cell) }
                }
            case "sdt": if let content = child.child("sdtContent") { walkBlocks(content) }
            case "customXml", "ins", "moveTo": walkBlocks(child)
            case "AlternateContent": if let choice = child.child("Choice") ?? child.child("Fallback") { walkBlocks(choice) }
            case "sectPr": finalSection = child
            default: continue
            }
        }
    }

    /// State of one paragraph being assembled.
    private struct ParagraphState {
        var text = ""
        var runs: [Typography.Run] = []
        var revisions: [Typography.Revision] = []
        var commentStarts: [String: Int] = [:]
        var commentEnds: [String: Int] = [:]
        /// Open complex fields: true once past `separate` (their result is shown).
        var fields: [Bool] = []
        var revision: (kind: Typography.Revision.Kind, author: String?)? = nil
        var deleting = false
    }

    private mutating func walkParagraph(_ node: XMLNode) {
        let properties = node.child("pPr")
        let styleID = properties?.child("pStyle")?.attribute("val")
        let style = styles.paragraphStyle(styleID)
        let direct = ParagraphProperties(properties)
        let paragraphProperties = style.paragraph.applying(direct)
        // The paragraph mark's properties do not format the text; the style's do.
        let baseRun = style.run
        var state = ParagraphState()
        var label: String?
        if let (text, levelRun) = numbering.nextLabel(numberingID: paragraphProperties.numberingID,
                                                     level: paragraphProperties.numberingLevel) {
            label = text
            append(text, properties: baseRun.applying(levelRun), to: &state)
        }
        if let change = properties?.child("pPrChange") {
            let start = state.text.utf8.count
            state.revisions.append(Typography.Revision(kind: .formatting, author: change.attribute("author"), line: 0,
                                                       range: start..<start, text: ""))
        }
        walkInline(node, baseRun: baseRun, state: &state)
        var line = Line(text: BodyWalker.clean(state.text))
        if line.text.utf8.count != state.text.utf8.count {
            // Control characters were dropped: offsets no longer fit the runs.
            state.runs = []
        }
        line.runs = state.runs
        line.revisions = state.revisions
        line.commentStarts = state.commentStarts
        line.commentEnds = state.commentEnds
        if collectTypography {
            var paragraph = Typography.Paragraph(line: 0)
            paragraph.style = style.name
            paragraph.numberingLabel = label
            paragraph.alignment = BodyWalker.alignment(paragraphProperties.alignment)
            // An indent in twips is counted in characters of the paragraph's own text: the size
            // most of its characters have (direct formatting over the style's), not the
            // document default's.
            // (The runs here still hold the paragraph's own offsets; they are placed in the
            // document's text when the paragraph is laid into it.)
            paragraph.runs = state.runs
            let fontSize = (paragraph.dominantSize ?? baseRun.size ?? 21) / 2
            if let chars = paragraphProperties.firstLineChars, chars != 0 {
                paragraph.firstLineIndent = chars / 100
            } else if let chars = paragraphProperties.hangingChars, chars != 0 {
                paragraph.firstLineIndent = -chars / 100
            } else if let twips = paragraphProperties.firstLine {
                paragraph.firstLineIndent = twips / 20 / fontSize
            } else if let twips = paragraphProperties.hanging {
                paragraph.firstLineIndent = -twips / 20 / fontSize
            } else {
                paragraph.firstLineIndent = 0
            }
            let leading = line.text.prefix { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
            paragraph.indentedWithSpaces = !leading.isEmpty && label == nil
            line.paragraph = paragraph
        }
        lines.append(line)
        if let section = properties?.child("sectPr") {
            sectionBreaks.append(SectionBreak(lastLine: lines.count - 1, node: section))
        }
    }

    private mutating func walkInline(_ node: XMLNode, baseRun: RunProperties, state: inout ParagraphState) {
        for child in node.children {
            switch child.name {
            case "r":
                walkRun(child, baseRun: baseRun, state: &state)
            case "ins", "moveTo":
                let saved = state.revision
                state.revision = (child.name == "ins" ? .insertion : .move, child.attribute("author"))
                walkInline(child, baseRun: baseRun, state: &state)
                state.revision = saved
            case "del", "moveFrom":
                let saved = (state.revision, state.deleting)
                state.revision = (child.name == "del" ? .deletion : .move, child.attribute("author"))
                state.deleting = true
                walkInline(child, baseRun: baseRun, state: &state)
                (state.revision, state.deleting) = saved
            case "hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir", "sdtContent":
                walkInline(child, baseRun: baseRun, state: &state)
            case "sdt":
                if let content = child.child("sdtContent") { walkInline(content, baseRun: baseRun, state: &state) }
            case "AlternateContent":
                if let choice = child.child("Choice") ?? child.child("Fallback") { walkInline(choice, baseRun: baseRun, state: &state) }
            case "commentRangeStart":
                if let id = child.attribute("id") { state.commentStarts[id] = state.text.utf8.count }
            case "commentRangeEnd":
                if let id = child.attribute("id") { state.commentEnds[id] = state.text.utf8.count }
            case "pPr":
                continue
            default:
                continue
            }
        }
    }

    private mutating func walkRun(_ run: XMLNode, baseRun: RunProperties, state: inout ParagraphState) {
        let direct = run.child("rPr")
        let properties = baseRun.applying(styles.characterStyle(direct?.child("rStyle")?.attribute("val"))).applying(RunProperties(direct))
        if let change = direct?.child("rPrChange") {
            let start = state.text.utf8.count
            state.revisions.append(Typography.Revision(kind: .formatting, author: change.attribute("author"), line: 0,
                                                       range: start..<start, text: ""))
        }
        for child in run.children {
            let visible = !state.fields.contains(false)
            switch child.name {
            case "t":
                guard visible else { continue }
                if state.deleting {
                    record(child.text, state: &state)
                } else {
                    append(child.text, properties: properties, to: &state)
                }
            case "delText":
                if visible { record(child.text, state: &state) }
            case "tab", "ptab":
                if visible, !state.deleting { append("\t", properties: properties, to: &state) }
            case "noBreakHyphen":
                if visible, !state.deleting { append("-", properties: properties, to: &state) }
            case "fldChar":
                switch child.attribute("fldCharType") {
                case "begin": state.fields.append(false)
                case "separate": if !state.fields.isEmpty { state.fields[state.fields.count - 1] = true }
                case "end": _ = state.fields.popLast()
                default: break
                }
            case "commentReference":
                if let id = child.attribute("id"), state.commentStarts[id] == nil {
                    state.commentStarts[id] = state.text.utf8.count
                }
            case "drawing", "pict", "object", "AlternateContent":
                // Text boxes hold paragraphs of their own: each becomes a line before this one.
                // Of an AlternateContent only the first choice counts (the fallback repeats it).
                let holder = child.name == "AlternateContent" ? (child.child("Choice") ?? child.child("Fallback")) : child
                for box in holder?.descendants("txbxContent") ?? [] { walkBlocks(box) }
            default:
                continue
            }
        }
    }

    /// Text shown in the paragraph.
    private func append(_ text: String, properties: RunProperties, to state: inout ParagraphState) {
        guard !text.isEmpty else { return }
        let start = state.text.utf8.count
        state.text += text
        let range = start..<state.text.utf8.count
        if let revision = state.revision {
            if let last = state.revisions.last, last.kind == revision.kind, last.author == revision.author,
               last.range.upperBound == start, !last.range.isEmpty {
                state.revisions[state.revisions.count - 1].range = last.range.lowerBound..<range.upperBound
                state.revisions[state.revisions.count - 1].text += text
            } else {
                state.revisions.append(Typography.Revision(kind: revision.kind, author: revision.author, line: 0, range: range, text: text))
            }
        }
        guard collectTypography else { return }
        var cjk = 0
        var other = 0
        for scalar in text.unicodeScalars {
            if BodyWalker.isCJK(scalar) { cjk += 1 } else if !scalar.properties.isWhitespace { other += 1 }
        }
        let fonts = styles.theme
        let run = Typography.Run(range: range, eastAsiaFont: fonts.resolve(properties.eastAsia), latinFont: fonts.resolve(properties.latin),
                                 size: properties.size ?? 21, bold: properties.bold ?? false,
                                 cjkCharacters: cjk, otherCharacters: other)
        state.runs.append(run)
    }

    /// Deleted text: not shown, recorded as a revision.
    private func record(_ text: String, state: inout ParagraphState) {
        guard !text.isEmpty else { return }
        let at = state.text.utf8.count
        let kind = state.revision?.kind ?? .deletion
        let author = state.revision?.author
        if let last = state.revisions.last, last.kind == kind, last.author == author, last.range == at..<at, !last.text.isEmpty {
            state.revisions[state.revisions.count - 1].text += text
        } else {
            state.revisions.append(Typography.Revision(kind: kind, author: author, line: 0, range: at..<at, text: text))
        }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x2FDF, 0x3000...0x303F, 0x3040...0x30FF, 0x3100...0x312F, 0x3190...0x31FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF,
             0x20000...0x3FFFF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2014:
            return true
        default:
            return false
        }
    }

    /// Line terminators and other control characters cannot stand inside a line.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !(scalar.value < 0x20 && scalar != "\t") && scalar != "\u{2028}" && scalar != "\u{2029}" && scalar != "\u{85}" {
            out.append(scalar)
        }
        return String(out)
    }

    static func alignment(_ value: String?) -> Typography.Alignment? {
        switch value {
        case "left", "start": return .left
        case "center": return .center
        case "right", "end": return .right
        case "both", "lowKashida", "mediumKashida", "highKashida", "thaiDistribute": return .justify
        case "distribute": return .distribute
        case nil: return .left
        default: return nil
        }
    }

    // MARK: Result

    func sourceText(path: String, styles: Styles, comments: [String: (author: String?, text: String)],
                    apart: [ApartText]) -> SourceText {
        let text = lines.map(\.text).joined(separator: "\n")
        var typography = Typography()
        var offset = 0
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            if var paragraph = line.paragraph {
                paragraph.line = lineNumber
                paragraph.runs = line.runs.map { run in
                    var run = run
                    run.range = (run.range.lowerBound + offset)..<(run.range.upperBound + offset)
                    return run
                }
                typography.paragraphs[lineNumber] = paragraph
            }
            for revision in line.revisions {
                var revision = revision
                revision.line = lineNumber
                revision.range = (revision.range.lowerBound + offset)..<(revision.range.upperBound + offset)
                typography.revisions.append(revision)
            }
            for (id, start) in line.commentStarts.sorted(by: { $0.value < $1.value }) {
                let end = line.commentEnds[id] ?? start
                let comment = comments[id]
                typography.comments.append(Typography.Comment(author: comment?.author, line: lineNumber,
                                                              range: (offset + start)..<(offset + max(start, end)),
                                                              text: comment?.text ?? ""))
            }
            offset += line.text.utf8.count + 1
        }
        // Sections: each `w:sectPr` closes the paragraphs since the previous one.
        var breaks = sectionBreaks
        if let finalSection { breaks.append(SectionBreak(lastLine: lines.count - 1, node: finalSection)) }
        var first = 1
        for (index, sectionBreak) in breaks.enumerated() {
            let last = sectionBreak.lastLine + 1
            var section = BodyWalker.section(sectionBreak.node, number: index + 1, styles: styles)
            section.lines = first <= last ? first...last : nil
            typography.sections.append(section)
            first = last + 1
        }
        return SourceText(path: path, text: text, format: .docx, typography: typography, apart: apart)
    }

    static func section(_ node: XMLNode, number: Int, styles: Styles) -> Typography.Section {
        var section = Typography.Section(number: number)
        if let size = node.child("pgSz") {
            var width = size.double("w").map(DocxValues.twipsToMillimetres)
            var height = size.double("h").map(DocxValues.twipsToMillimetres)
            if size.attribute("orient") == "landscape", let w = width, let h = height, w < h { (width, height) = (h, w) }
            section.pageWidth = width
            section.pageHeight = height
        }
        if let margins = node.child("pgMar") {
            section.marginTop = margins.double("top").map { DocxValues.twipsToMillimetres(abs($0)) }
            section.marginBottom = margins.double("bottom").map { DocxValues.twipsToMillimetres(abs($0)) }
            let gutter = margins.double("gutter") ?? 0
            section.marginLeft = margins.double("left").map { DocxValues.twipsToMillimetres($0 + gutter) }
            section.marginRight = margins.double("right").map(DocxValues.twipsToMillimetres)
        }
        let normal = styles.paragraphStyle(nil)
        let fontSize = (normal.run.size ?? 21) / 2
        let grid = node.child("docGrid")
        let gridType = grid?.attribute("type") ?? "default"
        if gridType != "default", let pitch = grid?.double("linePitch"), pitch > 0 {
            section.linePitch = pitch / 20
        } else if normal.paragraph.lineRule == "exact" || normal.paragraph.lineRule == "atLeast", let line = normal.paragraph.lineSpacing, line > 0 {
            section.linePitch = line / 20
        }
        if gridType == "linesAndChars" || gridType == "snapToChars", let space = grid?.double("charSpace") {
            section.characterPitch = fontSize + space / 4096
        } else {
            section.characterPitch = fontSize
        }
        return section
    }
}
