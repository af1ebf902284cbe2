// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bulletinlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bulletinlint", targets: ["bulletinlint"]),
        .library(name: "BulletinLintCore", targets: ["BulletinLintCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // All logic: reading, parsing, rule loading, checking, reporting.
        .target(
            name: "BulletinLintCore",
            dependencies: ["Yams", "ZIPFoundation"],
            plugins: ["EmbedBuiltinRules"]
        ),
        // Argument parsing and printing only.
        .executableTarget(
            name: "bulletinlint",
            dependencies: [
                "BulletinLintCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Build-time tool: turns rules/*.yaml into Swift string literals so the
        // built-in rule sets travel inside the binary and are found from any
        // working directory.
        .executableTarget(name: "RulesEmbedder", path: "Sources/RulesEmbedder"),
        .plugin(
            name: "EmbedBuiltinRules",
            capability: .buildTool(),
            dependencies: ["RulesEmbedder"]
        ),
        // Fixtures are read through #filePath, so they are not bundled.
        .testTarget(name: "BulletinLintCoreTests", dependencies: ["BulletinLintCore", "ZIPFoundation"], exclude: ["Fixtures"]),
        .testTarget(name: "BulletinLintCLITests", dependencies: ["bulletinlint", "BulletinLintCore"]),
    ]
)
// Built-in rule sets: rules/*.yaml (embedded by the EmbedBuiltinRules plugin).
