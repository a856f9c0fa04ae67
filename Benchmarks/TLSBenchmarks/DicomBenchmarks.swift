import DicomUL
import Foundation
import TLSSockets

#if canImport(Glibc)
import Glibc
#endif

// DICOM upper-layer benchmarks over loopback TCP with an in-process storage SCP.
//
// Each DICOM figure comes with a ceiling measured in the same run that does the same I/O
// without DICOM, so the ratio is the share of the achievable speed we reach:
// - "raw echo exchange": TCP connect, three request/answer round trips of the sizes an
//   association with one C-ECHO uses (A-ASSOCIATE-RQ/AC, C-ECHO-RQ/RSP, A-RELEASE-RQ/RP),
//   close; the server side runs on a fresh thread per connection, like our SCP.
// - "raw file copy 50 x 1 MB": the same 50 files' data sets read from disk in 64 KB chunks,
//   sent over one loopback TCP connection, written to files by the receiver (created as
//   `.partial` and renamed, like our SCP), with a one-byte acknowledgement per file (the
//   C-STORE-RSP round trip). DICOM adds PDU framing, command sets, Part 10 headers and
//   the state machine on top of exactly this work.

/// Files and servers shared by the DICOM cases (created once).
final class DicomBenchEnvironment: @unchecked Sendable {  // immutable after init
    let files: [String]
    let server: DicomServer
    let rawPort: UInt16
    let rawOutput: String

    static let fileCount = 50
    static let chunk = 65536

    init() throws {
        let root = NSTemporaryDirectory() + "dicom-bench-\(getpid())"
        let src = root + "/src", scpOut = root + "/scp", rawOut = root + "/raw"
        for d in [src, scpOut, rawOut] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        var files: [String] = []
        for i in 0..<Self.fileCount {
            let o = DicomObjectGenerator.secondaryCapture(rows: 1024, columns: 1024, seed: UInt8(i))
            let path = src + "/f\(i).dcm"
            try Data(o.part10).write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        self.files = files
        rawOutput = rawOut
        server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: scpOut, aeTitle: "BENCH", host: "127.0.0.1"))
        server.start()
        rawPort = try RawLoopbackServer.start(output: rawOut)
    }

    static let shared: DicomBenchEnvironment? = {
        do { return try DicomBenchEnvironment() } catch {
            FileHandle.standardError.write(Data("note: DICOM benchmarks skipped: \(error)\n".utf8))
            return nil
        }
    }()

    func client() -> DicomClient? {
        (try? DicomClientConfiguration(host: "127.0.0.1", port: server.port, callingAETitle: "BENCHSCU", calledAETitle: "BENCH"))
            .map(DicomClient.init)
    }
}

func dicomCases() -> [BenchmarkCase] {
    // The environment (50 files, two servers) is built on first use, so filtered runs that
    // skip these cases do not pay for it. UIDs vary by a few bytes, so the size per
    // operation is estimated from one object (error well under 0.1 %).
    let bytes = DicomBenchEnvironment.fileCount * DicomObjectGenerator.secondaryCapture(rows: 1024, columns: 1024).dataSet.count
    let rawEcho = "raw echo exchange (TCP)"
    let rawStore = "raw file copy 50 x 1 MB (TCP)"
    func env() -> (DicomBenchEnvironment, DicomClient)? {
        guard let e = DicomBenchEnvironment.shared, let c = e.client() else { return nil }
        return (e, c)
    }
    return [
        BenchmarkCase(group: "dicom", name: rawEcho, bytesPerOperation: 0) { n in
            guard let (e, _) = env() else { return }
            for _ in 0..<n { RawLoopbackClient.echoExchange(port: e.rawPort) }
        },
        BenchmarkCase(group: "dicom", name: "C-ECHO association (TCP)", bytesPerOperation: 0, baselines: [rawEcho]) { n in
            guard let (_, client) = env() else { return }
            for _ in 0..<n {
                guard (try? client.echo()) == .success else {
                    FileHandle.standardError.write(Data("C-ECHO failed\n".utf8))
                    return
                }
            }
        },
        BenchmarkCase(group: "dicom", name: rawStore, bytesPerOperation: bytes) { n in
            guard let (e, _) = env() else { return }
            for _ in 0..<n { RawLoopbackClient.copyFiles(e.files, port: e.rawPort) }
        },
        BenchmarkCase(group: "dicom", name: "C-STORE 50 x 1 MB (TCP)", bytesPerOperation: bytes, baselines: [rawStore]) { n in
            guard let (e, client) = env() else { return }
            for _ in 0..<n {
                guard let s = try? client.store(files: e.files), s.failures.isEmpty else {
                    FileHandle.standardError.write(Data("C-STORE failed\n".utf8))
                    return
                }
            }
        },
    ]
}

