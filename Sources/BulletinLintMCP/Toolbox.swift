// Compiled only with the MCP package trait (on by default); see Package.swift.
#if MCP
import BulletinLintCore
import Foundation
import MCP

/// What the tools do: each call is read and checked (`ToolArguments`), the rules chosen, and
/// the work done by the core's one pipeline (`DocumentLinter`) and its formatters
/// (`InspectFormatter`, `RuleListing`, `RuleExplanation`), exactly as `check`, `inspect`,
/// `rules` and `explain` do it.
///
/// Answers are ordered JSON (`JSON`): the tool result carries it as `structuredContent` and, for
/// clients that read only text, rendered in a text block.
final class Toolbox: Sendable {
    /// Built-in rule sets, loaded once each (they cannot change while the server runs). A
    /// `.bulletinlint.yaml` is looked up and read again on every call: the assistant may have
    /// just edited it.
    private let builtins = BuiltinConfigurations()
    private let discovered = DiscoveredConfigurations()

    /// Runs a tool. An unknown tool is a protocol error (JSON-RPC -32602, per the MCP
    /// specification); everything the model can correct is a result with `isError: true`.
    func call(name: String, arguments: [String: Value]?) throws(MCPError) -> CallTool.Result {
        guard ToolCatalog.names.contains(name) else {
            let hint = Suggestion.closest(to: name, among: ToolCatalog.names).map { "（是否要找“\($0)”？）" } ?? ""
            throw MCPError.invalidParams("未知的工具“\(name)”\(hint)；可用的工具：\(ToolCatalog.names.joined(separator: "、"))。")
        }
        do {
            let arguments = try ToolArguments(tool: name, values: arguments)
            let answer: JSON
            switch name {
            case ToolCatalog.lint: answer = try lint(arguments)
            case ToolCatalog.fix: answer = try fix(arguments)
            case ToolCatalog.explain: answer = try explain(arguments)
            case ToolCatalog.listRules: answer = try listRules(arguments)
            default: answer = try inspect(arguments)
            }
            let structured: Value? = MCPValue.from(answer)
            return CallTool.Result(content: [.text(text: answer.render(), annotations: nil, _meta: nil)],
                                   structuredContent: structured, isError: false)
        } catch {
            return CallTool.Result(content: [.text(text: error.message, annotations: nil, _meta: nil)], isError: true)
        }
    }

    // MARK: lint

    private func lint(_ arguments: ToolArguments) throws(ToolFailure) -> JSON {
        let document = try DocumentArgument(arguments)
        let configuration = try self.configuration(arguments, forFile: document.configurationPath)
        let linter = DocumentLinter(configuration: configuration, forcedGenre: try genre(arguments))
        let outcome: DocumentLinter.Outcome
        switch document {
        case .text(let text, let name):
            outcome = linter.lint(DocumentLinter.source(text: text, name: name ?? DocumentArgument.unnamed), ignorePath: name)
        case .file:
            outcome = linter.lint(document.input)
        }
        guard let source = outcome.source else {
            // Not read at all (no permission, not decodable, a broken package): nothing was checked.
            let reasons = outcome.report.diagnostics.map { "\($0.message)（\($0.ruleID)）\($0.help.isEmpty ? "" : "：" + $0.help)" }
            throw ToolFailure("无法读取“\(document.displayName)”，没有检查：\(reasons.joined(separator: "；"))")
        }
        let findings = outcome.report.diagnostics
        let positions = Positions(source, offsets: Findings.offsets(of: findings))
        var members: [(String, JSON)] = [
            ("path", .string(document.displayName)),
            ("ruleset", .string(configuration.ruleSet.name)),
            ("config", configuration.path.map { .string($0) } ?? .null),
        ]
        if let bulletin = outcome.document { members.append(("genre", InspectFormatter.genre(bulletin))) }
        members.append(("summary", Findings.summary(findings)))
        members.append(("findings", .array(findings.map { Findings.json($0, source: source, positions: positions) })))
        return .object(members)
    }

    // MARK: fix

