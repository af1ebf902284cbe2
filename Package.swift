// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "bulletinlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bulletinlint", targets: ["bulletinlint"]),
        .library(name: "BulletinLintCore", targets: ["BulletinLintCore"]),
    ],
    // `MCP` (on by default) builds `bulletinlint mcp` and the MCP SDK it needs; without it
    // (`swift build --disable-default-traits`) the linter builds without the SDK.
    // `Server` (off by default) adds `bulletinlint serve` (a local web page and JSON API on
    // Hummingbird/SwiftNIO), so the linter builds without SwiftNIO unless asked:
    // `swift build --enable-all-traits` (docs/ARCHITECTURE.md, "The server trait").
    traits: [
        .trait(name: "MCP", description: "bulletinlint mcp: the MCP server for AI assistants (MCP Swift SDK, swift-system, swift-log)"),
        .trait(name: "Server", description: "bulletinlint serve: a local web page and JSON API for editors (Hummingbird, SwiftNIO)"),
        .default(enabledTraits: ["MCP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // `bulletinlint mcp` only (the BulletinLintMCP target); swift-log is named because an
        // MCP transport must hand the SDK a `Logger` (and so must the server's Hummingbird app).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        // `bulletinlint serve` only (the BulletinLintServer target, `Server` trait).
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
    ],
    targets: [
        // All logic: reading, parsing, rule loading, checking, reporting.
        .target(
            name: "BulletinLintCore",
            dependencies: ["Yams", "ZIPFoundation"],
            plugins: ["EmbedBuiltinRules"]
        ),
        // The MCP server (`bulletinlint mcp`): the SDK's glue around the core, kept out of
        // the core library so nothing else depends on the SDK; empty without the MCP trait.
        .target(
            name: "BulletinLintMCP",
            dependencies: [
                "BulletinLintCore",
                .product(name: "MCP", package: "swift-sdk", condition: .when(traits: ["MCP"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["MCP"])),
            ]
        ),
        // Argument parsing and printing only.
        .executableTarget(
            name: "bulletinlint",
            dependencies: [
                "BulletinLintCore",
                .target(name: "BulletinLintMCP", condition: .when(traits: ["MCP"])),
                .target(name: "BulletinLintServer", condition: .when(traits: ["Server"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `bulletinlint serve`: HTTP routes, limits, the embedded page. Its sources are all
        // `#if Server`, so without the trait it is an empty module that needs no SwiftNIO.
        .target(
            name: "BulletinLintServer",
            dependencies: [
                "BulletinLintCore",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Server"])),
                .product(name: "MultipartKit", package: "multipart-kit", condition: .when(traits: ["Server"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Server"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["Server"])),
            ],
            // The page's files; scripts/embed-page writes them into PageAssets.swift.
            exclude: ["Page"]
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
        // HTTP tests on a real loopback port (`swift test --enable-all-traits`; empty without the Server trait).
        .testTarget(name: "BulletinLintServerTests", dependencies: ["BulletinLintServer", "BulletinLintCore"]),
    ]
)
// Built-in rule sets: rules/*.yaml (embedded by the EmbedBuiltinRules plugin).