/// The ceiling's server: per connection a thread that either answers three round trips
/// (mode byte 1) or receives length-prefixed files into the output folder (mode byte 2).
enum RawLoopbackServer {
    static func start(output: String) throws -> UInt16 {
        // Every connection stays "pending" (no association): lift the admission limits.
        let listener = try DicomListener(
            host: "127.0.0.1", port: 0, limits: AdmissionLimits(maximumPending: 1 << 16, maximumPendingPerAddress: 1 << 16), log: { _ in })
        let thread = Thread {
            listener.run { socket in serve(TCPTransport(adopting: socket), output: output) }
        }
        thread.start()
        return listener.port
    }

    static func serve(_ t: TCPTransport, output: String) {
        defer { t.close() }
        guard let mode = try? readExactly(t, 1).first else { return }
        if mode == 1 {
            for (request, answer) in RawLoopbackClient.echoSizes {
                guard (try? readExactly(t, request)) != nil else { return }
                try? t.write([UInt8](repeating: 0x42, count: answer), timeout: 10)
            }
            _ = try? t.read(upTo: 1, timeout: 10)  // like Sta13: wait for the requestor to close first
            return
        }
        var index = 0
        while let header = try? readExactly(t, 8) {
            let length = header.reduce(0) { $0 << 8 | Int($1) }
            if length == 0 { return }
            let path = output + "/r\(index % 50).dcm"
            index += 1
            let fd = open(path + ".partial", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            var left = length
            while left > 0 {
                guard let data = try? t.read(upTo: min(left, DicomBenchEnvironment.chunk * 4), timeout: 10), !data.isEmpty else { return }
                data.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
                left -= data.count
            }
            close(fd)
            rename(path + ".partial", path)
            try? t.write([1], timeout: 10)
        }
    }

    static func readExactly(_ t: TCPTransport, _ n: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while out.count < n {
            let d = try t.read(upTo: n - out.count, timeout: 10)
            if d.isEmpty { throw DicomError(.connectionClosed, "closed") }
            out += d
        }
        return out
    }
}

/// The ceiling's client.
enum RawLoopbackClient {
    /// (request, answer) sizes of an association with one C-ECHO, as our client sends them:
    /// A-ASSOCIATE-RQ/AC, P-DATA-TF with C-ECHO-RQ/RSP, A-RELEASE-RQ/RP.
    static let echoSizes = [(225, 204), (80, 90), (10, 10)]

    static func echoExchange(port: UInt16) {
        guard let t = try? TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 5) else { return }
        defer { t.close() }
        var first = true
        for (request, answer) in echoSizes {
            var bytes = [UInt8](repeating: 0x41, count: request)
            if first { bytes.insert(1, at: 0); first = false }
            try? t.write(bytes, timeout: 10)
            _ = try? RawLoopbackServer.readExactly(t, answer)
        }
    }

    static func copyFiles(_ files: [String], port: UInt16) {
        guard let t = try? TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 5) else { return }
        defer { t.close() }
        try? t.write([2], timeout: 10)
        var buffer = [UInt8](repeating: 0, count: DicomBenchEnvironment.chunk)
        for path in files {
            guard let header = try? Part10File(path: path) else { return }
            let fd = open(path, O_RDONLY)
            var length = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 { length[i] = UInt8((header.dataSetLength >> (56 - 8 * i)) & 0xFF) }
            try? t.write(length, timeout: 10)
            var offset = header.dataSetOffset
            var left = header.dataSetLength
            while left > 0 {
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min(left, $0.count), off_t(offset)) }
                guard n > 0 else { break }
                try? t.write(Array(buffer[0..<n]), timeout: 10)
                offset += n
                left -= n
            }
            close(fd)
            _ = try? RawLoopbackServer.readExactly(t, 1)
        }
        try? t.write([UInt8](repeating: 0, count: 8), timeout: 10)
    }
}
