import BulletinLintCore
import CFuzzDriver
import Foundation
import ZIPFoundation

/// What the fuzz targets share. A broken invariant stops the run with `preconditionFailure`,
/// which libFuzzer reports as a crash and saves the input for.
public enum Fuzz {
    /// Runs libFuzzer with the process's arguments (`-runs=`, `-max_len=`, corpus folders…),
    /// calling `test` on each input; exits with libFuzzer's status.
    public static func run(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }

    /// The bytes of an input as a buffer (libFuzzer may pass no pointer for an empty input).
    public static func buffer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
    }

    /// The linter `check` uses when no configuration or `--rules` is given: the built-in
    /// default rule set. Built once per process.
    public static let linter: DocumentLinter = {
        do {
            let ruleSet = try RuleSetLoader().load(references: [BuiltinRuleSets.defaultName])
            return DocumentLinter(configuration: Configuration(ruleSet: ruleSet, directory: "/"))
        } catch {
            preconditionFailure("the built-in rule set does not load: \(error)")
        }
    }()

    /// Lints a read document with `linter` and checks what every report relies on: each
    /// finding's range lies inside the text, its span inside the lines, its fix inside the text.
    @discardableResult
    public static func lintAndCheck(_ source: SourceText, with linter: DocumentLinter = Fuzz.linter) -> DocumentLinter.Outcome {
        checkSource(source)
        let outcome = linter.lint(source, ignorePath: source.path)
        check(outcome.report.diagnostics, in: source)
        return outcome
    }

    /// Lints an input the way `check` does (read, parse, rules) and checks the findings.
    @discardableResult
    public static func lintAndCheck(_ input: DocumentLinter.Input, with linter: DocumentLinter = Fuzz.linter) -> DocumentLinter.Outcome {
        let outcome = linter.lint(input)
        if let source = outcome.source {
            checkSource(source)
            check(outcome.report.diagnostics, in: source)
        } else {
            precondition(outcome.report.diagnostics.count == 1, "an unreadable document gives one finding")
        }
        return outcome
    }

    /// Reads an input as `check` reads it (by its name's extension) and checks the text read;
    /// nil when it cannot be read, which must then be one reasoned failure.
    @discardableResult
    public static func readAndCheck(_ input: DocumentLinter.Input) -> SourceText? {
        switch DocumentLinter.read(input) {
        case .success(let source):
            checkSource(source)
            return source
        case .failure(let failure):
            precondition(failure.rule != nil && !failure.message.isEmpty, "a read failure without a rule or a message")
            return nil
        }
    }

    /// Parses a text as `check` does and checks the parse: every element, field, list entry and
    /// parse issue lies inside the text, in every document the file holds.
    @discardableResult
    public static func parseAndCheck(_ source: SourceText, with linter: DocumentLinter = Fuzz.linter) -> Bulletin {
        let bulletin = linter.linter.parser.parse(source)
        let count = source.utf8Count
        func inside(_ range: TextRange, _ what: @autoclosure () -> String) {
            precondition(range.lowerBound >= 0 && range.upperBound <= count, "\(what()) \(range) outside the text (\(count) bytes)")
        }
        for document in bulletin.documents {
            precondition(document.source.utf8Count == count, "a following document with another text")
            for element in document.allElements {
                inside(element.range, "element \(element.kind)")
                for (name, range) in element.fieldRanges { inside(range, "field \(name) of \(element.kind)") }
                for entry in element.entries { inside(entry.range, "list entry of \(element.kind)") }
            }
            for issue in document.issues { inside(issue.range, "parse issue \(issue.ruleID)") }
        }
        return bulletin
    }

    /// The line table and the artifacts of a read text agree with the text.
    public static func checkSource(_ source: SourceText) {
        let count = source.utf8Count
        precondition(source.lineStarts.count == source.lineEnds.count, "one end per line start")
        precondition(source.lineStarts.first == 0, "the first line starts at 0")
        var previous = -1
        for (start, end) in Swift.zip(source.lineStarts, source.lineEnds) {
            precondition(start > previous && start <= end && end <= count, "line table out of order: \(start)..<\(end) of \(count)")
            previous = start
        }
        var artifactEnd = 0
        for artifact in source.artifacts {
            precondition(artifact.range.lowerBound >= artifactEnd && artifact.range.upperBound <= count,
                         "artifact \(artifact.range) out of order or past the text (\(count))")
            artifactEnd = artifact.range.upperBound
        }
    }

    public static func check(_ diagnostics: [Diagnostic], in source: SourceText) {
        let count = source.utf8Count
        let lines = source.lineCount
        for diagnostic in diagnostics {
            if let range = diagnostic.range {
                precondition(range.lowerBound >= 0 && range.upperBound <= count,
                             "\(diagnostic.ruleID): range \(range) outside the text (\(count) bytes)")
            }
            let span = diagnostic.span
            precondition(span.start.line >= 1 && span.start.line <= lines && span.end.line >= span.start.line
                         && span.end.line <= lines,
                         "\(diagnostic.ruleID): span \(span) outside the \(lines) lines")
            for edit in diagnostic.fix?.edits ?? [] {
                precondition(edit.range.lowerBound >= 0 && edit.range.upperBound <= count,
                             "\(diagnostic.ruleID): fix range \(edit.range) outside the text (\(count) bytes)")
            }
        }
    }

    // MARK: Packages (.docx, .ofd)

    /// The bytes of a package for the .docx and .ofd targets. An input that starts like a ZIP
    /// (`PK`) is the package itself. Any other input lists the parts of a package, each as its
    /// name, a line feed and its bytes, parts separated by NUL bytes; they are packed into a ZIP
    /// (stored, with correct checksums) so that mutations of the XML reach the XML parser
    /// instead of stopping at a checksum.
    public static func package(_ bytes: [UInt8]) -> Data {
        if bytes.starts(with: [0x50, 0x4B]) { return Data(bytes) }
        var parts: [(String, Data)] = []
        for chunk in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            guard let newline = chunk.firstIndex(of: 0x0A) else { continue }
            let name = String(decoding: chunk[chunk.startIndex..<newline], as: UTF8.self)
            guard !name.isEmpty else { continue }
            parts.append((name, Data(chunk[(newline + 1)...])))
        }
        return packZip(parts) ?? Data(bytes)
    }

    /// A ZIP of `parts`, stored (no compression); nil if ZIPFoundation refuses a name.
    public static func packZip(_ parts: [(String, Data)]) -> Data? {
        guard let archive = try? Archive(data: Data(), accessMode: .create) else { return nil }
        for (name, data) in parts {
            do {
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                     compressionMethod: .none) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            } catch {
                return nil
            }
        }
        return archive.data
    }
}
