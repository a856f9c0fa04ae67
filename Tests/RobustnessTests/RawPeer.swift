import Foundation
import Synchronization
@testable import TLSSockets

#if canImport(Glibc)
import Glibc
#endif

/// Hostile peers for the admission and deadline tests: TCP connections from a chosen
/// loopback source address (127.0.0.0/8 is all loopback on Linux), so an attacker and the
/// legitimate clients have different peer addresses, as on a real network.
enum RawPeer {
    /// A TCP connection from `source` (e.g. "127.0.0.2") to 127.0.0.1:`port`.
    static func connect(from source: String, port: UInt16, timeout: Duration = .seconds(5)) throws -> TCPSocket {
        guard let local = try SocketAddress.resolve(host: source, port: 0, passive: true).first,
            let remote = try SocketAddress.resolve(host: "127.0.0.1", port: port, passive: false).first
        else { throw SocketError(.resolutionFailed, "no address") }
        let fd = POSIX.makeSocket(family: AF_INET, protocol: 0)
        guard fd >= 0 else { throw SocketError(errno: POSIX.errno, operation: "socket") }
        var ok = false
        defer { if !ok { POSIX.close(fd) } }
        guard unsafe local.withSockAddr({ unsafe bind(fd, $0, $1) }) == 0 else {
            throw SocketError(errno: POSIX.errno, operation: "bind to \(source)")
        }
        POSIX.setNonBlocking(fd)
        let r = unsafe remote.withSockAddr { unsafe Glibc.connect(fd, $0, $1) }
        if r != 0 {
            guard POSIX.errno == EINPROGRESS else { throw SocketError(errno: POSIX.errno, operation: "connect from \(source)") }
            try POSIX.wait(fd, for: Int16(POLLOUT), until: .now + timeout, operation: "connect from \(source)")
            let pending = POSIX.pendingError(fd)
            guard pending == 0 else { throw SocketError(errno: pending, operation: "connect from \(source)") }
        }
        ok = true
        return TCPSocket(descriptor: fd, remote: remote)
    }

    /// Whether the server closed `socket` within `seconds` (end of stream, reset, or closed).
    static func isClosedByServer(_ socket: TCPSocket, within seconds: Double) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            do {
                if try socket.read(into: &buffer, deadline: deadline) == 0 { return true }
            } catch {
                return error.code != .timedOut
            }
        }
        return false
    }

    /// Seconds until the server closes `socket` (nil: still open after `limit`).
    static func secondsUntilClosed(_ socket: TCPSocket, limit: Double) -> Double? {
        let start = ContinuousClock.now
        guard isClosedByServer(socket, within: limit) else { return nil }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// CPU time (user + system, in clock ticks of 10 ms) a process has used, from /proc.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3; utime and stime are fields 14 and 15.
        guard fields.count > 12 else { return 0 }
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }
}

/// Hands a single-owner object (an `Association`) to the one thread that uses it next; the
/// test never touches it from two threads at once.
final class HandOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Waits without holding a thread of the test pool (2 threads on 2 cores: a test that
/// sleeps or polls on one starves the other suites and trips their time limits).
enum Await {
    /// Sleeps `seconds`.
    static func pause(_ seconds: Double) async {
        try? await Task.sleep(for: .seconds(seconds))
    }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
    static func until(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < end {
            if condition() { return true }
            await pause(0.02)
        }
        return condition()
    }

    /// Runs `body(i)` on `count` threads of their own and waits (at most `timeout` seconds)
    /// for all; returns the failures.
    static func concurrently(_ count: Int, timeout: Double, _ body: @escaping @Sendable (Int) throws -> Void) async -> [String] {
        let failures = Failures()
        let finished = Atomic<Int>(0)
        for i in 0..<count {
            let t = Thread {
                do { try body(i) } catch { failures.add("\(i): \(error)") }
                finished.add(1, ordering: .releasing)
            }
            t.stackSize = 1 << 20
            t.start()
        }
        if await !until(timeout, { finished.load(ordering: .acquiring) == count }) { failures.add("timed out after \(timeout) s") }
        return failures.all
    }
}
