import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Expands the paths given on the command line into the files to lint.
///
/// In a folder, only regular files and folders are taken as they are found; symbolic links are
/// not followed unless `follow` is set (`--follow`, as ripgrep's `-L`), and then every folder is
/// listed once, by device and inode, so a link back up the tree or two links to each other end.
/// A path named on the command line is followed whatever it is. A file of a linted extension in
/// a folder that is not a regular file (a named pipe, a device, a socket) is never opened: it is
/// reported as an `io-error`.
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
    public static func collect(_ paths: [String], stdinName: String? = nil, follow: Bool = false) -> [Item] {
        entries(paths, stdinName: stdinName, follow: follow).map(\.item)
    }

    /// The inputs the paths name; with `follow`, symbolic links found in folders are followed
    /// (loop-safe, and wherever they lead).
    public static func entries(_ paths: [String], stdinName: String? = nil, follow: Bool = false) -> [Entry] {
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
                let found = files(under: path, follow: follow)
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
        /// With `follow`: whether a link led to it, and the file it is.
        var throughLink = false
        var identity: FolderIdentity? = nil
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

    /// A folder (or file) as the file system knows it, whatever the path it was reached by.
    private struct FolderIdentity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    private static func files(under directory: String, follow: Bool) -> [Found] {
        var found: [Found] = []
        var stack = [normalise(directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory)]
        // Every folder is listed once: a link back up the tree, links to each other, or a bind
        // mount of a parent below itself end there instead of going round for ever.
        var listed: Set<FolderIdentity> = []
        // Folders reached through links (`follow`), listed once the folders found without one
        // are done: a link back into the tree then finds its folder listed already, and the
        // files keep the paths they have in the tree. Each round is sorted, for a stable order.
        var linked: [String] = []
        // With `follow`, a link to a folder that holds the tree (`..`, `/`) is not followed: it
        // would take in the tree again and everything beside it, up to the whole disk.
        let above = follow ? ancestors(of: stack[0]) : []
        var throughLinks = false
        while true {
            if stack.isEmpty {
                if linked.isEmpty { break }
                stack = linked.sorted(by: >)
                linked = []
                throughLinks = true
            }
            guard let folder = stack.popLast() else { continue }
            let entries: [(name: String, kind: Kind?)]
            switch listing(of: folder, listed: &listed) {
            case .listed(let list, let undecodable):
                entries = list
                // A name that is not UTF-8 (a GBK archive unpacked as is) cannot be named back
                // to the file system from a `String`: reported, not skipped in silence.
                for name in undecodable {
                    found.append(Found(path: folder == "." ? name : folder + "/" + name,
                                       refusal: "文件名或文件夹名不是 UTF-8 编码（可能是 GBK 等旧编码），无法按名打开，已跳过；请改名后再检查"))
                }
            case .seenBefore:
                continue
            case .failed(let code):
                found.append(Found(path: folder, refusal: "无法读取这个文件夹（\(ReportWriter.explain(code))），其中的文件没有检查"))
                continue
            }
            // `~$draft.docx` is Word's lock file of an open document, not a document.
            for (name, known) in entries where !name.hasPrefix(".") && !name.hasPrefix("~$") {
                let path = folder == "." ? name : folder + "/" + name
                guard var kind = known ?? kind(of: path, following: false) else { continue }
                var linkedFile = throughLinks
                if case .link = kind {
                    // Not followed unless asked (as ripgrep): a link can lead out of the tree,
                    // or back up it.
                    guard follow else { continue }
                    guard let target = self.kind(of: path, following: true) else {
                        // Asked to follow links: one that leads nowhere is said, not dropped.
                        if lintedExtensions.contains(DocumentReader.lowercasedPathExtension(name)) {
                            found.append(Found(path: path, refusal: "符号链接指向的文件不存在或无法访问，已跳过"))
                        }
                        continue
                    }
                    if case .directory = target {
                        if !skippedFolders.contains(name), let identity = identity(of: path), !above.contains(identity) {
                            linked.append(path)
                        }
                        continue
                    }
                    kind = target
                    linkedFile = true
                }
                var file: Found
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
                if follow {
                    file.throughLink = linkedFile
                    file.identity = identity(of: path)
                }
                found.append(file)
            }
        }
        if follow {
            // A file reached by a link and by its own path, or by two links, is linted once:
            // under its own path when the tree has it, else the first path in order.
            var seen: Set<FolderIdentity> = []
            found = found.sorted { ($0.throughLink ? 1 : 0, $0.path) < ($1.throughLink ? 1 : 0, $1.path) }
                .filter { file in file.identity.map { seen.insert($0).inserted } ?? true }
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

    /// The folders that hold `folder` (its real path's parent, the parent's parent, up to `/`).
    private static func ancestors(of folder: String) -> Set<FolderIdentity> {
        guard let resolved = realpath(folder, nil) else { return [] }
        var path = String(cString: resolved)
        free(resolved)
        var out: Set<FolderIdentity> = []
        while path != "/", let slash = path.lastIndex(of: "/") {
            path = slash == path.startIndex ? "/" : String(path[..<slash])
            if let parent = identity(of: path) { out.insert(parent) }
        }
        return out
    }

    /// A folder's (or any file's) device and inode, through links; nil when `stat` fails.
    private static func identity(of path: String) -> FolderIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FolderIdentity(device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino))
    }

    /// What a path is (`lstat`, or `stat` through a link); nil when it cannot be found out (a
    /// dangling link, a file gone since the listing).
    private static func kind(of path: String, following: Bool) -> Kind? {
        var info = stat()
        guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return Kind(mode: info.st_mode)
    }

    /// What listing a folder gave.
    private enum Listing {
        /// The entries, and the names of files and folders that are not UTF-8 (decoded with
        /// replacement characters, for the report only).
        case listed([(name: String, kind: Kind?)], undecodable: [String])
        /// Listed before (its device and inode): a link back up the tree.
        case seenBefore
        /// The folder could not be opened: the errno.
        case failed(Int32)
    }

    /// A folder's entries (without `.` and `..`) and, where the listing says, what each is (nil
    /// for an unknown type, which `lstat` then settles): one `readdir` pass instead of a `stat`
    /// for every file of an archive.
    private static func listing(of folder: String, listed: inout Set<FolderIdentity>) -> Listing {
        if let identity = identity(of: folder), !listed.insert(identity).inserted { return .seenBefore }
        #if canImport(Glibc)
        guard let directory = opendir(folder) else { return .failed(errno) }
        defer { closedir(directory) }
        var out: [(name: String, kind: Kind?)] = []
        var undecodable: [String] = []
        while let entry = readdir(directory) {
            let decoded: (valid: String?, lossy: String) = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    (String(validatingCString: $0), String(cString: $0))
                }
            }
            guard let name = decoded.valid else {
                let isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
                if !decoded.lossy.hasPrefix("."), isFolder || lintedExtensions.contains(DocumentReader.lowercasedPathExtension(decoded.lossy)) {
                    undecodable.append(decoded.lossy)
                }
                continue
            }
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
        return .listed(out, undecodable: undecodable)
        #else
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return .failed(EACCES) }
        return .listed(names.map { ($0, nil) }, undecodable: [])
        #endif
    }
}
