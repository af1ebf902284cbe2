/// The theme's fonts that `w:rFonts` can name (`minorEastAsia`, `majorHAnsi`…): East Asian
/// (`a:majorFont/a:ea`, `a:minorFont/a:ea`, else the `Hans` script font) and Latin (`a:latin`).
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
