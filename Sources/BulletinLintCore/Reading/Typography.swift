/// What a .docx or .ofd says about its layout: pages, per-paragraph fonts and sizes, tracked
/// changes and comments. Plain text, Markdown and PDF text have none (`SourceText.typography`
/// is nil), so typography rules are silent on them.
///
/// Units: lengths in millimetres, font sizes in half-points (the unit of `w:sz`: 三号 = 32).
/// Values the document does not state (and no style or default supplies) are nil; checks skip
/// what is unknown rather than guess.
public struct Typography: Sendable {
    /// A page setup: a .docx section (`w:sectPr`) or an .ofd page area.
    public struct Section: Sendable {
        /// 1-based, in document order.
        public var number: Int
        /// The lines (paragraphs) the section holds, 1-based; nil when it holds none.
        public var lines: ClosedRange<Int>?
        public var pageWidth: Double?
        public var pageHeight: Double?
        public var marginTop: Double?
        public var marginBottom: Double?
        public var marginLeft: Double?
        public var marginRight: Double?
        /// Distance between lines, in points (`w:docGrid linePitch`, or the body's exact spacing).
        public var linePitch: Double?
        /// Width of one character cell, in points (body font size plus `w:docGrid charSpace`).
        public var characterPitch: Double?

        public init(number: Int, lines: ClosedRange<Int>? = nil) {
            self.number = number
            self.lines = lines
        }

        /// Lines per page: how many line pitches fit in the text area's height.
        public var linesPerPage: Int? {
            guard let pageHeight, let marginTop, let marginBottom, let linePitch, linePitch > 0 else { return nil }
            let height = (pageHeight - marginTop - marginBottom) / 25.4 * 72
            let lines = (height / linePitch + 0.02).rounded(.down)
            return lines.isFinite && abs(lines) < 100_000 ? Int(lines) : nil
        }

        /// Characters per line: how many character cells fit in the text area's width.
        public var charactersPerLine: Int? {
            guard let pageWidth, let marginLeft, let marginRight, let characterPitch, characterPitch > 0 else { return nil }
            let width = (pageWidth - marginLeft - marginRight) / 25.4 * 72
            let characters = (width / characterPitch + 0.02).rounded(.down)
            return characters.isFinite && abs(characters) < 100_000 ? Int(characters) : nil
        }
    }

    /// A stretch of a paragraph with one set of character properties.
    public struct Run: Sendable, Hashable {
        /// UTF-8 range in `SourceText.text`.
        public var range: TextRange
        /// The East Asian font (`w:rFonts w:eastAsia`, resolved through styles and the theme).
        public var eastAsiaFont: String?
        /// The font of Latin letters and digits (`w:ascii`).
        public var latinFont: String?
        /// Half-points.
        public var size: Double?
        public var bold: Bool
        /// Counted characters: CJK characters when the run has any, else all non-space ones.
        public var cjkCharacters: Int
        public var otherCharacters: Int

        public init(range: TextRange, eastAsiaFont: String?, latinFont: String?, size: Double?, bold: Bool,
                    cjkCharacters: Int, otherCharacters: Int) {
            self.range = range
            self.eastAsiaFont = eastAsiaFont
            self.latinFont = latinFont
            self.size = size
            self.bold = bold
            self.cjkCharacters = cjkCharacters
            self.otherCharacters = otherCharacters
        }
    }

    public enum Alignment: String, Sendable {
        case left, center, right, justify, distribute
    }

    /// One paragraph (one line of the extracted text).
    public struct Paragraph: Sendable {
        /// 1-based line of `SourceText.text`.
        public var line: Int
        /// The paragraph style's name (`Title`, `Heading 1`, `标题 1`), if any.
        public var style: String?
        public var alignment: Alignment?
        /// The first-line indent in characters (`w:ind firstLineChars`, or `firstLine` over the
        /// font size); negative for a hanging indent.
        public var firstLineIndent: Double?
        /// The paragraph starts with typed spaces instead of an indent.
        public var indentedWithSpaces: Bool = false
        /// The auto-numbering label rebuilt from `numbering.xml` (`一、`), already in the text.
        public var numberingLabel: String?
        public var runs: [Run] = []

