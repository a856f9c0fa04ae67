import Foundation
import Testing
@testable import DicomUL

/// Random and mutated byte streams into the upper layer: always an orderly outcome
/// (indications or an abort), never a trap, and a server that keeps serving.
@Suite struct FuzzTests {
    /// A deterministic generator so failures reproduce (xorshift64*).
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let seeds: [PDU] = PDUTests.allPDUs

    @Test func mutatedStreamsIntoAnAcceptor() throws {
        var rng = Rng(state: 0x9E37_79B9_7F4A_7C15)
        var outcomes: [ULState: Int] = [:]
        for round in 0..<3000 {
            var m = ULConnection(role: .acceptor, maximumDataPDULength: 4096)
            try m.transportAccepted()
            var bytes = PDU.associateRQ(PDUTests.request).encode()
            if round % 3 != 0 { bytes += Self.seeds[rng.below(Self.seeds.count)].encode() }
            for _ in 0..<(1 + rng.below(6)) {
                switch rng.below(4) {
                case 0: if !bytes.isEmpty { bytes[rng.below(bytes.count)] = rng.byte() }
                case 1: bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
                case 2: bytes.insert(rng.byte(), at: rng.below(bytes.count + 1))
                default: if !bytes.isEmpty { bytes.remove(at: rng.below(bytes.count)) }
                }
            }
            // Feed in random-sized pieces, as a socket would.
            var i = 0
            while i < bytes.count {
                let n = 1 + rng.below(64)
                m.receive(bytes[i..<min(bytes.count, i + n)])
                i += n
                while m.nextIndication() != nil {}
            }
            outcomes[m.state, default: 0] += 1
            // Whatever happened, the machine is in a state an acceptor can be in
            // (Sta1 after an A-ABORT PDU in Sta2, AA-2).
            #expect([.idle, .awaitingAssociateRQ, .awaitingLocalAssociateResponse, .awaitingTransportClose].contains(m.state))
            if m.state == .awaitingTransportClose {
                // It sent an A-ABORT or A-ASSOCIATE-RJ that decodes cleanly.
                let out = m.takeOutput()
                #expect(!out.isEmpty)
                if let pdu = try? PDU.decode(out) {
                    switch pdu {
                    case .abort, .associateRJ: break
                    default: Issue.record("unexpected output \(pdu.type)")
                    }
                }
            }
        }
        #expect(outcomes[.awaitingTransportClose, default: 0] > 100)
        #expect(outcomes[.awaitingLocalAssociateResponse, default: 0] > 50)
    }

    @Test func randomBytesAtAServerLeaveItServing() throws {
        let out = try PeerProcess.temporaryFolder("fuzz-scp")
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: out, host: "127.0.0.1", timeouts: DicomTimeouts(artim: 1, reply: 5, idle: 5)))
        server.start()
        defer { server.stop() }
        var rng = Rng(state: 42)
        for round in 0..<40 {
            let t = try TCPTransport.connect(host: "127.0.0.1", port: server.port, timeout: 2)
            var bytes = round % 2 == 0 ? PDU.associateRQ(PDUTests.request).encode() : []
            for _ in 0..<(20 + rng.below(200)) { bytes.append(rng.byte()) }
            if round % 2 == 0 { for _ in 0..<4 { bytes[rng.below(bytes.count)] = rng.byte() } }
            try? t.write(bytes, timeout: 2)
            // The server answers (AC, RJ or A-ABORT) or closes within ARTIM; it never hangs.
            _ = try? t.read(upTo: 4096, timeout: 3)
            t.close()
        }
        let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: server.port, calledAETitle: "STORESCP"))
        #expect(try client.echo() == .success)
    }
}
