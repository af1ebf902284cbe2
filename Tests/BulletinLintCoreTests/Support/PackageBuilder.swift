import BulletinLintCore
import Foundation
import XCTest
import ZIPFoundation

/// Builds .docx and .ofd packages for tests, part by part, with ZIPFoundation: every document
/// fixture is made by code, so anyone can see and change what it contains.
enum PackageBuilder {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let ofdNamespace = "http://www.ofdspec.org/2016"

    /// A ZIP archive of the given parts (deflated unless `stored`).
    static func zip(_ parts: [(path: String, content: Data)], stored: Bool = false) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let bytes = part.content
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(bytes.count),
                                 compressionMethod: stored ? .none : .deflate) { position, size in
                bytes.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return try XCTUnwrap(archive.data)
    }

    static func zip(_ parts: [(String, String)]) throws -> Data {
        try zip(parts.map { (path: $0.0, content: Data($0.1.utf8)) })
    }

    // MARK: docx

    /// A .docx: `body` is the inside of `w:body` (paragraphs, tables, the final `w:sectPr`).
    /// `parts` are extra parts (`word/styles.xml`, `word/numbering.xml`, headers…); each gets a
    /// relationship from the document, typed by its file name.
    static func docx(body: String, parts: [(String, String)] = []) throws -> Data {
        var relationships = ""
        var overrides = ""
        for (index, part) in parts.enumerated() {
            let name = part.0.replacingOccurrences(of: "word/", with: "")
            let type: String
            let contentType: String
            switch name {
            case let n where n.hasPrefix("styles"): type = "styles"; contentType = "styles+xml"
            case let n where n.hasPrefix("numbering"): type = "numbering"; contentType = "numbering+xml"
            case let n where n.hasPrefix("header"): type = "header"; contentType = "header+xml"
            case let n where n.hasPrefix("footer"): type = "footer"; contentType = "footer+xml"
            case let n where n.hasPrefix("comments"): type = "comments"; contentType = "comments+xml"
            case let n where n.hasPrefix("theme"): type = "theme"; contentType = "theme+xml"
            default: continue
            }
            relationships += "<Relationship Id=\"rId\(index + 10)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/\(type)\" Target=\"\(name)\"/>"
            overrides += "<Override PartName=\"/\(part.0)\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.\(contentType)\"/>"
        }
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"\(w)\" xmlns:r=\"\(r)\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><w:body>\(body)</w:body></w:document>"
        return try zip([
            ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\(overrides)</Types>"),
            ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>"),
            ("word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relationships)</Relationships>"),
            ("word/document.xml", document),
        ] + parts)
    }

    /// A paragraph: `runs` are (text, rPr inner XML); `properties` is the pPr inner XML.
    static func paragraph(_ runs: [(String, String)], properties: String = "") -> String {
        let inner = runs.map { text, rPr in
            "<w:r>" + (rPr.isEmpty ? "" : "<w:rPr>\(rPr)</w:rPr>") + "<w:t xml:space=\"preserve\">\(escape(text))</w:t></w:r>"
        }.joined()
        return "<w:p>" + (properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>") + inner + "</w:p>"
    }

    static func paragraph(_ text: String, properties: String = "", run: String = "") -> String {
        paragraph([(text, run)], properties: properties)
    }

    static func styles(defaults: String, styles: String = "") -> (String, String) {
        ("word/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"\(w)\"><w:docDefaults><w:rPrDefault><w:rPr>\(defaults)</w:rPr></w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>\(styles)</w:styles>")
    }

    static func fonts(_ eastAsia: String) -> String {
        "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"\(eastAsia)\"/>"
    }

    /// The GB/T 9704 section: A4, 37/28/35/26 mm, 22 lines × 28 characters.
    static let standardSection = "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/><w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"-849\"/></w:sectPr>"

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A bulletin (one paragraph per line of `lines`) laid out the GB/T 9704 way: 红头 in 小标宋,
    /// titles 二号 小标宋 centred, body 三号 仿宋 with a two-character indent, 版记 四号, a running
    /// header and a page-number footer kept in their own parts.
    static func bulletinDocx(_ lines: [String]) throws -> Data {
        let footerStart = lines.firstIndex { $0.hasPrefix("信息公开选项") } ?? lines.count
        var body = ""
        for (index, line) in lines.enumerated() {
            if index < 2 {
                body += paragraph(line, properties: "<w:jc w:val=\"center\"/>", run: fonts("方正小标宋简体") + "<w:color w:val=\"FF0000\"/><w:sz w:val=\"52\"/>")
            } else if index < 4 || line.hasPrefix("【") {
                body += paragraph(line)
            } else if index >= footerStart {
                body += paragraph(line, run: "<w:sz w:val=\"28\"/>")
            } else if lines[index - 1].hasPrefix("【") {
                body += paragraph(line, properties: "<w:pStyle w:val=\"Title\"/>")
            } else {
                body += paragraph(line, properties: "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>")
            }
        }
        body += standardSection.replacingOccurrences(of: "<w:pgSz", with: "<w:headerReference w:type=\"default\" r:id=\"rId11\"/><w:footerReference w:type=\"default\" r:id=\"rId12\"/><w:pgSz")
        return try docx(body: body, parts: [
            styles(defaults: fonts("仿宋_GB2312") + "<w:sz w:val=\"32\"/>",
                   styles: "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr>\(fonts("方正小标宋简体"))<w:sz w:val=\"44\"/></w:rPr></w:style>"),
            ("word/header1.xml", "<w:hdr xmlns:w=\"\(w)\">\(paragraph("四川省地方志工作简报 2021年第5期"))</w:hdr>"),
            ("word/footer1.xml", "<w:ftr xmlns:w=\"\(w)\"><w:p><w:r><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"),
        ])
    }

    // MARK: OFD

    /// An OFD package: `pages` are the Content.xml texts of the pages, in reading order;
    /// `fonts` are (ID, FontName); `omitPage` leaves one page's part out of the package.
    static func ofd(pages: [String], fonts: [(String, String)] = [("1", "仿宋_GB2312")], templates: [String] = [],
                    box: String = "0 0 210 297", omitPage: Int? = nil, pageOrder: [Int]? = nil) throws -> Data {
        let order = pageOrder ?? Array(pages.indices)
        let pageEntries = order.map { "<ofd:Page ID=\"\(100 + $0)\" BaseLoc=\"Pages/Page_\($0)/Content.xml\"/>" }.joined()
        let templateEntries = templates.indices.map { "<ofd:TemplatePage ID=\"\(200 + $0)\" BaseLoc=\"Tpls/Tpl_\($0)/Content.xml\"/>" }.joined()
        let fontEntries = fonts.map { "<ofd:Font ID=\"\($0.0)\" FontName=\"\($0.1)\" FamilyName=\"\($0.1)\"/>" }.joined()
        var parts: [(String, String)] = [
            ("OFD.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"\(ofdNamespace)\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"),
            ("Doc_0/Document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document xmlns:ofd=\"\(ofdNamespace)\"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>\(box)</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>\(templateEntries)</ofd:CommonData><ofd:Pages>\(pageEntries)</ofd:Pages></ofd:Document>"),
            ("Doc_0/PublicRes.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Res xmlns:ofd=\"\(ofdNamespace)\" BaseLoc=\"Res\"><ofd:Fonts>\(fontEntries)</ofd:Fonts></ofd:Res>"),
        ]
        for (index, page) in pages.enumerated() where index != omitPage {
            parts.append(("Doc_0/Pages/Page_\(index)/Content.xml", page))
        }
        for (index, template) in templates.enumerated() {
            parts.append(("Doc_0/Tpls/Tpl_\(index)/Content.xml", template))
        }
        return try zip(parts)
    }

    /// A page's Content.xml around text objects; `template` names a template page.
    static func ofdPage(_ objects: [String], template: Int? = nil) -> String {
        let templateRef = template.map { "<ofd:Template TemplateID=\"\(200 + $0)\" ZOrder=\"Background\"/>" } ?? ""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page xmlns:ofd=\"\(ofdNamespace)\">\(templateRef)<ofd:Content><ofd:Layer ID=\"2\">\(objects.joined())</ofd:Layer></ofd:Content></ofd:Page>"
    }

    /// One text object: text at (x, baseline y) in mm, with explicit DeltaX.
    static func textObject(_ text: String, x: Double, y: Double, size: Double, font: String = "1", deltaX: String? = nil,
                           ctm: String? = nil) -> String {
        let boundary = "\(format(x)) \(format(y - size)) \(format(Double(text.count) * size + 1)) \(format(size * 1.5))"
        let delta = deltaX.map { " DeltaX=\"\($0)\"" } ?? ""
        let matrix = ctm.map { " CTM=\"\($0)\"" } ?? ""
        return "<ofd:TextObject ID=\"1\" Boundary=\"\(boundary)\" Font=\"\(font)\" Size=\"\(format(size))\"\(matrix)><ofd:FillColor Value=\"0 0 0\"/><ofd:TextCode X=\"0\" Y=\"\(format(size))\"\(delta)>\(escape(text))</ofd:TextCode></ofd:TextObject>"
    }

    static func format(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}

/// Lays a bulletin out on A4 pages the way an OFD producer would, glyph by glyph, so the OFD
/// reader has real geometry to reconstruct: 28 characters per line, 22 lines per page, digits
/// half-width, wrapped body lines, a running header and `— N —` page numbers.
struct OFDLayout {
    enum Objects {
        /// One TextObject per line, with a DeltaX list (compressed with `g N v`).
        case perLine
        /// One TextObject per glyph, scaled through a CTM, in reverse document order.
        case perGlyphShuffled
    }

    var objects: Objects = .perLine
    /// Extra space before and after a run of digits, as a fraction of the font size (a producer
    /// that starts a new text object at each change of script leaves such gaps).
    var digitGap: Double = 0.4

    static let left = 28.0
    static let width = 156.0
    static let top = 37.0
    static let pitch = 225.0 / 22
    static let cell = 156.0 / 28

    struct PlacedLine {
        var text: String
        var x: Double
        var size: Double
        var font: String
    }

    /// The pages' Content.xml and the fonts used.
    func pages(for lines: [String]) -> (pages: [String], fonts: [(String, String)]) {
        let footerStart = lines.firstIndex { $0.hasPrefix("信息公开选项") } ?? lines.count
        var placed: [PlacedLine] = []
        for (index, line) in lines.enumerated() {
            if index < 2 {
                let size = index == 1 ? 7.76 : 5.64
                let x = index == 0 ? OFDLayout.left : OFDLayout.left + (OFDLayout.width - OFDLayout.measure(line) * size) / 2
                placed.append(PlacedLine(text: line, x: x, size: size, font: index == 1 ? "2" : "1"))
            } else if index < 4 || line.hasPrefix("【") {
                if let gap = line.range(of: " ") {
                    // Unit on the left, date on the right.
                    let unit = String(line[..<gap.lowerBound])
                    let date = String(line[gap.upperBound...])
                    placed.append(PlacedLine(text: unit, x: OFDLayout.left, size: 5.64, font: "1"))
                    placed.append(PlacedLine(text: "\u{1}" + date, x: OFDLayout.left + OFDLayout.width - OFDLayout.measure(date) * OFDLayout.cell, size: 5.64, font: "1"))
                } else {
                    let centred = index < 4
                    let x = centred ? OFDLayout.left + (OFDLayout.width - OFDLayout.measure(line) * OFDLayout.cell) / 2 : OFDLayout.left
                    placed.append(PlacedLine(text: line, x: x, size: 5.64, font: "1"))
                }
            } else if index >= footerStart {
                placed += OFDLayout.wrap(line, firstIndent: 1, restIndent: line.contains("：") && !line.hasPrefix("信息") ? 3 : 1,
                                         size: 4.94, font: "1", cells: 26)
            } else if lines[index - 1].hasPrefix("【") {
                let x = OFDLayout.left + (OFDLayout.width - OFDLayout.measure(line) * 7.76) / 2
                placed.append(PlacedLine(text: line, x: x, size: 7.76, font: "2"))
            } else {
                placed += OFDLayout.wrap(line, firstIndent: 2, restIndent: 0, size: 5.64, font: "1", cells: 28)
            }
        }
        // Merge the right-hand date into the line before it (same baseline).
        var rows: [[PlacedLine]] = []
        for line in placed {
            if line.text.hasPrefix("\u{1}"), !rows.isEmpty {
                var copy = line
                copy.text.removeFirst()
                rows[rows.count - 1].append(copy)
            } else {
                rows.append([line])
            }
        }
        var pages: [[String]] = []
        for (index, row) in rows.enumerated() {
            let slot = index % 22
            if slot == 0 { pages.append([]) }
            let baseline = OFDLayout.top + Double(slot + 1) * OFDLayout.pitch - 2
            for line in row { pages[pages.count - 1] += objects(for: line, baseline: baseline) }
        }
        let contents = pages.enumerated().map { number, objects -> String in
            let header = "四川省地方志工作简报 2021年第5期"
            let furniture = self.objects(for: PlacedLine(text: header, x: OFDLayout.left + OFDLayout.width - OFDLayout.measure(header) * 4.23, size: 4.23, font: "1"), baseline: 25)
                + self.objects(for: PlacedLine(text: "— \(number + 1) —", x: 95, size: 4.94, font: "3"), baseline: 285)
            var all = furniture + objects
            if self.objects == .perGlyphShuffled { all.reverse() }
            return PackageBuilder.ofdPage(all)
        }
        return (contents, [("1", "仿宋_GB2312"), ("2", "方正小标宋简体"), ("3", "宋体")])
    }

    /// Width of a text in cells: CJK 1, ASCII 0.5.
    static func measure(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 0.5 : 1) }
    }

    static func wrap(_ text: String, firstIndent: Double, restIndent: Double, size: Double, font: String, cells: Double) -> [PlacedLine] {
        var out: [PlacedLine] = []
        var current = ""
        var used = firstIndent
        var indent = firstIndent
        for character in text {
            let width: Double = character.isASCII ? 0.5 : 1
            if used + width > cells, !current.isEmpty {
                out.append(PlacedLine(text: current, x: left + indent * cell, size: size, font: font))
                current = ""
                indent = restIndent
                used = restIndent
            }
            current.append(character)
            used += width
        }
        if !current.isEmpty { out.append(PlacedLine(text: current, x: left + indent * cell, size: size, font: font)) }
        return out
    }

    /// Text objects for one placed line.
    private func objects(for line: PlacedLine, baseline: Double) -> [String] {
        // Advance of each glyph: a cell for CJK, half for ASCII, plus a gap around digit runs.
        let characters = Array(line.text)
        var advances: [Double] = []
        let cell = line.size > 5 && line.size < 6 ? OFDLayout.cell : line.size
        for (i, character) in characters.enumerated() {
            var advance = character.isASCII ? cell / 2 : cell
            if i + 1 < characters.count {
                let next = characters[i + 1]
                if character.isNumber != next.isNumber, character.isASCII || next.isASCII, character != " ", next != " " {
                    advance += digitGap * line.size
                }
            }
            advances.append(advance)
        }
        switch objects {
        case .perLine:
            // DeltaX with the `g N v` shorthand for runs of equal values.
            var tokens: [String] = []
            var i = 0
            let deltas = Array(advances.dropLast())
            while i < deltas.count {
                var j = i
                while j < deltas.count, abs(deltas[j] - deltas[i]) < 0.0001 { j += 1 }
                if j - i >= 3 { tokens.append("g \(j - i) \(PackageBuilder.format(deltas[i]))") } else {
                    tokens += deltas[i..<j].map(PackageBuilder.format)
                }
                i = j
            }
            return [PackageBuilder.textObject(line.text, x: line.x, y: baseline, size: line.size, font: line.font,
                                              deltaX: tokens.joined(separator: " "))]
        case .perGlyphShuffled:
            var x = line.x
            var out: [String] = []
            for (character, advance) in zip(characters, advances) {
                if character != " " {
                    // Size doubled in object space and halved by the CTM.
                    let size = line.size
                    out.append("<ofd:TextObject ID=\"1\" Boundary=\"\(PackageBuilder.format(x)) \(PackageBuilder.format(baseline - size)) \(PackageBuilder.format(size * 2)) \(PackageBuilder.format(size * 2))\" Font=\"\(line.font)\" Size=\"\(PackageBuilder.format(size * 2))\" CTM=\"0.5 0 0 0.5 0 0\"><ofd:TextCode X=\"0\" Y=\"\(PackageBuilder.format(size * 2))\">\(PackageBuilder.escape(String(character)))</ofd:TextCode></ofd:TextObject>")
                }
                x += advance
            }
            return out
        }
    }
}