        public init(line: Int) {
            self.line = line
        }

        /// The East Asian font of most of the paragraph's CJK characters.
        public var dominantFont: String? {
            dominant { $0.eastAsiaFont }
        }

        /// The size of most of the paragraph's characters, in half-points.
        public var dominantSize: Double? {
            dominant { $0.size }
        }

        /// Whether most of the paragraph's characters are bold.
        public var dominantBold: Bool? {
            dominant { $0.bold }
        }

        /// Whether the paragraph has any visible character.
        public var hasText: Bool {
            runs.contains { $0.cjkCharacters + $0.otherCharacters > 0 }
        }

        private func dominant<Value: Hashable>(_ value: (Run) -> Value?) -> Value? {
            let useCJK = runs.contains { $0.cjkCharacters > 0 }
            var weights: [Value: Int] = [:]
            var order: [Value] = []
            for run in runs {
                let weight = useCJK ? run.cjkCharacters : run.otherCharacters
                guard weight > 0, let key = value(run) else { continue }
                if weights[key] == nil { order.append(key) }
                weights[key, default: 0] += weight
            }
            // Ties go to the value met first.
            return order.max { (weights[$0] ?? 0, -(order.firstIndex(of: $0) ?? 0)) < (weights[$1] ?? 0, -(order.firstIndex(of: $1) ?? 0)) }
        }
    }

    /// A tracked change left in the document (`w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`,
    /// `w:rPrChange`, `w:pPrChange`).
    public struct Revision: Sendable, Hashable {
        public enum Kind: String, Sendable {
            case insertion, deletion, move, formatting
        }
        public var kind: Kind
        public var author: String?
        /// 1-based line of the paragraph it is in.
        public var line: Int
        /// Where it stands in the text (an empty range for a deletion).
        public var range: TextRange
        /// The inserted or deleted text.
        public var text: String

        public init(kind: Kind, author: String?, line: Int, range: TextRange, text: String) {
            self.kind = kind
            self.author = author
            self.line = line
            self.range = range
            self.text = text
        }
    }

    /// A comment anchored in the text.
    public struct Comment: Sendable, Hashable {
        public var author: String?
        public var line: Int
        public var range: TextRange
        public var text: String

        public init(author: String?, line: Int, range: TextRange, text: String) {
            self.author = author
            self.line = line
            self.range = range
            self.text = text
        }
    }

    public var sections: [Section] = []
    /// By line number (1-based); lines without an entry have no known formatting.
    public var paragraphs: [Int: Paragraph] = [:]
    public var revisions: [Revision] = []
    public var comments: [Comment] = []

    public init() {}

    /// The section a line belongs to (the first one when the line is in none).
    public func section(ofLine line: Int) -> Section? {
        sections.first { $0.lines?.contains(line) ?? false } ?? sections.first
    }
}

/// Units of Chinese typesetting.
public enum ChineseFontSize {
    /// 字号 names and their size in points.
    public static let points: [(name: String, points: Double)] = [
        ("初号", 42), ("小初", 36), ("一号", 26), ("小一", 24), ("二号", 22), ("小二", 18), ("三号", 16),
        ("小三", 15), ("四号", 14), ("小四", 12), ("五号", 10.5), ("小五", 9), ("六号", 7.5), ("小六", 6.5),
    ]

    /// Half-points of a 字号 name (`三号` → 32).
    public static func halfPoints(named name: String) -> Double? {
        points.first { $0.name == name }.map { $0.points * 2 }
    }

    /// The 字号 name of a size in half-points, or `N磅` when it has none.
    public static func name(halfPoints: Double) -> String {
        if let match = points.first(where: { abs($0.points * 2 - halfPoints) < 0.01 }) { return match.name }
        let points = halfPoints / 2
        return points == points.rounded() && abs(points) < 1_000_000 ? "\(Int(points))磅" : "\(points)磅"
    }

    /// Half-points of a size in millimetres (OFD sizes are in mm).
    public static func halfPoints(millimetres: Double) -> Double {
        // Round to the nearest quarter point: 5.64 mm is 15.99 pt, 三号.
        ((millimetres / 25.4 * 72 * 4).rounded()) / 2
    }
}
