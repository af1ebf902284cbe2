import Foundation
import ZIPFoundation

/// What a comment of the reviewed copy says, in Chinese: the message, the help with its norm,
/// what the fix does and whether it is a tracked change, and the rule id.
enum CommentText {
    /// How a finding's fix reached the document.
    enum FixState {
        /// A tracked change of its own.
        case tracked
        /// Part of a change over its whole paragraph (a fix that needs a second pass).
        case merged
        /// Not writable as a tracked change (across paragraphs, on a numbering label).
        case untrackable
        /// Left out for a fix that overlaps it; the finding is gone once that one is accepted.
        case overlapped
    }

    static func paragraphs(for diagnostic: Diagnostic, checkKind: String?, fix state: FixState, unsafeIncluded: Bool) -> [String] {
        let severity: String
        switch diagnostic.severity {
        case .error: severity = "错误"
        case .warning: severity = "警告"
        case .info: severity = "提示"
        }
        var out = ["\(severity)：\(diagnostic.message)"]
        if !diagnostic.help.isEmpty { out.append("说明：\(diagnostic.help)") }
        if checkKind == "required", diagnostic.message.contains("缺") {
            out.append("文中没有这一要素：批注标在它应在的位置。")
        }
        if let fix = diagnostic.fix {
            let unsafe = fix.applicability == .unsafe
            if unsafe, !unsafeIncluded {
                out.append("可能的修正：\(fix.description)。这一修正不安全，未标为修订；需要时加 --unsafe-fixes 重新生成审校稿。")
            } else {
                switch state {
                case .tracked: out.append("修正：\(fix.description)，已标为修订，可在审阅中接受或拒绝。")
                case .merged: out.append("修正：\(fix.description)，已并入本段的修订。")
                case .overlapped: out.append("修正：\(fix.description)。它与相邻的一处修正重叠，接受那处修订后这一问题随之消除。")
                case .untrackable: out.append("修正：\(fix.description)。这处修正跨段落或落在自动编号上，无法标为修订，请手工修改。")
                }
                if unsafe {
                    out.append("注意：这一修正不安全，需要人工判断：规则不能确定原文的用意（如名单中间的句号、标题末尾的标点、词语是否真的重复），接受前请核对上下文。")
                }
            }
        }
        out.append("规则：\(diagnostic.ruleID)")
        return out
    }

    /// A `w:comment` element; `declaring` adds the namespace declaration for a part whose root
    /// does not bind the prefix.
    static func xml(id: Int, paragraphs: [String], options: DocxAnnotator.Options, prefix w: String, declaring namespace: String? = nil) -> String {
        let declaration = namespace.map { " xmlns:\(w.dropLast())=\"\(XMLText.attribute($0))\"" } ?? ""
        var out = "<\(w)comment\(declaration) \(w)id=\"\(id)\" \(w)author=\"\(XMLText.attribute(options.author))\" \(w)date=\"\(XMLText.attribute(options.date))\" \(w)initials=\"\(XMLText.attribute(options.initials))\">"
        for (index, paragraph) in paragraphs.enumerated() {
            out += "<\(w)p>"
            if index == 0 { out += "<\(w)r><\(w)annotationRef/></\(w)r>" }
            out += "<\(w)r><\(w)t xml:space=\"preserve\">\(XMLText.content(paragraph))</\(w)t></\(w)r></\(w)p>"
        }
        return out + "</\(w)comment>"
    }
}

/// Adds comments to a package: into its comments part, or a new `comments.xml` with its
/// relationship and content type.
enum CommentsPart {
    static let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
    static let contentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"

