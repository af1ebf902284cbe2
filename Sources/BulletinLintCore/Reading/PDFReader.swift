import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a PDF through `pdftotext -layout` (poppler-utils), run as a subprocess with a time
/// limit. The text is kept as pdftotext printed it, so a diagnostic's line and column are those
/// of `pdftotext -layout FILE -`; what the extraction added is marked as artifacts: the spaces
/// between digits and Chinese (`3 月 24 日`), running headers and page numbers repeated on every
/// page. Hard line wraps are joined by the parser, as for any wrapped text.
///
/// An encrypted PDF, or one without a text layer (a scan), is a `pdf-no-text` diagnostic rather
/// than an empty pass.
public enum PDFReader {
    public struct Configuration: Sendable {
        /// The `pdftotext` to run; nil looks for it on `PATH` (or takes `BULLETINLINT_PDFTOTEXT`).
        public var executable: String?
        /// Seconds before a stuck `pdftotext` is stopped.
        public var timeout: Double
        /// Bytes of extracted text accepted.
        public var maximumOutput: Int

        public init(executable: String? = nil, timeout: Double = 30, maximumOutput: Int = 64 * 1024 * 1024) {
            self.executable = executable
            self.timeout = timeout
            self.maximumOutput = maximumOutput
        }

        public static let standard = Configuration()
    }

    /// Where the package lives, for the message when it is missing.
    public static let installHint = "请安装 poppler-utils（Debian/Ubuntu：apt-get install -y poppler-utils；macOS：brew install poppler）"

