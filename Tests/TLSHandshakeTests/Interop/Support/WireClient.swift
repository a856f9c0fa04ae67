import Foundation
import TLSRecord
import TLSSockets
import TestSupport
@testable import TLSHandshake

/// A TLS client for attack tests: our engine over a loopback socket, which can also put any
/// record on the wire (``TLSConnection/sendRecordForTesting(_:_:)``), and reads the server's
/// raw answer (the review's Python scripts, in Swift).
struct WireClient {
    let socket: TCPSocket
    var tls: TLSConnection
    var events: [TLSEvent] = []

    static func connect(port: UInt16, configuration: TLSConfiguration) throws -> WireClient {
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(10))
        return WireClient(socket: socket, tls: try TLSConnection(client: configuration, serverName: "localhost"))
    }

    /// Writes what the engine queued.
    mutating func flush() throws {
        let out = tls.takeOutput()
        if !out.isEmpty { try socket.write(out, deadline: .now + .seconds(10)) }
    }

    /// Reads and processes until `done` holds for the events so far (or 10 s pass).
    mutating func run(until done: ([TLSEvent]) -> Bool) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        try flush()
        while !done(events) {
            let n = try socket.read(into: &buffer, deadline: deadline)
            guard n > 0 else { throw PeerProcess.Failure(description: "the server closed the connection") }
            tls.receive(Array(buffer[..<n]))
            while let e = try tls.nextEvent() { events.append(e) }
            try flush()
        }
    }

    /// Completes a (re)handshake started by the engine: waits for the `count`-th completion.
    mutating func handshake(count: Int = 1) throws {
        try run { $0.filter { if case .handshakeComplete = $0 { true } else { false } }.count >= count }
    }

    /// Every raw byte the server sends until it closes the connection or `timeout` passes.
    func readToEnd(timeout: Duration = .seconds(10)) -> (bytes: [UInt8], closed: Bool) {
        Self.readToEnd(socket, timeout: timeout)
    }

    /// Reads raw records until one of type `type` arrives; the records before it go to the
    /// engine, that record (still protected) is returned unprocessed.
    mutating func feedRecords(until type: ContentType) throws -> [UInt8] {
        let deadline = ContinuousClock.now + .seconds(10)
        var raw: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            while raw.count >= 5 {
                let end = 5 + (Int(raw[3]) << 8 | Int(raw[4]))
                guard raw.count >= end else { break }
                let record = Array(raw[..<end])
                if record[0] == type.rawValue { return record }
                raw.removeFirst(end)
                tls.receive(record)
                while let e = try tls.nextEvent() { events.append(e) }
            }
            let n = try socket.read(into: &buffer, deadline: deadline)
            guard n > 0 else { throw PeerProcess.Failure(description: "the server closed the connection") }
            raw += buffer[..<n]
        }
    }

    static func readToEnd(_ socket: TCPSocket, timeout: Duration = .seconds(10)) -> (bytes: [UInt8], closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 1 << 16), all: [UInt8] = []
        while true {
            do {
                let n = try socket.read(into: &buffer, deadline: deadline)
                if n == 0 { return (all, true) }
                all += buffer[..<n]
            } catch {
                return (all, error.code != .timedOut)
            }
        }
    }

    /// The application data received so far.
    var data: [UInt8] { Self.data(events) }

    static func data(_ events: [TLSEvent]) -> [UInt8] {
        events.reduce(into: []) { if case .applicationData(let d) = $1 { $0 += d } }
    }
}

/// Plaintext records and messages as a script writes them.
enum RawTLS {
    static func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, 3, 1, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// The `tlsraw.py` ClientHello: `version`, `suites`, null compression, no extensions.
    static func clientHello(version: UInt16, suites: [UInt16]) -> [UInt8] {
        var body: [UInt8] = [UInt8(version >> 8), UInt8(version & 0xFF)] + [UInt8](repeating: 0x11, count: 32) + [0]
        body += [UInt8(suites.count * 2 >> 8), UInt8(suites.count * 2 & 0xFF)] + suites.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        body += [1, 0]
        return [1, UInt8(body.count >> 16), UInt8((body.count >> 8) & 0xFF), UInt8(body.count & 0xFF)] + body
    }

    /// The plaintext records in `bytes` (type, body).
    static func records(_ bytes: [UInt8]) -> [(type: UInt8, body: [UInt8])] {
        var out: [(UInt8, [UInt8])] = [], i = 0
        while i + 5 <= bytes.count {
            let n = Int(bytes[i + 3]) << 8 | Int(bytes[i + 4])
            out.append((bytes[i], Array(bytes[(i + 5)..<min(bytes.count, i + 5 + n)])))
            i += 5 + n
        }
        return out
    }
}
