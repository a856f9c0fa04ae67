@testable import DicomUL
import Foundation
import Synchronization
import Testing
@testable import TLSHandshake
@testable import TLSSockets

/// Nested in the serialized ``LoadTests`` so that only one of these blocking suites holds a
/// thread of the test pool at a time (the others' time limits stay meaningful on 2 cores).
extension LoadTests {
    /// Review findings F3, F4, F7 and F13 (deadline part) as attacks on an in-process
    /// `DicomServer`: each test sends what the review's script sends and asserts what the
    /// server does on the wire and that legitimate peers are still served.
    @Suite(.timeLimit(.minutes(5))) struct AdmissionAndDeadlineTests {
        static func server(
            tls: Bool = false, timeouts: DicomTimeouts = DicomTimeouts(artim: 5, reply: 10, idle: 20),
            admission: AdmissionLimits = AdmissionLimits(), maximumAssociations: Int = 64, maxPDU: UInt32 = 65536,
            log: (@Sendable (String) -> Void)? = nil
        ) throws -> (DicomServer, String) {
            let out = try LoadTests.folder("adm")
            let server = try DicomServer(try DicomServerConfiguration(
                port: 0, outputDirectory: out, host: "127.0.0.1", timeouts: timeouts, maximumReceivePDULength: maxPDU,
                maximumAssociations: maximumAssociations, admission: admission,
                security: tls ? .tls(try LoadPKI.shared.get().serverConfig()) : .none, log: log))
            server.start()
            return (server, out)
        }

        static func echo(_ port: UInt16, tls: Bool = false) throws -> DIMSEStatus {
            try DicomClient(try DicomClientConfiguration(
                host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 5, reply: 10),
                security: tls ? .tls(try LoadPKI.shared.get().clientConfig(), SecureTransportOptions(serverName: "localhost")) : .none)).echo()
        }

        /// F3: `hold.py PORT 64` locked every SCU out with local-limit-exceeded. Now a
        /// connection counts against the association limit only once associated, one address
        /// holds at most its per-address share, and the rest are closed without a thread.
        @Test func silentConnectionsNeitherLockOutAssociationsNorTakeThreads() throws {
            let (server, _) = try Self.server(admission: AdmissionLimits(maximumPending: 64, maximumPendingPerAddress: 8), maximumAssociations: 4)
            defer { server.stop() }
            #expect(try Self.echo(server.port).isSuccess)
            #expect(waitUntil(5) { server.statistics.connections == 0 })
            let before = ProcessResources.measure()
            // 64 silent connections from one attacker address, as hold.py.
            let silent = try (0..<64).map { _ in try RawPeer.connect(from: "127.0.0.2", port: server.port) }
            defer { silent.forEach { $0.close() } }
            #expect(waitUntil(5) { server.statistics.refusedConnections == 56 }, "\(server.statistics)")
            let held = ProcessResources.measure()
            // Four silent connections from other addresses too: pending, never counted as associations.
            let others = try (3...6).map { try RawPeer.connect(from: "127.0.0.\($0)", port: server.port) }
            defer { others.forEach { $0.close() } }
            #expect(waitUntil(5) { server.statistics.pending == 12 }, "\(server.statistics)")
            for _ in 0..<5 { #expect(try Self.echo(server.port).isSuccess) }
            let closedAtOnce = silent.filter { RawPeer.isClosedByServer($0, within: 0.05) }.count
            #expect(closedAtOnce == 56, "refused connections are closed at once")
            // Threads: at most one per admitted connection (8 held), none for the refused 56.
            #expect(held.threads <= before.threads + 8 + 2, "threads \(before) → \(held)")
            #expect(server.statistics.active == 0 && server.statistics.associations == 6)
        }

        /// F3, global cap: pending connections from many addresses are capped in all.
        @Test func pendingConnectionsAreCappedInAll() throws {
            let (server, _) = try Self.server(admission: AdmissionLimits(maximumPending: 6, maximumPendingPerAddress: 2))
            defer { server.stop() }
            let held = try (2...4).flatMap { a in try (0..<2).map { _ in try RawPeer.connect(from: "127.0.0.\(a)", port: server.port) } }
            defer { held.forEach { $0.close() } }
            #expect(waitUntil(5) { server.statistics.pending == 6 })
            let extra = try RawPeer.connect(from: "127.0.0.9", port: server.port)
            #expect(RawPeer.isClosedByServer(extra, within: 2), "a 7th pending connection is closed at once")
            #expect(server.statistics.refusedConnections == 1)
            held[0].close()
            #expect(waitUntil(5) { server.statistics.pending == 5 })
            #expect(try Self.echo(server.port).isSuccess, "a freed slot admits the next peer")
        }

        /// F4: `trickle.py PORT 4 30 empty` held a TLS connection past ARTIM forever: every
        /// empty record re-armed the read deadline. Now ARTIM is one absolute deadline.
        @Test func emptyRecordsDoNotHoldATLSConnectionPastARTIM() throws {
            let artim = 2.0
            let (server, _) = try Self.server(tls: true, timeouts: DicomTimeouts(artim: artim, reply: 10, idle: 20))
            defer { server.stop() }
            let closedAfter = try Self.secondsUntilEmptyRecordsAreCut(port: server.port, limit: artim * 4)
            LoadTests.report("F4: TLS peer trickling empty records every 0.4 s closed after \(closedAfter.map { String(format: "%.2f", $0) } ?? "never") s (ARTIM \(artim) s)")
            let t = try #require(closedAfter, "the trickling peer was never disconnected")
            #expect(t >= artim * 0.9 && t < artim + 1.5)
        }

        /// `trickle.py PORT 0.4 LIMIT empty`: a TLS handshake, then one empty application-data
        /// record every 0.4 s and never a PDU. Seconds until the server ends the connection.
        static func secondsUntilEmptyRecordsAreCut(port: UInt16, limit: Double) throws -> Double? {
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: try LoadPKI.shared.get().clientConfig(), serverName: "localhost")
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(limit) {
                do {
                    try stream.write([])  // one empty application-data record (25–29 bytes)
                } catch {
                    return Self.seconds(since: start)
                }
                // The server ends the connection with close_notify (then waits a moment for ours).
                do {
                    if try stream.read(maxCount: 1, deadline: .now + .milliseconds(400)).isEmpty { return Self.seconds(since: start) }
                } catch .timedOut {
                    continue
                } catch {
                    return Self.seconds(since: start)
                }
            }
            return nil
        }

