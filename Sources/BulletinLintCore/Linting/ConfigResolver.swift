import Foundation

/// Finds the configuration for each linted file: `--config`, or `--rules`, or the nearest
/// `.bulletinlint.yaml` from the file's folder upward (nearest wins, as in ESLint and
/// SwiftLint), else the built-in `default` set.
public final class ConfigResolver: @unchecked Sendable {
    public enum Mode: Sendable {
        case configFile(String)
        case ruleSets([String])
        case discover
        /// One configuration for everything (tests, the API).
        case fixed(Configuration)
    }

    private let mode: Mode
    private let lock = NSLock()
    /// Loaded configurations by config path ("" for the default).
    private var loaded: [String: Configuration] = [:]
    /// The config path governing each folder ("" when none).
    private var folderConfig: [String: String] = [:]

    public init(mode: Mode) {
        self.mode = mode
    }

    /// The configuration for a file (or, for standard input, the working directory).
    public func configuration(forFile path: String?) throws(RuleFileError) -> Configuration {
        switch mode {
        case .fixed(let configuration):
            return try cached("") { () throws(RuleFileError) in configuration }
        case .configFile(let file):
            return try cached(file) { () throws(RuleFileError) in try RuleSetLoader().loadConfiguration(path: file) }
        case .ruleSets(let references):
            return try cached("") { () throws(RuleFileError) in
                Configuration(ruleSet: try RuleSetLoader().load(references: references),
                              directory: FileManager.default.currentDirectoryPath)
            }
        case .discover:
            let start = path.map(startFolder) ?? FileManager.default.currentDirectoryPath
            let found = nearestConfig(from: start)
            if found.isEmpty {
                return try cached("") { () throws(RuleFileError) in
                    Configuration(ruleSet: try RuleSetLoader().load(references: [BuiltinRuleSets.defaultName]),
                                  directory: FileManager.default.currentDirectoryPath)
                }
            }
            return try cached(found) { () throws(RuleFileError) in try RuleSetLoader().loadConfiguration(path: found) }
        }
    }

    /// The `.bulletinlint.yaml` that `.discover` mode takes for a file (or, for nil, the working
    /// directory), as reports show its path; nil when there is none and the built-in default
    /// applies. Nothing is loaded (a long-running server checks this on every request and loads
    /// the file only when it changed).
    public func configurationFile(forFile path: String?) -> String? {
        let found = nearestConfig(from: path.map(startFolder) ?? FileManager.default.currentDirectoryPath)
        return found.isEmpty ? nil : found
    }

    /// Every configuration loaded so far, in a stable order.
    public var configurations: [Configuration] {
        lock.lock()
        defer { lock.unlock() }
        return loaded.sorted { $0.key < $1.key }.map(\.value)
    }

    /// How many configurations have been loaded: each one once, however many threads ask.
    public var loadCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return loads
    }
    private var loads = 0

    /// The configuration under `key`, loaded on first use. The lock is held while loading, so
    /// two threads asking for one configuration never load it twice (loads are rare: once per
    /// configuration file of a run).
    private func cached(_ key: String, load: () throws(RuleFileError) -> Configuration) throws(RuleFileError) -> Configuration {
        lock.lock()
        defer { lock.unlock() }
        if let configuration = loaded[key] { return configuration }
        let configuration = try load()
        loads += 1
        loaded[key] = configuration
        return configuration
    }

    /// The absolute, standardized folder of a file, worked out once per folder as written: the
    /// `URL` calls cost more than linting a small file, and an archive has thousands of files
    /// per folder.
    private func startFolder(_ path: String) -> String {
        func resolve() -> String { URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path }
        guard let slash = path.lastIndex(of: "/") else { return resolve() }
        let name = path[path.index(after: slash)...]
        // `dir/`, `dir/.` and `dir/..` name folders, whose parent is not what they are written in.
        guard !name.isEmpty, name != ".", name != ".." else { return resolve() }
        let written = String(path[..<slash])
        lock.lock()
        let known = startFolders[written]
        lock.unlock()
        if let known { return known }
        let folder = resolve()
        lock.lock()
        startFolders[written] = folder
        lock.unlock()
        return folder
    }

    /// `startFolder` by the folder as written in the path.
    private var startFolders: [String: String] = [:]

    private func nearestConfig(from folder: String) -> String {
        var visited: [String] = []
        var current = folder
        var result = ""
        while true {
            lock.lock()
            let known = folderConfig[current]
            lock.unlock()
            if let known { result = known; break }
            visited.append(current)
            if let name = Configuration.fileNames.first(where: {
                FileManager.default.fileExists(atPath: (current as NSString).appendingPathComponent($0))
            }) {
                result = (current as NSString).appendingPathComponent(name)
                break
            }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { break }
            current = parent
        }
        // Show the config relative to the working directory when it is below it.
        let shown = result.isEmpty ? "" : RuleSetLoader.displayPath(result)
        lock.lock()
        for folder in visited { folderConfig[folder] = shown }
        lock.unlock()
        return shown
    }
}
