#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run of adjacent scalars every match holds, with what may not stand right before it:
/// `(?<![\d.])\d、\d(?=[个名])` holds a digit, 、, a digit and one of 个名, after no digit or dot.
/// One of `RegexPrefilter.windows`.
struct Window: Sendable {
    let elements: [ScalarPredicate]
    let notBefore: ScalarPredicate?
    /// The element searched for first: the smallest set of plain scalars.
    let anchor: Int

    static let maxLength = 8

    /// The longest window in a sequence of pieces (two scalars at least), or nil.
    static func best(in pieces: [WindowPiece]) -> Window? {
        var best: Window? = nil
        var run: [ScalarPredicate] = []
        var runNotBefore: ScalarPredicate? = nil
        var pending: ScalarPredicate? = nil
        func finish() {
            if run.count >= 2, run.count > (best?.elements.count ?? 0) ||
                (run.count == best?.elements.count && runNotBefore != nil && best?.notBefore == nil),
               let window = Window(run, notBefore: runNotBefore) {
                best = window
            }
            run = []
            runNotBefore = nil
        }
        func append(_ unit: ScalarPredicate, _ count: Int) {
            if run.isEmpty { runNotBefore = pending }
            pending = nil
            for _ in 0..<count where run.count < maxLength { run.append(unit) }
        }
        for piece in pieces {
            switch piece {
            case .unit(let unit, let min, let max):
                if min == 0 {
                    finish()
                    pending = nil
                } else if max == min {
                    append(unit, min)
                } else {
                    // Variable length: its first `min` end this run, its last `min` start the next.
                    append(unit, min)
                    finish()
                    append(unit, min)
                }
            case .lookahead(let unit):
                if !run.isEmpty, run.count < maxLength { run.append(unit) }
                finish()
                pending = nil
            case .notBehind(let unit):
                finish()
                pending = unit
            case .cut:
                finish()
                pending = nil
            }
        }
        finish()
        return best
    }

    init?(_ elements: [ScalarPredicate], notBefore: ScalarPredicate?) {
        // Anchor on plain scalars only: a digit class is found by checking around the anchor.
        guard let anchor = elements.indices.filter({ !elements[$0].digit && !elements[$0].scalars.isEmpty })
            .min(by: { elements[$0].scalars.count < elements[$1].scalars.count }) else { return nil }
        self.elements = elements
        self.notBefore = notBefore
        self.anchor = anchor
        anchorBytes = elements[anchor].scalars.compactMap { Unicode.Scalar($0).map { Array(String($0).utf8) } }
    }

    /// The anchor's scalars as UTF-8.
    let anchorBytes: [[UInt8]]

    /// Whether the text may hold the window.
    func occurs(in text: PreparedText) -> Bool {
        // The anchor's scalars must be there at all.
        guard elements[anchor].scalars.contains(where: { text.mayContain($0) }) else { return false }
        var string = text.text
        return string.withUTF8 { bytes -> Bool in
            let n = bytes.count
            /// The scalar starting at k and its width.
            func decode(_ k: Int) -> (UInt32, Int) {
                UTF8Scalar.decode(bytes, at: k) ?? (0xFFFD, 1)
            }
            /// The start of the scalar before offset k.
            func previous(_ k: Int) -> Int {
                var j = k - 1
                while j > 0, bytes[j] & 0xC0 == 0x80 { j -= 1 }
                return j
            }
            // Each of the anchor's scalars, found by its bytes; the window checked around it.
            guard let base = bytes.baseAddress else { return false }
            for needle in anchorBytes {
                let m = needle.count
                let first = Int32(needle[0])
                var k = 0
                while k + m <= n {
                    // The next place the needle's first byte stands.
                    guard let found = memchr(base + k, first, n - k) else { break }
                    k = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if k + m > n { break }
                    var j = 1
                    while j < m, bytes[k + j] == needle[j] { j += 1 }
                    if j < m { k += 1; continue }
                    let width = m
                    var fits = true
                    // Backwards from the anchor.
                    var back = k
                    var e = anchor - 1
                    while fits, e >= 0 {
                        if back == 0 { fits = false; break }
                        back = previous(back)
                        if !elements[e].mayMatch(decode(back).0) { fits = false }
                        e -= 1
                    }
                    if fits, let notBefore, back > 0, notBefore.surelyMatches(decode(previous(back)).0) { fits = false }
                    // Forwards.
                    var forward = k + width
                    e = anchor + 1
                    while fits, e < elements.count {
                        if forward >= n { fits = false; break }
                        let (next, nextWidth) = decode(forward)
                        if !elements[e].mayMatch(next) { fits = false }
                        forward += nextWidth
                        e += 1
                    }
                    if fits { return true }
                    k += width
                }
            }
            return false
        }
    }
}
