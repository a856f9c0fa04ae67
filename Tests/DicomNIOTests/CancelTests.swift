import DicomUL
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import DicomNIO

/// C-CANCEL-RQ (PS3.7 §9.3.2.3) against the async server: a running C-FIND stops with a
/// final Cancel (FE00) response, a C-CANCEL for no running request is ignored (it has no
/// response), and the association serves the next request either way. Our async client and
/// pynetdicom's `send_c_cancel` send it.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CancelTests {
    static let find = "1.2.840.10008.5.1.4.1.2.1.1"  // Patient Root Query/Retrieve – FIND
    /// Matches a C-FIND would send uncancelled: 100,000 at 10 ms each outlast the time limit,
    /// so a Cancel response (not a success) proves the C-CANCEL-RQ stopped it.
    static let endless = 100_000

    /// Sends up to `total` matches, one every 10 ms, never looking at cancellation itself:
    /// only the responder's `send` stops it. Counts what it sent.
    struct SlowFind: DIMSEServiceHandler {
        let total: Int
        let sent: Counter
        func handle(_ request: DIMSERequest, responder: DIMSEResponder) async throws {
            for i in 0..<total {
                try await responder.send(request.command.response(status: .pending, hasDataSet: true), dataSet: Self.identifier(i))
                sent.add()
                try? await Task.sleep(for: .milliseconds(10))  // swallows the cancellation: send must stop it
            }
            try await responder.send(request.command.response(status: .success))
        }

        /// Patient ID "nnnn" (the articles' Implicit VR text encoder).
        static func identifier(_ i: Int) -> [UInt8] {
            ImplicitVRText(values: [0x0010_0020: String(format: "%04d", i % 10000)]).encoded
        }
    }

    /// Answers a cancellation with a final response of its own (FE00 with a comment).
    struct PoliteFind: DIMSEServiceHandler {
        func handle(_ request: DIMSERequest, responder: DIMSEResponder) async throws {
            while !Task.isCancelled {
                try? await responder.send(request.command.response(status: .pending, hasDataSet: true), dataSet: SlowFind.identifier(1))
                try? await Task.sleep(for: .milliseconds(10))
            }
            try await responder.send(request.command.response(status: .cancel, comment: "stopped at the peer's request"))
        }
    }

    final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func add() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    static func server(_ handler: any DIMSEServiceHandler) async throws -> RunningServer {
        try await RunningServer.start { c in
            c.acceptance = { $0.answer(using: AcceptancePolicy(aeTitle: nil, abstractSyntaxes: [Self.find, DicomUID.verification])) }
            c.services = DicomServices(others: [CommandField.cFindRQ.rawValue: handler])
        }
    }

    static let proposals = [
        PresentationContextProposal(id: 1, abstractSyntax: find, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        PresentationContextProposal(id: 3, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
    ]

    static let query = MemoryDataSet(ImplicitVRText(values: [0x0008_0052: "PATIENT"]).encoded)  // Query/Retrieve Level

    /// Sends a C-FIND, cancels it after `cancelAfter` pending responses (0: at once, likely
    /// before its handler has started), reads to the final one.
    static func cancelledFind(_ association: AsyncAssociation, cancelAfter: Int) async throws -> [DIMSEResponse] {
        let id = association.nextMessageID()
        var responses: [DIMSEResponse] = []
        let stream = try await association.send(command: findRequest(sopClass: find, messageID: id), contextID: 1, dataSet: query)
        if cancelAfter == 0 { try await association.cancel(messageID: id, contextID: 1) }
        for try await response in stream {
            responses.append(response)
            if responses.count == cancelAfter { try await association.cancel(messageID: id, contextID: 1) }
        }
        return responses
    }

    @Test func cancelStopsARunningFindWithACancelResponse() async throws {
        let sent = Counter()
        let running = try await Self.server(SlowFind(total: Self.endless, sent: sent))
        let client = try AsyncClientTests.client(port: running.port)
        let (statuses, echo) = try await client.withAssociation(proposing: Self.proposals) { association in
            let statuses = try await Self.cancelledFind(association, cancelAfter: 1).map(\.status)
            return (statuses, try await association.echo())  // the association goes on
        }
        let sentAtEnd = sent.count
        try await Task.sleep(for: .milliseconds(300))
        await running.stop()
        #expect(statuses.last == .cancel, "\(statuses)")
        #expect(statuses.dropLast().allSatisfy(\.isPending) && statuses.count < Self.endless, "\(statuses.count) responses")
        #expect(sent.count == sentAtEnd && sentAtEnd < Self.endless, "the handler went on: \(sent.count) matches sent")
        #expect(echo == .success)
    }

    /// A C-CANCEL-RQ right behind its C-FIND reaches the event loop before the serving loop
    /// has started the handler: it still counts.
    @Test func cancelBeforeTheHandlerStartsCounts() async throws {
        let sent = Counter()
        let running = try await Self.server(SlowFind(total: Self.endless, sent: sent))
        let client = try AsyncClientTests.client(port: running.port)
        let (statuses, echo) = try await client.withAssociation(proposing: Self.proposals) { association in
            (try await Self.cancelledFind(association, cancelAfter: 0).map(\.status), try await association.echo())
        }
        await running.stop()
        #expect(statuses.last == .cancel && statuses.count < Self.endless, "\(statuses.count) responses, last \(statuses.last.map { "\($0)" } ?? "none")")
        #expect(echo == .success)
    }

    @Test func aHandlersOwnFinalResponseIsTheOnlyOne() async throws {
        let running = try await Self.server(PoliteFind())
        let client = try AsyncClientTests.client(port: running.port)
        let (responses, echo) = try await client.withAssociation(proposing: Self.proposals) { association in
            (try await Self.cancelledFind(association, cancelAfter: 2), try await association.echo())
        }
        await running.stop()
        let statuses = responses.map(\.status)
        #expect(statuses.last == .cancel && statuses.filter { !$0.isPending }.count == 1, "\(statuses)")
        #expect(responses.last?.command.errorComment == "stopped at the peer's request")
        // A second final response would have been read as the C-ECHO's answer, and failed it.
        #expect(echo == .success)
    }

    @Test func cancelForNoRunningRequestIsIgnored() async throws {
        let sent = Counter()
        let running = try await Self.server(SlowFind(total: 2, sent: sent))
        let client = try AsyncClientTests.client(port: running.port)
        let statuses = try await client.withAssociation(proposing: Self.proposals) { association in
            try await association.cancel(messageID: 77, contextID: 1)  // nothing runs: no answer may come
            var statuses: [DIMSEStatus] = []
            for try await response in try await association.send(command: findRequest(sopClass: Self.find, messageID: association.nextMessageID()), contextID: 1, dataSet: Self.query) {
                statuses.append(response.status)
            }
            return statuses
        }
        await running.stop()
        #expect(statuses == [.pending, .pending, .success])
        #expect(sent.count == 2)
    }

    /// pynetdicom's `send_c_cancel` after the first pending response of its `send_c_find`.
    static let cancellingSCU = """
    import sys
    from pydicom.dataset import Dataset
    from pynetdicom import AE
    from pynetdicom.sop_class import PatientRootQueryRetrieveInformationModelFind as FIND
    ae = AE(ae_title='PYFIND')
    ae.add_requested_context(FIND)
    assoc = ae.associate('127.0.0.1', int(sys.argv[1]), ae_title='FINDSCP')
    if not assoc.is_established:
        print('NOT ESTABLISHED', flush=True)
        sys.exit(2)
    ds = Dataset()
    ds.QueryRetrieveLevel = 'PATIENT'
    ds.PatientID = ''
    context = assoc.accepted_contexts[0].context_id
    for status, identifier in assoc.send_c_find(ds, FIND, msg_id=5):
        if status is None:
            print('NO STATUS', flush=True)
            sys.exit(3)
        print('STATUS 0x%04X' % status.Status, flush=True)
        if status.Status == 0xFF00 and identifier is not None and identifier.PatientID == '0000':
            assoc.send_c_cancel(5, context)
    assoc.release()
    """

    @Test func pynetdicomCancelsARunningFind() async throws {
        let sent = Counter()
        let running = try await Self.server(SlowFind(total: Self.endless, sent: sent))
        let script = NSTemporaryDirectory() + "dicomnio-cancel-\(UUID().uuidString).py"
        try Self.cancellingSCU.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let port = running.port
        let (code, text) = try await offPool {
            let scu = try PeerProcess("/usr/bin/env", ["python3", script, String(port)])
            let code = scu.waitForExit(timeout: .seconds(60))
            scu.stop()
            return (code, scu.text)
        }
        await running.stop()
        #expect(code == 0, "\(text)")
        let statuses = text.split(separator: "\n").filter { $0.hasPrefix("STATUS ") }
        #expect(statuses.last == "STATUS 0xFE00", "\(text)")
        #expect(statuses.count < Self.endless && sent.count < Self.endless, "\(statuses.count) responses, \(sent.count) matches sent")
    }
}
