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
///
/// This file is the entry point and the package's parts and relationships; the rest of the reader
/// is beside it in `Reading/Docx/`: `DocxProperties` (run and paragraph properties),
/// `DocxStyles` (styles and theme fonts), `DocxNumbering` (list labels), `DocxBodyWalker`
/// (paragraphs, runs, revisions, comment anchors) and `DocxSections` (page setup).
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
        try walk(package: package, displayPath: displayPath, recordsOrigins: false) { path throws(ReadFailure) in
            try package.xml(path)
        }.source
    }

    /// What reading the body gave: the text, the walker's lines (with their origins when
    /// recorded), the main part's path and its relationships.
    struct Walk {
        let source: SourceText
        let lines: [BodyWalker.Line]
        let mainPath: String
        let relationships: [Relationship]
    }

    /// Reads the package with the main part parsed by `parseMain` (the XML tree reader, or
    /// `annotate`'s reader that keeps byte positions); `recordsOrigins` keeps where each line's
    /// text came from.
    static func walk(package: PackageArchive, displayPath: String, recordsOrigins: Bool,
                     parseMain: (String) throws(ReadFailure) -> XMLNode?) throws(ReadFailure) -> Walk {
        let mainPath = try mainDocumentPath(package)
        guard let document = try parseMain(mainPath) else {
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
        walker.recordsOrigins = recordsOrigins
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
        let source = walker.sourceText(path: displayPath, styles: styles, comments: commentTexts, apart: apart)
        return Walk(source: source, lines: walker.lines, mainPath: mainPath, relationships: relationships)
    }

    // MARK: Package structure

    struct Relationship {
        let id: String
        let type: String
        /// Resolved to a path in the package.
        let target: String
    }

    static func mainDocumentPath(_ package: PackageArchive) throws(ReadFailure) -> String {
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
