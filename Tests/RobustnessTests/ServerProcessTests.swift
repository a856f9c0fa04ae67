@testable import DicomUL
import Foundation
import Testing
@testable import TLSHandshake
@testable import TLSSockets
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Nested in the serialized ``LoadTests`` so that only one of these blocking suites holds a
/// thread of the test pool at a time (the others' time limits stay meaningful on 2 cores).
extension LoadTests {
    /// Review F2 and F10, issue 12 items 6 and 7, against the `dicomtls storescp` and
    /// `tls-server` processes: descriptor exhaustion (`ulimit -n`), connection caps, the idle
    /// timeout and SIGTERM. Loopback only; every wait is bounded.
    @Suite(.timeLimit(.minutes(4))) struct ServerProcessTests {
        /// Starts `dicomtls ARGS` under `ulimit -n LIMIT` and returns it with the port it printed.
        static func start(_ arguments: [String], descriptorLimit: Int? = nil) throws -> (PeerProcess, UInt16) {
            let binary = try LoadTests.binary()
            let process: PeerProcess
            if let limit = descriptorLimit {
                process = try PeerProcess("/bin/bash", ["-c", "ulimit -n \(limit); exec \"$0\" \"$@\"", binary] + arguments, name: arguments[0])
            } else {
                process = try PeerProcess(binary, arguments, name: arguments[0])
            }
            #expect(try process.waitForOutput("listening on 127.0.0.1:", timeout: .seconds(20)))
            let text = process.text
            guard let range = text.range(of: "listening on 127.0.0.1:") else { throw LoadFailure("no port in \(text)") }
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            return (process, try #require(UInt16(digits)))
        }

        static func lines(_ process: PeerProcess, containing needle: String) -> Int {
            process.text.split(separator: "\n").filter { $0.contains(needle) }.count
        }

        /// Holds `count` silent connections from `source` for `seconds`; returns the server's
        /// CPU ticks meanwhile.
        static func flood(_ port: UInt16, pid: Int32, count: Int, from source: String, seconds: Double) async -> (opened: Int, ticks: Int) {
            var held: [TCPSocket] = []
            for _ in 0..<count { if let s = try? RawPeer.connect(from: source, port: port, timeout: .seconds(2)) { held.append(s) } }
            let t0 = RawPeer.cpuTicks(pid)
            await Await.pause(seconds)
            let ticks = RawPeer.cpuTicks(pid) - t0
            held.forEach { $0.close() }
            return (held.count, ticks)
        }

        /// F2: `ulimit -n 48` and `hold.py PORT 60` made storescp leave its accept loop and exit.
        @Test(arguments: [false, true]) func storescpSurvivesDescriptorExhaustion(blocking: Bool) async throws {
            let out = try LoadTests.folder("f2\(blocking)")
            let (scp, port) = try Self.start(
                ["storescp"] + (blocking ? ["--blocking"] : []) + ["--port", "0", "--host", "127.0.0.1", "--output-dir", out, "-v", "--max-pending", "1000",
                 "--max-pending-per-address", "1000"],
                descriptorLimit: 48)
            defer { scp.stop() }
            let (opened, ticks) = await Self.flood(port, pid: scp.pid, count: 120, from: "127.0.0.2", seconds: 3)
            let failures = Self.lines(scp, containing: "accept failed")
            LoadTests.report("F2: storescp\(blocking ? " --blocking" : "") under ulimit -n 48, \(opened) connections held 3 s: alive=\(scp.isRunning), \(failures) 'accept failed' line(s), server CPU \(ticks) ticks")
            #expect(scp.isRunning, "storescp exited: \(scp.text)")
            #expect(failures >= 1 && failures <= 5, "accept failures are logged once per burst")
            #expect(ticks < 150, "the accept loop backs off instead of spinning")
            let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 5, reply: 10)))
            #expect(await Await.until(10) { (try? client.echo())?.isSuccess == true }, "storescp serves again once the flood stops")
            #expect(Self.lines(scp, containing: "accepting again") >= 1)
        }

        /// F10: under `ulimit -n 40` tls-server spun at 100 % CPU logging ~350 000 lines/s.
        /// Both servers: SwiftNIO (the default) and `--blocking`.
        @Test(arguments: [false, true]) func tlsServerBacksOffOnDescriptorExhaustion(blocking: Bool) async throws {
            let pki = try LoadPKI.shared.get()
            let (server, port) = try Self.start(
                ["tls-server", "--port", "0", "--cert", pki.certificatePath, "--key", pki.keyPath, "--max-connections", "1000",
                 "--max-handshakes-per-address", "1000"] + (blocking ? ["--blocking"] : []),
                descriptorLimit: 40)
            defer { server.stop() }
            let (opened, ticks) = await Self.flood(port, pid: server.pid, count: 80, from: "127.0.0.2", seconds: 3)
            let failures = Self.lines(server, containing: "accept failed")
            LoadTests.report("F10: tls-server\(blocking ? " --blocking" : "") under ulimit -n 40, \(opened) connections held 3 s: \(failures) 'accept failed' line(s), server CPU \(ticks) ticks")
            #expect(server.isRunning)
            #expect(failures >= 1 && failures <= 5)
            #expect(ticks < 150)
            #expect(await Await.until(10) { (try? Self.echo(port, pki)) == true }, "tls-server serves again once the flood stops")
        }

        static func echo(_ port: UInt16, _ pki: LoadPKI) throws -> Bool {
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: try pki.clientConfig(), serverName: "localhost", timeout: .seconds(5))
            stream.ioTimeout = .seconds(5)
            try stream.write(Array("ping".utf8))
            let answer = try stream.read()
            try? stream.close()
            return answer == Array("ping".utf8)
        }

        /// F10 and item 6: an idle timeout after the handshake, and a connection cap.
        @Test func tlsServerIdleTimeoutAndConnectionCap() throws {
            let pki = try LoadPKI.shared.get()
            let (server, port) = try Self.start(
                ["tls-server", "--port", "0", "--cert", pki.certificatePath, "--key", pki.keyPath, "--idle-timeout", "1", "--max-connections", "2"])
            defer { server.stop() }
            let first = try BlockingTLSStream.connect(host: "127.0.0.1", port: port, configuration: try pki.clientConfig(), serverName: "localhost")
            let second = try BlockingTLSStream.connect(host: "127.0.0.1", port: port, configuration: try pki.clientConfig(), serverName: "localhost")
            let third = try RawPeer.connect(from: "127.0.0.1", port: port)
            #expect(RawPeer.isClosedByServer(third, within: 1), "a third connection is closed at once")
            let idle = RawPeer.secondsUntilClosed(first.socket, limit: 5)
            _ = RawPeer.secondsUntilClosed(second.socket, limit: 5)
            LoadTests.report("item 6: tls-server --idle-timeout 1 closed a silent client after \(idle.map { String(format: "%.2f", $0) } ?? "never") s")
            let t = try #require(idle, "the idle client was never disconnected")
            #expect(t > 0.5 && t < 3)
            #expect(waitUntil(5) { (try? Self.echo(port, pki)) == true })
            // Item 7: SIGTERM stops it with status 0.
            kill(server.pid, SIGTERM)
            #expect(server.waitForExit(timeout: .seconds(10)) == 0, "\(server.text)")
        }

        /// Item 7: SIGTERM on storescp during a store: the store is aborted after the grace
        /// period, its partial file removed, and the process exits 0.
        @Test func storescpStopsGracefullyOnSIGTERM() throws {
            let out = try LoadTests.folder("sigterm")
            let (scp, port) = try Self.start(["storescp", "--port", "0", "--host", "127.0.0.1", "--output-dir", out, "--grace-period", "1", "--max-pdu", "256"])
            defer { scp.stop() }
            let object = DicomObjectGenerator.secondaryCapture(rows: 64, columns: 64)
            try startSlowStore(of: object, port: port)
            #expect(waitUntil(10) { ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).contains { $0.hasSuffix(".partial") } })
            let start = ContinuousClock.now
            kill(scp.pid, SIGTERM)
            let status = scp.waitForExit(timeout: .seconds(15))
            let took = AdmissionAndDeadlineTests.seconds(since: start)
            LoadTests.report(String(format: "item 7: storescp SIGTERM with a store in flight: exit %@ after %.2f s (grace 1 s)", status.map(String.init) ?? "none", took))
            #expect(status == 0, "\(scp.text)")
            #expect(took >= 0.9 && took < 8)
            #expect(scp.text.contains("1 association(s) aborted"), "\(scp.text)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty, "no partial file survives")
        }
    }
}
