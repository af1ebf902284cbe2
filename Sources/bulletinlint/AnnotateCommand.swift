import ArgumentParser
import BulletinLintCore
import Foundation

extension BulletinLint {
    struct Annotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "annotate",
            abstract: "为 Word 稿件写一份审校稿：每个问题是一条批注，每个可自动修正之处是一处修订。",
            discussion: "审校稿默认写在原稿旁边（稿件.docx → 稿件.审校.docx），原稿不会被改动；已有同名文件时不覆盖，除非加 --force。在 Word 或 WPS 的“审阅”中查看批注、接受或拒绝修订（见 docs/EDITORS.md）。退出码：0 无错误，1 有错误，2 无法读取、无法写入或用法错误。"
        )

        @Argument(help: ArgumentHelp("要审校的 Word 稿件（.docx）。", valueName: "DRAFT.docx"))
        var path: String

        @Option(name: [.short, .long], help: ArgumentHelp("审校稿的路径；默认在原稿旁边，文件名加“.审校”。", valueName: "OUT.docx"))
        var output: String?

        @Flag(name: .long, help: "审校稿的路径上已有文件时覆盖它（原稿永远不会被覆盖）。")
        var force = false

        @Option(name: .long, help: ArgumentHelp("批注和修订的作者名。", valueName: "NAME"))
        var author = "bulletinlint"

        @Option(name: .long, help: ArgumentHelp("批注和修订的时间（ISO 8601，如 2026-12-07T09:00:00Z）；默认为现在。", valueName: "DATE"))
        var date: String?

        @Flag(name: .long, help: "把不安全的修正也标为修订（每条批注说明为什么不安全）。")
        var unsafeFixes = false

        @OptionGroup var configOptions: ConfigOptions

        func validate() throws {
            if let date, ISO8601DateFormatter().date(from: date) == nil {
                throw ValidationError("--date 应为 ISO 8601 时间，如 2026-12-07T09:00:00Z")
            }
            if author.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--author 不能为空")
            }
        }

        /// `稿件.docx` → `稿件.审校.docx`, beside it.
        static func defaultOutput(for path: String) -> String {
            let url = URL(fileURLWithPath: path)
            let stem = url.deletingPathExtension().lastPathComponent
            let folder = (path as NSString).deletingLastPathComponent
            let name = stem + ".审校.docx"
            return folder.isEmpty ? name : folder + "/" + name
        }

        func run() throws {
            try withConfigurationErrors {
                if let refusal = DocxAnnotator.refusal(forPath: path) {
                    printError("\(path): error: \(refusal) [unsupported-format]")
                    throw ExitCode(2)
                }
                guard FileManager.default.fileExists(atPath: path) else {
                    printError("\(path): error: 文件不存在 [io-error]")
                    throw ExitCode(2)
                }
                let target = output ?? Annotate.defaultOutput(for: path)
                let bytes: [UInt8]
                let original: FileSnapshot
                switch FileMetadata.readRegularFile(path: path) {
                case .success(let read): (bytes, original) = read
                case .failure(let failure):
                    printError("\(path): error: \(failure.reason) [io-error]")
                    throw ExitCode(2)
                }
                if let existing = FileSnapshot.of(path: target) {
                    if existing.isSameFile(as: original) {
                        printError("\(target): error: 审校稿不能写在原稿上（原稿永远不会被改动），请用 -o 另选路径")
                        throw ExitCode(2)
                    }
                    if !force {
                        printError("\(target): error: 文件已存在，未覆盖；加 --force 覆盖，或用 -o 另选路径")
                        throw ExitCode(2)
                    }
                }
                let configuration = try configOptions.configuration(forFile: path)
                let linter = configOptions.documentLinter(configuration)
                let options = DocxAnnotator.Options(author: author, date: date ?? DocxAnnotator.now(), unsafeFixes: unsafeFixes)
                let annotation: DocxAnnotator.Annotation
                switch DocxAnnotator.annotate(Data(bytes), name: path, linter: linter, options: options, ignorePath: path) {
                case .success(let result): annotation = result
                case .failure(let failure):
                    printError("\(path): error: \(failure.message) [\(failure.ruleID)]")
                    throw ExitCode(2)
                }
                do {
                    let file = try AtomicFile(path: target, replacingOnly: true)
                    try file.write(bytes: [UInt8](annotation.data))
                    try file.commit { target in
                        // Checked again at the last moment: never the draft, never a file that
                        // appeared meanwhile unless --force.
                        guard let now = FileSnapshot.of(path: target) else { return nil }
                        if now.isSameFile(as: original) { return "审校稿不能写在原稿上" }
                        return force ? nil : "文件已存在，未覆盖"
                    }
                } catch let error as ReportWriteError {
                    printError("\(target): error: 未写入审校稿：\(error.reason)")
                    throw ExitCode(2)
                }
                write(Annotate.summary(annotation, target: target, unsafeFixes: unsafeFixes))
                if annotation.outcome.report.diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
            }
        }

        static func summary(_ annotation: DocxAnnotator.Annotation, target: String, unsafeFixes: Bool) -> String {
            let diagnostics = annotation.outcome.report.diagnostics
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.filter { $0.severity == .warning }.count
            let infos = diagnostics.count - errors - warnings
            var out = "已写入审校稿 \(target)：\(annotation.comments) 条批注（\(errors) 个错误，\(warnings) 个警告，\(infos) 个提示），\(annotation.trackedFixes) 处修订。\n"
            if annotation.untrackedFixes > 0 {
                out += "另有 \(annotation.untrackedFixes) 处修正跨段落或落在自动编号上，无法标为修订，已在批注中说明，请手工修改。\n"
            }
            let unsafe = diagnostics.filter { $0.fix?.applicability == .unsafe }.count
            if unsafe > 0, !unsafeFixes {
                out += "另有 \(unsafe) 处不安全的修正未标为修订（批注中写明了建议）；加 --unsafe-fixes 可一并标出。\n"
            }
            if diagnostics.isEmpty { out += "没有发现问题：审校稿与原稿内容相同。\n" }
            return out
        }
    }
}
