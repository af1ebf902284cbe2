// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "bulletinlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bulletinlint", targets: ["bulletinlint"]),
        .library(name: "BulletinLintCore", targets: ["BulletinLintCore"]),
    ],
    // `Server` adds `bulletinlint serve` (a local web page and JSON API on Hummingbird/SwiftNIO).
    // Off by default so the linter builds without SwiftNIO: `swift build --traits Server`
    // (docs/ARCHITECTURE.md, "The server trait").
    traits: [
        .trait(name: "Server", description: "bulletinlint serve: a local web page and JSON API for editors"),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0", traits: []),
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
        // HTTP tests on a real loopback port (`swift test --traits Server`; empty without it).
        .testTarget(name: "BulletinLintServerTests", dependencies: ["BulletinLintServer", "BulletinLintCore"]),
    ]
)
// Built-in rule sets: rules/*.yaml (embedded by the EmbedBuiltinRules plugin).
