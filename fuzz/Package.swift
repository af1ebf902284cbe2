// swift-tools-version:6.0
// libFuzzer targets for bulletinlint (issue 14). A package of its own, so the linter's build
// and `swift test` never see it. Build and run through `scripts/fuzz`; see docs/SECURITY.md.
import Foundation
import PackageDescription

// The root package is a path dependency, whose identity is its folder's name (a clone may be
// called anything), so the product is looked up under that name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()
let core = Target.Dependency.product(name: "BulletinLintCore", package: rootIdentity)

/// One executable per fuzz target: a `main.swift` that hands its test function to libFuzzer
/// (`Fuzz.run`).
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: [core, "FuzzSupport"], path: "Sources/\(name)")
}

let package = Package(
    name: "bulletinlint-fuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // What several targets share: the default linter, checks of findings, ZIP packing.
        .target(name: "FuzzSupport", dependencies: [core, "CFuzzDriver", "ZIPFoundation"]),
        // The declaration of libFuzzer's `LLVMFuzzerRunDriver`.
        .target(name: "CFuzzDriver"),
        fuzzTarget("fuzz-text-decoding"),
        fuzzTarget("fuzz-parser"),
        fuzzTarget("fuzz-rules"),
        fuzzTarget("fuzz-docx"),
        fuzzTarget("fuzz-ofd"),
        fuzzTarget("fuzz-markdown"),
        fuzzTarget("fuzz-merge"),
        fuzzTarget("fuzz-baseline"),
    ]
)
