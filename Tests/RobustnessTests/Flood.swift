import Foundation
import Synchronization
@testable import TLSHandshake
@testable import TLSSockets

/// The hostile half of the server load test (issue 12): silent TCP connections, TLS peers
/// that trickle empty records after the handshake, and peers that send garbage, each kind
/// from its own loopback address and re-opened as the server drops them, until ``stop()``.
/// Bounded: a fixed number of slots per kind, one round every `interval`.
final class Flood: Sendable {
    struct Size: Sendable {
        var silent: Int
        var tricklers: Int
        var garbage: Int
    }

    /// What the attackers saw.
    struct Report: Sendable, CustomStringConvertible {
        /// Connections opened, per kind.
        var silentOpened = 0, tricklersHandshaken = 0, garbageOpened = 0
        /// Longest time a trickling TLS peer went on before the server ended it (seconds).
        var longestTrickle = 0.0
        var description: String {
            "opened \(silentOpened) silent, \(tricklersHandshaken) trickling TLS, \(garbageOpened) garbage connection(s); "
                + String(format: "longest trickle held %.1f s", longestTrickle)
        }
    }

    private let stopped = Atomic<Bool>(false)
    private let report = Mutex(Report())
    private let running = Atomic<Int>(0)

    /// Starts the attacker threads against 127.0.0.1:`port`.
    init(port: UInt16, size: Size, tls: TLSConfiguration) {
        start { [self] in silent(port, size.silent) }
        for _ in 0..<size.tricklers { start { [self] in trickle(port, tls) } }
        start { [self] in garbage(port, size.garbage) }
    }

    /// Stops the threads (bounded wait) and closes every connection; returns the report.
    func stop() async -> Report {
        stopped.store(true, ordering: .releasing)
        _ = await Await.until(15) { running.load(ordering: .acquiring) == 0 }
        return report.withLock { $0 }
    }

    private var isStopped: Bool { stopped.load(ordering: .acquiring) }

    private func start(_ body: @escaping @Sendable () -> Void) {
        running.add(1, ordering: .acquiringAndReleasing)
        let thread = Thread { [self] in
            body()
            running.subtract(1, ordering: .acquiringAndReleasing)
        }
        thread.start()
    }

    /// A socket the server has closed (or, with TLS, sent close_notify on) is readable: these
    /// peers never ask for anything, so the server never sends to them first.
    private static func isDropped(_ socket: TCPSocket) -> Bool {
        socket.waitReadable(alsoWatching: nil, timeout: .zero).socket
    }

    private func silent(_ port: UInt16, _ count: Int) {
        var slots = [TCPSocket?](repeating: nil, count: count)
        while !isStopped {
            for i in slots.indices where !isStopped {
                if let s = slots[i], !Self.isDropped(s) { continue }
                slots[i]?.close()
                slots[i] = try? RawPeer.connect(from: "127.0.0.2", port: port, timeout: .seconds(1))
                if slots[i] != nil { report.withLock { $0.silentOpened += 1 } }
            }
            Thread.sleep(forTimeInterval: 1)
        }
        slots.forEach { $0?.close() }
    }

    /// One thread per trickling peer: handshake, then an empty record every 0.5 s while
    /// watching for the server's close_notify or close, which ends the peer's turn.
    private func trickle(_ port: UInt16, _ tls: TLSConfiguration) {
        while !isStopped {
            guard let socket = try? RawPeer.connect(from: "127.0.0.3", port: port, timeout: .seconds(1)),
                let stream = try? BlockingTLSStream(client: socket, configuration: tls, serverName: "localhost", handshakeTimeout: .seconds(2))
            else {
                Thread.sleep(forTimeInterval: 1)  // refused (over the per-address cap): retry later
                continue
            }
            report.withLock { $0.tricklersHandshaken += 1 }
            let since = ContinuousClock.now
            while !isStopped {
                do {
                    try stream.write([], deadline: .now + .seconds(1))  // one empty application-data record
                    _ = try stream.read(maxCount: 1, deadline: .now + .milliseconds(500))
                    break  // close_notify (or data, which the server never sends unasked)
                } catch .timedOut {
                    continue
                } catch {
                    break
                }
            }
            if !isStopped {
                let held = ContinuousClock.now - since
                let seconds = Double(held.components.seconds) + Double(held.components.attoseconds) / 1e18
                report.withLock { $0.longestTrickle = max($0.longestTrickle, seconds) }
            }
            stream.abort()
        }
    }

    private func garbage(_ port: UInt16, _ count: Int) {
        var slots = [TCPSocket?](repeating: nil, count: count)
        var generator = SystemRandomNumberGenerator()
        while !isStopped {
            for i in slots.indices where !isStopped {
                if slots[i] == nil {
                    slots[i] = try? RawPeer.connect(from: "127.0.0.4", port: port, timeout: .seconds(1))
                    if slots[i] != nil { report.withLock { $0.garbageOpened += 1 } }
                }
                let junk = (0..<256).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if let s = slots[i], (try? s.write(junk, deadline: .now + .milliseconds(200))) == nil || Self.isDropped(s) {
                    s.close()
                    slots[i] = nil
                }
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        slots.forEach { $0?.close() }
    }
}

/// Peak resources of a process, sampled every 100 ms on a thread of its own.
final class ResourceSampler: Sendable {
    private let peak: Mutex<ProcessResources>
    private let stopped = Atomic<Bool>(false)
    private let done = Atomic<Bool>(false)

    init(_ pid: Int32) {
        peak = Mutex(ProcessResources.measure(pid))
        let thread = Thread { [self] in
            while !stopped.load(ordering: .acquiring) {
                let now = ProcessResources.measure(pid)
                peak.withLock { p in
                    p = ProcessResources(
                        fileDescriptors: max(p.fileDescriptors, now.fileDescriptors), threads: max(p.threads, now.threads),
                        residentKiB: max(p.residentKiB, now.residentKiB))
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
            done.store(true, ordering: .releasing)
        }
        thread.start()
    }

    /// Stops sampling and returns the peaks.
    func stop() -> ProcessResources {
        stopped.store(true, ordering: .releasing)
        let end = ContinuousClock.now + .seconds(2)
        while !done.load(ordering: .acquiring), ContinuousClock.now < end { Thread.sleep(forTimeInterval: 0.02) }
        return peak.withLock { $0 }
    }
}
