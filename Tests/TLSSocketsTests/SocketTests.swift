import Foundation
import Testing
@testable import TLSHandshake
@testable import TLSSockets

#if canImport(Glibc)
import Glibc
#endif

/// The POSIX socket layer under the blocking TLS stream: loopback only, every wait bounded.
@Suite struct SocketTests {
    @Test func listenOnPortZeroThenConnectAndExchangeBytes() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        #expect(listener.port != 0)
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))
        #expect(client.isNoDelayEnabled)
        #expect(server.isNoDelayEnabled)
        #expect(server.remoteAddress.port == client.localAddress?.port)

        let message = Array("hello over loopback".utf8)
        try client.write(message, deadline: .now + .seconds(5))
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try server.read(into: &buffer, deadline: .now + .seconds(5))
        #expect(Array(buffer[..<n]) == message)

        client.shutdownWrite()
        #expect(try server.read(into: &buffer, deadline: .now + .seconds(5)) == 0)  // end of stream
    }

    @Test func largeWriteCompletesWhileThePeerReadsSlowly() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))
        let payload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }  // larger than socket buffers
        let writer = Thread { try? client.write(payload, deadline: .now + .seconds(30)); client.shutdownWrite() }
        writer.start()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try server.read(into: &buffer, deadline: .now + .seconds(30))
            if n == 0 { break }
            received += buffer[..<n]
        }
        #expect(received.count == payload.count)
        #expect(received == payload)
    }

    @Test func waitReadableReportsWhichSideHasData() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(client.waitReadable(alsoWatching: fds[0], timeout: .milliseconds(50)) == (false, false))
        _ = write(fds[1], "x", 1)
        #expect(client.waitReadable(alsoWatching: fds[0], timeout: .seconds(5)) == (false, true))
        try server.write([1], deadline: .now + .seconds(5))
        #expect(client.waitReadable(alsoWatching: nil, timeout: .seconds(5)) == (true, false))
    }

    @Test(arguments: ["0.0.0.0", "localhost"])
    func listenOnAnyOrByNameAndConnectOverLoopback(host: String) throws {
        let listener = try TCPListener(host: host, port: 0)
        defer { listener.close() }
        let target = listener.localAddress.host.contains(":") ? "::1" : "127.0.0.1"
        let client = try TCPSocket.connect(host: target, port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))
        try client.write([42], deadline: .now + .seconds(5))
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(try server.read(into: &buffer, deadline: .now + .seconds(5)) == 1)
        #expect(buffer[0] == 42)
    }

    @Test func secondListenerOnTheSamePortSaysAddressInUse() throws {
        let first = try TCPListener(host: "127.0.0.1", port: 0)
        defer { first.close() }
        let error = #expect(throws: SocketError.self) { try TCPListener(host: "127.0.0.1", port: first.port) }
        #expect(error?.code == .addressInUse)
        #expect(error?.message.contains("already in use") == true)
        #expect(error?.message.contains("127.0.0.1:\(first.port)") == true)
    }

    @Test func connectingToAClosedPortSaysConnectionRefused() throws {
        let port = try TCPListener().port  // bound, then closed when released: nothing listens now
        let error = #expect(throws: SocketError.self) {
            try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        }
        #expect(error?.code == .connectionRefused)
        #expect(error?.message.contains("nothing is listening") == true)
    }

    @Test func readPastItsDeadlineSaysTimedOut() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))  // connected and silent
        defer { server.close() }
        var buffer = [UInt8](repeating: 0, count: 16)
        let start = ContinuousClock.now
        let error = #expect(throws: SocketError.self) {
            try client.read(into: &buffer, deadline: .now + .milliseconds(200))
        }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .timedOut)
        #expect(elapsed >= .milliseconds(190) && elapsed < .seconds(3))
    }

    /// Review F7: the deadline is checked before every recv, so bytes that keep arriving
    /// (or are already waiting) do not carry a caller past it.
    @Test func deadlineHoldsWhileBytesKeepArriving() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))
        defer { server.close() }
        try server.write([1, 2, 3, 4])
        var buffer = [UInt8](repeating: 0, count: 1)
        let passed = ContinuousClock.now - .milliseconds(1)
        Thread.sleep(forTimeInterval: 0.05)  // the bytes are waiting
        let error = #expect(throws: SocketError.self) { try client.read(into: &buffer, deadline: passed) }
        #expect(error?.code == .timedOut)
        #expect(throws: SocketError.self) { try client.write([1], deadline: passed) }
        // One deadline over a loop of reads while the peer streams a byte every 10 ms.
        let streamer = Thread {
            for _ in 0..<300 {
                guard (try? server.write([7], deadline: .now + .seconds(1))) != nil else { return }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        streamer.start()
        let deadline = ContinuousClock.now + .milliseconds(300)
        var received = 0
        let loop = #expect(throws: SocketError.self) {
            while true { received += try client.read(into: &buffer, deadline: deadline) }
        }
        #expect(loop?.code == .timedOut)
        #expect(received > 0 && ContinuousClock.now - deadline < .seconds(1))
        client.close()
    }

    @Test func acceptPastItsTimeoutSaysTimedOut() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let error = #expect(throws: SocketError.self) { try listener.accept(timeout: .milliseconds(100)) }
        #expect(error?.code == .timedOut)
    }

    @Test func closingTheListenerWakesABlockedAccept() throws {
        let listener = try TCPListener()
        let closer = Thread { Thread.sleep(forTimeInterval: 0.1); listener.close() }
        closer.start()
        let error = #expect(throws: SocketError.self) { try listener.accept(timeout: .seconds(5)) }
        #expect(error?.code == .closed || error?.code == .timedOut)
        #expect(error?.code == .closed)
    }

    @Test func writingAfterClosingSaysClosed() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        client.close()
        client.close()  // idempotent
        #expect(client.isClosed)
        let error = #expect(throws: SocketError.self) { try client.write([1, 2, 3]) }
        #expect(error?.code == .closed)
    }

    @Test func writingToAResetPeerSaysConnectionReset() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
        let server = try listener.accept(timeout: .seconds(5))
        server.close()
        let error = #expect(throws: SocketError.self) {
            for _ in 0..<100 {
                try client.write([UInt8](repeating: 0, count: 65536), deadline: .now + .seconds(5))
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        #expect(error?.code == .connectionReset)
    }

    @Test(arguments: [
        (ENETUNREACH, SocketError.Code.unreachable, "network unreachable"),
        (EHOSTUNREACH, .unreachable, "host unreachable"),
        (ECONNREFUSED, .connectionRefused, "connection refused"),
        (EADDRINUSE, .addressInUse, "already in use"),
        (ETIMEDOUT, .timedOut, "timed out"),
    ])
    func errnoValuesGetClearMessages(value: Int32, code: SocketError.Code, words: String) {
        let error = SocketError(errno: value, operation: "connect to 192.0.2.1:104")
        #expect(error.code == code)
        #expect(error.message.hasPrefix("cannot connect to 192.0.2.1:104: "))
        #expect(error.message.contains(words))
        #expect(error.errno == value)
    }

    @Test func connectToAHostThatNeverAnswersTimesOut() throws {
        // A listener with a full accept queue drops further SYNs (Linux), so the connect waits.
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 0)
        defer { listener.close() }
        var held: [TCPSocket] = []
        var timedOut: SocketError?
        for _ in 0..<8 {
            do {
                held.append(try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .milliseconds(300)))
            } catch {
                timedOut = error
                break
            }
        }
        #expect(timedOut?.code == .timedOut)
        #expect(timedOut?.message.contains("timed out") == true)
        #expect(held.count >= 1)
    }
}
