import TestSupport
import Testing
import TLSRecord

/// Framing: records split at every byte boundary or packed together come out the same;
/// header checks (version, type, lengths) give the RFC 2246 alerts.
@Suite struct DeframerTests {
    /// A flight of sealed records of assorted types and sizes (empty application data too).
    static func flight(_ cipher: BulkCipherAlgorithm) throws -> (RecordProtectionParameters, [UInt8], [TLSRecord]) {
        let p = RecordTestSupport.parameters(cipher)
        var sender = RecordLayer(role: .server)
        try sender.setPendingWrite(p)
        try sender.changeWriteCipherSpec()
        let messages: [TLSRecord] = [
            TLSRecord(contentType: .handshake, fragment: RecordTestSupport.randomBytes(40, seed: 1)),
            TLSRecord(contentType: .applicationData, fragment: []),
            TLSRecord(contentType: .applicationData, fragment: RecordTestSupport.randomBytes(3, seed: 2)),
            TLSRecord(contentType: .alert, fragment: Alert.closeNotify.bytes),
            TLSRecord(contentType: .applicationData, fragment: RecordTestSupport.randomBytes(300, seed: 3)),
        ]
        for m in messages { try sender.send(m.contentType, m.fragment) }
        return (p, sender.takeOutput(), messages)
    }

    static func receiver(_ p: RecordProtectionParameters) throws -> RecordLayer {
        var layer = RecordLayer(role: .client)
        try layer.setPendingRead(p)
        try layer.changeReadCipherSpec()
        return layer
    }

    static func drain(_ layer: inout RecordLayer) throws -> [TLSRecord] {
        var out: [TLSRecord] = []
        while let r = try layer.nextRecord() { out.append(r) }
        return out
    }

    @Test(arguments: [BulkCipherAlgorithm.tripleDES, .null])
    func splitAtEveryByteBoundary(_ cipher: BulkCipherAlgorithm) throws {
        let (p, stream, expected) = try Self.flight(cipher)
        for cut in 0...stream.count {
            var layer = try Self.receiver(p)
            layer.receive(Array(stream[0..<cut]))
            var got = try Self.drain(&layer)
            layer.receive(Array(stream[cut...]))
            got += try Self.drain(&layer)
            #expect(got == expected, "cut at \(cut)")
            #expect(layer.bufferedInputCount == 0)
        }
    }

    @Test func byteByByteAndPacked() throws {
        let (p, stream, expected) = try Self.flight(.tripleDES)
        var layer = try Self.receiver(p)
        var got: [TLSRecord] = []
        for b in stream {
            layer.receive([b])
            got += try Self.drain(&layer)
        }
        #expect(got == expected)
        // Two flights' worth of records back to back in one read.
        var sender = RecordLayer(role: .server)
        try sender.setPendingWrite(p)
        try sender.changeWriteCipherSpec()
        for m in expected + expected { try sender.send(m.contentType, m.fragment) }
        var packed = try Self.receiver(p)
        packed.receive(sender.takeOutput())
        #expect(try Self.drain(&packed) == expected + expected)
    }

    /// The zero-copy paths: reading straight into the input buffer and opening into a closure.
    @Test func zeroCopyPaths() throws {
        let (p, stream, expected) = try Self.flight(.des)
        var layer = try Self.receiver(p)
        var offset = 0
        while offset < stream.count {
            let n = layer.receive(maximumCount: 7) { buffer in
                let k = min(buffer.count, stream.count - offset)
                for i in 0..<k { buffer[i] = stream[offset + i] }
                return k
            }
            offset += n
        }
        var got: [TLSRecord] = []
        while let r = try layer.withNextRecord({ type, bytes in TLSRecord(contentType: type, fragment: Array(bytes)) }) {
            got.append(r)
        }
        #expect(got == expected)
    }

    @Test func recordVersionChecks() throws {
        // Before negotiation any 3.x is accepted (OpenSSL: ClientHello in a 3.1 record with
        // client_version 3.3; others use 3.0).
        var server = RecordLayer(role: .server)
        server.receive(RecordTestSupport.header(.handshake, .tls12, 2) + [1, 2])
        server.receive(RecordTestSupport.header(.handshake, .ssl30, 1) + [3])
        #expect(try server.nextRecord()?.fragment == [1, 2])
        #expect(try server.nextRecord()?.fragment == [3])
        // Major version 2 (or anything but 3): protocol_version.
        var bad = RecordLayer(role: .server)
        bad.receive([22, 2, 0, 0, 1, 9])
        #expect(throws: RecordError(.protocolVersion, "")) { _ = try bad.nextRecord() }
        // Once negotiated, the version must match exactly.
        var client = RecordLayer(role: .client)
        client.peerRecordVersion = .tls10
        client.receive(RecordTestSupport.header(.handshake, .tls10, 1) + [7])
        client.receive(RecordTestSupport.header(.handshake, .tls11, 1) + [8])
        #expect(try client.nextRecord()?.fragment == [7])
        do {
            _ = try client.nextRecord()
            Issue.record("a TLS 1.1 record was accepted after TLS 1.0 was negotiated")
        } catch {
            #expect(error.code == .protocolVersion)
            #expect(error.alert == .protocolVersion)
        }
    }

