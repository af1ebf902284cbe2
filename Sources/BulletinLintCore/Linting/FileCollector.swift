import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands the paths given on the command line into the files to lint.
public enum FileCollector {
    /// Extensions linted when a folder is given.
    public static let lintedExtensions: Set<String> = ["txt", "md", "markdown", "docx", "ofd", "pdf", "doc", "wps", "rtf", "odt"]
    /// Folders never descended into.
    static let skippedFolders: Set<String> = [".git", ".build", ".swiftpm", "node_modules"]

    public enum Item: Sendable, Equatable {
        case file(path: String)
        case standardInput(displayPath: String)
        /// A path that does not exist: reported as an `io-error` for that path.
        case missing(path: String)
    }

    /// An input and whether it was named on the command line (a file found in a folder is
    /// subject to the configuration's `include`/`exclude`; a named one is always linted).
    public struct Entry: Sendable, Equatable {
        public let item: Item
        public let explicit: Bool
    }

    /// Files in a stable order: each argument in turn, a folder's files sorted by path.
    public static func collect(_ paths: [String], stdinName: String? = nil) -> [Item] {
        entries(paths, stdinName: stdinName).map(\.item)
    }

    public static func entries(_ paths: [String], stdinName: String? = nil) -> [Entry] {
        /// What one argument names.
        enum Named {
            case entry(Entry)
            case file(String)
            case folder([String])
        }
        var named: [Named] = []
        var total = 0
        for path in paths {
            if path == "-" {
                named.append(.entry(Entry(item: .standardInput(displayPath: stdinName ?? "<stdin>"), explicit: true)))
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                named.append(.entry(Entry(item: .missing(path: path), explicit: true)))
                continue
            }
            if isDirectory.boolValue {
                let found = files(under: path)
                total += found.count
                named.append(.folder(found))
            } else {
                total += 1
                named.append(.file(normalise(path)))
            }
        }
        // A file named twice, or found in two of the folders named, is linted once, where it
        // first appears. One argument cannot name a file twice, and needs no set of 100,000
        // paths; more get a set sized once.
        var seen: Set<String> = []
        let deduplicate = paths.count > 1
        if deduplicate { seen.reserveCapacity(total) }
        var entries: [Entry] = []
        entries.reserveCapacity(named.count + total)
        for item in named {
            switch item {
            case .entry(let entry):
                entries.append(entry)
            case .file(let path):
                if !deduplicate || seen.insert(path).inserted {
                    entries.append(Entry(item: .file(path: path), explicit: true))
                }
            case .folder(let files):
                for file in files where !deduplicate || seen.insert(file).inserted {
                    entries.append(Entry(item: .file(path: file), explicit: false))
                }
            }
        }
        return entries
    }

    private static func normalise(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    private static func files(under directory: String) -> [String] {
        var found: [String] = []
        var stack = [normalise(directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory)]
        while let folder = stack.popLast() {
            guard let listed = listing(of: folder) else { continue }
            // `~$draft.docx` is Word's lock file of an open document, not a document.
            for (name, known) in listed where (!name.hasPrefix(".") || name == ".") && !name.hasPrefix("~$") {
                let path = folder == "." ? name : folder + "/" + name
                var isDirectory: ObjCBool = false
                if let known {
                    isDirectory = ObjCBool(known)
                } else {
                    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                }
                if isDirectory.boolValue {
                    if !skippedFolders.contains(name) { stack.append(path) }
                } else if lintedExtensions.contains(DocumentReader.lowercasedPathExtension(name)) {
                    found.append(path)
                }
            }
        }
        return found.sorted()
    }

    /// A folder's entries (without `.` and `..`) and, where the listing says, whether each is a
    /// folder (nil for a link or an unknown type, which `fileExists` then settles): one
    /// `readdir` pass instead of a `stat` for every file of an archive. Nil when the folder
    /// cannot be read; a folder with a name that is not UTF-8 is listed by `FileManager`, as it
    /// always was.
    private static func listing(of folder: String) -> [(name: String, isDirectory: Bool?)]? {
        #if canImport(Glibc)
        if let directory = opendir(folder) {
            defer { closedir(directory) }
            var out: [(name: String, isDirectory: Bool?)] = []
            var plain = true
            while let entry = readdir(directory) {
                let name: String? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                    tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                        String(validatingCString: $0)
                    }
                }
                guard let name else { plain = false; break }
                if name == "." || name == ".." { continue }
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_DIR): out.append((name, true))
                case Int32(DT_REG): out.append((name, false))
                default: out.append((name, nil))
                }
            }
            if plain { return out }
        }
        #endif
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        return names.map { ($0, nil) }
    }
}
