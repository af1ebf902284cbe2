/// A unified diff of two texts, line by line, for `--diff`.
public enum UnifiedDiff {
    /// Lines with their terminators, so CRLF files diff as they are.
    static func lines(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            let next = text.index(after: index)
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                out.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start < text.endIndex { out.append(text[start...]) }
        return out
    }

    public static func make(old: String, new: String, path: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        guard a != b else { return "" }
        // Common prefix and suffix; the middle is compared with an LCS table when small, and
        // taken as replaced otherwise (fixes rarely change the number of lines).
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        // (tag, old index, new index): " " same, "-" removed, "+" added.
        var script: [(Character, Int, Int)] = []
        for i in 0..<prefix { script.append((" ", i, i)) }
        if midA.count * midB.count <= 4_000_000 {
            var table = [[Int32]](repeating: [Int32](repeating: 0, count: midB.count + 1), count: midA.count + 1)
            for i in stride(from: midA.count - 1, through: 0, by: -1) {
                for j in stride(from: midB.count - 1, through: 0, by: -1) {
                    table[i][j] = midA[i] == midB[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < midA.count || j < midB.count {
                if i < midA.count, j < midB.count, midA[i] == midB[j] {
                    script.append((" ", prefix + i, prefix + j)); i += 1; j += 1
                } else if i < midA.count, j == midB.count || table[i + 1][j] >= table[i][j + 1] {
                    // Removals before additions, as diff prints them.
                    script.append(("-", prefix + i, prefix + j)); i += 1
                } else {
                    script.append(("+", prefix + i, prefix + j)); j += 1
                }
            }
        } else {
            for i in midA.indices { script.append(("-", prefix + i, prefix)) }
            for j in midB.indices { script.append(("+", prefix + midA.count, prefix + j)) }
        }
        for k in 0..<suffix { script.append((" ", a.count - suffix + k, b.count - suffix + k)) }

        var out = "--- \(path)\n+++ \(path)\n"
        var index = 0
        while index < script.count {
            guard script[index].0 != " " else { index += 1; continue }
            // A hunk: changes with up to `context` lines around, merged when close.
            var end = index
            while end < script.count {
                if script[end].0 != " " { end += 1; continue }
                var run = end
                while run < script.count, script[run].0 == " " { run += 1 }
                if run == script.count || run - end > 2 * context { break }
                end = run
            }
            let lower = max(0, index - context), upper = min(script.count, end + context)
            let hunk = script[lower..<upper]
            let oldStart = (hunk.first?.1 ?? 0) + 1, newStart = (hunk.first?.2 ?? 0) + 1
            let oldCount = hunk.filter { $0.0 != "+" }.count, newCount = hunk.filter { $0.0 != "-" }.count
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for (tag, i, j) in hunk {
                var line = String(tag == "+" ? b[j] : a[i])
                let terminated = line.hasSuffix("\n") || line.hasSuffix("\r")
                if line.hasSuffix("\r\n") { line.removeLast() ; line += "\n" }
                out += String(tag) + line + (terminated ? "" : "\n\\ No newline at end of file\n")
            }
            index = upper
        }
        return out
    }
}
