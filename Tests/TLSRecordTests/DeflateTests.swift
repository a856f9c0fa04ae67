import CryptoPrimitives
import CZlib
import TestSupport
import Testing
import TLSRecord

/// DEFLATE record compression (RFC 3749): round trips with history across records, and
/// bounded decompression (a bomb is decompression_failure, never a big allocation).
@Suite struct DeflateTests {
    static func pair(_ cipher: BulkCipherAlgorithm) throws -> (RecordLayer, RecordLayer) {
        let p = RecordTestSupport.parameters(cipher, compression: .deflate)
        var sender = RecordLayer(role: .server)
        var receiver = RecordLayer(role: .client)
        try sender.setPendingWrite(p)
        try sender.changeWriteCipherSpec()
        try receiver.setPendingRead(p)
        try receiver.changeReadCipherSpec()
        #expect(sender.writeCompression == .deflate && receiver.readCompression == .deflate)
        return (sender, receiver)
    }

    /// Record body lengths in a stream of records.
    static func bodies(_ stream: [UInt8]) -> [Int] { ConnectionStateTests.lengths(of: stream) }

    @Test(arguments: [BulkCipherAlgorithm.tripleDES, .null])
    func roundTripsManyRecords(_ cipher: BulkCipherAlgorithm) throws {
        var (sender, receiver) = try Self.pair(cipher)
        var sent: [UInt8] = []
        var received: [UInt8] = []
        var records = 0
        for i in 0..<60 {
            // Alternate incompressible and highly compressible data of varied sizes.
            let size = [0, 1, 100, 5000, 16384, 40000][i % 6]
            let data = i % 2 == 0 ? RecordTestSupport.randomBytes(size, seed: UInt64(i))
                : [UInt8](repeating: UInt8(i), count: size)
            try sender.send(.applicationData, data)
            sent += data
            // Deliver in odd-sized pieces, so records straddle reads.
            let out = sender.takeOutput()
            var k = 0
            while k < out.count {
                let n = min(777, out.count - k)
                receiver.receive(Array(out[k..<(k + n)]))
                k += n
                while let r = try receiver.nextRecord() {
                    received += r.fragment
                    records += 1
                }
            }
        }
        #expect(received == sent)
        #expect(records >= 60)
    }

    /// The same text sent twice compresses to far less the second time: the history carries
    /// across records (one stream per direction).
    @Test func historySpansRecords() throws {
        var (sender, receiver) = try Self.pair(.tripleDES)
        let text = RecordTestSupport.randomBytes(4000, seed: 42)
        try sender.send(.applicationData, text)
        let first = sender.takeOutput()
        try sender.send(.applicationData, text)
        let second = sender.takeOutput()
        #expect(Self.bodies(first)[0] > 4000)
        #expect(Self.bodies(second)[0] < 200)
        receiver.receive(first + second)
        #expect(try receiver.nextRecord()?.fragment == text)
        #expect(try receiver.nextRecord()?.fragment == text)
    }

    /// zlib-format DEFLATE of `data` with a sync flush, as a peer's first record.
    static func deflateBytes(_ data: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        _ = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                          Int32(MemoryLayout<z_stream>.size))
        var input = data
        var output = [UInt8](repeating: 0, count: data.count + 1024)
        let produced = input.withUnsafeMutableBytes { inp in
            output.withUnsafeMutableBytes { out in
                stream.next_in = inp.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(inp.count)
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                _ = deflate(&stream, Z_SYNC_FLUSH)
                return out.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        return Array(output[0..<produced])
    }

    /// Opens one peer record whose compressed fragment is `compressed`.
    static func receive(compressed: [UInt8]) throws -> TLSRecord? {
        let p = RecordTestSupport.parameters(.null, compression: .deflate)
        var sealer = try RecordProtection(RecordTestSupport.parameters(.null))
        let record = try RecordTestSupport.seal(&sealer, .applicationData, compressed)
        var receiver = RecordLayer(role: .client)
        try receiver.setPendingRead(p)
        try receiver.changeReadCipherSpec()
        receiver.receive(record)
        return try receiver.nextRecord()
    }

    @Test func decompressionIsBounded() throws {
        // Exactly 2^14 bytes inflate fine.
        let limit = [UInt8](repeating: 0, count: RecordLimits.maxPlaintext)
        #expect(try Self.receive(compressed: Self.deflateBytes(limit))?.fragment == limit)
        // One byte more, and a 10 MB bomb in a few KB: decompression_failure.
        for size in [RecordLimits.maxPlaintext + 1, 10_000_000] {
            let bomb = Self.deflateBytes([UInt8](repeating: 0, count: size))
            #expect(bomb.count < 12_000)
            #expect(throws: RecordError(.decompressionFailure, "")) { _ = try Self.receive(compressed: bomb) }
        }
        // Garbage is decompression_failure too.
        #expect(throws: RecordError(.decompressionFailure, "")) {
            _ = try Self.receive(compressed: RecordTestSupport.randomBytes(300, seed: 8))
        }
        #expect(RecordError(.decompressionFailure, "").alert == .decompressionFailure)
    }

    @Test func compressedLengthLimit() throws {
        let fragment = [UInt8](repeating: 0, count: RecordLimits.maxCompressed + 1)
        // Unprotected state with DEFLATE: the header alone is record_overflow.
        var plain = RecordLayer(role: .client)
        try plain.setPendingRead(RecordProtectionParameters(
            cipher: .null, mac: .null, compression: .deflate, macSecret: [], key: [], iv: []))
        try plain.changeReadCipherSpec()
        plain.receive(RecordTestSupport.header(.applicationData, .tls10, fragment.count))
        #expect(throws: RecordError(.recordOverflow, "")) { _ = try plain.nextRecord() }
        // NULL-SHA: an authentic record whose compressed fragment is too long is
        // record_overflow after the MAC check, before inflating.
        let p = RecordTestSupport.parameters(.null, compression: .deflate)
        let pseudo: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 23, 3, 1, UInt8(fragment.count >> 8), UInt8(fragment.count & 0xFF)]
        let mac = HMAC<SHA1>(key: p.macSecret).authenticationCode(for: pseudo + fragment)
        var layer = RecordLayer(role: .client)
        try layer.setPendingRead(p)
        try layer.changeReadCipherSpec()
        layer.receive(RecordTestSupport.header(.applicationData, .tls10, fragment.count + 20) + fragment + mac)
        #expect(throws: RecordError(.recordOverflow, "")) { _ = try layer.nextRecord() }
    }

    /// An empty write after a flush still produces a non-empty DEFLATE fragment that inflates
    /// to nothing (some peers cannot inflate an empty fragment).
    @Test func emptyRecordsAfterData() throws {
        var (sender, receiver) = try Self.pair(.tripleDES)
        try sender.send(.applicationData, [1, 2, 3])
        try sender.send(.applicationData, [])
        try sender.send(.applicationData, [])
        try sender.send(.applicationData, [4])
        receiver.receive(sender.takeOutput())
        var got: [[UInt8]] = []
        while let r = try receiver.nextRecord() { got.append(r.fragment) }
        #expect(got == [[1, 2, 3], [], [], [4]])
    }
}
