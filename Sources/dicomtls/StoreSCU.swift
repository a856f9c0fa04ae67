import ArgumentParser
import DicomUL
import Foundation

/// `dicomtls storescu HOST PORT FILE|DIR...`: sends Part 10 files with C-STORE in one association.
struct StoreSCU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storescu", abstract: "Send DICOM Part 10 files (folders are searched recursively) with C-STORE.")

    @Argument(help: "Peer host name or address.") var host: String
    @Argument(help: "Peer port.") var port: UInt16
    @Argument(help: "Files or folders to send.") var paths: [String]
    @OptionGroup var ae: AETitleOptions
    @OptionGroup var timing: TimeoutOptions

    func run() throws {
        let files = try Self.expand(paths)
        guard !files.isEmpty else { throw CLIFailure("no files to send in \(paths.joined(separator: " "))") }
        let client = DicomClient(try DicomClientConfiguration(
            host: host, port: port, callingAETitle: ae.aet, calledAETitle: ae.call, timeouts: timing.timeouts))
        let tty = isatty(STDOUT_FILENO) == 1
        var sent = 0
        let summary: StoreSummary
        do {
            summary = try client.store(files: files) { p in
                if case .success = p.result { sent += p.bytes }
                if tty {
                    Self.drawBar(p, sent: sent)
                } else {
                    switch p.result {
                    case .success(let status): print("[\(p.index)/\(p.count)] \(p.path): \(status)")
                    case .failure(let error): print("[\(p.index)/\(p.count)] \(p.path): FAILED: \(error.message)")
                    }
                }
            }
        } catch {
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
