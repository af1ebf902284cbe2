import Foundation
import XCTest

/// `bulletinlint serve` as a command: help, validation, the warning off loopback. The server
/// itself is tested over HTTP in BulletinLintServerTests.
final class ServeCommandTests: XCTestCase {
    func testHelpIsInChinese() throws {
        let run = try CLI.run(["serve", "--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("启动本机网页"), run.stdout)
        XCTAssertTrue(run.stdout.contains("--max-upload-mb"), run.stdout)
    }

    func testBadOptionsAreUsageErrors() throws {
        let port = try CLI.run(["serve", "--port", "70000"])
        XCTAssertEqual(port.status, 2)
        XCTAssertTrue(port.stderr.contains("--port 应在 0 到 65535 之间"), port.stderr)
        let cap = try CLI.run(["serve", "--max-upload-mb", "0"])
        XCTAssertEqual(cap.status, 2)
    }

    #if Server
    /// A host that is not loopback is warned about before binding. 192.0.2.1 (TEST-NET-1) is
    /// on no interface here, so the bind fails at once: no port is opened to any network.
    func testAHostOffLoopbackIsWarnedAbout() throws {
        let run = try CLI.run(["serve", "--host", "192.0.2.1", "--port", "0"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("warning: 正在监听 192.0.2.1，不只是本机"), run.stderr)
        XCTAssertTrue(run.stderr.contains("error: 无法在 192.0.2.1:0 启动网页服务"), run.stderr)
    }
    #else
    func testWithoutTheServerTraitItSaysHowToBuildIt() throws {
        let run = try CLI.run(["serve"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--enable-all-traits"), run.stderr)
    }
    #endif
}
