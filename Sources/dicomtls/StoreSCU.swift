import ArgumentParser
import DicomNIO
import DicomUL
import Foundation

/// `dicomtls storescu HOST PORT FILE|DIR...`: sends Part 10 files with C-STORE on the async
/// client (``DicomAsyncClient``), in one association or `--associations N` sharing the files.
struct StoreSCU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storescu", abstract: "Send DICOM Part 10 files (folders are searched recursively) with C-STORE.")

    @Argument(help: "Peer host name or address.") var host: String
    @Argument(help: ArgumentHelp(
        "Peer port (may be left out with --tls: 2762), then the files or folders to send.", valueName: "port-and-files"))
    var arguments: [String]
    @OptionGroup var ae: AETitleOptions
    @OptionGroup var timing: TimeoutOptions
    @OptionGroup var secure: DicomTLSFlags
    @Option(name: .customLong("associations"), help: "Parallel associations sharing the files (one core each over TLS).")
    var associations = 1

    /// The port (the first argument if it is a number, else 2762 with --tls) and the paths.
    private var portAndPaths: (UInt16, [String]) {
        get throws {
            if let first = arguments.first, first.allSatisfy(\.isNumber) {
                guard let port = UInt16(first) else { throw ValidationError("port \(first) is not 0–65535") }
                return (port, Array(arguments.dropFirst()))
            }
            return (try secure.port(nil, command: "storescu"), arguments)
        }
    }

    func run() throws {
        let (port, paths) = try portAndPaths
        guard !paths.isEmpty else { throw ValidationError("storescu: give the files or folders to send") }
        let files = try Self.expand(paths)
        guard !files.isEmpty else { throw CLIFailure("no files to send in \(paths.joined(separator: " "))") }
        let security = try CommandLineTool.attempt { try secure.clientSecurity(onLink: { print($0.summary) }) }
        let client = DicomAsyncClient(try DicomClientConfiguration(
            host: host, port: port, callingAETitle: ae.aet, calledAETitle: ae.call, timeouts: timing.timeouts, security: security))
        let tty = isatty(STDOUT_FILENO) == 1
        let summary: StoreSummary
        do {
            summary = try AsyncBridge.run { [associations] in
                var sent = 0
                var done = 0
                return try await client.store(files: files, associations: associations) { p in
                    done += 1
                    if case .success = p.result { sent += p.bytes }
                    Self.report(p, done: done, sent: sent, tty: tty)
                }
            }
        } catch let error as DicomError {
            if tty { print() }
            throw CLIFailure("storescu to \(ae.call)@\(host):\(port) failed: \(error.message)")
        }
        if tty { print() }
        for f in summary.failures where tty { print("FAILED \(f.path): \(f.error.message)") }
        print(String(format: "%d file(s), %d stored, %d failed, %.1f MB in %.2f s, %.1f MB/s",
                     summary.files, summary.statuses.count, summary.failures.count,
                     Double(summary.bytes) / 1e6, summary.seconds, summary.megabytesPerSecond))
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }

    func validate() throws {
        guard (1...64).contains(associations) else { throw ValidationError("--associations must be 1–64") }
    }

    /// One line per file, or the progress bar on a terminal (`done` files so far, in
    /// completion order: parallel associations finish files out of order).
    private static func report(_ p: StoreProgress, done: Int, sent: Int, tty: Bool) {
        if tty {
            var bar = p
            bar.index = done
            drawBar(bar, sent: sent)
        } else {
            switch p.result {
            case .success(let status): print("[\(p.index)/\(p.count)] \(p.path): \(status)")
            case .failure(let error): print("[\(p.index)/\(p.count)] \(p.path): FAILED: \(error.message)")
            }
        }
    }

    private static func drawBar(_ p: StoreProgress, sent: Int) {
        let width = 30
        let filled = p.count > 0 ? width * p.index / p.count : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r[%@] %d/%d files, %.1f MB", bar, p.index, p.count, Double(sent) / 1e6)
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// Files as given, folders expanded recursively (sorted, hidden files skipped).
    static func expand(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIFailure("\(path): no such file or folder")
            }
            if isDirectory.boolValue {
                let e = FileManager.default.enumerator(atPath: path)
                var found: [String] = []
                while let name = e?.nextObject() as? String {
                    let full = path + "/" + name
                    var dir: ObjCBool = false
                    if !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                       FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue {
                        found.append(full)
                    }
                }
                out += found.sorted()
            } else {
                out.append(path)
            }
        }
        return out
    }
}
