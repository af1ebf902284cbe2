/// Page setup: each `w:sectPr` of the body read into a `Typography.Section` (page size,
/// margins, line and character pitch).
extension BodyWalker {
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
