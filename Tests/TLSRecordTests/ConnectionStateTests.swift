import TestSupport
import Testing
import TLSRecord

/// Connection states (RFC 2246 §6.1): pending/current switching, sequence numbers, the
/// send-side fragmentation and 1/n−1 split, Sweet32 limits, copy-on-write.
@Suite struct ConnectionStateTests {
    static func lengths(of stream: [UInt8]) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i + 5 <= stream.count {
            let n = Int(stream[i + 3]) << 8 | Int(stream[i + 4])
            out.append(n)
            i += 5 + n
        }
        return out
    }

    /// The concatenated plaintext of every buffered record.
    static func readAll(_ layer: inout RecordLayer) throws -> [UInt8] {
        var out: [UInt8] = []
        while let r = try layer.nextRecord() { out += r.fragment }
        return out
    }

    /// A connected pair: a client writing to a server under `cipher`.
    static func pair(_ cipher: BulkCipherAlgorithm, clientConfig: RecordLayerConfiguration = .init(),
                     serverConfig: RecordLayerConfiguration = .init(), compression: CompressionMethod = .null)
        throws -> (RecordLayer, RecordLayer)
    {
        let p = RecordTestSupport.parameters(cipher, compression: compression)
        var client = RecordLayer(role: .client, configuration: clientConfig)
        var server = RecordLayer(role: .server, configuration: serverConfig)
        try client.setPendingWrite(p)
        try client.sendChangeCipherSpec()
        try server.setPendingRead(p)
        server.receive(client.takeOutput())
        #expect(try server.nextRecord() == TLSRecord(contentType: .changeCipherSpec, fragment: [1]))
        try server.changeReadCipherSpec()
        return (client, server)
    }

    @Test func changeCipherSpecWithoutPendingStateIsUnexpectedMessage() {
        var layer = RecordLayer(role: .server)
        #expect(throws: RecordError(.unexpectedMessage, "")) { try layer.changeReadCipherSpec() }
        #expect(throws: RecordError(.unexpectedMessage, "")) { try layer.changeWriteCipherSpec() }
        #expect(throws: RecordError(.unexpectedMessage, "")) { try layer.sendChangeCipherSpec() }
        #expect(!layer.hasOutput)
    }

    @Test func wrongKeyLengthsAreRejected() {
        var layer = RecordLayer(role: .server)
        var p = RecordTestSupport.parameters(.tripleDES)
        p.key.removeLast()
        #expect(throws: RecordError(.invalidParameters, "")) { try layer.setPendingWrite(p) }
        #expect(!layer.hasPendingWrite)
        // A cipher without a MAC, or an unknown compression method, is refused too.
        #expect(throws: RecordError(.invalidParameters, "")) {
            try layer.setPendingWrite(RecordProtectionParameters(
                cipher: .des, mac: .null, macSecret: [], key: [UInt8](repeating: 1, count: 8), iv: [UInt8](repeating: 0, count: 8)))
        }
        var lzs = RecordTestSupport.parameters(.null)
        lzs.compression = CompressionMethod(rawValue: 64)
        #expect(throws: RecordError(.invalidParameters, "")) { try layer.setPendingRead(lzs) }
        #expect(RecordError(.invalidParameters, "").alert == .internalError)
    }

    @Test func sequenceNumbersCountAndResetOnSwitch() throws {
        var (client, server) = try Self.pair(.tripleDES)
        #expect(client.writeSequenceNumber == 0 && server.readSequenceNumber == 0)
        for i in 0..<5 { try client.send(.handshake, [UInt8(i)]) }
        server.receive(client.takeOutput())
        while try server.nextRecord() != nil {}
        #expect(client.writeSequenceNumber == 5 && server.readSequenceNumber == 5)
        // A renegotiated state starts again at 0.
        let p2 = RecordTestSupport.parameters(.des, seed: 77)
        try client.setPendingWrite(p2)
        try client.sendChangeCipherSpec()
        try server.setPendingRead(p2)
        server.receive(client.takeOutput())
        #expect(try server.nextRecord()?.contentType == .changeCipherSpec)
        try server.changeReadCipherSpec()
        #expect(client.writeSequenceNumber == 0 && server.readSequenceNumber == 0)
        #expect(client.writeCipher == .des && server.readCipher == .des)
        try client.send(.applicationData, Array("after rekey".utf8))
        server.receive(client.takeOutput())
        #expect(try Self.readAll(&server) == Array("after rekey".utf8))  // split 1/n−1 by the client
    }

    @Test func sequenceNumberWrapIsFatal() throws {
        var p = try RecordProtection(RecordTestSupport.parameters(.null))
        p.sequenceNumber = .max
        _ = try RecordTestSupport.seal(&p, .applicationData, [1])  // 2^64 − 1 is the last one
        #expect(throws: RecordError(.sequenceOverflow, "")) { _ = try RecordTestSupport.seal(&p, .applicationData, [1]) }
        #expect(RecordError(.sequenceOverflow, "").alert == .internalError)
    }

    @Test func fragmentationAndSplitting() throws {
        let data = RecordTestSupport.randomBytes(40000, seed: 4)
        // Client default: split on for CBC.
        var (client, server) = try Self.pair(.tripleDES)
        #expect(client.recordSplitting && !server.recordSplitting)
        try client.send(.applicationData, data)
        let stream = client.takeOutput()
        // 1 + 16384 + 16384 + 7231 plaintext bytes; each body is MAC-padded to 8.
        #expect(Self.lengths(of: stream).count == 4)
        #expect(Self.lengths(of: stream)[0] == 24)  // 1 + 20 + 3 padding → 24
        server.receive(stream)
        var got: [[UInt8]] = []
        while let r = try server.nextRecord() { got.append(r.fragment) }
        #expect(got.map(\.count) == [1, 16384, 16384, 7231])
        #expect(got.flatMap { $0 } == data)
        // Handshake data is never split; NULL cipher is never split.
        try client.send(.handshake, Array(data[0..<100]))
        #expect(Self.lengths(of: client.takeOutput()).count == 1)
        var (nullClient, _) = try Self.pair(.null)
        try nullClient.send(.applicationData, Array(data[0..<100]))
        #expect(Self.lengths(of: nullClient.takeOutput()) == [120])
        // Server default: no split; a smaller fragment size is honoured.
        // AES: the 1-byte record is 1 + 20 + 11 padding → 32 (two 16-byte blocks).
        var (aesClient, aesServer) = try Self.pair(.aes128)
        try aesClient.send(.applicationData, Array(data[0..<1000]))
        let aesStream = aesClient.takeOutput()
        #expect(Self.lengths(of: aesStream) == [32, 1024])  // 999 + 20 + 5 → 1024
        aesServer.receive(aesStream)
        var aesGot: [UInt8] = []
        while let r = try aesServer.nextRecord() { aesGot += r.fragment }
        #expect(aesGot == Array(data[0..<1000]))
        var (c2, s2) = try Self.pair(.des, clientConfig: RecordLayerConfiguration(recordSplitting: false, maxFragmentLength: 1000))
        try c2.send(.applicationData, Array(data[0..<2500]))
        s2.receive(c2.takeOutput())
        var sizes: [Int] = []
        while let r = try s2.nextRecord() { sizes.append(r.fragment.count) }
        #expect(sizes == [1000, 1000, 500])
    }

    @Test func zeroLengthApplicationData() throws {
        var (client, server) = try Self.pair(.tripleDES)
        try client.send(.applicationData, [])
        let stream = client.takeOutput()
        #expect(Self.lengths(of: stream) == [24])
        server.receive(stream)
        #expect(try server.nextRecord() == TLSRecord(contentType: .applicationData, fragment: []))
    }

    @Test func sweet32Limits() throws {
        let config = RecordLayerConfiguration(keyUsageLimit: 1000, keyUsageRenegotiationThreshold: 500)
        var (client, server) = try Self.pair(.tripleDES, clientConfig: config, serverConfig: config)
        try client.send(.applicationData, [UInt8](repeating: 1, count: 600))
        #expect(client.writeKeyUsage == 600)
        #expect(client.needsRenegotiation)
        #expect(throws: RecordError(.keyUsageLimitReached, "")) {
            try client.send(.applicationData, [UInt8](repeating: 1, count: 401))
        }
        // Handshake and alert records still go out, so renegotiation or close stay possible.
        try client.send(.handshake, [0, 0, 0, 0])
        try client.sendAlert(.closeNotify)
        server.receive(client.takeOutput())
        while try server.nextRecord() != nil {}
        #expect(server.readKeyUsage == 606)
        #expect(server.needsRenegotiation)
        // A peer that goes past the limit is stopped on receive.
        var (loose, strict) = try Self.pair(
            .tripleDES, clientConfig: RecordLayerConfiguration(keyUsageLimit: nil), serverConfig: config)
        try loose.send(.applicationData, [UInt8](repeating: 2, count: 1001))
        strict.receive(loose.takeOutput())
        #expect(throws: RecordError(.keyUsageLimitReached, "")) { while try strict.nextRecord() != nil {} }
        // NULL-SHA and AES (128-bit blocks) have no 64-bit block: no accounting, either way.
        for cipher in [BulkCipherAlgorithm.null, .aes128, .aes256] {
            var (unlimited, receiver) = try Self.pair(cipher, clientConfig: config, serverConfig: config)
            try unlimited.send(.applicationData, [UInt8](repeating: 3, count: 5000))
            #expect(unlimited.writeKeyUsage == 0 && !unlimited.needsRenegotiation)
            receiver.receive(unlimited.takeOutput())
            var received = 0
            while let r = try receiver.nextRecord() { received += r.fragment.count }
            #expect(received == 5000 && receiver.readKeyUsage == 0 && !receiver.needsRenegotiation)
        }
    }

    @Test func outputCanBeConsumedPartially() throws {
        var (client, server) = try Self.pair(.des)
        try client.send(.applicationData, Array("partial writes".utf8))
        let total = client.pendingOutputCount
        var written: [UInt8] = []
        while client.hasOutput {
            let chunk = client.withOutput { Array($0.prefix(5)) }
            written += chunk
            client.consumeOutput(chunk.count)
        }
        #expect(written.count == total)
        server.receive(written)
        var got: [UInt8] = []
        while let r = try server.nextRecord() { got += r.fragment }
        #expect(got == Array("partial writes".utf8))
    }

    /// Copies are independent (copy-on-write): both continue the same state.
    @Test func copiesAreIndependent() throws {
        let (client, server) = try Self.pair(.tripleDES)
        var a = client
        var b = client
        try a.send(.applicationData, Array("same".utf8))
        try b.send(.applicationData, Array("same".utf8))
        let sa = a.takeOutput(), sb = b.takeOutput()
        #expect(sa == sb && !sa.isEmpty)
        #expect(client.writeSequenceNumber == 0 && !client.hasOutput)
        var r1 = server, r2 = server
        r1.receive(sa)
        r2.receive(sb)
        #expect(try Self.readAll(&r1) == Array("same".utf8))
        #expect(try Self.readAll(&r2) == Array("same".utf8))
        #expect(server.readSequenceNumber == 0)
    }

    /// The zero-copy send: the plaintext is written into the record buffer and sealed there;
    /// with splitting or DEFLATE it falls back to one copy. Same bytes on the wire either way.
    @Test(arguments: [(BulkCipherAlgorithm.tripleDES, ConnectionEnd.server, CompressionMethod.null),
                      (.tripleDES, .client, .null), (.null, .client, .null), (.des, .server, .deflate)])
    func sendRecordInPlace(_ cipher: BulkCipherAlgorithm, _ role: ConnectionEnd, _ compression: CompressionMethod) throws {
        let p = RecordTestSupport.parameters(cipher, compression: compression)
        var inPlace = RecordLayer(role: role)
        var copying = RecordLayer(role: role)
        for layer in [0, 1] {
            if layer == 0 { try inPlace.setPendingWrite(p); try inPlace.changeWriteCipherSpec() }
            else { try copying.setPendingWrite(p); try copying.changeWriteCipherSpec() }
        }
        let data = RecordTestSupport.randomBytes(3000, seed: 11)
        try inPlace.sendRecord(.applicationData, maximumCount: 5000) { buffer in
            #expect(buffer.count == 5000)
            for i in 0..<data.count { buffer[i] = data[i] }
            return data.count
        }
        try copying.send(.applicationData, data)
        #expect(inPlace.takeOutput() == copying.takeOutput())
        // A fill that claims more than it was given is clamped to the buffer.
        try inPlace.sendRecord(.handshake, maximumCount: 10) { _ in 1_000_000 }
        #expect(inPlace.pendingOutputCount > 10)
    }
}
