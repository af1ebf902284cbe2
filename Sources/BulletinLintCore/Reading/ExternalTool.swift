import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The programs some formats are read through (pdftotext for PDF, LibreOffice for .doc and .wps):
/// where to find them, and running one with a time limit.
public enum ExternalTool {
    /// The program to run: the configured path, the path in an environment variable, or the first
    /// of `names` on `PATH`; nil when none is an executable file.
    public static func locate(configured: String?, variable: String, names: [String]) -> String? {
        if let configured {
            return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
        }
        let environment = ProcessInfo.processInfo.environment
        if let override = environment[variable], !override.isEmpty {
            return FileManager.default.isExecutableFile(atPath: override) ? override : nil
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") where !folder.isEmpty {
                let candidate = String(folder) + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    public enum Outcome: Sendable, Equatable {
        case exited(Int32)
        /// Stopped after the time limit (terminated, then killed).
        case timedOut
        case failedToStart(String)
    }

    /// Runs a program with no input and its output discarded (or its errors to `standardError`),
    /// stopping it after `timeout` seconds.
    public static func run(_ executable: String, arguments: [String], environment: [String: String]? = nil,
                    standardError: FileHandle? = nil, timeout: Double) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = standardError ?? FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return .failedToStart(error.localizedDescription)
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            // Foundation starts the program as the leader of a process group of its own: signal
            // the group, so what it started in turn (`soffice` runs `oosplash`, which runs
            // `soffice.bin`) stops with it.
            let group = -process.processIdentifier
            kill(group, SIGTERM)
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(group, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 2)
            }
            kill(group, SIGKILL)
            return .timedOut
        }
        return .exited(process.terminationStatus)
    }
}
