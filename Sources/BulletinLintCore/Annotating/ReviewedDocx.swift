import Foundation

/// What an editor gets from a reviewed .docx after accepting or rejecting one author's tracked
/// changes, as Word does it: accepting drops that author's `w:del` and keeps the contents of
/// their `w:ins`; rejecting drops the `w:ins` and restores the `w:del` text. Everyone else's
/// revisions stay as they were. The result is read back through `DocxReader`, so its text is
/// what `check` would read from the document the editor saves (tests compare it with
/// `DocumentLinter.fix` and with the draft; a web page could show it as a preview).
public enum ReviewedDocx {
    public enum Choice: Sendable {
        case acceptAll, rejectAll
    }

    /// The document after `choice` on every revision by `author`, as `DocxReader` reads it (its
    /// comments, with their anchors, are in `typography.comments`).
    public static func resolve(_ data: Data, _ choice: Choice, author: String, displayPath: String = "reviewed.docx") -> Result<SourceText, ReadFailure> {
        do throws(ReadFailure) {
            let package = try PackageArchive(data: data, documentName: "Word 文档（.docx）", limits: .standard)
            let mainPath = try DocxReader.mainDocumentPath(package)
            guard let bytes = try package.read(mainPath) else { throw ReadFailure.corrupt("缺少正文部件 \(mainPath)") }
            let xml: PositionedXML
            do throws(XMLTree.Failure) {
                xml = try PositionedXML([UInt8](bytes))
            } catch {
                throw ReadFailure.corrupt("“\(mainPath)”不是有效的 XML：\(error.reason)")
            }
            var renderer = Renderer(xml: xml)
            var stack = [xml.root]
            while let node = stack.popLast() {
                let isRevision = (node.name == "ins" || node.name == "del") && node.attribute("author") == author
                guard isRevision, let position = xml.position(of: node) else {
                    stack += node.children
                    continue
                }
                let keep = (node.name == "ins") == (choice == .acceptAll)
                guard keep, !position.isEmpty else {
                    renderer.replacements.append((position.start..<position.end, .bytes([])))
                    continue
                }
                var inner = String(decoding: xml.bytes[position.startTagEnd..<position.endTagStart], as: UTF8.self)
                if node.name == "del" {
                    let w = position.prefix.isEmpty ? "" : position.prefix + ":"
                    inner = inner.replacingOccurrences(of: "<\(w)delText", with: "<\(w)t")
                        .replacingOccurrences(of: "</\(w)delText>", with: "</\(w)t>")
                }
                renderer.replacements.append((position.start..<position.end, .bytes(Array(inner.utf8))))
            }
            let resolved = try PackageWriter.write(package, replacing: [mainPath: Data(renderer.render())])
            return DocxReader.read(data: resolved, displayPath: displayPath)
        } catch {
            return .failure(error)
        }
    }
}
