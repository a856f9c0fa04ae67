import DicomUL
import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import DicomNIO

/// The driver as a requestor (what the async client builds on), against the blocking server.
@Suite(.timeLimit(.minutes(2))) struct RequestorDriverTests {
    static func request(called: String = "ANY-SCP") -> AssociateRQ {
        AssociateRQ(
            calledAETitle: called, callingAETitle: "NIOSCU",
            presentationContexts: [
                PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
                PresentationContextProposal(
                    id: 3, abstractSyntax: DicomUID.secondaryCaptureImageStorage, transferSyntaxes: [DicomUID.explicitVRLittleEndian]),
            ],
            userInformation: UserInformation(maximumLength: 16384, implementationClassUID: DicomUID.implementationClassUID))
    }

    static func connect(port: UInt16, _ rq: AssociateRQ) async throws -> DicomAssociationChannel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: Int(port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try DicomPipeline.configure(
                        channel, role: .requestor(rq), configuration: .init(timeouts: DicomTimeouts(artim: 2, reply: 120)), tls: nil)
                }
            }
    }

    @Test func echoStoreAndReleaseAgainstBlockingServer() async throws {
        let out = try temporaryFolder("req")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let object = DicomObjectGenerator.secondaryCapture(rows: 300, columns: 300, seed: 9)
        let connection = try await Self.connect(port: server.port, Self.request())
        try await connection.channel.executeThenClose { inbound, outbound in
            var events = inbound.makeAsyncIterator()
            guard case .associateAccepted(let ac)? = try await events.next() else {
                Issue.record("no A-ASSOCIATE-AC")
                return
            }
            #expect(ac.presentationContexts.filter { $0.result == .acceptance }.count == 2)
            try await outbound.write(.command(DIMSE.echoRequest(messageID: 1), contextID: 1))
            guard case .command(1, let echo)? = try await events.next() else {
                Issue.record("no C-ECHO-RSP")
                return
            }
            #expect(echo.status == .success)
            // The data set in three chunks of any size; the driver fragments to the peer's maximum.
            let uid = object.sopInstanceUID
            try await outbound.write(.command(
                DIMSE.storeRequest(messageID: 2, sopClassUID: DicomUID.secondaryCaptureImageStorage, sopInstanceUID: uid), contextID: 3))
            let third = object.dataSet.count / 3
            try await outbound.write(.dataFragment(Array(object.dataSet[..<third]), contextID: 3, isLast: false))
            try await outbound.write(.dataFragment(Array(object.dataSet[third..<(2 * third)]), contextID: 3, isLast: false))
            try await outbound.write(.dataFragment(Array(object.dataSet[(2 * third)...]), contextID: 3, isLast: true))
            guard case .command(3, let stored)? = try await events.next() else {
                Issue.record("no C-STORE-RSP")
                return
            }
            #expect(stored.status == .success)
            try await outbound.write(.release)
            #expect(try await events.next() == .releaseConfirmed)
            #expect(try await events.next() == nil)
        }
        #expect(try storedDataSet(out + "/" + object.sopInstanceUID + ".dcm") == object.dataSet)
    }

    @Test func rejectionIsDelivered() async throws {
        let out = try temporaryFolder("req-rj")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, aeTitle: "ONLYME", host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let connection = try await Self.connect(port: server.port, Self.request(called: "SOMEONE"))
        try await connection.channel.executeThenClose { inbound, _ async throws in
            var events = inbound.makeAsyncIterator()
            #expect(try await events.next() == .associateRejected(.calledAETitleNotRecognized))
            #expect(try await events.next() == nil)
        }
    }
}
