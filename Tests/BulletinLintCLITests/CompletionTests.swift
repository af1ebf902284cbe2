import XCTest

/// Shell completions as a user meets them: the generated bash script, sourced in a real bash,
/// asked for the candidates after a partly typed command line.
final class CompletionTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulletinlint-completion-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("house"), withIntermediateDirectories: true)
        try "rules: []\n".write(to: folder.appendingPathComponent("house/office.yaml"), atomically: true, encoding: .utf8)
        try "x\n".write(to: folder.appendingPathComponent("house/notes.txt"), atomically: true, encoding: .utf8)
        // A house rule the working directory's configuration adds: `explain` offers it.
        try """
        extends: [bulletin]
        rules:
          - id: house-no-dear
            check: substitution
            scope: document
            swap:
              亲爱的: 各位
            severity: warning
            message: “{text}”应改为“{replacement}”

        """.write(to: folder.appendingPathComponent(".bulletinlint.yaml"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The candidates bash offers for `words`, the last one being the word under the cursor.
    private func complete(_ words: [String]) throws -> [String] {
        let script = try CLI.run(["--generate-completion-script", "bash"])
        XCTAssertEqual(script.status, 0, script.stderr)
        let scriptURL = folder.appendingPathComponent("bulletinlint.bash")
        try script.stdout.write(to: scriptURL, atomically: true, encoding: .utf8)
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let harness = """
        source '\(scriptURL.path)'
        COMP_WORDS=(\(quoted))
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="${COMP_WORDS[*]}"
        COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        _bulletinlint bulletinlint "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["--norc", "--noprofile", "-c", harness]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = try CLI.executable().deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testFormatsAreCompleted() throws {
        XCTAssertEqual(try complete(["bulletinlint", "check", "--format", ""]),
                       ["text", "json", "sarif", "junit", "github", "checkstyle", "html"])
        XCTAssertEqual(try complete(["bulletinlint", "check", "--format", "j"]), ["json", "junit"])
        XCTAssertEqual(try complete(["bulletinlint", "inspect", "--format", ""]), ["text", "json"])
        XCTAssertEqual(try complete(["bulletinlint", "check", "--report", "sa"]), ["sarif="])
    }

    func testRuleSetsOfferBuiltinNamesAndYAMLFiles() throws {
        let all = try complete(["bulletinlint", "check", "--rules", ""])
        for name in ["bulletin", "gongwen", "default", "sichuan-difangzhi"] {
            XCTAssertTrue(all.contains(name), "\(name) not in \(all)")
        }
        XCTAssertTrue(all.contains("house/"), "\(all)")
        XCTAssertEqual(try complete(["bulletinlint", "check", "--rules", "house/"]), ["house/office.yaml"])
        XCTAssertEqual(try complete(["bulletinlint", "check", "--rules", "gong"]), ["gongwen"])
    }

    func testExplainOffersTheRulesInForce() throws {
        let ids = try complete(["bulletinlint", "explain", ""])
        XCTAssertTrue(ids.contains("house-no-dear"), "the working directory's house rule is offered: \(ids)")
        XCTAssertTrue(ids.contains("disclosure-missing"), "\(ids.prefix(5))")
        XCTAssertTrue(ids.contains("io-error"), "engine ids are offered too")
        XCTAssertEqual(try complete(["bulletinlint", "explain", "house-"]), ["house-no-dear"])
        // `--rules` on the line decides the rule set: the house rule is not part of `gongwen`.
        XCTAssertFalse(try complete(["bulletinlint", "explain", "--rules", "gongwen", "house-"]).contains("house-no-dear"))
    }

    func testGenresAreCompleted() throws {
        let genres = try complete(["bulletinlint", "check", "--genre", ""])
        for name in ["简报", "公文", "请示", "通知"] {
            XCTAssertTrue(genres.contains(name), "\(name) not in \(genres)")
        }
    }

    func testEveryShellGetsAScript() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try CLI.run(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, shell)
            XCTAssertTrue(script.stdout.contains("checkstyle"), "\(shell): formats listed")
            XCTAssertTrue(script.stdout.contains("---completion"), "\(shell): rule ids come from the binary")
        }
    }
}
