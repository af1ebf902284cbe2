import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands the paths given on the command line into the files to lint.
///
/// A file of a linted extension in a folder that is not a regular file (a named pipe, a device,
/// a socket) is never opened: it is reported as an `io-error`.
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
        /// A file found in a folder that is not opened (a named pipe, a device, a socket):
        /// reported as an `io-error` with `message`.
        case unreadable(path: String, message: String)
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
            case folder([Found])
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
                for file in files where !deduplicate || seen.insert(file.path).inserted {
                    let item: Item = file.refusal.map { .unreadable(path: file.path, message: $0) } ?? .file(path: file.path)
                    entries.append(Entry(item: item, explicit: false))
                }
            }
        }
        return entries
    }

    private static func normalise(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    /// A file found in a folder; `refusal` says why it is not opened.
    private struct Found {
        let path: String
        var refusal: String? = nil
    }

    /// What a folder entry is.
    private enum Kind {
        case directory
        case regular
        case link
        /// A named pipe, a device, a socket: its `st_mode`.
        case special(mode_t)

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFDIR: self = .directory
            case S_IFREG: self = .regular
            case S_IFLNK: self = .link
            default: self = .special(mode)
            }
        }
    }

    private static func files(under directory: String) -> [Found] {
        var found: [Found] = []
        var stack = [normalise(directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory)]
        while let folder = stack.popLast() {
            guard let entries = listing(of: folder) else { continue }
            // `~$draft.docx` is Word's lock file of an open document, not a document.
            for (name, known) in entries where !name.hasPrefix(".") && !name.hasPrefix("~$") {
                let path = folder == "." ? name : folder + "/" + name
                guard var kind = known ?? kind(of: path, following: false) else { continue }
                if case .link = kind {
                    // Followed, to a folder or a file.
                    guard let target = self.kind(of: path, following: true) else { continue }
                    kind = target
                }
                let file: Found
                switch kind {
                case .directory:
                    if !skippedFolders.contains(name) { stack.append(path) }
                    continue
                case .regular:
                    file = Found(path: path)
                case .special(let mode):
                    file = Found(path: path, refusal: refusal(mode))
                case .link:
                    continue
                }
                guard lintedExtensions.contains(DocumentReader.lowercasedPathExtension(name)) else { continue }
                found.append(file)
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Why a file found in a folder that is not a regular file is not opened. Opening a named
    /// pipe waits for a writer (or lets one go on), and reading a device or a socket is no
    /// document; named on the command line, a pipe or a character device is read.
    private static func refusal(_ mode: mode_t) -> String {
        let kind = DocumentReader.specialFileKind(mode) ?? "特殊文件"
        if DocumentReader.isStream(mode) {
            return "这是\(kind)，不是普通文件：文件夹中的这类文件不会被打开，已跳过（要读取它，请在命令行上直接给出这个路径）"
        }
        return "这是\(kind)，不是普通文件：文件夹中的这类文件不会被打开，已跳过"
    }

    /// What a path is (`lstat`, or `stat` through a link); nil when it cannot be found out (a
    /// dangling link, a file gone since the listing).
    private static func kind(of path: String, following: Bool) -> Kind? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return Kind(mode: info.st_mode)
    }

    /// A folder's entries (without `.` and `..`) and, where the listing says, what each is (nil
    /// for an unknown type, which `lstat` then settles): one `readdir` pass instead of a `stat`
    /// for every file of an archive. Nil when the folder cannot be read. A folder with a name
    /// that is not UTF-8 is listed by `FileManager`, as it always was.
    private static func listing(of folder: String) -> [(name: String, kind: Kind?)]? {
        #if canImport(Glibc)
        if let directory = opendir(folder) {
            defer { closedir(directory) }
            var out: [(name: String, kind: Kind?)] = []
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
                case Int32(DT_DIR): out.append((name, .directory))
                case Int32(DT_REG): out.append((name, .regular))
                case Int32(DT_LNK): out.append((name, .link))
                case Int32(DT_FIFO): out.append((name, .special(S_IFIFO)))
                case Int32(DT_CHR): out.append((name, .special(S_IFCHR)))
                case Int32(DT_BLK): out.append((name, .special(S_IFBLK)))
                case Int32(DT_SOCK): out.append((name, .special(S_IFSOCK)))
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
