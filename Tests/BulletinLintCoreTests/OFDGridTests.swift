import BulletinLintCore
import Foundation
import XCTest

/// The reference page laid out as producers of 公文 lay out an OFD: on a 28-character document
/// grid, every glyph in a full cell (half-width digits too), centred titles, indented paragraph
/// starts, the 印发 line with the issuer on the left and the date right-aligned on one baseline.
/// Read back, it must give the elements its text gives.
final class OFDGridTests: XCTestCase {
    typealias P = PackageBuilder

    static let left = 28.0, width = 156.0, top = 37.0, pitch = 225.0 / 22

    /// Text objects for the glyphs of `text` from `x`, one cell each; per line or per glyph.
    static func objects(_ text: String, x: Double, baseline: Double, size: Double, cell: Double, perGlyph: Bool) -> [String] {
        guard perGlyph else {
            let deltas = Array(repeating: P.format(cell), count: max(0, text.count - 1))
            let deltaX = deltas.count >= 3 ? "g \(deltas.count) \(P.format(cell))" : deltas.joined(separator: " ")
            return [P.textObject(text, x: x, y: baseline, size: size, deltaX: deltaX.isEmpty ? nil : deltaX)]
        }
        return text.enumerated().map { index, character in
            P.textObject(String(character), x: x + Double(index) * cell, y: baseline, size: size)
        }
    }

    /// The page's lines (blank lines and extraction spaces dropped) on the grid.
    static func gridOFD(_ text: String, perGlyph: Bool) throws -> Data {
        let lines = text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let cell = width / 28
        let footerCell = 4.94
        var rows: [[String]] = []
        var previousEnded = true
        for line in lines {
            var objects: [String] = []
            let baseline = 0.0
            if line.hasSuffix("印发"), let split = line.firstIndex(of: " ") {
                // Issuer on the left, the date right-aligned, one baseline.
                let issuer = String(line[..<split])
                let date = String(line[split...]).replacingOccurrences(of: " ", with: "")
                objects += OFDGridTests.objects(issuer, x: left + footerCell, baseline: baseline, size: footerCell, cell: footerCell, perGlyph: perGlyph)
                let right = left + width - footerCell - Double(date.count) * footerCell
                objects += OFDGridTests.objects(date, x: right, baseline: baseline, size: footerCell, cell: footerCell, perGlyph: perGlyph)
            } else {
                let glyphs = line.replacingOccurrences(of: " ", with: "")
                let footer = glyphs.hasPrefix("报：") || glyphs.hasPrefix("送：") || glyphs.hasPrefix("发：") || glyphs.hasPrefix("信息公开")
                let size = footer ? footerCell : 5.64
                let step = footer ? footerCell : cell
                let title = !glyphs.contains("，") && !glyphs.contains("。") && glyphs.count <= 24 && !glyphs.hasPrefix("【") && previousEnded && !footer
                var x = left
                if title { x = left + (width - Double(glyphs.count) * step) / 2 } else if previousEnded, !glyphs.hasPrefix("【"), !footer { x = left + 2 * step }
                if footer { x = left + step }
                objects += OFDGridTests.objects(glyphs, x: x, baseline: baseline, size: size, cell: step, perGlyph: perGlyph)
                previousEnded = glyphs.hasSuffix("。") || glyphs.hasSuffix("）") || title || glyphs.hasPrefix("【")
            }
            rows.append(objects)
        }
        // 22 lines a page; each row's objects moved to its baseline.
        var pages: [[String]] = []
        for (index, row) in rows.enumerated() {
            if index % 22 == 0 { pages.append([]) }
            let baseline = top + Double(index % 22 + 1) * pitch
            pages[pages.count - 1] += row.map { OFDGridTests.moved($0, to: baseline) }
        }
        var order = pages.map { P.ofdPage(perGlyph ? $0.reversed() : $0) }
        if order.isEmpty { order = [P.ofdPage([])] }
        return try P.ofd(pages: order)
    }

    /// A text object made at baseline 0, moved to `baseline` (its Boundary's y).
    static func moved(_ object: String, to baseline: Double) -> String {
        guard let start = object.range(of: "Boundary=\""), let end = object[start.upperBound...].firstIndex(of: "\"") else { return object }
        var parts = object[start.upperBound..<end].split(separator: " ").map(String.init)
        guard parts.count == 4, let y = Double(parts[1]) else { return object }
        parts[1] = P.format(y + baseline)
        return object.replacingCharacters(in: start.upperBound..<end, with: parts.joined(separator: " "))
    }

    /// Elements of the kinds the corpus tracks: kind, fields and entries, in order.
    static func tracked(_ bulletin: Bulletin) -> [String] {
        let kinds = Set(CorpusEvaluation.kinds)
        return bulletin.documents.flatMap(\.allElements).filter { kinds.contains($0.kind) }.map { element in
            let fields = element.fields.filter { $0.key != "year-inferred" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "\(element.kind) \(fields) \(element.entries.map(\.text))"
        }
    }

    func testTheReferencePageOnACharacterGridReadsLikeItsText() throws {
        let text = try Fixtures.text(Fixtures.reference)
        let rules = try ruleSet("default")
        let expected = OFDGridTests.tracked(rules.parser.parse(SourceText(path: "page.txt", text: text)))
        XCTAssertTrue(expected.contains { $0.hasPrefix("imprint") }, "\(expected)")
        for perGlyph in [false, true] {
            let data = try OFDGridTests.gridOFD(text, perGlyph: perGlyph)
            if let dump = ProcessInfo.processInfo.environment["BULLETINLINT_DUMP_OFD"] { try data.write(to: URL(fileURLWithPath: dump + "\(perGlyph).ofd")) }
            guard case .success(let source) = OFDReader.read(data: data, displayPath: "page.ofd") else {
                return XCTFail("the grid OFD was not read")
            }
            let bulletin = rules.parser.parse(source)
            XCTAssertEqual(OFDGridTests.tracked(bulletin), expected, "per glyph: \(perGlyph)\n\(source.text)")
            let imprint = try XCTUnwrap(bulletin.first("imprint"))
            XCTAssertEqual(imprint.fields["date"], "2021-04-02")
            XCTAssertFalse((bulletin.first("issue-to")?.entries ?? []).contains { $0.text.contains("印发") })
            let errors = Linter(ruleSet: rules).lint(source).diagnostics.filter { $0.severity == .error }
            XCTAssertEqual(errors.map(\.ruleID), [], "per glyph: \(perGlyph)")
        }
    }
}