    /// `comments(prefix, namespace)` gives the `w:comment` elements for a part whose prefix is
    /// `prefix` (with its colon), declaring `namespace` on each when it is not nil.
    static func add(_ comments: (String, String?) -> [String], to package: PackageArchive, walk: DocxReader.Walk,
                    namespace: String, replacing parts: inout [String: Data]) throws(ReadFailure) {
        if let path = walk.relationships.first(where: { $0.type.hasSuffix("/comments") })?.target, let data = try package.read(path) {
            let xml: PositionedXML
            do throws(XMLTree.Failure) {
                xml = try PositionedXML([UInt8](data))
            } catch {
                throw ReadFailure.corrupt("Word 文档（.docx）中的“\(path)”不是有效的 XML：\(error.reason)")
            }
            guard let root = xml.position(of: xml.root) else { throw ReadFailure.corrupt("批注部件“\(path)”没有根元素") }
            let prefix = root.prefix
            let items = (prefix.isEmpty ? comments("w:", namespace) : comments(prefix + ":", nil)).joined()
            var bytes = xml.bytes
            if root.isEmpty {
                let open = Array(bytes[root.start..<(root.end - 2)]) + Array(">".utf8)
                bytes.replaceSubrange(root.start..<root.end, with: open + Array(items.utf8) + Array("</\(root.qualifiedName)>".utf8))
            } else {
                bytes.insert(contentsOf: Array(items.utf8), at: root.endTagStart)
            }
            parts[path] = Data(bytes)
            return
        }
        // A new part beside the main one.
        let folder = walk.mainPath.split(separator: "/").dropLast().joined(separator: "/")
        var name = "comments.xml"
        var number = 1
        while package.contains(folder.isEmpty ? name : folder + "/" + name) {
            number += 1
            name = "comments\(number).xml"
        }
        let path = folder.isEmpty ? name : folder + "/" + name
        parts[path] = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:comments xmlns:w=\"\(XMLText.attribute(namespace))\">"
            + comments("w:", nil).joined() + "</w:comments>").utf8)
        try addRelationship(target: name, in: package, mainPath: walk.mainPath, parts: &parts)
        try addContentType(partName: "/" + path, in: package, parts: &parts)
    }

    private static func addRelationship(target: String, in package: PackageArchive, mainPath: String, parts: inout [String: Data]) throws(ReadFailure) {
        let components = mainPath.split(separator: "/")
        let folder = components.dropLast().joined(separator: "/")
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + (components.last.map(String.init) ?? "document.xml") + ".rels"
        guard let data = try package.read(relsPath) else {
            parts[relsPath] = Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(relationshipType)\" Target=\"\(XMLText.attribute(target))\"/></Relationships>").utf8)
            return
        }
        let xml = try parse(data, path: relsPath)
        let ids = Set(xml.root.children.compactMap { $0.attribute("Id") })
        var number = ids.count + 1
        while ids.contains("rId\(number)") { number += 1 }
        let element = "<Relationship Id=\"rId\(number)\" Type=\"\(relationshipType)\" Target=\"\(XMLText.attribute(target))\"/>"
        parts[relsPath] = try appendingChild(element, to: xml, path: relsPath)
    }

    private static func addContentType(partName: String, in package: PackageArchive, parts: inout [String: Data]) throws(ReadFailure) {
        guard let data = try package.read("[Content_Types].xml") else {
            throw ReadFailure.corrupt("这不是有效的 Word 文档：缺少 [Content_Types].xml")
        }
        let xml = try parse(data, path: "[Content_Types].xml")
        if xml.root.children.contains(where: { $0.attribute("PartName")?.lowercased() == partName.lowercased() }) { return }
        let element = "<Override PartName=\"\(XMLText.attribute(partName))\" ContentType=\"\(contentType)\"/>"
        parts["[Content_Types].xml"] = try appendingChild(element, to: xml, path: "[Content_Types].xml")
    }

    private static func parse(_ data: Data, path: String) throws(ReadFailure) -> PositionedXML {
        do throws(XMLTree.Failure) {
            return try PositionedXML([UInt8](data))
        } catch {
            throw ReadFailure.corrupt("Word 文档（.docx）中的“\(path)”不是有效的 XML：\(error.reason)")
        }
    }

    /// The part with an element added as the root's last child. The element has no prefix: it
    /// is for parts whose root declares a default namespace (relationships, content types).
    private static func appendingChild(_ element: String, to xml: PositionedXML, path: String) throws(ReadFailure) -> Data {
        guard let root = xml.position(of: xml.root) else { throw ReadFailure.corrupt("“\(path)”没有根元素") }
        let prefix = root.prefix
        let written = prefix.isEmpty ? element : element.replacingOccurrences(of: "<", with: "<\(prefix):")
        var bytes = xml.bytes
        if root.isEmpty {
            let open = Array(bytes[root.start..<(root.end - 2)]) + Array(">".utf8)
            bytes.replaceSubrange(root.start..<root.end, with: open + Array(written.utf8) + Array("</\(root.qualifiedName)>".utf8))
        } else {
            bytes.insert(contentsOf: Array(written.utf8), at: root.endTagStart)
        }
        return Data(bytes)
    }
}

/// Writes a package again: every part as it was, in the same order, except those replaced or
/// added. Every entry is dated `modified` (the review's date), so the same draft and options
/// give the same bytes.
enum PackageWriter {
    static func write(_ package: PackageArchive, replacing parts: [String: Data], modified: Date? = nil) throws(ReadFailure) -> Data {
        // ZIP dates are local times from 1980 on, to two seconds.
        let date = modified ?? Date(timeIntervalSince1970: 315_532_800)
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            func add(_ path: String, _ bytes: Data) throws {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                     compressionMethod: .deflate) { position, size in
                    bytes.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            for path in package.paths {
                guard let bytes = try parts[path] ?? package.read(path) else { continue }
                try add(path, bytes)
            }
            for (path, bytes) in parts.sorted(by: { $0.key < $1.key }) where !package.paths.contains(path) {
                try add(path, bytes)
            }
            guard let data = archive.data else { throw ReadFailure(.ioError, message: "无法生成审校稿（.docx 打包失败）") }
            return data
        } catch let failure as ReadFailure {
            throw failure
        } catch {
            throw ReadFailure(.ioError, message: "无法生成审校稿（.docx 打包失败：\(error)）")
        }
    }
}
