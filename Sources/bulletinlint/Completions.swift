import ArgumentParser
import BulletinLintCore
import Foundation

/// Value completions for the shells (`--generate-completion-script bash|zsh|fish`).
///
/// ArgumentParser offers the words a closure returns; the shell keeps those that start with
/// what has been typed. The closures run inside a new `bulletinlint` process at each <Tab>,
/// so they stay cheap and never print anything else: any failure gives no candidates.
enum Completions {
    /// `--rules`: the built-in rule-set names, then the YAML files beside what is typed.
    static let ruleSets = CompletionKind.custom { _, _, prefix in
        BuiltinRuleSets.names + yamlFiles(matching: prefix)
    }

    /// `--config`, the rule file of `test-rules`: YAML files and folders.
    static let yamlFile = CompletionKind.file(extensions: ["yaml", "yml"])

    /// `--genre`: every name a `when: genre` condition accepts.
    static let genres = CompletionKind.list(DocumentGenre.conditionNames)

    /// `--report FORMAT=FILE`: the format part, ready for a file name after `=`.
    static let reportTargets = CompletionKind.custom { _, _, prefix in
        if prefix.contains("=") { return [] }
        return OutputFormat.allCases.map { "\($0.rawValue)=" }
    }

    /// `explain RULE-ID`: the rules of the configuration the command line names (`--rules`,
    /// `--config`) or finds from the working directory, and the engine's own ids.
    static let ruleIDs = CompletionKind.custom { arguments, _, _ in
        ruleIDs(arguments: arguments)
    }

    static func ruleIDs(arguments: [String]) -> [String] {
        var ruleSets: [String] = []
        var config: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if argument == "--rules", let next { ruleSets.append(next); index += 1 }
            else if argument.hasPrefix("--rules=") { ruleSets.append(String(argument.dropFirst("--rules=".count))) }
            else if argument == "--config", let next { config = next; index += 1 }
            else if argument.hasPrefix("--config=") { config = String(argument.dropFirst("--config=".count)) }
            index += 1
        }
        let mode: ConfigResolver.Mode = config.map { .configFile($0) } ?? (ruleSets.isEmpty ? .discover : .ruleSets(ruleSets))
        var ids = Set(EngineRule.allCases.map(\.id))
        if let configuration = try? ConfigResolver(mode: mode).configuration(forFile: nil) {
            ids.formUnion(configuration.ruleSet.rules.map(\.id))
        }
        return ids.sorted()
    }

    /// The `.yaml`/`.yml` files and the folders in the folder `prefix` points into, written the
    /// way the user started (`rules/h` → `rules/house.yaml`).
    static func yamlFiles(matching prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let typedFolder = slash.map { String(prefix[...$0]) } ?? ""
        let folder = typedFolder.isEmpty ? "." : typedFolder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var result: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") || prefix.hasPrefix(typedFolder + ".") {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                result.append(typedFolder + name + "/")
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                result.append(typedFolder + name)
            }
        }
        return result
    }
}
