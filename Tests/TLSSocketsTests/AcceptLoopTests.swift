import Foundation
import Synchronization
import Testing
@testable import TLSSockets

/// `AcceptLoop`: admission limits applied in the loop, `leavePending`, graceful stop.
@Suite struct AcceptLoopTests {
    @Test func limitsRefuseAtOnceAndLeavePendingFreesASlot() throws {
        let loop = AcceptLoop(listener: try TCPListener(), limits: AdmissionLimits(maximumConnections: 3, maximumPending: 2, maximumPendingPerAddress: 2))
        let served = Mutex<[AcceptedConnection]>([])
        let runner = Thread {
            loop.run { connection in
                served.withLock { $0.append(connection) }
                var buffer = [UInt8](repeating: 0, count: 16)
                while (try? connection.socket.read(into: &buffer, deadline: .now + .seconds(10))) ?? 0 > 0 {}
            }
        }
        runner.start()
        defer { loop.stop(gracePeriod: .zero) }
        let port = loop.listener.port
        let a = try TCPSocket.connect(host: "127.0.0.1", port: port), b = try TCPSocket.connect(host: "127.0.0.1", port: port)
        #expect(Self.waitUntil { loop.statistics.pending == 2 })
        let c = try TCPSocket.connect(host: "127.0.0.1", port: port)
        var buffer = [UInt8](repeating: 0, count: 1)
        #expect(try c.read(into: &buffer, deadline: .now + .seconds(5)) == 0, "over the pending cap: closed at once")
        #expect(loop.statistics.refused == 1)
        served.withLock { $0[0].leavePending() }  // "associated": no longer pending
        let d = try TCPSocket.connect(host: "127.0.0.1", port: port)
        #expect(Self.waitUntil { loop.statistics.connections == 3 && loop.statistics.pending == 2 })
        let e = try TCPSocket.connect(host: "127.0.0.1", port: port)
        #expect(try e.read(into: &buffer, deadline: .now + .seconds(5)) == 0, "over the connection cap: closed at once")
        // Graceful stop: nothing finishes within the grace period, so all three are cut off.
        let cut = loop.stop(gracePeriod: .milliseconds(100))
        #expect(cut == 3 && loop.statistics.connections == 0)
        for s in [a, b, d] { #expect(try s.read(into: &buffer, deadline: .now + .seconds(5)) == 0) }
    }

    static func waitUntil(_ condition: () -> Bool) -> Bool {
        let end = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }
}
