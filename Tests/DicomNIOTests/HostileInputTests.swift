import DicomUL
import Foundation
import Testing
import TestSupport
@testable import DicomNIO

/// Hostile peers against the async server: the right A-ABORT or close within ARTIM, nothing
/// buffered for a hostile length, and the server still serving afterwards.
@Suite(.timeLimit(.minutes(2))) struct HostileInputTests {
    static let artim = 1.0

    static func start() async throws -> RunningServer {
        try await RunningServer.start {
            $0.timeouts = DicomTimeouts(artim: artim, reply: 5)
            $0.logger = quietLogger
        }
    }

    /// Sends `bytes`, then reads until EOF (bounded); returns what came back and how long it took.
    static func exchange(_ bytes: [UInt8], port: UInt16) async throws -> (reply: [UInt8], seconds: Double) {
        try await offPool {
            let t = try TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 5)
            defer { t.close() }
            let start = Date()
            if !bytes.isEmpty { try t.write(bytes, timeout: 5) }
            var reply: [UInt8] = []
            while Date().timeIntervalSince(start) < 10 {
                let chunk = try t.read(upTo: 4096, timeout: 10)
                if chunk.isEmpty { break }
                reply += chunk
            }
            return (reply, Date().timeIntervalSince(start))
        }
    }

    static func echoWorks(port: UInt16) async throws -> Bool {
        try await offPool {
            try DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 10, reply: 60)))
                .echo() == .success
        }
    }

    @Test func unknownPDUTypeIsAbortedAndClosed() async throws {
        let running = try await Self.start()
        let (reply, seconds) = try await Self.exchange([0x55, 0, 0, 0, 0, 4, 1, 2, 3, 4], port: running.port)
        // A-ABORT (type 7), service-provider source (2), then EOF: PS3.8 Table 9-10 AA-1 in Sta2.
        #expect(reply.first == 0x07 && reply.count == 10, "\(reply)")
        #expect(reply.count == 10 && reply[8] == 2)
        #expect(seconds < Self.artim + 7)  // well under the 10 s read cap; the server's close can wait on a loaded pool
        #expect(try await Self.echoWorks(port: running.port))
        await running.stop()
    }

    @Test func oversizeLengthIsAbortedWithoutWaitingForTheBody() async throws {
        let running = try await Self.start()
        // An A-ASSOCIATE-RQ claiming 4 GiB - 1 of body.
        let (reply, seconds) = try await Self.exchange([0x01, 0, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 1000), port: running.port)
        #expect(reply.first == 0x07, "\(reply)")
        #expect(seconds < Self.artim + 7)  // well under the 10 s read cap; the server's close can wait on a loaded pool
        #expect(try await Self.echoWorks(port: running.port))
        await running.stop()
    }

    @Test func silentPeerIsClosedWhenARTIMExpires() async throws {
        let running = try await Self.start()
        let (reply, seconds) = try await Self.exchange([], port: running.port)
        #expect(reply.isEmpty)
        #expect(seconds >= Self.artim * 0.9 && seconds < Self.artim + 1.5, "closed after \(seconds) s")
        #expect(try await Self.echoWorks(port: running.port))
        await running.stop()
    }

    @Test func tricklingRequestIsClosedWithinARTIM() async throws {
        let running = try await Self.start()
        let port = running.port
        let seconds = try await offPool {
            let t = try TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 5)
            defer { t.close() }
            let start = Date()
            // A header announcing 200 bytes, then one byte every 100 ms: ARTIM is not extended.
            try t.write([0x01, 0, 0, 0, 0, 200], timeout: 5)
            while Date().timeIntervalSince(start) < 10 {
                do throws(DicomError) {
                    try t.write([0], timeout: 1)
                } catch { break }
                let chunk = (try? t.read(upTo: 64, timeout: 0.1)) ?? [0]
                if chunk.isEmpty { break }
            }
            return Date().timeIntervalSince(start)
        }
        #expect(seconds < Self.artim + 2, "held for \(seconds) s")
        await running.stop()
    }
}
