/// A rule file or configuration mistake, at the YAML line and column it comes from.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String
    /// The YAML line, for the caret display.
    public let sourceLine: String?

    public init(file: String, line: Int, column: Int, message: String, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `FILE:LINE:COL: error: …` plus the YAML line and a caret under the column.
    public var description: String {
        var out = "\(file):\(line):\(column): error: \(message)"
        if let sourceLine {
            let shown = sourceLine.replacingTabs()
            let gutter = String(line)
            let prefix = String(sourceLine.unicodeScalars.prefix(max(0, column - 1)))
            out += "\n \(gutter) | \(shown)"
            out += "\n \(String(repeating: " ", count: gutter.count)) | \(String(repeating: " ", count: DisplayWidth.of(prefix)))^"
        }
        return out
    }
}

extension String {
    func replacingTabs() -> String {
        var out = ""
        for scalar in unicodeScalars { if scalar == "\t" { out += "    " } else { out.unicodeScalars.append(scalar) } }
        return out
    }
}

/// Suggests the closest known word for a typo (`serverity` → `severity`).
public enum Suggestion {
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= max(2, word.count / 3) }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    static func hint(for word: String, among candidates: [String]) -> String {
        guard let best = closest(to: word, among: candidates) else { return "" }
        return "（是否要写“\(best)”？）"
    }
}