    private func fix(_ arguments: ToolArguments) throws(ToolFailure) -> JSON {
        let document = try DocumentArgument(arguments, allowPath: false)
        guard case .text(let text, let name) = document else { throw ToolFailure("fix 缺少参数 text。") }
        let unsafe = try arguments.bool("unsafe") ?? false
        let configuration = try self.configuration(arguments, forFile: name)
        let linter = DocumentLinter(configuration: configuration, forcedGenre: try genre(arguments))
        let source = DocumentLinter.source(text: text, name: name ?? DocumentArgument.unnamed)
        let before = linter.lint(source, ignorePath: name).report.diagnostics
        let outcome = linter.fix(source, ignorePath: name, unsafe: unsafe)
        let changes = TextChanges.between(source.text, outcome.text)
        let fixedSource = DocumentLinter.source(text: outcome.text, name: name ?? DocumentArgument.unnamed)
        let positions = Positions(source, offsets: changes.flatMap { [$0.range.lowerBound, $0.range.upperBound] })
        let remainingPositions = Positions(fixedSource, offsets: Findings.offsets(of: outcome.remaining))
        let changeList: [JSON] = changes.map { change in
            let span = source.span(change.range)
            // The findings whose fix lies in this change (a later pass may fix what no finding of
            // the original text named: then the list is empty).
            let rules = Set(before.compactMap { finding -> String? in
                guard let fix = finding.fix, fix.applicability == .safe || unsafe,
                      fix.edits.contains(where: { TextChanges.touch($0.range, change.range) }) else { return nil }
                return finding.ruleID
            }).sorted()
            return .object([
                ("start", positions.json(span.start, offset: change.range.lowerBound)),
                ("end", positions.json(span.end, offset: change.range.upperBound)),
                ("old", .string(String(source.slice(change.range)))),
                ("new", .string(change.replacement)),
                ("rules", .array(rules.map { .string($0) })),
            ])
        }
        return .object([
            ("path", .string(document.displayName)),
            ("ruleset", .string(configuration.ruleSet.name)),
            ("config", configuration.path.map { .string($0) } ?? .null),
            ("unsafe", .bool(unsafe)),
            ("changed", .bool(outcome.text != source.text)),
            ("applied", .int(outcome.applied)),
            ("converged", .bool(outcome.converged)),
            ("text", .string(outcome.text)),
            ("changes", .array(changeList)),
            ("remaining", .object([
                ("summary", Findings.summary(outcome.remaining)),
                ("findings", .array(outcome.remaining.map { Findings.json($0, source: fixedSource, positions: remainingPositions) })),
            ])),
        ])
    }

    // MARK: explain

    private func explain(_ arguments: ToolArguments) throws(ToolFailure) -> JSON {
        let id = try arguments.requiredString("rule")
        let ruleSet = try configuration(arguments, forFile: try arguments.string("path")).ruleSet
        if let rule = ruleSet.rule(id) { return RuleFacts.json(rule) }
        if let off = ruleSet.disabledRules.first(where: { $0.id == id }) {
            return .object([
                ("id", .string(id)),
                ("disabled", .bool(true)),
                ("text", .string("\(id) 已关闭：\(off.origin.file):\(off.origin.line) 的 overrides 把它关掉了（\(id): off）。"
                                 + "要重新启用，删去那一行；用 rules: \(BuiltinRuleSets.defaultName) 查看它的内置定义。")),
            ])
        }
        if let engine = EngineRule(rawValue: id) { return RuleFacts.json(engine) }
        let hint = Suggestion.closest(to: id, among: ruleSet.rules.map(\.id) + EngineRule.allCases.map(\.id))
        throw ToolFailure("没有名为“\(id)”的规则" + (hint.map { "（是否要找“\($0)”？）" } ?? "")
                          + "；规则集 \(ruleSet.name) 的规则可用 list_rules 列出。")
    }

    // MARK: list_rules

    private func listRules(_ arguments: ToolArguments) throws(ToolFailure) -> JSON {
        let ruleSet = try configuration(arguments, forFile: try arguments.string("path")).ruleSet
        guard case .object(var members) = RuleListing.value(ruleSet) else { return RuleListing.value(ruleSet) }
        members.append(("builtin", .array(BuiltinRuleSets.names.map { .string($0) })))
        return .object(members)
    }

    // MARK: inspect

