import Foundation

/// ArgumentParser writes its own words (usage errors, help headings, `--help`/`--version`
/// descriptions) in English; it has no hook for another language. This puts the Chinese that
/// users read in their place, line by line, leaving every option name, value and our own help
/// text as they are. A line it does not know stays in English rather than being guessed at.
enum ChineseUsage {
    /// A usage error or help text, translated.
    static func translate(_ message: String) -> String {
        message.components(separatedBy: "\n").map(line).joined(separator: "\n")
    }

    private static let headings: [(String, String)] = [
        ("OVERVIEW: ", "概述："), ("USAGE: ", "用法："), ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："), ("Usage: ", "用法："), ("Help:  ", "说明："),
    ]

    static func line(_ text: String) -> String {
        var line = text
        for (english, chinese) in headings where line.hasPrefix(english) {
            line = chinese + line.dropFirst(english.count)
            break
        }
        if line.hasPrefix("Error: ") { line = "错误：" + error(String(line.dropFirst("Error: ".count))) }
        line = line.replacingOccurrences(of: "Show help information.", with: "显示帮助。")
        line = line.replacingOccurrences(of: "Show the version.", with: "显示版本号。")
        line = line.replacingOccurrences(of: "check (default)", with: "check（默认）  ")
        if let see = captured(line, #"^(\s*)See '(.+)' for (?:more information|detailed help)\.$"#), see.count == 2 {
            line = "\(see[0])详见“\(see[1])”。"
        }
        // “(values: a, b; default: x)”, “(default: 2)” after an option's help.
        line = line.replacingOccurrences(of: "(values: ", with: "（可选值：")
        line = line.replacingOccurrences(of: "(default: ", with: "（默认：")
        line = line.replacingOccurrences(of: "; default: ", with: "；默认：")
        // The bracket that closes them, on this line or the one a long list wrapped onto.
        if line.hasSuffix(")"), ["（可选值：", "（默认：", "；默认："].contains(where: { line.contains($0) }) {
            line = String(line.dropLast()) + "）"
        }
        return line
    }

    /// The message of an `Error:` line.
    private static func error(_ message: String) -> String {
        if let parts = captured(message, #"^Unknown option '(.+?)'\. Did you mean '(.+?)'\?$"#), parts.count == 2 {
            return "未知的选项“\(parts[0])”；是否想用“\(parts[1])”？"
        }
        if let parts = captured(message, #"^Unknown option '(.+?)'$"#), parts.count == 1 {
            return "未知的选项“\(parts[0])”"
        }
        if let parts = captured(message, #"^Missing expected argument '(.+?)'$"#), parts.count == 1 {
            return "缺少参数“\(parts[0])”"
        }
        if let parts = captured(message, #"^Missing value for '(.+?)'$"#), parts.count == 1 {
            return "“\(parts[0])”缺少取值"
        }
        if let parts = captured(message, #"^The value '(.*?)' is invalid for '(.+?)'\. Please provide one of the following:$"#), parts.count == 2 {
            return "“\(parts[0])”不是“\(parts[1])”的有效取值；可选值："
        }
        if let parts = captured(message, #"^The value '(.*?)' is invalid for '(.+?)'(?:: (.*))?$"#), parts.count >= 2 {
            return "“\(parts[0])”不是“\(parts[1])”的有效取值"
        }
        if let parts = captured(message, #"^Unexpected arguments? (.+)$"#), parts.count == 1 {
            return "多余的参数 \(parts[0].replacingOccurrences(of: "'", with: ""))"
        }
        return message
    }

    /// The capture groups of `pattern`'s first match in `text` (unmatched optional groups left out).
    private static func captured(_ text: String, _ pattern: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        return (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
    }
}
