import Foundation
import Synchronization
import Testing
@testable import DicomUL

/// Our SCU against our SCP over loopback TCP.
@Suite(.serialized) struct LoopbackTests {
    static func server(aeTitle: String? = "STORESCP", timeouts: DicomTimeouts = DicomTimeouts(artim: 5, reply: 10, idle: 20)) throws -> (DicomServer, String) {
        let out = try PeerProcess.temporaryFolder("scp")
        let config = try DicomServerConfiguration(port: 0, outputDirectory: out, aeTitle: aeTitle, host: "127.0.0.1", timeouts: timeouts)
        let server = try DicomServer(config)
        server.start()
        return (server, out)
    }

    static func client(_ port: UInt16, called: String = "STORESCP", maxPDU: UInt32 = 65536) throws -> DicomClient {
        DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: called, timeouts: DicomTimeouts(connect: 5, artim: 5, reply: 10),
            maximumReceivePDULength: maxPDU))
    }

    @Test func echo() throws {
        let (server, _) = try Self.server()
        defer { server.stop() }
        #expect(try Self.client(server.port).echo() == .success)
        #expect(server.statistics.associations == 1)
    }

    @Test func storeStreamsFilesByteForByte() throws {
        let (server, out) = try Self.server()
        defer { server.stop() }
        let src = try PeerProcess.temporaryFolder("scu")
        let files = try PeerProcess.writeObjects(3, rows: 300, columns: 257, in: src)
        let summary = try Self.client(server.port).store(files: files.map(\.path))
        #expect(summary.failures.isEmpty)
        #expect(summary.statuses == [.success, .success, .success])
        for f in files {
            let stored = out + "/" + f.object.sopInstanceUID + ".dcm"
            let h = try Part10File(path: stored)
            #expect(h.sopInstanceUID == f.object.sopInstanceUID)
            #expect(h.sopClassUID == DicomUID.secondaryCaptureImageStorage)
            #expect(h.transferSyntaxUID == DicomUID.explicitVRLittleEndian)
            #expect(try PeerProcess.dataSet(of: stored) == f.object.dataSet)
        }
    }

    /// A small peer maximum forces many PDVs per object; the peer's limit is honoured.
    @Test func smallMaximumPDULengthFragments() throws {
        let out = try PeerProcess.temporaryFolder("scp-small")
        let config = try DicomServerConfiguration(port: 0, outputDirectory: out, host: "127.0.0.1", maximumReceivePDULength: 1024)
        let server = try DicomServer(config)
        server.start()
        defer { server.stop() }
        let src = try PeerProcess.temporaryFolder("scu-small")
        let files = try PeerProcess.writeObjects(1, rows: 100, columns: 100, in: src)
        #expect(try Self.client(server.port, maxPDU: 512).store(file: files[0].path) == .success)
        #expect(try PeerProcess.dataSet(of: out + "/" + files[0].object.sopInstanceUID + ".dcm") == files[0].object.dataSet)
    }

    @Test func wrongCalledAETitleIsRejectedClearly() throws {
        let (server, _) = try Self.server()
        defer { server.stop() }
        do {
            _ = try Self.client(server.port, called: "WRONG").echo()
            Issue.record("association with a wrong called AE title succeeded")
        } catch let e as DicomError {
            #expect(e.code == .associationRejected)
            #expect(e.message.contains("called-AE-title-not-recognized"))
            #expect(e.message.contains("WRONG"))
        }
    }

    /// An idle client that never sends an A-ASSOCIATE-RQ does not block others, and ARTIM drops it.
    @Test func idlePeerDoesNotBlockOthersAndARTIMDropsIt() throws {
        let (server, _) = try Self.server(timeouts: DicomTimeouts(artim: 1, reply: 10, idle: 20))
        defer { server.stop() }
        let idle = try TCPTransport.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { idle.close() }
        let t0 = Date()
        #expect(try Self.client(server.port).echo() == .success)
        #expect(Date().timeIntervalSince(t0) < 1)
        // Within ARTIM + margin the server closes the idle connection (EOF on our side).
        let bytes = try idle.read(upTo: 16, timeout: 4)
        #expect(bytes.isEmpty)
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline, server.statistics.rejected == 0 { usleep(10_000) }
        #expect(server.statistics.rejected == 1)
    }

    /// A TLS ClientHello on the plain port: the server answers with an A-ABORT and logs a clear message.
    @Test func tlsClientOnPlainPortIsNamed() throws {
        let lines = Mutex<[String]>([])
        let out = try PeerProcess.temporaryFolder("scp-tls")
        let config = try DicomServerConfiguration(
            port: 0, outputDirectory: out, host: "127.0.0.1", timeouts: DicomTimeouts(artim: 2),
            log: { line in lines.withLock { $0.append(line) } })
        let server = try DicomServer(config)
        server.start()
        defer { server.stop() }
        let t = try TCPTransport.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { t.close() }
        // TLS 1.0 ClientHello record header and the start of its body.
        try t.write([0x16, 0x03, 0x01, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x2B, 0x03, 0x01], timeout: 2)
        let answer = try t.read(upTo: 64, timeout: 4)
        #expect(answer.first == PDUType.abort.rawValue)
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, !lines.withLock({ $0.contains { $0.contains("peer is speaking TLS on a plain DICOM port") } }) { usleep(20_000) }
        #expect(lines.withLock { $0.contains { $0.contains("peer is speaking TLS on a plain DICOM port") } })
    }

    /// Our requestor against a "server" that answers with a TLS alert record.
    @Test func plainClientAgainstTLSServerIsNamed() throws {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let port = listener.port
        let thread = Thread {
            guard let s = try? listener.accept(timeout: 5) else { return }
            let t = TCPTransport(adopting: s)
            _ = try? t.read(upTo: 4096, timeout: 2)
            try? t.write([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x0A], timeout: 2)  // fatal unexpected_message alert
            usleep(200_000)
            t.close()
        }
        thread.start()
        do {
            _ = try Self.client(port).echo()
            Issue.record("echo against a TLS server succeeded")
        } catch let e as DicomError {
            #expect(e.code == .protocolMismatch)
            #expect(e.message.contains("TLS"))
        }
    }

    /// A peer that accepts the connection and closes it without a word (what a TLS server
    /// may do with a plain A-ASSOCIATE-RQ): the message says so instead of hanging.
    @Test func silentCloseIsReportedClearly() throws {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let port = listener.port
        let thread = Thread {
            guard let s = try? listener.accept(timeout: 5) else { return }
            let t = TCPTransport(adopting: s)
            _ = try? t.read(upTo: 4096, timeout: 2)
            t.close()
        }
        thread.start()
        do {
            _ = try Self.client(port).echo()
            Issue.record("echo against a silent peer succeeded")
        } catch let e as DicomError {
            #expect(e.code == .connectionClosed)
            #expect(e.message.contains("without answering the A-ASSOCIATE-RQ"))
        }
    }

    /// An established association that sits idle does not delay another association.
    @Test func idleAssociationDoesNotBlockAnother() throws {
        let (server, _) = try Self.server()
        defer { server.stop() }
        let holder = try Self.client(server.port).associate(proposing: [
            PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        ])
        let t0 = Date()
        for _ in 0..<3 { #expect(try Self.client(server.port).echo() == .success) }
        #expect(Date().timeIntervalSince(t0) < 2)
        #expect(server.statistics.active >= 1)
        // The held association still works afterwards, then releases cleanly.
        let id = holder.nextMessageID()
        let rsp = try holder.exchange(DIMSE.echoRequest(messageID: id), contextID: 1, messageID: id)
        #expect(rsp.status == .success)
        try holder.release()
        #expect(server.statistics.associations == 4)
    }

    /// ARTIM is a deadline, not an inactivity timer: a peer trickling an A-ASSOCIATE-RQ one
    /// byte at a time is still dropped when ARTIM expires.
    @Test func tricklingPeerIsDroppedAtARTIM() throws {
        let (server, _) = try Self.server(timeouts: DicomTimeouts(artim: 1, reply: 10, idle: 20))
        defer { server.stop() }
        let t = try TCPTransport.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { t.close() }
        let rq = PDU.associateRQ(StateTableTests.rq).encode()
        let t0 = Date()
        var closedAfter: Double?
        for byte in rq {
            do {
                try t.write([byte], timeout: 1)
            } catch {
                closedAfter = Date().timeIntervalSince(t0)
                break
            }
            if let b = try? t.read(upTo: 16, timeout: 0.2), b.isEmpty {
                closedAfter = Date().timeIntervalSince(t0)
                break
            }
            if Date().timeIntervalSince(t0) > 5 { break }
        }
        #expect(closedAfter != nil)
        #expect((closedAfter ?? 99) < 3)
    }

    /// Past the association limit, requests are rejected as transient local-limit-exceeded.
    @Test func associationLimitRejectsTransiently() throws {
        let out = try PeerProcess.temporaryFolder("scp-limit")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, host: "127.0.0.1", maximumAssociations: 1))
        server.start()
        defer { server.stop() }
        let verification = [PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian])]
        let holder = try Self.client(server.port).associate(proposing: verification)
        do {
            _ = try Self.client(server.port).echo()
            Issue.record("a second association was accepted past the limit")
        } catch let e as DicomError {
            #expect(e.code == .associationRejected)
            #expect(e.message.contains("rejected-transient"))
            #expect(e.message.contains("local-limit-exceeded"))
        }
        try holder.release()
        // Once the first has gone, associations are accepted again.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, server.statistics.active > 0 { usleep(10_000) }
        #expect(try Self.client(server.port).echo() == .success)
    }
}