    private func inspect(_ arguments: ToolArguments) throws(ToolFailure) -> JSON {
        let document = try DocumentArgument(arguments)
        let configuration = try self.configuration(arguments, forFile: document.configurationPath)
        switch DocumentLinter.read(document.input) {
        case .success(let source):
            return InspectFormatter.value(configuration.ruleSet.parser.parse(source))
        case .failure(let failure):
            throw ToolFailure("无法读取“\(document.displayName)”：\(failure.message)（\(failure.ruleID)）。")
        }
    }

    // MARK: Rules

    /// `rules` names a built-in set; without it, the nearest `.bulletinlint.yaml` above `path`
    /// (or the working directory), else `default` — as `check` chooses.
    private func configuration(_ arguments: ToolArguments, forFile path: String?) throws(ToolFailure) -> Configuration {
        do {
            if let name = try arguments.string("rules") {
                guard BuiltinRuleSets.names.contains(name) else {
                    let hint = Suggestion.closest(to: name, among: BuiltinRuleSets.names).map { "（是否要找“\($0)”？）" } ?? ""
                    throw ToolFailure("没有名为“\(name)”的内置规则集\(hint)；可用：\(BuiltinRuleSets.names.joined(separator: "、"))。")
                }
                return try builtins.configuration(name)
            }
            return try discovered.configuration(forFile: path, builtins: builtins)
        } catch let error as RuleFileError {
            throw ToolFailure("规则文件有错误，没有检查：\(error.file) 第 \(error.line) 行第 \(error.column) 列：\(error.message)")
        } catch let error as ToolFailure {
            throw error
        } catch {
            throw ToolFailure("\(error)")
        }
    }

    private func genre(_ arguments: ToolArguments) throws(ToolFailure) -> DocumentGenre? {
        guard let name = try arguments.string("genre") else { return nil }
        guard let genre = DocumentGenre.named(name) else {
            throw ToolFailure("未知的文书类别“\(name)”；可用：\(DocumentGenre.conditionNames.joined(separator: "、"))。")
        }
        return genre
    }
}

/// The nearest `.bulletinlint.yaml` of each call, looked up on every call (a stat per folder)
/// and loaded again only when it, or a rule file it extends, changed on disk (size, time or
/// inode): an assistant may edit or create one between two calls, and loading a rule set costs
/// more than linting a page.
final class DiscoveredConfigurations: @unchecked Sendable {
    private struct Entry {
        let configuration: Configuration
        let files: [String]
        let stamp: [String]
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func configuration(forFile path: String?, builtins: BuiltinConfigurations) throws(RuleFileError) -> Configuration {
        guard let file = ConfigResolver(mode: .discover).configurationFile(forFile: path) else {
            return try builtins.configuration(BuiltinRuleSets.defaultName)
        }
        lock.lock()
        let cached = entries[file]
        lock.unlock()
        if let cached, cached.stamp == DiscoveredConfigurations.stamp(cached.files) { return cached.configuration }
        let files = [file]
        let before = DiscoveredConfigurations.stamp(files)
        let configuration = try ConfigResolver(mode: .configFile(file)).configuration(forFile: nil)
        var all = files
        for extra in configuration.ruleSet.files where !all.contains(extra) { all.append(extra) }
        // Stamped as read before loading: a change made while loading is seen next time.
        let stamp = before + DiscoveredConfigurations.stamp(Array(all.dropFirst()))
        lock.lock()
        entries[file] = Entry(configuration: configuration, files: all, stamp: stamp)
        lock.unlock()
        return configuration
    }

    /// Size, modification time and inode of each file ("-" for one that is not there).
    static func stamp(_ files: [String]) -> [String] {
        files.map { file in
            var info = stat()
            guard stat(file, &info) == 0 else { return "-" }
            #if canImport(Darwin)
            let modified = info.st_mtimespec
            #else
            let modified = info.st_mtim
            #endif
            return "\(info.st_size) \(modified.tv_sec).\(modified.tv_nsec) \(info.st_ino)"
        }
    }
}

/// Configurations of the built-in rule sets, loaded on first use.
final class BuiltinConfigurations: @unchecked Sendable {
    private let lock = NSLock()
    private var resolvers: [String: ConfigResolver] = [:]

    func configuration(_ name: String) throws(RuleFileError) -> Configuration {
        lock.lock()
        let resolver = resolvers[name] ?? ConfigResolver(mode: .ruleSets([name]))
        resolvers[name] = resolver
        lock.unlock()
        return try resolver.configuration(forFile: nil)
    }
}
#endif
