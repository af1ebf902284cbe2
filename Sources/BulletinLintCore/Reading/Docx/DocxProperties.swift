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

/// Small readers of WordprocessingML values shared by the parts of a .docx.
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
