/// The ids the engine reports itself, apart from the rules of a rule set: a file that could not
/// be read, an empty file, a pattern that ran out of time, a suppression that suppressed nothing.
///
/// Their titles, descriptions and generic advice live here and nowhere else: SARIF's
/// `tool.driver.rules`, JUnit's test cases and the readers all take them from this registry.
public enum EngineRule: String, CaseIterable, Sendable {
    case ioError = "io-error"
    case encodingError = "encoding-error"
    case emptyFile = "empty-file"
    case corruptDocument = "corrupt-document"
    case archiveTooLarge = "archive-too-large"
    case unsupportedFormat = "unsupported-format"
    case pdfNoText = "pdf-no-text"
    case pdftotextMissing = "pdftotext-missing"
    case pdfTimeout = "pdf-timeout"
    case pdfError = "pdf-error"
    case sofficeMissing = "soffice-missing"
    case sofficeTimeout = "soffice-timeout"
    /// A rule's pattern, or an element's (`Bulletin.issues`), ran out of its time budget.
    case regexTimeout = "regex-timeout"
    /// An inline `bulletinlint-disable` comment or a configuration `ignore:` entry that
    /// suppressed nothing.
    case unusedSuppression = "unused-suppression"

    public var id: String { rawValue }

    /// One short line: “无法读取文件”.
    public var title: String {
        switch self {
        case .ioError: return "无法读取文件"
        case .encodingError: return "无法识别文件编码"
        case .emptyFile: return "文件为空"
        case .corruptDocument: return "文档已损坏"
        case .archiveTooLarge: return "文档解压后过大"
        case .unsupportedFormat: return "不支持的文件格式"
        case .pdfNoText: return "PDF 中没有可提取的文字"
        case .pdftotextMissing: return "缺少 pdftotext"
        case .pdfTimeout: return "PDF 提取文字超时"
        case .pdfError: return "PDF 提取文字失败"
        case .sofficeMissing: return "缺少 LibreOffice"
        case .sofficeTimeout: return "LibreOffice 转换超时"
        case .regexTimeout: return "正则表达式超时"
        case .unusedSuppression: return "没有起作用的抑制"
        }
    }

    /// What the id means, as full sentences.
    public var description: String {
        switch self {
        case .ioError:
            return "文件不存在、是文件夹、过大或没有读取权限，未能检查。"
        case .encodingError:
            return "文件不是可识别的文本（UTF-8、UTF-16 或 GB18030/GBK），或含有二进制内容，未能检查。"
        case .emptyFile:
            return "文件中没有可检查的内容（只有空白），未能检查。"
        case .corruptDocument:
            return "文件不是有效的 Word、OFD 或 PDF 文档（压缩包或 XML 已损坏、缺少部件，或扩展名有误），未能检查。"
        case .archiveTooLarge:
            return "文档（ZIP 压缩包）的条目数或解压后的大小超过上限，疑似“压缩炸弹”，已拒绝读取，未能检查。"
        case .unsupportedFormat:
            return "文件是表格、演示文稿等不是公文或简报的格式，未能检查。"
        case .pdfNoText:
            return "PDF 已加密，或是扫描件、图片，提取不出文字，未能检查。"
        case .pdftotextMissing:
            return "检查 PDF 需要 pdftotext（poppler-utils），但没有找到或无法运行它，未能检查。"
        case .pdfTimeout:
            return "pdftotext 在时限内没有提取完文字，已停止，未能检查。"
        case .pdfError:
            return "pdftotext 没有输出文字，未能检查。"
        case .sofficeMissing:
            return "检查 .doc、.wps、.rtf、.odt 文件需要 LibreOffice，但没有找到或无法运行它，未能检查。"
        case .sofficeTimeout:
            return "LibreOffice 在时限内没有转换完文件，已停止，未能检查。"
        case .regexTimeout:
            return "某条规则或要素识别模式的正则表达式超出了时间限制，部分文本未检查。"
        case .unusedSuppression:
            return "文中的抑制注释或配置文件中的 ignore 条目在本次检查中没有抑制任何问题。"
        }
    }

    /// The generic advice, for a finding that brings none of its own.
    public var help: String {
        switch self {
        case .ioError: return "请确认路径和读取权限。"
        case .encodingError: return "请将文件另存为 UTF-8 编码的文本后再检查。"
        case .emptyFile: return "请确认导出或转换是否成功。"
        case .corruptDocument:
            return "文件已损坏或不是所声称的格式：请用 Word、WPS 或 OFD 阅读器打开确认，另存一份后再检查。"
        case .archiveTooLarge:
            return "正常的公文文档解压后不会这么大；请确认文件来源，或另存为新文件后再检查。"
        case .unsupportedFormat: return "请检查 Word/WPS 文档（.docx、.doc、.wps）、OFD、PDF 或文本文件。"
        case .pdfNoText: return "请提供 Word/OFD 原稿，或先对 PDF 做文字识别（OCR）后再检查。"
        case .pdftotextMissing: return PDFReader.installHint + "；或设置环境变量 BULLETINLINT_PDFTOTEXT 指向它。"
        case .pdfTimeout: return "请确认 PDF 能正常打开；很大的 PDF 请拆分后再检查。"
        case .pdfError: return "请确认 PDF 能正常打开，或提供 Word/OFD 原稿。"
        case .sofficeMissing: return LegacyWordReader.installHint + "；也可设置环境变量 BULLETINLINT_SOFFICE 指向 soffice。"
        case .sofficeTimeout: return "请确认文件能在 Word/WPS 中正常打开，另存为 .docx 后再检查。"
        case .regexTimeout: return "简化该正则表达式，避免嵌套的重复（如 (a+)+）。"
        case .unusedSuppression: return "问题已经改正的话，请删除这条抑制注释或 ignore 条目，以免日后掩盖新问题。"
        }
    }

    public var severity: Severity {
        switch self {
        case .regexTimeout, .unusedSuppression: return .warning
        default: return .error
        }
    }

    /// The file could not be read into text (a `ReadFailure` carries this id): nothing of it
    /// was checked.
    public var isReadFailure: Bool {
        switch self {
        case .emptyFile, .regexTimeout, .unusedSuppression: return false
        default: return true
        }
    }

    /// The id means the document's rules did not run: it could not be read, or it held
    /// nothing to check.
    public var documentNotChecked: Bool { isReadFailure || self == .emptyFile }
}
