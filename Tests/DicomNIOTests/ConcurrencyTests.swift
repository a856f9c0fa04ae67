import DicomUL
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport
@testable import DicomNIO

/// A store handler that never finishes for one calling AE title (a stalled handler or a
/// disk that no longer answers) and stores nothing otherwise, counting what it saw.
final class StallingStore: StoreHandler {
    let stalled = Mutex(0)

    func store(_ request: StoreRequest, dataSet: DataSetChunks) async throws -> DIMSEOutcome {
        if request.association.callingAETitle == "STALL" {
            stalled.withLock { $0 += 1 }
            try await Task.sleep(for: .seconds(3600))
        }
        var bytes = 0
        for try await chunk in dataSet { bytes += chunk.count }
        return DIMSEOutcome(bytes > 0 ? .success : .cannotUnderstand)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

@Suite(.timeLimit(.minutes(2))) struct ConcurrencyTests {
    static func client(port: UInt16, calling: String) throws -> DicomClient {
        DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, callingAETitle: calling, timeouts: DicomTimeouts(connect: 30, reply: 120)))
    }

    /// One association's handler hangs; others are served meanwhile, and a stop aborts it.
    @Test func stalledHandlerDoesNotBlockOthers() async throws {
        let handler = StallingStore()
        let running = try await RunningServer.start {
            $0.services = DicomServices(store: handler)
            $0.logger = quietLogger
        }
        let port = running.port
        let src = try temporaryFolder("stall")
        let files = try writeObjects(2, rows: 200, columns: 200, in: src)
        let stalledClient = Task {
            try await offPool { try Self.client(port: port, calling: "STALL").store(files: [files[0].path]) }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while handler.stalled.withLock({ $0 }) == 0, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(handler.stalled.withLock { $0 } == 1)
        let start = clock.now
        let summary = try await offPool { try Self.client(port: port, calling: "OTHER").store(files: files.map(\.path)) }
        #expect(summary.failures.isEmpty && summary.statuses.count == 2)
        #expect(clock.now - start < .seconds(30))  // a loaded CI machine; the stalled one would hold it for an hour
        let settle = clock.now + .seconds(30)
        while running.server.activeAssociations > 1, clock.now < settle { try await Task.sleep(for: .milliseconds(20)) }
        #expect(running.server.activeAssociations == 1)
        // The stalled association is aborted by the stop: its client gets an error, not a hang.
        await running.stop(grace: .milliseconds(200))
        let stalled = try await stalledClient.value
        #expect(stalled.failures.count == 1)
    }

    /// Cancelling the server's task aborts live associations with A-ABORT.
    @Test func cancellationAbortsAssociations() async throws {
        let running = try await RunningServer.start { $0.logger = quietLogger }
        let port = running.port
        let ready = Mutex(false)
        let result = Task {
            try await offPool { () -> String in
                let t = try TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 5)
                let rq = AssociateRQ(
                    calledAETitle: "ANY", callingAETitle: "RAW",
                    presentationContexts: [PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian])],
                    userInformation: UserInformation(maximumLength: 16384))
                let association = try Association.request(over: t, rq, timeouts: DicomTimeouts(reply: 120), maximumReceivePDULength: 16384)
                ready.withLock { $0 = true }
                do throws(DicomError) {
                    _ = try association.receiveCommand(timeout: 120)
                    return "no abort"
                } catch {
                    return "\(error.code.name): \(error.message)"
                }
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while !ready.withLock({ $0 }), clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        running.task.cancel()
        let outcome = try await result.value
        #expect(outcome.hasPrefix("aborted"), "\(outcome)")
        _ = try? await running.task.value
    }
}
