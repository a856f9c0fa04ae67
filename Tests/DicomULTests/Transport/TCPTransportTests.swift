import Foundation
import Synchronization
import TLSHandshake
import TLSSockets
import Testing

@testable import DicomUL

/// Plain TCP over TLSHandshake's socket layer: error mapping, TCP_NODELAY, and the listener's
/// timeout and close semantics as ``DicomServer`` relies on them.
@Suite struct TCPTransportTests {
    /// A connected pair over loopback: our requestor side and the accepted side.
    static func pair() throws -> (client: TCPTransport, server: TCPTransport) {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try TCPTransport.connect(host: "127.0.0.1", port: listener.port, timeout: 5)
        guard let accepted = try listener.accept(timeout: 5) else { throw DicomError(.io, "no connection accepted") }
        return (client, TCPTransport(adopting: accepted))
    }

    @Test func bytesFlowAndNoDelayIsSetOnBothSides() throws {
        let (client, server) = try Self.pair()
        #expect(client.socket.isNoDelayEnabled)
        #expect(server.socket.isNoDelayEnabled)
        try client.write([1, 2, 3, 4], timeout: 5)
        var received: [UInt8] = []
        while received.count < 4 { received += try server.read(upTo: 4 - received.count, timeout: 5) }
        #expect(received == [1, 2, 3, 4])
        #expect(server.peerDescription.hasPrefix("127.0.0.1:"))
        client.close()
        #expect(try server.read(upTo: 16, timeout: 5).isEmpty)  // orderly close: end of stream
    }

    @Test func silentPeerTimesOutWithThePeerNamed() throws {
        let (client, server) = try Self.pair()
        defer { server.close() }  // kept open and silent
        let error = #expect(throws: DicomError.self) { try client.read(upTo: 16, timeout: 0.2) }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("timed out after 0.2 s reading from 127.0.0.1:") == true)
    }

    @Test func locallyClosedTransportReportsConnectionClosed() throws {
        let (client, _) = try Self.pair()
        client.close()
        client.close()  // idempotent
        let read = #expect(throws: DicomError.self) { try client.read(upTo: 16, timeout: 1) }
        #expect(read?.code == .connectionClosed)
        let write = #expect(throws: DicomError.self) { try client.write([0], timeout: 1) }
        #expect(write?.code == .connectionClosed)
    }

    @Test func writingToAVanishedPeerReportsConnectionClosed() throws {
        let (client, server) = try Self.pair()
        server.close()
        var failure: DicomError?
        for _ in 0..<200 where failure == nil {  // the first writes may still be buffered; RST follows
            do throws(DicomError) { try client.write([UInt8](repeating: 0, count: 1024), timeout: 1) } catch { failure = error }
            usleep(5_000)
        }
        #expect(failure?.code == .connectionClosed)
        #expect(failure?.message.contains("writing to 127.0.0.1:") == true)
    }

    @Test func refusedConnectionIsAnIOErrorNamingThePort() throws {
        let port = try DicomListener(host: "127.0.0.1", port: 0).port  // released again: nothing listens
        let error = #expect(throws: DicomError.self) { try TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 2) }
        #expect(error?.code == .io)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
    }

    @Test func listenerTimeoutMeansNoConnectionYet() throws {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        #expect(try listener.accept(timeout: 0.1) == nil)
    }

    @Test func closeWakesABlockedAccept() throws {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        let outcome = Mutex<DicomError.Code?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            do throws(DicomError) { _ = try listener.accept(timeout: 10) } catch { outcome.withLock { $0 = error.code } }
        }
        thread.start()
        usleep(200_000)
        let start = ContinuousClock.now
        listener.close()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(outcome.withLock { $0 } == .connectionClosed)
    }
}
