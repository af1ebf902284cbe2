import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the word-processor formats offices still keep — .doc, .wps (WPS Office), .rtf, .odt — by
/// having LibreOffice convert them to .docx (`soffice --headless --convert-to docx`) and reading
/// that with `DocxReader`: the same elements, typography and paragraph positions (`¶N:col`) as
/// the .docx Word or WPS would save. LibreOffice runs with a profile of its own in a private
/// temporary folder (mode 0700, removed afterwards), reads the original where it is (nothing is
/// copied or changed), and is stopped after a time limit.
public enum LegacyWordReader {
    public static let extensions: Set<String> = ["doc", "wps", "rtf", "odt"]

    public struct Configuration: Sendable {
        /// The `soffice` to run; nil looks for it (`BULLETINLINT_SOFFICE`, then `PATH`).
        public var executable: String?
        /// Seconds before a stuck conversion is stopped (LibreOffice's first start is slow).
        public var timeout: Double

        public init(executable: String? = nil, timeout: Double = 120) {
            self.executable = executable
            self.timeout = timeout
        }

        public static let standard = Configuration()
    }

    public static let installHint = "请安装 LibreOffice（Debian/Ubuntu：apt-get install -y libreoffice-writer-nogui；macOS：brew install --cask libreoffice），或在 Word/WPS 中“另存为” .docx 后再检查"

    /// The `soffice` to run: the configured one, `BULLETINLINT_SOFFICE`, or the first `soffice` or
    /// `libreoffice` on `PATH`.
    static func locate(_ configuration: Configuration) -> String? {
        ExternalTool.locate(configured: configuration.executable, variable: "BULLETINLINT_SOFFICE", names: ["soffice", "libreoffice"])
    }

    /// Reads a .doc, .wps, .rtf or .odt file.
    public static func read(path: String, displayPath: String, configuration: Configuration = .standard) -> Result<SourceText, ReadFailure> {
        let pathExtension = (displayPath as NSString).pathExtension.lowercased()
        guard let executable = locate(configuration) else {
            return .failure(ReadFailure(.sofficeMissing,
                                        message: "检查 .\(pathExtension) 文件需要 LibreOffice，但没有找到它"))
        }
        // A private folder (`PrivateDirectory`, mode 0700): the profile, the converted copy,
        // LibreOffice's own files. A signal removes the converted copy and the link; the
        // profile, a tree of LibreOffice's files, can be left behind in the 0700 folder.
        let directory: PrivateDirectory
        do { directory = try PrivateDirectory() } catch {
            return .failure(ReadFailure(.ioError, message: error.reason))
        }
        defer { directory.remove() }
        let folder = URL(fileURLWithPath: directory.path, isDirectory: true)
        let output = URL(fileURLWithPath: directory.item("out", folder: true), isDirectory: true)
        _ = directory.item("out/document.docx")
        let profile = URL(fileURLWithPath: directory.item("profile", folder: true), isDirectory: true)
        // LibreOffice names its output after the input; a link with a plain name keeps odd file
        // names (spaces, leading dashes) out of its command line and tells it the format.
        let input = URL(fileURLWithPath: directory.item("document.\(pathExtension)"))
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard symlink(absolute, input.path) == 0 else {
            return .failure(ReadFailure(.ioError, message: "无法创建临时文件"))
        }
        // The import filter of the format, so a damaged file fails instead of being imported as
        // plain text; WPS Office's .wps is Word 97 inside, and anything else LibreOffice can tell.
        let filters: [String?]
        switch pathExtension {
        case "doc": filters = ["MS Word 97"]
        case "wps": filters = ["MS Word 97", nil]
        case "rtf": filters = ["Rich Text Format"]
        default: filters = ["writer8"]
        }
        var result = Result<SourceText, ReadFailure>.failure(ReadFailure.corrupt("LibreOffice 无法读取这个 .\(pathExtension) 文件"))
        for filter in filters {
            result = convert(executable: executable, input: input, filter: filter, output: output, profile: profile, folder: folder,
                             displayPath: displayPath, pathExtension: pathExtension, configuration: configuration)
            // Only a file the filter could not read is tried with the next one.
            guard case .failure(let failure) = result, failure.rule == .corruptDocument else { break }
        }
        return result
    }

    private static func convert(executable: String, input: URL, filter: String?, output: URL, profile: URL, folder: URL,
                                displayPath: String, pathExtension: String, configuration: Configuration) -> Result<SourceText, ReadFailure> {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.path
        let arguments = ["-env:UserInstallation=" + profile.absoluteString, "--headless", "--norestore", "--nologo"]
            + (filter.map { ["--infilter=\($0)"] } ?? [])
            + ["--convert-to", "docx:MS Word 2007 XML", "--outdir", output.path, input.path]
        let status: Int32
        switch ExternalTool.run(executable, arguments: arguments, environment: environment, timeout: configuration.timeout) {
        case .failedToStart(let reason):
            return .failure(ReadFailure(.sofficeMissing, message: "无法运行 LibreOffice（\(executable)）：\(reason)",
                                        help: installHint + "。"))
        case .timedOut:
            return .failure(ReadFailure(.sofficeTimeout,
                                        message: "LibreOffice 在 \(Int(configuration.timeout)) 秒内没有转换完成，已停止（文件可能过大或已损坏）"))
        case .exited(let code):
            status = code
        }
        let converted = output.appendingPathComponent("document.docx")
        guard status == 0, let data = FileManager.default.contents(atPath: converted.path), !data.isEmpty else {
            return .failure(ReadFailure.corrupt("LibreOffice 无法读取这个 .\(pathExtension) 文件（文件可能已损坏、加密，或不是 Word/WPS 文档）"))
        }
        return DocxReader.read(data: data, displayPath: displayPath)
    }

    /// Reads a legacy document from bytes (standard input), through a file (mode 0600) in a
    /// private folder.
    public static func read(data: Data, displayPath: String, configuration: Configuration = .standard) -> Result<SourceText, ReadFailure> {
        let pathExtension = (displayPath as NSString).pathExtension.lowercased()
        let folder: PrivateDirectory
        do { folder = try PrivateDirectory() } catch {
            return .failure(ReadFailure(.ioError, message: error.reason))
        }
        defer { folder.remove() }
        return folder.write(data, named: "input.\(pathExtension)").flatMap { file in
            read(path: file, displayPath: displayPath, configuration: configuration)
        }
    }
}
