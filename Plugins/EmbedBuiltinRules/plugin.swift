import Foundation
import PackagePlugin

/// Embeds every `rules/*.yaml` and `rules/data/*.tsv` of the package into the core library.
@main
struct EmbedBuiltinRules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rulesDirectory = context.package.directoryURL.appendingPathComponent("rules")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rulesDirectory.path)) ?? []
        var inputs = names.filter { $0.hasSuffix(".yaml") }.sorted().map { rulesDirectory.appendingPathComponent($0) }
        // Data the checks read (`rules/data/*.tsv`: the administrative divisions, the example
        // organ registry), embedded too.
        let dataDirectory = rulesDirectory.appendingPathComponent("data")
        let dataNames = (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? []
        inputs += dataNames.filter { $0.hasSuffix(".tsv") }.sorted().map { dataDirectory.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedRuleFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding built-in rule sets",
                executable: try context.tool(named: "RulesEmbedder").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
