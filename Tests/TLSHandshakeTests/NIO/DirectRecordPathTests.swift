import NIOCore
import NIOEmbedded
import TLSNIO
import TLSRecord
import Testing
@testable import TLSHandshake

/// The handler's copy-free record paths (records opened from the read buffer, sealed into
/// the write buffer) mixed with everything that still goes through the engine's queue:
/// renegotiation in the same read, records split between reads, hostile records.
@Suite struct DirectRecordPathTests {
    static let suites: [CipherSuite] = [.rsaWithNullSHA, .rsaWith3DESEDECBCSHA, .rsaWithAES128CBCSHA]

    static func pair(_ suite: CipherSuite) throws -> EmbeddedPair {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(
            client: pki.clientConfig(suites: [suite]),
            server: pki.serverConfig(suites: [suite], options: [.recordSplitting]))
        try pair.interact()
        #expect(pair.clientSink.handshakes.first?.cipherSuite == suite)
        return pair
    }

    static func payload(_ count: Int, _ seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 8) ^ seed }
    }

    /// Writes `bytes` on `from` as separate writes of the given sizes and returns the records.
    static func records(_ pair: EmbeddedPair, from: EmbeddedChannel, _ sizes: [Int], seed: UInt8) throws -> ([UInt8], [UInt8]) {
        var plaintext: [UInt8] = []
        for (i, size) in sizes.enumerated() {
            let data = payload(size, seed &+ UInt8(i))
            plaintext += data
            from.write(ByteBuffer(bytes: data), promise: nil)
        }
        from.flush()
        return (plaintext, try pair.outbound(from))
    }

    @Test(arguments: suites)
    func recordsSplitAnywhereBetweenReadsArriveWhole(_ suite: CipherSuite) throws {
        let pair = try Self.pair(suite)
        let (sent, wire) = try Self.records(pair, from: pair.server, [0, 1, 2, 16_384, 40_000, 7, 16_385], seed: 3)
        // Reads of awkward sizes: inside headers, inside bodies, several records at once.
        var offset = 0
        var cut = 0
        let cuts = [3, 1, 20_000, 2, 5, 16_400, 9, 30_000]
        while offset < wire.count {
            let n = min(cuts[cut % cuts.count], wire.count - offset)
            try pair.deliver(Array(wire[offset..<(offset + n)]), to: pair.client)
            offset += n
            cut += 1
        }
        #expect(pair.clientSink.received == sent)
        #expect(pair.clientSink.errors.isEmpty)
        // And the other way, whole.
        let (up, upWire) = try Self.records(pair, from: pair.client, [16_384, 5, 100_000], seed: 9)
        try pair.deliver(upWire, to: pair.server)
        #expect(pair.serverSink.received == up)
    }

    /// The plaintext of all the records of one read is passed on in one buffer (opened
    /// straight from the read buffer), a record completed from the previous read included.
    @Test(arguments: suites)
    func wholeRecordsInOneReadTakeTheFastPath(_ suite: CipherSuite) throws {
        let pair = try Self.pair(suite)
        let readsBefore = pair.clientSink.reads
        let (sent, wire) = try Self.records(pair, from: pair.server, [16_384, 16_384, 16_384], seed: 7)
        try pair.deliver(wire, to: pair.client)
        #expect(pair.clientSink.received == sent)
        let records = Self.recordStarts(wire).count
        #expect(records >= 3)
        #expect(pair.clientSink.reads - readsBefore == 1)
        // A record split between two reads: the second read passes on one buffer too.
        let (more, moreWire) = try Self.records(pair, from: pair.server, [16_384, 16_384, 16_384], seed: 8)
        let cut = Self.recordStarts(moreWire)[1] + 100
        try pair.deliver(Array(moreWire[..<cut]), to: pair.client)
        try pair.deliver(Array(moreWire[cut...]), to: pair.client)
        #expect(pair.clientSink.received == sent + more)
        #expect(pair.clientSink.reads - readsBefore == 3)
    }

    /// Application data, a HelloRequest and application data again in one read: the first
    /// records are opened on the fast path, the HelloRequest and what follows go through the
    /// queue, the renegotiation completes, and the fast path resumes.
    @Test(arguments: suites)
    func renegotiationInsideOneReadIsHandledInOrder(_ suite: CipherSuite) throws {
        let pair = try Self.pair(suite)
        let (before, first) = try Self.records(pair, from: pair.server, [1000, 20_000], seed: 1)
        try pair.serverHandler.renegotiate()
        let helloRequest = try pair.outbound(pair.server)
        #expect(!helloRequest.isEmpty)
        let (after, last) = try Self.records(pair, from: pair.server, [3000], seed: 2)
        try pair.deliver(first + helloRequest + last, to: pair.client)
        #expect(pair.clientSink.received == before + after)
        try pair.interact()
        #expect(pair.clientSink.handshakes.count == 2)
        #expect(pair.serverSink.handshakes.count == 2)
        let (more, moreWire) = try Self.records(pair, from: pair.server, [50_000], seed: 4)
        try pair.deliver(moreWire, to: pair.client)
        #expect(pair.clientSink.received == before + after + more)
        let (up, upWire) = try Self.records(pair, from: pair.client, [50_000], seed: 5)
        try pair.deliver(upWire, to: pair.server)
        #expect(pair.serverSink.received == up)
        #expect(pair.clientSink.errors.isEmpty && pair.serverSink.errors.isEmpty)
    }

    /// A tampered record among good ones in one read: the records before it are delivered,
    /// nothing after it, and the channel fails with the alert the queue path sends.
    @Test(arguments: suites, [false, true])
    func hostileRecordOnTheFastPathFailsAsBefore(_ suite: CipherSuite, unknownType: Bool) throws {
        let pair = try Self.pair(suite)
        var wire: [UInt8] = []
        var sent: [[UInt8]] = []
        for i in 0..<4 {
            let (data, records) = try Self.records(pair, from: pair.server, [500 + i], seed: UInt8(10 + i))
            sent.append(data)
            wire += records
        }
        // The first record of the third write (CBC splits each write 1/n−1).
        let starts = Self.recordStarts(wire)
        let third = starts[2 * (starts.count / 4)]
        if unknownType {
            wire[third] = 99
        } else {
            wire[third + 5 + 10] ^= 0x40  // inside the body: bad_record_mac
        }
        try pair.deliver(wire, to: pair.client)
        #expect(pair.clientSink.received == sent[0] + sent[1])
        let error = try #require(pair.clientSink.channelErrors.first)
        #expect(error.alert?.description == (unknownType ? .unexpectedMessage : .badRecordMAC))
        #expect(!pair.client.isActive)
        try pair.deliver(try pair.outbound(pair.client), to: pair.server)
        #expect(pair.serverSink.channelErrors.first?.alert?.fromPeer == true)
    }

    /// Where each record of `wire` starts.
    static func recordStarts(_ wire: [UInt8]) -> [Int] {
        var starts: [Int] = []
        var offset = 0
        while offset + 5 <= wire.count {
            starts.append(offset)
            offset += 5 + Int(wire[offset + 3]) << 8 + Int(wire[offset + 4])
        }
        return starts
    }
}