        /// F7: a handshake deadline holds while warning alerts stream in (`alert_stream.py`).
        @Test func handshakeDeadlineHoldsWhileAlertsStream() throws {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            let client = try TCPSocket.connect(host: "127.0.0.1", port: listener.port, timeout: .seconds(5))
            let accepted = try listener.accept(timeout: .seconds(5))
            let stop = Mutex(false)
            let streamer = Thread {
                let chunk = [UInt8]([0x15, 0x03, 0x01, 0x00, 0x02, 0x01, 0x5A]) .repeated(512)
                while !stop.withLock({ $0 }) { if (try? client.write(chunk, deadline: .now + .seconds(1))) == nil { break } }
            }
            streamer.start()
            defer {
                stop.withLock { $0 = true }
                client.close()
            }
            let start = ContinuousClock.now
            #expect(throws: TLSStreamError.self) {
                _ = try BlockingTLSStream(server: accepted, configuration: try LoadPKI.shared.get().serverConfig(), handshakeTimeout: .seconds(1))
            }
            let t = Self.seconds(since: start)
            LoadTests.report(String(format: "F7: server handshake under a stream of warning alerts ended after %.2f s (timeout 1 s)", t))
            #expect(t < 2.5)
        }

        /// F13: one data-set fragment now and then (each within the reply timeout) no longer
        /// holds an association: the whole data set has one deadline (`DicomTimeouts.message`).
        @Test func tricklingFragmentsHitTheMessageDeadline() throws {
            let (server, out) = try Self.server(timeouts: DicomTimeouts(artim: 5, reply: 1, idle: 20, message: 2.5), maxPDU: 256)
            defer { server.stop() }
            let t = try Self.secondsUntilSlowStoreFails(port: server.port)
            #expect(waitUntil(5) { server.statistics.errors == 1 })
            LoadTests.report(String(format: "F13: a fragment every 0.5 s (reply timeout 1 s, message 2.5 s): association aborted after %.2f s", t))
            #expect(t >= 2.2 && t < 5)
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty, "the partial file is removed")
        }

        /// A C-STORE whose data set comes one fragment every 0.5 s (each within a 1 s reply
        /// timeout); seconds until the association fails.
        static func secondsUntilSlowStoreFails(port: UInt16) throws -> Double {
            let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, timeouts: DicomTimeouts(reply: 30)))
            let object = DicomObjectGenerator.secondaryCapture(rows: 64, columns: 64)
            let association = try client.associate(proposing: [
                PresentationContextProposal(id: 1, abstractSyntax: object.sopClassUID, transferSyntaxes: [object.transferSyntaxUID]),
            ])
            let start = ContinuousClock.now
            let id = association.nextMessageID()
            #expect(throws: DicomError.self) {
                try association.send(
                    command: DIMSE.storeRequest(messageID: id, sopClassUID: object.sopClassUID, sopInstanceUID: object.sopInstanceUID),
                    contextID: 1, dataSet: SlowDataSet(bytes: object.dataSet, pause: 0.5))
                _ = try association.receiveCommand(timeout: 30)
            }
            return Self.seconds(since: start)
        }

        static func seconds(since start: ContinuousClock.Instant) -> Double {
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
    }
}

/// A data set that takes `pause` seconds per fragment.
struct SlowDataSet: DataSetSource {
    let bytes: [UInt8]
    let pause: Double
    var length: Int { bytes.count }
    func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws(DicomError) {
        Thread.sleep(forTimeInterval: pause)
        try MemoryDataSet(bytes).read(into: &buffer, at: index, count: count, offset: offset)
    }
}

/// Associates with 127.0.0.1:`port` and sends `object` as a C-STORE on a thread of its own,
/// 0.2 s per fragment, so a store stays in flight while the test stops the server. Returns the
/// client, to try again once the server is gone.
@discardableResult
func startSlowStore(of object: DicomObjectGenerator.Object, port: UInt16) throws -> DicomClient {
    let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port))
    let association = try client.associate(proposing: [
        PresentationContextProposal(id: 1, abstractSyntax: object.sopClassUID, transferSyntaxes: [object.transferSyntaxUID]),
    ])
    let handOver = HandOver(association)
    Thread {
        let association = handOver.value
        let id = association.nextMessageID()
        try? association.send(
            command: DIMSE.storeRequest(messageID: id, sopClassUID: object.sopClassUID, sopInstanceUID: object.sopInstanceUID),
            contextID: 1, dataSet: SlowDataSet(bytes: object.dataSet, pause: 0.2))
    }.start()
    return client
}

extension Array {
    func repeated(_ n: Int) -> [Element] { Array((0..<n).map { _ in self }.joined()) }
}
