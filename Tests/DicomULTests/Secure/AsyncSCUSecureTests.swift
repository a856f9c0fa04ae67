import DicomNIO
import Foundation
import Synchronization
import Testing
import TLSHandshake
@testable import DicomUL

/// Our async client against our blocking `DicomServer` over TLS 1.0 3DES with mutual
/// authentication (PS3.15 B.1), in parallel associations, with session resumption; and
/// cancellation in the middle of a store.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AsyncSCUSecureTests {
    static let tripleDES = SecureTransportTests.tripleDES

    static func client(port: UInt16, _ tls: TLSConfiguration, events: EventLog, cache: TLSSessionCache? = nil) throws -> DicomAsyncClient {
        let options = SecureTransportOptions(onSecureLinkReady: { events.append("client link: \($0.summary)") }, sessionCache: cache)
        return DicomAsyncClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: "SECURESCP", timeouts: DicomTimeouts(connect: 30, reply: 120),
            security: .tls(tls, options)))
    }

    @Test func tripleDESMutualAuthenticationInParallelAssociations() async throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, out) = try SecureTransportTests.startServer(try pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let cache = TLSSessionCache()
        let client = try Self.client(port: server.port, try pki.client(suites: Self.tripleDES), events: events, cache: cache)
        #expect(try await client.echo() == .success)
        let src = try PeerProcess.temporaryFolder("async-3des-src")
        let files = try PeerProcess.writeObjects(6, rows: 256, columns: 256, in: src)
        let summary = try await client.store(files: files.map(\.path), associations: 3)
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description)) \(events.all)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        let clientLinks = events.all.filter { $0.hasPrefix("client link:") }
        let serverLinks = events.all.filter { $0.hasPrefix("server link:") }
        #expect(clientLinks.count == 4 && clientLinks.allSatisfy { $0.contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA") }, "\(clientLinks)")
        // Mutual: the server saw our client certificate on every link; we saw its certificate.
        #expect(serverLinks.count == 4 && serverLinks.allSatisfy { $0.contains("CN=Interop Test Client") }, "\(serverLinks)")
        #expect(clientLinks.allSatisfy { $0.contains("CN=localhost") }, "\(clientLinks)")
        // The session cache was offered: later associations resumed.
        #expect(clientLinks.dropFirst().contains { $0.contains("resumed") }, "\(clientLinks)")
        #expect(events.wait(for: "association released", timeout: 5))
    }

    /// A data set source that reads slowly, says when the first bytes have gone out, and
    /// holds its 9th read until `release()` (bounded): the test cancels while the store is
    /// surely in the middle, however long a loaded machine keeps the test's own task waiting.
    final class SlowSource: DataSetSource, @unchecked Sendable {
        let length: Int
        let started = Atomic<Int>(0)
        private let released = Atomic<Bool>(false)
        init(length: Int) { self.length = length }
        func release() { released.store(true, ordering: .relaxed) }
        func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws(DicomError) {
            let n = started.add(1, ordering: .relaxed).newValue
            let holdUntil = ContinuousClock.now + .seconds(120)
            while n > 8, !released.load(ordering: .relaxed), ContinuousClock.now < holdUntil { usleep(10_000) }
            usleep(20_000)
            for i in 0..<count { buffer[index + i] = UInt8(truncatingIfNeeded: offset + i) }
        }
    }

    /// Cancelling the task in the middle of a C-STORE sends A-ABORT: the server logs the
    /// abort and keeps no partial file; the task ends with `CancellationError`.
    @Test func cancellationMidStoreAbortsAndLeavesNoPartialFile() async throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, out) = try SecureTransportTests.startServer(try pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let client = try Self.client(port: server.port, try pki.client(suites: Self.tripleDES), events: events)
        let source = SlowSource(length: 64 << 20)  // 256 reads of 256 KiB: about 5 s at the source's pace
        let task = Task {
            try await client.withAssociation(proposing: [
                PresentationContextProposal(id: 1, abstractSyntax: DicomUID.secondaryCaptureImageStorage, transferSyntaxes: [DicomUID.explicitVRLittleEndian]),
            ]) { association in
                _ = try await association.store(source, sopClassUID: DicomUID.secondaryCaptureImageStorage, sopInstanceUID: "1.2.3.4.5", contextID: 1)
            }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while source.started.load(ordering: .relaxed) < 8, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(source.started.load(ordering: .relaxed) >= 8)
        task.cancel()
        source.release()
        let start = ContinuousClock.now
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - start < .seconds(30))  // 0.3 s alone; the full suite loads 2 cores
        #expect(source.started.load(ordering: .relaxed) < 200, "the store went on after cancellation")
        #expect(events.wait(for: "abort", timeout: 60), "\(events.all)")
        var left = try FileManager.default.contentsOfDirectory(atPath: out)
        let settle = ContinuousClock.now + .seconds(30)
        while !left.isEmpty, ContinuousClock.now < settle {
            try await Task.sleep(for: .milliseconds(50))
            left = try FileManager.default.contentsOfDirectory(atPath: out)
        }
        #expect(left.isEmpty, "\(left)")
    }
}