    @Test func unknownContentTypeIsUnexpectedMessage() throws {
        var layer = RecordLayer(role: .client)
        layer.receive([24, 3, 1, 0, 1, 0])
        #expect(throws: RecordError(.unexpectedMessage, "")) { _ = try layer.nextRecord() }
    }

    @Test func plaintextLengthLimits() throws {
        // Initial state: 2^14 is fine, 2^14 + 1 is record_overflow from the header.
        var ok = RecordLayer(role: .server)
        ok.receive(RecordTestSupport.header(.applicationData, .tls10, RecordLimits.maxPlaintext)
            + [UInt8](repeating: 0x41, count: RecordLimits.maxPlaintext))
        #expect(try ok.nextRecord()?.fragment.count == RecordLimits.maxPlaintext)
        var over = RecordLayer(role: .server)
        over.receive(RecordTestSupport.header(.applicationData, .tls10, RecordLimits.maxPlaintext + 1))
        #expect(throws: RecordError(.recordOverflow, "")) { _ = try over.nextRecord() }
        // Protected: a well-sealed record whose plaintext exceeds 2^14 is record_overflow.
        let p = RecordTestSupport.parameters(.tripleDES)
        var sender = try RecordProtection(p)
        let big = try RecordTestSupport.seal(&sender, .applicationData, [UInt8](repeating: 1, count: RecordLimits.maxPlaintext + 1))
        var layer = try Self.receiver(p)
        layer.receive(big)
        #expect(throws: RecordError(.recordOverflow, "")) { _ = try layer.nextRecord() }
    }

    @Test func changeCipherSpecMessageMustBeOne() throws {
        var layer = RecordLayer(role: .client)
        layer.receive(RecordTestSupport.header(.changeCipherSpec, .tls10, 1) + [1])
        #expect(try layer.nextRecord() == TLSRecord(contentType: .changeCipherSpec, fragment: [1]))
        var bad = RecordLayer(role: .client)
        bad.receive(RecordTestSupport.header(.changeCipherSpec, .tls10, 2) + [1, 1])
        #expect(throws: RecordError(.unexpectedMessage, "")) { _ = try bad.nextRecord() }
    }

    @Test func alertCoding() throws {
        let a = Alert.fatal(.badRecordMAC)
        #expect(a.bytes == [2, 20])
        #expect(try Alert(decoding: [2, 20]) == a)
        #expect(try Alert(decoding: [1, 0]) == .closeNotify)
        #expect(throws: RecordError(.decodeError, "")) { _ = try Alert(decoding: [2, 20, 0]) }
        #expect(throws: RecordError(.decodeError, "")) { _ = try Alert(decoding: [2]) }
        #expect(AlertDescription.inappropriateFallback.name == "inappropriate_fallback")
        #expect(AlertDescription(rawValue: 99).name == "alert(99)")
        #expect(a.summary == "fatal bad_record_mac")
    }

    /// Fuzzing: random streams and randomly mutated valid flights, cut into random reads,
    /// never crash or hang; each ends in records, a wait for more bytes, or a RecordError.
    @Test(arguments: [BulkCipherAlgorithm.tripleDES, .null])
    func fuzzedStreamsNeverCrash(_ cipher: BulkCipherAlgorithm) throws {
        let (p, stream, _) = try Self.flight(cipher)
        var rng = SplitMix(seed: cipher == .null ? 1 : 2)
        var outcomes = [0, 0, 0]  // clean end, waiting, error
        for round in 0..<1500 {
            var input: [UInt8]
            if round % 3 == 0 {
                input = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if round % 2 == 0, input.count >= 3 { input[0] = 22; input[1] = 3; input[2] = 1 }
            } else {
                input = stream
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let at = Int(rng.next() % UInt64(input.count))
                    switch rng.next() % 3 {
                    case 0: input[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: input.remove(at: at)
                    default: input.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                    }
                }
            }
            var layer = try Self.receiver(p)
            var offset = 0
            do {
                while offset < input.count {
                    let n = min(input.count - offset, 1 + Int(rng.next() % 64))
                    layer.receive(Array(input[offset..<(offset + n)]))
                    offset += n
                    while try layer.nextRecord() != nil {}
                }
                outcomes[layer.bufferedInputCount == 0 ? 0 : 1] += 1
            } catch {
                outcomes[2] += 1
            }
        }
        #expect(outcomes.reduce(0, +) == 1500)
        #expect(outcomes[2] > 500)  // most mutations are caught
    }
}

/// A small deterministic generator for the fuzz test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
