import Foundation
import Synchronization
import Testing
@testable import DicomUL

/// A custom ``DicomTransport`` plugged in through the client's connector (the seam TLS uses):
/// it records every write, which proves one write per whole PDU and the PDV rules.
@Suite struct TransportSeamTests {
    final class Recorder: Sendable {
        let writes = Mutex<[[UInt8]]>([])
    }

    final class RecordingTransport: DicomTransport {
        let inner: TCPTransport
        let recorder: Recorder
        init(_ inner: TCPTransport, _ recorder: Recorder) {
            self.inner = inner
            self.recorder = recorder
        }
        func read(upTo maxCount: Int, timeout: Double?) throws(DicomError) -> [UInt8] { try inner.read(upTo: maxCount, timeout: timeout) }
        func write(_ bytes: [UInt8], timeout: Double?) throws(DicomError) {
            recorder.writes.withLock { $0.append(bytes) }
            try inner.write(bytes, timeout: timeout)
        }
        func close() { inner.close() }
        var peerDescription: String { "recorded " + inner.peerDescription }
    }

    @Test func oneWritePerPDUAndPDVFlags() throws {
        let out = try PeerProcess.temporaryFolder("seam-scp")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, host: "127.0.0.1", maximumReceivePDULength: 16384))
        server.start()
        defer { server.stop() }
        let recorder = Recorder()
        let config = try DicomClientConfiguration(host: "127.0.0.1", port: server.port, calledAETitle: "STORESCP") { host, port, timeouts throws(DicomError) in
            RecordingTransport(try TCPTransport.connect(host: host, port: port, timeout: timeouts.connect), recorder)
        }
        let src = try PeerProcess.temporaryFolder("seam-src")
        let files = try PeerProcess.writeObjects(1, rows: 600, columns: 500, in: src)
        #expect(try DicomClient(config).store(file: files[0].path) == .success)

        let writes = recorder.writes.withLock { $0 }
        var pdus: [PDU] = []
        for w in writes {
            // Each write is exactly one complete PDU: its header length covers the rest.
            #expect(w.count >= 6)
            let length = Int(w[2]) << 24 | Int(w[3]) << 16 | Int(w[4]) << 8 | Int(w[5])
            #expect(w.count == 6 + length)
            pdus.append(try PDU.decode(w))
        }
        guard case .associateRQ? = pdus.first, case .releaseRQ? = pdus.last else {
            Issue.record("expected A-ASSOCIATE-RQ … A-RELEASE-RQ, got \(pdus.map(\.type))")
            return
        }
        let pdvs = pdus.compactMap { if case .dataTF(let d) = $0 { d.values } else { nil } }.flatMap { $0 }
        for case .dataTF(let d) in pdus {
            #expect(d.encodedLength <= 16384)  // the peer's maximum length
        }
        // Command fragments first, the last one flagged; then data fragments, only the last flagged.
        let commands = pdvs.prefix { $0.isCommand }
        let data = pdvs.dropFirst(commands.count)
        #expect(!commands.isEmpty && commands.last?.isLast == true && commands.dropLast().allSatisfy { !$0.isLast })
        #expect(data.count >= 18)  // 300 KB in ≤ 16 KB fragments
        #expect(data.allSatisfy { !$0.isCommand })
        #expect(data.last?.isLast == true && data.dropLast().allSatisfy { !$0.isLast })
        #expect(Array(data.flatMap(\.data)) == files[0].object.dataSet)
    }
}

extension TransportSeamTests {
    /// The PDU sizes of one C-ECHO association, which the benchmark's raw ceiling mimics.
    @Test func echoAssociationPDUSizes() throws {
        let out = try PeerProcess.temporaryFolder("seam-echo")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let recorder = Recorder()
        let config = try DicomClientConfiguration(host: "127.0.0.1", port: server.port, calledAETitle: "STORESCP") { host, port, timeouts throws(DicomError) in
            RecordingTransport(try TCPTransport.connect(host: host, port: port, timeout: timeouts.connect), recorder)
        }
        #expect(try DicomClient(config).echo() == .success)
        #expect(recorder.writes.withLock { $0.map(\.count) } == [225, 80, 10])
    }
}

extension PDataTF {
    /// The PDU body length this P-DATA-TF encodes to.
    var encodedLength: Int { values.reduce(0) { $0 + PDataTF.pdvOverhead + $1.data.count } }
}
