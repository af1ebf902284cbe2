import Foundation

/// The artifacts of text extracted from page layout (PDF, OFD): the spaces extraction puts
/// between digits and Chinese, and the lines every page repeats (running headers, page numbers).
///
/// In a .txt or .docx the same spaces are the author's and are reported; only the PDF and OFD
/// readers call this.
enum LayoutArtifacts {
    /// Single spaces next to a digit or a full-width punctuation mark on a Chinese side:
    /// `3 月 24 日` → the two spaces; `信息 。` and `。 （` → the space. A space between two
    /// Chinese characters, around Latin words, or a run of several spaces (a layout gap, as
    /// between the 编印单位 and the date) is not touched.
    static func extractionSpaces(in text: String, from start: Int = 0) -> [TextRange] {
        var out = letterSpacing(in: text, from: start)
        let spaced = Set(out.map(\.lowerBound))
        var previous: Unicode.Scalar? = nil
        var previousWasSpace = false
        var spaceStart = 0
        var spaceCount = 0
        var before: Unicode.Scalar? = nil
        var offset = start
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if scalar == " " || scalar == "\u{00A0}" {
                if !previousWasSpace {
                    spaceStart = offset
                    spaceCount = 0
                    before = previous
                }
                spaceCount += 1
                previousWasSpace = true
            } else {
                if previousWasSpace, spaceCount == 1, let left = before, isArtifactSpace(between: left, and: scalar),
                   !spaced.contains(spaceStart) {
                    out.append(spaceStart..<(spaceStart + 1))
                }
                previousWasSpace = false
                previous = scalar
            }
            offset += width
        }
        return out
    }

    /// Lines set letter-spaced (a character grid, a spaced-out title: `四 川 省 地 方 志`): when
    /// most neighbouring Chinese characters of a line stand one space apart, those spaces are
    /// the layout's, not the author's.
    static func letterSpacing(in text: String, from start: Int) -> [TextRange] {
        var out: [TextRange] = []
        var offset = start
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { offset += line.utf8.count + 1 }
            let scalars = Array(line.unicodeScalars)
            guard scalars.count >= 9 else { continue }
            var spacedPairs: [Int] = []
            var joinedPairs = 0
            var position = offset
            var positions: [Int] = []
            for scalar in scalars { positions.append(position); position += UTF8.width(scalar) }
            for i in scalars.indices {
                let isCJK = isHan(scalars[i]) || isFullWidthMark(scalars[i])
                guard isCJK, i + 1 < scalars.count else { continue }
                let next = scalars[i + 1]
                if isHan(next) || isFullWidthMark(next) {
                    joinedPairs += 1
                } else if next == " ", i + 2 < scalars.count, isHan(scalars[i + 2]) || isFullWidthMark(scalars[i + 2]) {
                    spacedPairs.append(positions[i + 1])
                }
            }
            if spacedPairs.count >= 4, spacedPairs.count >= 2 * joinedPairs {
                out += spacedPairs.map { $0..<($0 + 1) }
            }
        }
        return out
    }

    static func isArtifactSpace(between left: Unicode.Scalar, and right: Unicode.Scalar) -> Bool {
        let leftHan = isHan(left), rightHan = isHan(right)
        let leftMark = isFullWidthMark(left), rightMark = isFullWidthMark(right)
        let leftDigit = isDigit(left), rightDigit = isDigit(right)
        if (leftHan || leftMark) && rightDigit { return true }
        if leftDigit && (rightHan || rightMark || right == "%") { return true }
        if leftMark && (rightHan || rightMark) { return true }
        if leftHan && rightMark { return true }
        return false
    }

    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return true
        default: return false
        }
    }

    static func isFullWidthMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3001...0x303F, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65, 0xFE30...0xFE4F,
             0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2014, 0x00B7:
            return true
        default:
            return false
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    /// A line as the repetition check sees it: no spaces, every number replaced by `#`.
    static func key(_ text: Substring) -> String {
        var out = ""
        var inNumber = false
        for scalar in text.unicodeScalars where !scalar.properties.isWhitespace && scalar != "\u{0C}" {
            if isDigit(scalar) {
                if !inNumber { out += "#" }
                inNumber = true
            } else {
                out.unicodeScalars.append(scalar)
                inNumber = false
            }
        }
        return out
    }

    /// A page number standing alone: `— 1 —`, `- 12 -`, `第 3 页`, `3`, `第3页 共5页`.
    static func isPageNumber(_ text: Substring) -> Bool {
        let k = key(text)
        guard k.contains("#"), k.count <= 12 else { return false }
        let dashes = CharacterSet("—-–－―─".unicodeScalars)
        let stripped = String(String.UnicodeScalarView(k.unicodeScalars.filter { !dashes.contains($0) }))
        return ["#", "第#页", "第#页共#页", "第#页，共#页", "第#页,共#页", "#/#", "Page#", "page#"].contains(stripped)
    }

    /// Lines at the top or bottom of pages that repeat on most pages (numbers aside), and page
    /// numbers at the bottom of a page: the indices (into each page's lines) that are furniture.
    ///
    /// `pages` holds, for each page, its non-blank lines in reading order.
    static func furniture(pages: [[Substring]]) -> [[(index: Int, kind: Artifact.Kind)]] {
        let edge = 2
        var topCounts: [String: Int] = [:]
        var bottomCounts: [String: Int] = [:]
        for lines in pages {
            var seenTop: Set<String> = []
            var seenBottom: Set<String> = []
            for line in lines.prefix(edge) { let k = key(line); if !k.isEmpty, seenTop.insert(k).inserted { topCounts[k, default: 0] += 1 } }
            for line in lines.suffix(edge) { let k = key(line); if !k.isEmpty, seenBottom.insert(k).inserted { bottomCounts[k, default: 0] += 1 } }
        }
        let pagesWithText = pages.filter { !$0.isEmpty }.count
        func repeated(_ count: Int) -> Bool { pagesWithText >= 2 && count >= 2 && count * 2 >= pagesWithText }
        let result = pages.map { lines in
            var found: [(index: Int, kind: Artifact.Kind)] = []
            for (i, line) in lines.enumerated() {
                let k = key(line)
                let atTop = i < edge
                let atBottom = i >= lines.count - edge
                if atTop, repeated(topCounts[k] ?? 0) {
                    found.append((i, .pageHeader))
                } else if atBottom, repeated(bottomCounts[k] ?? 0) || (i == lines.count - 1 && isPageNumber(line)) {
                    found.append((i, .pageFooter))
                }
            }
            // Only lines at the very edge, or next to another piece of furniture, count: a
            // repeated second line under a unique first line is content.
            return found.filter { item in
                if item.kind == .pageHeader {
                    return item.index == 0 || found.contains { $0.index == item.index - 1 && $0.kind == .pageHeader }
                }
                return item.index == lines.count - 1 || found.contains { $0.index == item.index + 1 && $0.kind == .pageFooter }
            }
        }
        // Headers and footers frame a page's content: when they would take every line of every
        // page (pages that repeat one another whole), the repeated lines are the content.
        let everything = zip(pages, result).allSatisfy { lines, found in found.count == lines.count }
        return everything ? pages.map { _ in [] } : result
    }
}
