import Foundation

/// Reads an .ofd (GB/T 33190-2016: a ZIP of XML parts) into `SourceText`, one paragraph per line.
///
/// `OFD.xml` → `DocBody/DocRoot` (`Document.xml`) → `Pages/Page@BaseLoc` (reading order is the
/// order of the `Page` elements) → each page's `Content.xml`: `TextObject`s with `TextCode`s.
/// Every glyph is placed from the text object's `Boundary`, the code's `X`/`Y`, the running sum
/// of `DeltaX`/`DeltaY` (with the `g N v` shorthand) and the `CTM`; glyphs are then grouped into
/// lines by baseline and sorted left to right, so the text reads right even when a producer
/// writes one `TextObject` per glyph or in any order. Lines become paragraphs on a vertical gap,
/// a first-line indent, a short previous line or a change of size. Running headers and page
/// numbers repeated on every page, and template pages, are kept apart (`SourceText.apart`); the
/// spaces extraction puts between digits and Chinese are marked as artifacts.
///
/// Typography kept: page size (`PhysicalBox`), each paragraph's font (`PublicRes` fonts) and size
/// (mm → half-points) and first-line indent. OFD has no margins or styles, so rules on those
/// stay silent for it.
public enum OFDReader {
    public static func read(data: Data, displayPath: String, limits: PackageLimits = .standard) -> Result<SourceText, ReadFailure> {
        do {
            let package = try PackageArchive(data: data, documentName: "OFD 文件（.ofd）", limits: limits)
            return .success(try read(package: package, displayPath: displayPath))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Parts

    private static func read(package: PackageArchive, displayPath: String) throws(ReadFailure) -> SourceText {
        guard let ofd = try package.xml("OFD.xml") else {
            if package.contains("word/document.xml") {
                throw ReadFailure.corrupt("这不是 OFD 文件：里面是 Word 文档（是否把 .docx 改成了 .ofd？）")
            }
            throw ReadFailure.corrupt("这不是有效的 OFD 文件：缺少入口文件 OFD.xml")
        }
        guard let rootText = ofd.descendants("DocRoot").first?.allText.trimmingCharacters(in: .whitespacesAndNewlines),
              !rootText.isEmpty else {
            throw ReadFailure.corrupt("这不是有效的 OFD 文件：OFD.xml 中没有 DocBody/DocRoot")
        }
        let documentPath = PackageArchive.resolve(rootText, relativeTo: "")
        guard let document = try package.xml(documentPath) else {
            throw ReadFailure.corrupt("OFD 文件缺少文档部件 \(documentPath)（OFD.xml 的 DocRoot 指向它）")
        }
        let common = document.child("CommonData")
        let defaultBox = Box(common?.child(path: "PageArea", "PhysicalBox")?.text) ?? Box(x: 0, y: 0, width: 210, height: 297)

        // Fonts: ID → name, from every resource file the document names.
        var fonts: [String: String] = [:]
        // Each part is read once, however often it is named: a few KB of `Page` entries that all
        // name one part would otherwise unpack and parse it thousands of times. Parts are found
        // case-insensitively, so they are told apart that way too.
        var resourcePaths: [String] = []
        var namedResources: Set<String> = []
        for name in ["PublicRes", "DocumentRes"] {
            for node in common?.children(name) ?? [] {
                let path = node.allText.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !path.isEmpty else { continue }
                let resolved = PackageArchive.resolve(path, relativeTo: documentPath)
                if namedResources.insert(resolved.lowercased()).inserted { resourcePaths.append(resolved) }
            }
        }
        for path in resourcePaths {
            guard let resources = try package.xml(path) else { continue }
            for font in resources.descendants("Font") {
                guard let id = font.attribute("ID") else { continue }
                fonts[id] = font.attribute("FontName") ?? font.attribute("FamilyName")
            }
        }

        // Template pages (a 红头 or a running header drawn on every page).
        var templates: [String: String] = [:]
        for template in common?.children("TemplatePage") ?? [] {
            guard let id = template.attribute("ID"), let location = template.attribute("BaseLoc") else { continue }
            templates[id] = PackageArchive.resolve(location, relativeTo: documentPath)
        }

        let pageNodes = document.child("Pages")?.children("Page") ?? []
        if pageNodes.isEmpty {
            throw ReadFailure.corrupt("OFD 文件没有页面（\(documentPath) 中的 Pages 为空）")
        }
        var pages: [PageText] = []
        var apart: [ApartText] = []
        var usedTemplates: [String] = []
        var usedTemplateIDs: Set<String> = []
        var pagesRead: Set<String> = []
        for (index, pageNode) in pageNodes.enumerated() {
            guard let location = pageNode.attribute("BaseLoc") else {
                throw ReadFailure.corrupt("OFD 文件第 \(index + 1) 页没有 BaseLoc（\(documentPath)）")
            }
            let pagePath = PackageArchive.resolve(location, relativeTo: documentPath)
            // A page part listed again is the same page: its text is read, and counted, once,
            // where it is first listed.
            guard pagesRead.insert(pagePath.lowercased()).inserted else { continue }
            guard let content = try package.xml(pagePath) else {
                throw ReadFailure.corrupt("OFD 文件缺少第 \(index + 1) 页的内容部件 \(pagePath)")
            }
            let box = Box(content.child(path: "Area", "PhysicalBox")?.text) ?? defaultBox
            var glyphs: [Glyph] = []
            collectGlyphs(content.child("Content") ?? content, fonts: fonts, into: &glyphs)
            pages.append(PageText(number: index + 1, box: box, lines: group(glyphs)))
            for reference in content.children("Template") {
                if let id = reference.attribute("TemplateID"), usedTemplateIDs.insert(id).inserted { usedTemplates.append(id) }
            }
        }
        var templatesRead: Set<String> = []
        for id in usedTemplates {
            guard let path = templates[id], templatesRead.insert(path.lowercased()).inserted,
                  let template = try package.xml(path) else { continue }
            var glyphs: [Glyph] = []
            collectGlyphs(template.child("Content") ?? template, fonts: fonts, into: &glyphs)
            let text = group(glyphs).map(\.text).joined(separator: "\n")
            if !text.isEmpty { apart.append(ApartText(kind: .template, text: text, part: path)) }
        }
        return assemble(pages: pages, apart: apart, displayPath: displayPath)
    }

    // MARK: Geometry

    struct Box {
        var x: Double, y: Double, width: Double, height: Double

        init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }

        init?(_ text: String?) {
            guard let numbers = text.map(OFDReader.numbers), numbers.count >= 4 else { return nil }
            self.init(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
        }
    }

    /// One placed character.
    struct Glyph {
        var character: Character
        var x: Double
        /// Baseline, measured downwards from the top of the page.
        var y: Double
        var size: Double
        var width: Double
        var font: String?
    }

    /// A line of glyphs on a page.
    struct Line {
        var text: String
        var glyphs: [Glyph]
        var x0: Double
        var x1: Double
        var y: Double
        var size: Double
    }

    struct PageText {
        let number: Int
        let box: Box
        var lines: [Line]
    }

    /// Numbers of an attribute; anything not finite or absurdly large is dropped.
    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .compactMap { Double($0) }.filter { $0.isFinite && abs($0) < 100_000 }
    }

    static func number(_ text: Substring) -> Double? {
        guard let value = Double(text), value.isFinite, abs(value) < 100_000 else { return nil }
        return value
    }

    /// `DeltaX`/`DeltaY`: numbers, where `g N v` stands for N times v; at most `count` values.
    static func deltas(_ text: String?, count: Int) -> [Double] {
        guard let text, count > 0 else { return [] }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        var out: [Double] = []
        var i = 0
        while i < tokens.count, out.count < count {
            if tokens[i] == "g", i + 2 < tokens.count, let repeats = Int(tokens[i + 1]), let value = number(tokens[i + 2]) {
                out += Array(repeating: value, count: max(0, min(repeats, count - out.count)))
                i += 3
            } else {
                if let value = number(tokens[i]) { out.append(value) }
                i += 1
            }
        }
        return out
    }

    /// The glyphs of every `TextObject` below `node` (layers, page blocks, composite objects).
    static func collectGlyphs(_ node: XMLNode, fonts: [String: String], into glyphs: inout [Glyph]) {
        for child in node.children {
            if child.name == "TextObject" {
                textObject(child, fonts: fonts, into: &glyphs)
            } else if ["Layer", "PageBlock", "Content", "CompositeObject"].contains(child.name) {
                collectGlyphs(child, fonts: fonts, into: &glyphs)
            }
        }
    }

    private static func textObject(_ node: XMLNode, fonts: [String: String], into glyphs: inout [Glyph]) {
        guard let boundary = Box(node.attribute("Boundary")) else { return }
        let size = node.double("Size").flatMap { $0 > 0 && $0 < 1000 ? $0 : nil } ?? 3.5
        let font = node.attribute("Font").flatMap { fonts[$0] }
        var ctm = node.attribute("CTM").map(numbers).flatMap { $0.count == 6 ? $0 : nil } ?? [1, 0, 0, 1, 0, 0]
        var scale = sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
        if !(scale > 0.001) {
            // A singular matrix would put every glyph on one point.
            ctm = [1, 0, 0, 1, 0, 0]
            scale = 1
        }
        func place(_ x: Double, _ y: Double) -> (Double, Double) {
            (boundary.x + ctm[0] * x + ctm[2] * y + ctm[4], boundary.y + ctm[1] * x + ctm[3] * y + ctm[5])
        }
        var x = 0.0
        var y = 0.0
        for code in node.children("TextCode") {
            let characters = Array(code.allText)
            if characters.isEmpty { continue }
            if let value = code.double("X"), abs(value) < 100_000 { x = value }
            if let value = code.double("Y"), abs(value) < 100_000 { y = value }
            var dx = deltas(code.attribute("DeltaX"), count: characters.count - 1)
            var dy = deltas(code.attribute("DeltaY"), count: characters.count - 1)
            // A short list goes on with its last value.
            if let last = dx.last { while dx.count < characters.count - 1 { dx.append(last) } }
            if let last = dy.last { while dy.count < characters.count - 1 { dy.append(last) } }
            for (i, character) in characters.enumerated() {
                let natural = character.unicodeScalars.contains { LayoutArtifacts.isHan($0) || LayoutArtifacts.isFullWidthMark($0) || $0.value >= 0x3000 } ? size : size / 2
                let advance = i < dx.count ? dx[i] : natural
                let (px, py) = place(x, y)
                guard px.isFinite, py.isFinite, abs(px) < 1_000_000, abs(py) < 1_000_000 else { continue }
                glyphs.append(Glyph(character: character, x: px, y: py, size: size * scale,
                                    width: abs(min(advance, natural) * (ctm[0] == 0 ? scale : abs(ctm[0]))), font: font))
                x += advance
                if i < dy.count { y += dy[i] }
            }
        }
    }

    /// The distance between glyph origins when the glyphs of a line (sorted by x) stand on a
    /// character grid: at least four steps, nine in ten of them within 5 % of their median, which
    /// is at least the glyphs' size (a grid cell holds a full-width glyph); nil otherwise.
    static func gridPitch(_ ordered: [Glyph]) -> Double? {
        guard ordered.count >= 5 else { return nil }
        var steps: [Double] = []
        steps.reserveCapacity(ordered.count - 1)
        for (a, b) in zip(ordered, ordered.dropFirst()) where a.character != " " && b.character != " " {
            steps.append(b.x - a.x)
        }
        guard steps.count >= 4 else { return nil }
        let median = steps.sorted()[steps.count / 2]
        let size = ordered.map(\.size).sorted()[ordered.count / 2]
        guard median >= 0.95 * size, median <= 1.6 * size else { return nil }
        let even = steps.filter { abs($0 - median) <= 0.05 * median }.count
        // A half-width glyph standing in a full cell is what makes a grid matter: without one,
        // the widths already say where the spaces are.
        let halfWidth = ordered.contains { $0.width < 0.75 * $0.size && $0.character != " " }
        return halfWidth && even * 10 >= steps.count * 9 ? median : nil
    }

    /// Glyphs → lines: clustered by baseline, each sorted left to right, with spaces where the
    /// gap between glyphs is wide.
    static func group(_ glyphs: [Glyph]) -> [Line] {
        let sorted = glyphs.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
        var clusters: [[Glyph]] = []
        for glyph in sorted {
            // Appended in place: a copy of the last cluster taken out and put back would copy
            // the whole line for every glyph (quadratic in a line's length).
            if let first = clusters.last?.first, abs(glyph.y - first.y) <= 0.4 * max(glyph.size, first.size) {
                clusters[clusters.count - 1].append(glyph)
            } else {
                clusters.append([glyph])
            }
        }
        return clusters.compactMap { cluster in
            let ordered = cluster.sorted { $0.x < $1.x }
            guard let first = ordered.first, let last = ordered.last else { return nil }
            // On a document grid every glyph takes a full cell, half-width ones too: the gap
            // after a digit is the grid's, not a space. A line is on a grid when nearly all its
            // glyphs start one pitch apart; a space is then what goes beyond the pitch.
            let pitch = OFDReader.gridPitch(ordered)
            var text = ""
            var previous: Glyph? = nil
            for glyph in ordered {
                if let previous, glyph.character != " ", previous.character != " " {
                    var gap = glyph.x - (previous.x + previous.width)
                    if let pitch { gap = glyph.x - previous.x - pitch }
                    let unit = max(glyph.size, previous.size)
                    if gap >= unit {
                        // As many spaces as half-cells fit in the gap, at most 40.
                        let spaces = min(40, max(2, (gap / (unit / 2)).rounded(.down)))
                        text += String(repeating: " ", count: spaces.isFinite ? Int(spaces) : 2)
                    } else if gap > 0.3 * unit {
                        text += " "
                    }
                }
                text.append(glyph.character)
                previous = glyph
            }
            let sizes = ordered.map(\.size).sorted()
            return Line(text: text, glyphs: ordered, x0: first.x, x1: last.x + last.width,
                        y: ordered.map(\.y).reduce(0, +) / Double(ordered.count), size: sizes[sizes.count / 2])
        }
    }

    // MARK: Paragraphs

    /// The first or last line of a page when it is set in smaller type than the page's text and
    /// stands apart from it by more than one and a half lines: a running header or a footer. A
    /// large 红头 at the top is not small print and stays.
    static func geometricFurniture(_ lines: [Line]) -> [(index: Int, kind: Artifact.Kind)] {
        guard lines.count >= 3 else { return [] }
        let sizes = lines.map(\.size).sorted()
        let typical = sizes[sizes.count / 2]
        var gaps = zip(lines, lines.dropFirst()).map { $1.y - $0.y }.sorted()
        let pitch = gaps.isEmpty ? typical * 1.8 : gaps[gaps.count / 2]
        gaps = []
        var out: [(index: Int, kind: Artifact.Kind)] = []
        let first = lines[0], second = lines[1]
        if first.size < 0.9 * typical, second.y - first.y > 1.5 * pitch { out.append((0, .pageHeader)) }
        let last = lines[lines.count - 1], before = lines[lines.count - 2]
        if last.y - before.y > 1.5 * pitch, last.size < 0.9 * typical || LayoutArtifacts.isPageNumber(Substring(last.text)) {
            out.append((lines.count - 1, .pageFooter))
        }
        return out
    }

    private static func assemble(pages: [PageText], apart: [ApartText], displayPath: String) -> SourceText {
        var apart = apart
        var pages = pages
        // Running headers and page numbers: lines repeated at the top or bottom of the pages, and
        // a small-print line set off from the text at the very top or bottom of a page.
        var furniture = LayoutArtifacts.furniture(pages: pages.map { $0.lines.map { Substring($0.text) } })
        for (index, page) in pages.enumerated() {
            for item in geometricFurniture(page.lines) where !furniture[index].contains(where: { $0.index == item.index }) {
                furniture[index].append(item)
            }
        }
        for (index, items) in furniture.enumerated() where !items.isEmpty {
            let removed = Set(items.map(\.index))
            for item in items.sorted(by: { $0.index < $1.index }) {
                let line = pages[index].lines[item.index]
                apart.append(ApartText(kind: item.kind == .pageHeader ? .header : .footer, text: line.text,
                                       part: "第 \(pages[index].number) 页"))
            }
            pages[index].lines = pages[index].lines.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        }
        let all = pages.flatMap { page in page.lines.map { (page: page.number, line: $0) } }
        let body = all.filter { $0.line.glyphs.count >= 10 }.map(\.line)
        // The text block's edges: where most long lines start, and the furthest they reach.
        var starts: [Double: Int] = [:]
        for line in body { starts[line.x0.rounded(), default: 0] += 1 }
        let left = starts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? all.map(\.line.x0).min() ?? 0
        // Where most full lines end (justified text ends at one edge; a line that overflows it,
        // or a short last line, does not move it).
        var ends: [Double: Int] = [:]
        for line in body { ends[line.x1.rounded(), default: 0] += 1 }
        // With few lines, assume margins at least as wide on the right as on the left: a line is
        // called short too readily rather than joined wrongly (the parser joins wrapped lines
        // again, as for PDF text).
        let pageWidth = pages.first?.box.width ?? 210
        let right = max(ends.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key ?? 0, pageWidth - left - 1)
        // Typical distance between baselines.
        var gaps: [Double] = []
        for (a, b) in zip(all, all.dropFirst()) where a.page == b.page { gaps.append(b.line.y - a.line.y) }
        gaps.sort()
        let pitch = gaps.isEmpty ? 10 : gaps[gaps.count / 2]

        var paragraphs: [[Line]] = []
        var previous: (page: Int, line: Line)? = nil
        for item in all {
            let line = item.line
            var startsParagraph = true
            if let previous, !paragraphs.isEmpty {
                let unit = max(line.size, 0.1)
                // A line with a wide gap inside (unit and date, label and value, an 印发 line with
                // its date set right) is laid out, not running text: it never runs on into the
                // next line, nor continues the one before.
                let previousShort = previous.line.x1 < right - 1.5 * previous.line.size || previous.line.text.contains("  ")
                    || line.text.contains("  ")
                let indented = line.x0 - left >= 1.5 * unit
                let gap = previous.page == item.page && line.y - previous.line.y > 1.6 * max(pitch, unit)
                let resized = abs(line.size - previous.line.size) > 0.5
                let centered = { (l: Line) in l.x0 - left >= 1.5 * unit && abs((l.x0 - left) - (right - l.x1)) < 1.5 * unit }
                let endsSentence = previous.line.text.last.map { "。！？：；…”）".contains($0) } ?? true
                if !gap, !resized, centered(previous.line), centered(line), !endsSentence {
                    // A centred title set on two lines.
                    startsParagraph = false
                } else {
                    startsParagraph = previousShort || indented || gap || resized
                }
            }
            if startsParagraph || paragraphs.isEmpty { paragraphs.append([line]) } else { paragraphs[paragraphs.count - 1].append(line) }
            previous = (item.page, line)
        }

        var text = ""
        var typography = Typography()
        for (index, lines) in paragraphs.enumerated() {
            if index > 0 { text += "\n" }
            var paragraph = Typography.Paragraph(line: index + 1)
            for line in lines {
                var runStart = text.utf8.count
                var current: (font: String?, size: Double)? = nil
                var cjk = 0, other = 0
                func closeRun() {
                    guard let current else { return }
                    let end = text.utf8.count
                    if end > runStart {
                        paragraph.runs.append(Typography.Run(range: runStart..<end, eastAsiaFont: current.font, latinFont: current.font,
                                                             size: ChineseFontSize.halfPoints(millimetres: current.size), bold: false,
                                                             cjkCharacters: cjk, otherCharacters: other))
                    }
                    runStart = end
                    cjk = 0
                    other = 0
                }
                // The line text holds the glyphs in order, with spaces between some of them.
                var glyphIndex = 0
                for character in line.text {
                    if character == " " {
                        // An inserted space, or a space glyph of the document.
                        if glyphIndex < line.glyphs.count, line.glyphs[glyphIndex].character == " " { glyphIndex += 1 }
                        text.append(character)
                        continue
                    }
                    let glyph = glyphIndex < line.glyphs.count ? line.glyphs[glyphIndex] : nil
                    glyphIndex += 1
                    let key = (font: glyph?.font, size: glyph?.size ?? line.size)
                    if let open = current, open.font != key.font || abs(open.size - key.size) > 0.05 { closeRun(); current = nil }
                    if current == nil { current = key; runStart = text.utf8.count }
                    text.append(character)
                    if character.unicodeScalars.contains(where: { BodyWalker.isCJK($0) }) { cjk += 1 } else if !character.isWhitespace { other += 1 }
                }
                closeRun()
            }
            if let first = lines.first {
                paragraph.firstLineIndent = ((first.x0 - left) / max(first.size, 0.1) * 2).rounded() / 2
                let isCentered = first.x0 - left >= 1.5 * first.size && abs((first.x0 - left) - (right - first.x1)) < 1.5 * first.size
                paragraph.alignment = isCentered && lines.count == 1 ? .center : nil
            }
            typography.paragraphs[index + 1] = paragraph
        }
        var section = Typography.Section(number: 1, lines: paragraphs.isEmpty ? nil : 1...paragraphs.count)
        if let box = pages.first?.box {
            section.pageWidth = box.width
            section.pageHeight = box.height
        }
        typography.sections = [section]
        let artifacts = LayoutArtifacts.extractionSpaces(in: text).map { Artifact(range: $0, kind: .extractionSpace) }
        return SourceText(path: displayPath, text: text, format: .ofd, artifacts: artifacts, typography: typography, apart: apart)
    }
}
