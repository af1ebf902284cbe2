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
        // Common prefix and suffix; the middle through the standard library's difference (Myers:
        // time proportional to the size times the number of changes, not their product).
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        // (tag, old index, new index): " " same, "-" removed, "+" added.
        var script: [(Character, Int, Int)] = []
        for i in 0..<prefix { script.append((" ", i, i)) }
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in midB.difference(from: midA) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var i = 0, j = 0
        while i < midA.count || j < midB.count {
            // Removals before additions, as diff prints them.
            if i < midA.count, removed.contains(i) {
                script.append(("-", prefix + i, prefix + j)); i += 1
            } else if j < midB.count, inserted.contains(j) {
                script.append(("+", prefix + i, prefix + j)); j += 1
            } else {
                script.append((" ", prefix + i, prefix + j)); i += 1; j += 1
            }
        }
        for k in 0..<suffix { script.append((" ", a.count - suffix + k, b.count - suffix + k)) }

        // The file's own line ends, in the lines and in the diff's own lines.
        let eol = a.first.map { $0.hasSuffix("\r\n") ? "\r\n" : ($0.hasSuffix("\r") ? "\r" : "\n") } ?? "\n"
        var out = "--- \(path)\(eol)+++ \(path)\(eol)"
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
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\(eol)"
            for (tag, i, j) in hunk {
                let line = tag == "+" ? b[j] : a[i]
                // "\r\n" is one Character: a line ending in it does not end in "\n".
                let terminated = line.last.map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" } ?? false
                out += String(tag) + line + (terminated ? "" : eol + "\\ No newline at end of file" + eol)
            }
            index = upper
        }
        return out
    }
}
