@testable import BulletinLintCore
import Foundation
import XCTest

/// OFD reading in time linear in the text, each part read once (issue 14, point 8). No timing
/// is asserted: a read that took minutes before must end within a generous deadline, and a part
/// named thousands of times must fit in a total unpacking limit that holds it a few times only.
final class OFDScalingTests: XCTestCase {
    typealias P = PackageBuilder

    /// A page with one text object of `count` characters of 字, `step` mm apart (`g N v`).
    private func longLinePage(_ count: Int, step: String) -> String {
        let text = String(repeating: "字", count: count)
        let object = "<ofd:TextObject ID=\"1\" Boundary=\"20 40 170 10\" Font=\"1\" Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\" DeltaX=\"\(step)\">\(text)</ofd:TextCode></ofd:TextObject>"
        return P.ofdPage([object])
    }

    /// `work` on another thread; nil when it has not finished after `seconds` (the thread is
    /// left to finish on its own).
    private func withinDeadline(_ seconds: Double, _ work: @escaping @Sendable () -> Outcome) -> Outcome? {
        let box = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            box.set(work())
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return box.get()
    }

    private static func outcome(_ data: Data, limits: PackageLimits = .standard) -> Outcome {
        switch OFDReader.read(data: data, displayPath: "long.ofd", limits: limits) {
        case .success(let source): return Outcome(text: source.text, failure: nil)
        case .failure(let failure): return Outcome(text: nil, failure: "\(failure.ruleID): \(failure.message)")
        }
    }

    /// One line of 100,000 characters (a 1.5 KB file) took minutes: each glyph copied the line
    /// so far. It is read whole.
    func testAHundredThousandCharacterLineIsReadWhole() throws {
        let data = try P.ofd(pages: [longLinePage(100_000, step: "g 99999 5")])
        XCTAssertLessThan(data.count, 4_000)
        let outcome = try XCTUnwrap(withinDeadline(20) { Self.outcome(data) }, "a 100,000-character line was not read within 20 s")
        XCTAssertNil(outcome.failure)
        XCTAssertEqual(outcome.text, String(repeating: "字", count: 100_000))
    }

    /// Two million characters in one `TextCode`: the XML parser hands the text over in pieces,
    /// and each piece copied all the text before it. Glyphs placed past a kilometre are dropped,
    /// as before; the read ends.
    func testAMillionsOfCharactersTextCodeIsParsedInLinearTime() throws {
        let data = try P.ofd(pages: [longLinePage(2_000_000, step: "5")])
        XCTAssertLessThan(data.count, 16_000)
        let outcome = try XCTUnwrap(withinDeadline(30) { Self.outcome(data) }, "a 2,000,000-character text was not read within 30 s")
        XCTAssertNil(outcome.failure)
        XCTAssertEqual(outcome.text?.count, 199_996)
        // The parser's own view: an entity between every character makes 200,000 pieces,
        // joined into one text.
        let xml = Data("<a>\(String(repeating: "字&amp;", count: 100_000))</a>".utf8)
        let parsed = try XCTUnwrap(withinDeadline(20) {
            guard let root = try? XMLTree.parse(xml) else { return Outcome(text: nil, failure: "not parsed") }
            return Outcome(text: root.text, failure: root.content.count == 1 ? nil : "\(root.content.count) pieces")
        }, "200,000 pieces of text were not joined within 20 s")
        XCTAssertNil(parsed.failure)
        XCTAssertEqual(parsed.text, String(repeating: "字&", count: 100_000))
    }

    /// A few KB of `Page` entries that all name one page part: the part is read, and its text
    /// used, once. Before, it was unpacked and parsed for every entry (49 s and 1.6 GB for a
    /// 6 KB file); with a total unpacking limit of a few times the page, that is refused.
    func testAPageListedThousandsOfTimesIsReadOnce() throws {
        let lines = (0..<30).map { P.textObject("某市召开地方志工作会议，研究部署重点工作。", x: 28, y: 40 + Double($0) * 8, size: 5) }
        let page = P.ofdPage(lines)
        let once = try P.ofd(pages: [page])
        let many = try P.ofd(pages: [page], pageOrder: Array(repeating: 0, count: 5_000))
        XCTAssertLessThan(many.count, 20_000)
        let expected = Self.outcome(once)
        XCTAssertNotNil(expected.text)
        var tight = PackageLimits.standard
        tight.maximumTotalSize = 8 * page.utf8.count + 1_000_000
        let limits = tight
        let outcome = try XCTUnwrap(withinDeadline(20) { Self.outcome(many, limits: limits) }, "not read within 20 s")
        XCTAssertNil(outcome.failure)
        XCTAssertEqual(outcome.text, expected.text)
    }
}

/// What a read gave, across threads.
struct Outcome: Sendable {
    let text: String?
    let failure: String?
}

private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Outcome?

    func set(_ outcome: Outcome) { lock.withLock { value = outcome } }
    func get() -> Outcome? { lock.withLock { value } }
}
