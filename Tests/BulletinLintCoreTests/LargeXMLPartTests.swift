import BulletinLintCore
import Foundation
import XCTest

/// A .docx whose `document.xml` is over 10,000,000 bytes (libxml2's limit for input given at
/// once) is read, not reported as corrupt: the documented part limit is 64 MB (issue 14, point 13).
final class LargeXMLPartTests: XCTestCase {
    func testADocumentXMLOverTenMillionBytesIsRead() throws {
        let paragraph = PackageBuilder.paragraph(String(repeating: "某市召开会议研究工作。", count: 40))
        var body = ""
        while body.utf8.count < 11_000_000 { body += paragraph }
        body += PackageBuilder.paragraph("某某办公室 2021年4月2日印发")
        let docx = try PackageBuilder.docx(body: body)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("large-\(UUID().uuidString).docx")
        try docx.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        switch DocumentReader.read(path: url.path) {
        case .success(let source):
            XCTAssertEqual(source.format, .docx)
            XCTAssertTrue(source.text.hasSuffix("某某办公室 2021年4月2日印发\n") || source.text.contains("某某办公室 2021年4月2日印发"))
            XCTAssertGreaterThan(source.text.utf8.count, 10_000_000)
        case .failure(let failure):
            XCTFail("\(failure.ruleID): \(failure.message)")
        }
    }
}
