import DicomUL
import Foundation
import Synchronization
import Testing
@testable import DicomNIO

/// The async client against the async server on loopback: the generic request path with
/// pending responses carrying data sets, stores from memory sources, rejection, cancellation.
@Suite(.serialized, .timeLimit(.minutes(2))) struct AsyncClientTests {
    static let find = "1.2.840.10008.5.1.4.1.2.2.1"  // Study Root Query/Retrieve – FIND

    /// Answers a C-FIND-RQ with one pending response per identifier, then success.
    struct FindHandler: DIMSEServiceHandler {
        let matches: [[UInt8]]
        func handle(_ request: DIMSERequest, responder: DIMSEResponder) async throws {
            for match in matches {
                try await responder.send(request.command.response(status: DIMSEStatus(rawValue: 0xFF00), hasDataSet: true), dataSet: match)
            }
            try await responder.send(request.command.response(status: .success))
        }
    }

    static func client(port: UInt16, called: String = "ANY-SCP") throws -> DicomAsyncClient {
        DicomAsyncClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: called, timeouts: DicomTimeouts(connect: 30, reply: 120)))
    }

    @Test func genericRequestReturnsPendingResponsesThenTheFinal() async throws {
        let matches: [[UInt8]] = [[0x08, 0x00, 0x52, 0x00, 2, 0, 0, 0, 0x53, 0x54], Array(repeating: 7, count: 200_000)]
        let running = try await RunningServer.start { c in
            c.acceptance = { $0.answer(using: AcceptancePolicy(aeTitle: nil, abstractSyntaxes: [Self.find])) }
            c.services = DicomServices(others: [0x0020: FindHandler(matches: matches)])
        }
        let responses = try await Self.client(port: running.port).withAssociation(proposing: [
            PresentationContextProposal(id: 0, abstractSyntax: Self.find, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        ]) { association in
            var all: [DIMSEResponse] = []
            // Twice: the association carries the next request once a stream has ended.
            for _ in 0..<2 {
                let rq = findRequest(sopClass: Self.find, messageID: association.nextMessageID())
                let query = MemoryDataSet([0x08, 0x00, 0x52, 0x00, 6, 0, 0, 0, 0x53, 0x54, 0x55, 0x44, 0x59, 0x20])
                for try await response in try await association.send(command: rq, contextID: 1, dataSet: query) { all.append(response) }
            }
            return all
        }
        await running.stop()
        #expect(responses.map(\.status.rawValue) == [0xFF00, 0xFF00, 0x0000, 0xFF00, 0xFF00, 0x0000])
        #expect(responses.map(\.dataSet) == [matches[0], matches[1], nil, matches[0], matches[1], nil])
        #expect(responses.allSatisfy { $0.command.messageIDBeingRespondedTo != nil })
    }

    @Test func storeFromMemoryAndRejection() async throws {
        let out = try temporaryFolder("async-client-store")
        let running = try await RunningServer.start { c in
            c.acceptance = { $0.answer(using: .storageSCP(aeTitle: "OURSCP")) }
            c.services = DicomServices(store: try? FolderStorageHandler(directory: out))
        }
        let objects = try writeObjects(2, rows: 128, columns: 128, in: try temporaryFolder("async-client-src"))
        let client = try Self.client(port: running.port, called: "OURSCP")
        let status = try await client.withAssociation(proposing: [
            PresentationContextProposal(id: 0, abstractSyntax: DicomUID.secondaryCaptureImageStorage, transferSyntaxes: [DicomUID.explicitVRLittleEndian]),
        ]) { association in
            try await association.store(
                MemoryDataSet(objects[0].object.dataSet), sopClassUID: DicomUID.secondaryCaptureImageStorage,
                sopInstanceUID: objects[0].object.sopInstanceUID, contextID: 1)
        }
        #expect(status == .success)
        #expect(try storedDataSet(out + "/" + objects[0].object.sopInstanceUID + ".dcm") == objects[0].object.dataSet)
        let error = try await #require(throws: DicomError.self) { try await Self.client(port: running.port, called: "OTHER").echo() }
        #expect(error.code == .associationRejected && error.message.contains("called-AE-title-not-recognized"), "\(error)")
        await running.stop()
    }

    /// Progress as an `AsyncSequence`: one element per file, a missing file among them.
    @Test func storeProgressStream() async throws {
        let out = try temporaryFolder("async-client-progress")
        let running = try await RunningServer.start { c in c.services = DicomServices(store: try? FolderStorageHandler(directory: out)) }
        let objects = try writeObjects(5, in: try temporaryFolder("async-client-progress-src"))
        let paths = objects.map(\.path) + ["/nonexistent/x.dcm"]
        var seen: [Int: Result<DIMSEStatus, DicomError>] = [:]
        for try await p in try Self.client(port: running.port).store(files: paths, associations: 2) { seen[p.index] = p.result }
        await running.stop()
        #expect(seen.count == 6)
        for i in 1...5 { #expect((try? seen[i]?.get()) == .success) }
        #expect(seen[6].map { if case .failure = $0 { true } else { false } } == true)
        for o in objects { #expect(try storedDataSet(out + "/" + o.object.sopInstanceUID + ".dcm") == o.object.dataSet) }
    }
}