    /// Reads a PDF file.
    public static func read(path: String, displayPath: String, configuration: Configuration = .standard) -> Result<SourceText, ReadFailure> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(ReadFailure(.ioError, message: "无法打开文件（权限不足？）"))
        }
        let head = (try? handle.read(upToCount: 1024)) ?? nil
        try? handle.close()
        guard let head, looksLikePDF(head) else {
            return .failure(ReadFailure.corrupt("文件不是有效的 PDF（开头没有 %PDF 标记，文件可能已损坏或扩展名有误）"))
        }
        return extract(path: path, displayPath: displayPath, configuration: configuration)
    }

    /// Reads a PDF from bytes (standard input), through a file (mode 0600) in a private folder.
    public static func read(data: Data, displayPath: String, configuration: Configuration = .standard) -> Result<SourceText, ReadFailure> {
        guard looksLikePDF(data.prefix(1024)) else {
            return .failure(ReadFailure.corrupt("文件不是有效的 PDF（开头没有 %PDF 标记，文件可能已损坏或扩展名有误）"))
        }
        let folder: PrivateDirectory
        do { folder = try PrivateDirectory() } catch {
            return .failure(ReadFailure(.ioError, message: error.reason))
        }
        defer { folder.remove() }
        return folder.write(data, named: "input.pdf").flatMap { input in
            extract(path: input, displayPath: displayPath, configuration: configuration, folder: folder)
        }
    }

    static func looksLikePDF(_ head: Data) -> Bool {
        let marker = Array("%PDF-".utf8)
        let bytes = Array(head)
        guard bytes.count >= marker.count else { return false }
        return (0...(bytes.count - marker.count)).contains { Array(bytes[$0..<($0 + marker.count)]) == marker }
    }

    /// The `pdftotext` to run: the configured one, `BULLETINLINT_PDFTOTEXT`, or the first on `PATH`.
    static func locate(_ configuration: Configuration) -> String? {
        ExternalTool.locate(configured: configuration.executable, variable: "BULLETINLINT_PDFTOTEXT", names: ["pdftotext"])
    }

    /// Runs pdftotext; its text and messages go to files in a private folder (`folder`, else one
    /// of its own), removed afterwards: the text of a private PDF is never readable by others.
    private static func extract(path: String, displayPath: String, configuration: Configuration,
                                folder given: PrivateDirectory? = nil) -> Result<SourceText, ReadFailure> {
        guard let executable = locate(configuration) else {
            return .failure(ReadFailure(.pdftotextMissing,
                                        message: "检查 PDF 需要 pdftotext（poppler-utils），但没有找到它"))
        }
        let folder: PrivateDirectory
        if let given { folder = given } else {
            do { folder = try PrivateDirectory() } catch {
                return .failure(ReadFailure(.ioError, message: error.reason))
            }
        }
        defer { if given == nil { folder.remove() } }
        let outputURL = URL(fileURLWithPath: folder.item("output.txt"))
        let errorURL = URL(fileURLWithPath: folder.item("errors.txt"))
        guard FileManager.default.createFile(atPath: errorURL.path, contents: nil),
              let errorHandle = FileHandle(forWritingAtPath: errorURL.path) else {
            return .failure(ReadFailure(.ioError, message: "无法创建临时文件"))
        }
        defer { try? errorHandle.close() }

        let status: Int32
        switch ExternalTool.run(executable, arguments: ["-layout", "-enc", "UTF-8", "-eol", "unix", path, outputURL.path],
                                standardError: errorHandle, timeout: configuration.timeout) {
        case .failedToStart(let reason):
            return .failure(ReadFailure(.pdftotextMissing, message: "无法运行 pdftotext（\(executable)）：\(reason)",
                                        help: installHint + "。"))
        case .timedOut:
            return .failure(ReadFailure(.pdfTimeout,
                                        message: "pdftotext 在 \(formatSeconds(configuration.timeout)) 秒内没有完成，已停止（PDF 可能过大或已损坏）"))
        case .exited(let code):
            status = code
        }
        let errorText = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        if status != 0 {
            if errorText.localizedCaseInsensitiveContains("password") {
                return .failure(ReadFailure(.pdfNoText, message: "PDF 已加密（需要密码），无法提取文字进行检查",
                                            help: "请提供未加密的 PDF，或 Word/OFD 原稿。"))
            }
            let detail = errorText.split(separator: "\n").first { $0.contains("Error") }.map { "：\($0)" } ?? ""
            return .failure(ReadFailure.corrupt("pdftotext 无法读取这个 PDF（退出码 \(status)）\(detail)"))
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: outputURL.path)
        if let size = attributes?[.size] as? NSNumber, size.intValue > configuration.maximumOutput {
            return .failure(ReadFailure(.ioError, message: "PDF 提取出的文字超过 \(configuration.maximumOutput / 1_048_576) MB 的上限"))
        }
        guard let data = FileManager.default.contents(atPath: outputURL.path) else {
            return .failure(ReadFailure(.pdfError, message: "pdftotext 没有输出文字"))
        }
        let text = String(decoding: data, as: UTF8.self)
        if !text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0 != "\u{0C}" }) {
            return .failure(ReadFailure(.pdfNoText,
                                        message: "PDF 中没有可提取的文字（可能是扫描件或图片），无法检查"))
        }
        return .success(source(text: text, displayPath: displayPath))
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// Text as `pdftotext -layout` prints it (pages separated by form feeds), with its artifacts
    /// marked: what the reader does after running pdftotext, for text extracted elsewhere.
    public static func source(text: String, displayPath: String) -> SourceText {
        var source = SourceText(path: displayPath, text: text, format: .pdf)
        var artifacts = LayoutArtifacts.extractionSpaces(in: text).map { Artifact(range: $0, kind: .extractionSpace) }
        // Pages are separated by form feeds; a line's page is the number of form feeds before it.
        var pages: [[PageLine]] = [[]]
        for line in 1...source.lineCount {
            var content = source.line(line)
            var start = source.lineStarts[line - 1]
            while let first = content.unicodeScalars.first, first == "\u{0C}" {
                pages.append([])
                content = content.dropFirst()
                start += 1
            }
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let leading = content.utf8.count - content.drop { $0 == " " || $0 == "\t" }.utf8.count
            let range = (start + leading)..<(start + leading + trimmed.utf8.count)
            pages[pages.count - 1].append(PageLine(number: line, range: range, text: source.slice(range), indent: leading,
                                                   width: DisplayWidth.of(trimmed)))
        }
        let furniture = LayoutArtifacts.furniture(pages: pages.map { $0.map(\.text) })
        var body: [[PageLine]] = []
        for (page, items) in zip(pages, furniture) {
            for item in items { artifacts.append(Artifact(range: page[item.index].range, kind: item.kind)) }
            let removed = Set(items.map(\.index))
            body.append(page.enumerated().filter { !removed.contains($0.offset) }.map(\.element))
        }
        source.setArtifacts(artifacts)
        source.wrappedLines = wrappedLines(body)
        return source
    }

    struct PageLine {
        let number: Int
        let range: TextRange
        let text: Substring
        /// Leading spaces: the layout's x position.
        let indent: Int
        /// Display width of the text.
        let width: Int
        var end: Int { indent + width }
    }

    /// Lines that continue the paragraph of the line before, as the layout shows it: the line
    /// before runs to the right edge, and this one starts at the left edge, not indented like a
    /// new paragraph. A paragraph can wrap right after a sentence end (`…要求。` ⏎ `一是…`); the
    /// parser would take that for a paragraph end without this.
    static func wrappedLines(_ pages: [[PageLine]]) -> Set<Int> {
        let all = pages.flatMap { $0 }
        guard all.count >= 3 else { return [] }
        // The text block: the most common left edge, and the right edge most full lines reach.
        var lefts: [Int: Int] = [:]
        for line in all where line.width >= 20 { lefts[line.indent, default: 0] += 1 }
        guard let left = lefts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else { return [] }
        let right = all.map(\.end).max() ?? 0
        var out: Set<Int> = []
        var previous: PageLine? = nil
        for line in all {
            defer { previous = line }
            guard let previous else { continue }
            let full = previous.end >= right - 6 && previous.width >= 20
            let atLeft = line.indent <= left + 1
            if full, atLeft { out.insert(line.number) }
        }
        return out
    }
}
