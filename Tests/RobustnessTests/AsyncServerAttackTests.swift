import DicomNIO
import Logging
@testable import DicomUL
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import TLSSockets

extension LoadTests {
    /// The review's attacks F3, F4, F7 and F13 against the async `DicomAsyncServer`, which
    /// `dicomtls storescp` runs by default: the same hostile bytes as
    /// ``AdmissionAndDeadlineTests`` sends the blocking server, the same answers expected on
    /// the wire, and a legitimate peer served meanwhile.
    @Suite(.timeLimit(.minutes(5))) struct AsyncServerAttackTests {
        struct Running {
            let server: DicomAsyncServer
            let task: Task<Void, any Error>
            let port: UInt16
            let output: String

            func stop() async {
                _ = await server.stop(gracePeriod: .seconds(1))
                _ = try? await task.value
            }
        }

        static func start(
            tls: Bool = false, timeouts: DicomTimeouts = DicomTimeouts(artim: 5, reply: 10, idle: 20),
            admission: AdmissionLimits = AdmissionLimits(), maxPDU: UInt32 = 65536
        ) async throws -> Running {
            let output = try LoadTests.folder("async-attack")
            var configuration = DicomAsyncServerConfiguration(
                host: "127.0.0.1", port: 0, security: tls ? .tls(try LoadPKI.shared.get().serverConfig()) : .none,
                timeouts: timeouts, maximumReceivePDULength: maxPDU, admission: admission,
                services: DicomServices(store: try FolderStorageHandler(directory: output)))
            configuration.logger.logLevel = .critical
            let server = DicomAsyncServer(configuration)
            let task = Task { try await server.run() }
            return Running(server: server, task: task, port: UInt16(try await server.port()), output: output)
        }

        /// F3: 64 silent connections from one address do not lock out associations: past the
        /// per-address share (8) they are closed at once. (The thread count is reported, not
        /// asserted: other suites start threads in this process meanwhile; the benchmark
        /// shows it constant with 1,000 associations.)
        @Test func silentConnectionsNeitherLockOutAssociationsNorTakeThreads() async throws {
            let running = try await Self.start(admission: AdmissionLimits(maximumPending: 64, maximumPendingPerAddress: 8))
            let port = running.port
            let (before, held, echoes, closedAtOnce) = try await offPool {
                let before = ProcessResources.measure()
                let silent = try (0..<64).map { _ in try RawPeer.connect(from: "127.0.0.2", port: port) }
                defer { silent.forEach { $0.close() } }
                let closedAtOnce = silent.filter { RawPeer.isClosedByServer($0, within: 0.2) }.count
                let held = ProcessResources.measure()
                let echoes = try (0..<5).map { _ in try AdmissionAndDeadlineTests.echo(port) }
                return (before, held, echoes, closedAtOnce)
            }
            await running.stop()
            LoadTests.report("F3 (async): 64 silent connections from one address: \(closedAtOnce) closed at once, threads \(before.threads) → \(held.threads)")
            #expect(closedAtOnce == 56, "refused connections are closed at once")
            #expect(echoes == Array(repeating: .success, count: 5))
        }

        /// F4: empty TLS records every 0.4 s do not hold a connection past ARTIM.
        @Test func emptyRecordsDoNotHoldATLSConnectionPastARTIM() async throws {
            let artim = 2.0
            let running = try await Self.start(tls: true, timeouts: DicomTimeouts(artim: artim, reply: 10, idle: 20))
            let port = running.port
            let closedAfter = try await offPool { try AdmissionAndDeadlineTests.secondsUntilEmptyRecordsAreCut(port: port, limit: artim * 4) }
            let echo = try await offPool { try AdmissionAndDeadlineTests.echo(port, tls: true) }
            await running.stop()
            LoadTests.report("F4 (async): TLS peer trickling empty records every 0.4 s closed after \(closedAfter.map { String(format: "%.2f", $0) } ?? "never") s (ARTIM \(artim) s)")
            let t = try #require(closedAfter, "the trickling peer was never disconnected")
            #expect(t >= artim * 0.9 && t < artim + 1.5)
            #expect(echo.isSuccess)
        }

        /// F7: a stream of warning alerts instead of a ClientHello (`alert_stream.py`) is cut
        /// (by the engine's limit on consecutive warnings, well within ARTIM); a ClientHello
        /// trickled a byte every 0.2 s is cut when ARTIM, which bounds the TLS handshake, expires.
        @Test func handshakeDeadlineHoldsWhileAlertsStreamOrBytesTrickle() async throws {
            let artim = 1.0
            let running = try await Self.start(tls: true, timeouts: DicomTimeouts(artim: artim, reply: 10, idle: 20))
            let port = running.port
            let alerts = try await offPool { try Self.secondsUntilAlertStreamIsCut(port: port, limit: 10) }
            let trickle = try await offPool { try Self.secondsUntilTrickledHelloIsCut(port: port, limit: 10) }
            let echo = try await offPool { try AdmissionAndDeadlineTests.echo(port, tls: true) }
            await running.stop()
            let text = { (t: Double?) in t.map { String(format: "%.2f", $0) } ?? "never" }
            LoadTests.report("F7 (async): warning alerts instead of a ClientHello cut after \(text(alerts)) s, a trickled ClientHello after \(text(trickle)) s (ARTIM \(artim) s)")
            #expect(try #require(alerts, "the alert stream was never cut") < artim + 1.5)
            let t = try #require(trickle, "the trickled ClientHello was never cut")
            #expect(t >= artim * 0.9 && t < artim + 1.5)
            #expect(echo.isSuccess)
        }

        /// A handshake record header announcing 200 bytes, then one byte every 0.2 s.
        static func secondsUntilTrickledHelloIsCut(port: UInt16, limit: Double) throws -> Double? {
            let socket = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
            defer { socket.close() }
            let start = ContinuousClock.now
            try socket.write([0x16, 0x03, 0x01, 0x00, 0xC8, 0x01], deadline: .now + .seconds(1))
            while ContinuousClock.now - start < .seconds(limit) {
                if RawPeer.isClosedByServer(socket, within: 0.2) { return AdmissionAndDeadlineTests.seconds(since: start) }
                if (try? socket.write([0x00], deadline: .now + .seconds(1))) == nil { return AdmissionAndDeadlineTests.seconds(since: start) }
            }
            return nil
        }

        /// Streams warning alerts (`alert_stream.py`) from a thread; seconds until the server
        /// closes the connection.
        static func secondsUntilAlertStreamIsCut(port: UInt16, limit: Double) throws -> Double? {
            let socket = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
            defer { socket.close() }
            let stop = Mutex(false)
            let streamer = Thread {
                let chunk = [UInt8]([0x15, 0x03, 0x01, 0x00, 0x02, 0x01, 0x5A]).repeated(512)
                while !stop.withLock({ $0 }) { if (try? socket.write(chunk, deadline: .now + .seconds(1))) == nil { break } }
            }
            streamer.start()
            defer { stop.withLock { $0 = true } }
            return RawPeer.secondsUntilClosed(socket, limit: limit)
        }

        /// F13: one data-set fragment every 0.5 s (each within the 1 s reply timeout) hits the
        /// 2.5 s message deadline; the partial file is removed.
        @Test func tricklingFragmentsHitTheMessageDeadline() async throws {
            let running = try await Self.start(timeouts: DicomTimeouts(artim: 5, reply: 1, idle: 20, message: 2.5), maxPDU: 256)
            let port = running.port
            let t = try await offPool { try AdmissionAndDeadlineTests.secondsUntilSlowStoreFails(port: port) }
            let echo = try await offPool { try AdmissionAndDeadlineTests.echo(port) }
            try await Task.sleep(for: .milliseconds(500))  // the pool removes the partial file
            let left = try FileManager.default.contentsOfDirectory(atPath: running.output)
            await running.stop()
            LoadTests.report(String(format: "F13 (async): a fragment every 0.5 s (reply timeout 1 s, message 2.5 s): association aborted after %.2f s", t))
            #expect(t >= 2.2 && t < 5)
            #expect(left.isEmpty, "the partial file is removed: \(left)")
            #expect(echo.isSuccess)
        }
    }
}
