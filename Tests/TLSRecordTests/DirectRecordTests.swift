import CryptoPrimitives
import TestSupport
import Testing
import TLSRecord

/// The out-of-place fast paths (`openApplicationData(from:decryptingInto:)`,
/// `sealApplicationData(_:into:)`) against the queue paths they bypass: the same plaintext,
/// byte-identical records, the same errors, the same counters.
@Suite struct DirectRecordTests {
    static let ciphers: [BulkCipherAlgorithm] = [.null, .tripleDES, .aes128]
    static let sizes = [0, 1, 2, 15, 16, 17, 100, 1000, 16_383, 16_384, 16_385, 40_000]

    /// A layer whose read and write states both use `cipher` with the test key material.
    static func layer(_ cipher: BulkCipherAlgorithm, splitting: Bool = true, keyUsageLimit: UInt64? = nil) throws -> RecordLayer {
        var configuration = RecordLayerConfiguration()
        configuration.recordSplitting = splitting
        configuration.keyUsageLimit = keyUsageLimit
        var layer = RecordLayer(role: .client, configuration: configuration)
        let parameters = RecordTestSupport.parameters(cipher)
        try layer.setPendingRead(parameters)
        try layer.changeReadCipherSpec()
        try layer.setPendingWrite(parameters)
        try layer.changeWriteCipherSpec()
        layer.peerRecordVersion = .tls10
        return layer
    }

    /// Seals `bytes` straight into a buffer of the advertised capacity.
    static func sealDirectly(_ layer: inout RecordLayer, _ bytes: [UInt8]) throws -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: layer.sealedCapacity(forApplicationData: bytes.count))
        let written = try bytes.withUnsafeBytes { source in
            try out.withUnsafeMutableBytes { try layer.sealApplicationData(source, into: $0) }
        }
        return written.map { Array(out[0..<$0]) }
    }

    /// What the direct path delivers from `stream`: the plaintext of each record it opens,
    /// then (from the first record it declines) what the queue path opens. Stops at the
    /// first error, returning it with the plaintext delivered before it.
    static func openDirectly(_ layer: inout RecordLayer, _ stream: [UInt8]) -> ([[UInt8]], RecordError?, Int) {
        var delivered: [[UInt8]] = []
        var offset = 0
        var destination = [UInt8](repeating: 0, count: stream.count)
        var directCount = 0
        do {
            while offset < stream.count {
                let opened = try stream.withUnsafeBytes { all in
                    try destination.withUnsafeMutableBytes { out in
                        try layer.openApplicationData(from: UnsafeRawBufferPointer(rebasing: all[offset...]), decryptingInto: out)
                    }
                }
                guard let opened else { break }
                switch opened.plaintext {
                case .inSource(let r): delivered.append(Array(stream[(offset + r.lowerBound)..<(offset + r.upperBound)]))
                case .inDestination(let r): delivered.append(Array(destination[r]))
                }
                #expect(opened.recordLength >= 5)
                offset += opened.recordLength
                directCount += 1
            }
            layer.receive(Array(stream[offset...]))
            while let record = try layer.nextRecord() { delivered.append(record.fragment) }
        } catch let error as RecordError {
            return (delivered, error, directCount)
        } catch {
            Issue.record(error)
        }
        return (delivered, nil, directCount)
    }

    /// What the queue path delivers from `stream`.
    static func openQueued(_ layer: inout RecordLayer, _ stream: [UInt8]) -> ([[UInt8]], RecordError?) {
        var delivered: [[UInt8]] = []
        layer.receive(stream)
        do {
            while let record = try layer.nextRecord() { delivered.append(record.fragment) }
        } catch {
            return (delivered, error)
        }
        return (delivered, nil)
    }

    @Test(arguments: ciphers, [false, true])
    func directSealIsByteIdenticalToTheQueuedSeal(_ cipher: BulkCipherAlgorithm, splitting: Bool) throws {
        var queued = try Self.layer(cipher, splitting: splitting)
        var direct = try Self.layer(cipher, splitting: splitting)
        for (i, size) in Self.sizes.enumerated() {  // one after another: the IV chains on
            let data = RecordTestSupport.randomBytes(size, seed: UInt64(i))
            try queued.send(.applicationData, data)
            let expected = queued.takeOutput()
            let sealed = try #require(try Self.sealDirectly(&direct, data))
            #expect(sealed == expected, "\(cipher) \(size) bytes")
            #expect(sealed.count <= direct.sealedCapacity(forApplicationData: size))
            #expect(direct.writeSequenceNumber == queued.writeSequenceNumber)
            #expect(direct.writeKeyUsage == queued.writeKeyUsage)
        }
        #expect(!direct.hasOutput)
    }

    @Test(arguments: ciphers, [false, true])
    func directOpenYieldsWhatTheQueueYields(_ cipher: BulkCipherAlgorithm, directlySealed: Bool) throws {
        var sender = try Self.layer(cipher)
        var stream: [UInt8] = []
        var sent: [UInt8] = []
        for (i, size) in Self.sizes.enumerated() {
            let data = RecordTestSupport.randomBytes(size, seed: UInt64(100 + i))
            sent += data
            if directlySealed {
                stream += try #require(try Self.sealDirectly(&sender, data))
            } else {
                try sender.send(.applicationData, data)
                stream += sender.takeOutput()
            }
        }
        var queuedReader = try Self.layer(cipher)
        var directReader = try Self.layer(cipher)
        let (expected, queuedError) = Self.openQueued(&queuedReader, stream)
        let (delivered, directError, directCount) = Self.openDirectly(&directReader, stream)
        #expect(queuedError == nil && directError == nil)
        #expect(delivered == expected)
        #expect(delivered.flatMap { $0 } == sent)
        #expect(directCount == expected.count)  // every record took the fast path
        #expect(directReader.readSequenceNumber == queuedReader.readSequenceNumber)
        #expect(directReader.readKeyUsage == queuedReader.readKeyUsage)
        #expect(directReader.bufferedInputCount == 0)
    }

    /// One tampering of the third of four records: what both paths deliver and throw.
    enum Tamper: CaseIterable, Sendable {
        case macByte, paddingByte, overlongLength, unknownType, wrongVersion
    }

    @Test(arguments: ciphers, Tamper.allCases)
    func hostileRecordFailsAlikeOnBothPaths(_ cipher: BulkCipherAlgorithm, _ tamper: Tamper) throws {
        var sender = try Self.layer(cipher, splitting: false)
        var records: [[UInt8]] = []
        for i in 0..<4 {
            try sender.send(.applicationData, RecordTestSupport.randomBytes(300 + i, seed: UInt64(i)))
            records.append(sender.takeOutput())
        }
        var bad = records[2]
        switch tamper {
        case .macByte: bad[bad.count - (cipher == .null ? 1 : 9)] ^= 0x20  // NULL: the MAC; CBC: the last block
        case .paddingByte: bad[bad.count - 1] ^= 0x01
        case .overlongLength: bad[3] = UInt8(((1 << 14) + 2049) >> 8); bad[4] = UInt8(((1 << 14) + 2049) & 0xFF)
        case .unknownType: bad[0] = 99
        case .wrongVersion: bad[2] = 2
        }
        let stream = records[0] + records[1] + bad + records[3]
        var queuedReader = try Self.layer(cipher)
        var directReader = try Self.layer(cipher)
        let (expected, queuedError) = Self.openQueued(&queuedReader, stream)
        let (delivered, directError, _) = Self.openDirectly(&directReader, stream)
        let error = try #require(directError)
        #expect(error.code == queuedError?.code)
        #expect(error.alert == queuedError?.alert)
        #expect(delivered == expected)
        #expect(delivered.count == 2)  // the records before it, nothing after
        // The failure is latched on the fast path too.
        let again = stream.withUnsafeBytes { source in
            Result { () throws(RecordError) in try directReader.openApplicationData(from: source, decryptingInto: .init(start: nil, count: 0)) }
        }
        #expect(throws: error) { try again.get() }
    }

    @Test(arguments: ciphers)
    func fastPathDeclinesWhatItDoesNotHandle(_ cipher: BulkCipherAlgorithm) throws {
        var sender = try Self.layer(cipher, splitting: false)
        try sender.send(.applicationData, [1, 2, 3, 4])
        let record = sender.takeOutput()
        try sender.send(.handshake, [0, 0, 0, 0])
        let handshake = sender.takeOutput()
        var reader = try Self.layer(cipher)
        var room = [UInt8](repeating: 0, count: 4096)
        func open(_ bytes: [UInt8], room count: Int = 4096) throws -> OpenedRecord? {
            try bytes.withUnsafeBytes { source in
                try room.withUnsafeMutableBytes { try reader.openApplicationData(from: source, decryptingInto: .init(rebasing: $0[0..<count])) }
            }
        }
        #expect(try open(handshake) == nil)  // not application data
        #expect(try open(Array(record.dropLast())) == nil)  // not whole
        #expect(try open(Array(record.prefix(3))) == nil)  // not even a header
        if cipher != .null { #expect(try open(record, room: record.count - 6) == nil) }  // no room to decrypt
        #expect(reader.readSequenceNumber == 0)  // nothing was taken
        // A record queued in part: the fast path waits until the queue is drained.
        reader.receive(Array(record.prefix(2)))
        #expect(reader.bytesToCompleteBufferedRecord == 3)
        #expect(try open(record) == nil)
        reader.receive(Array(record[2..<7]))
        #expect(reader.bytesToCompleteBufferedRecord == record.count - 7)
        reader.receive(Array(record[7...]))
        #expect(reader.bytesToCompleteBufferedRecord == 0)
        #expect(try reader.nextRecord()?.fragment == [1, 2, 3, 4])
        #expect(reader.bufferedInputCount == 0)
        // The same record again on the fast path: a replay, refused by its sequence number.
        #expect(throws: RecordError(.badRecordMAC, "")) { _ = try open(record) }
    }

    @Test func directSealDeclinesWhileRecordsAreQueuedOrRoomIsShort() throws {
        var layer = try Self.layer(.aes128)
        try layer.send(.handshake, [0, 0, 0, 0])
        #expect(try Self.sealDirectly(&layer, [1, 2, 3]) == nil)  // queued records go first
        _ = layer.takeOutput()
        let sequence = layer.writeSequenceNumber
        var small = [UInt8](repeating: 0, count: layer.sealedCapacity(forApplicationData: 100) - 1)
        let written = try [UInt8](repeating: 7, count: 100).withUnsafeBytes { source in
            try small.withUnsafeMutableBytes { try layer.sealApplicationData(source, into: $0) }
        }
        #expect(written == nil)
        #expect(layer.writeSequenceNumber == sequence)
    }

    /// Sweet32: the same limit and the same error at the same byte on both paths.
    @Test func keyUsageLimitIsTheSameOnBothPaths() throws {
        var queued = try Self.layer(.tripleDES, keyUsageLimit: 1000)
        var direct = try Self.layer(.tripleDES, keyUsageLimit: 1000)
        try queued.send(.applicationData, [UInt8](repeating: 1, count: 900))
        _ = try #require(try Self.sealDirectly(&direct, [UInt8](repeating: 1, count: 900)))
        #expect(throws: RecordError(.keyUsageLimitReached, "")) { try queued.send(.applicationData, [UInt8](repeating: 1, count: 101)) }
        #expect(throws: RecordError(.keyUsageLimitReached, "")) { _ = try Self.sealDirectly(&direct, [UInt8](repeating: 1, count: 101)) }
        #expect(direct.writeKeyUsage == 900 && queued.writeKeyUsage == 900)

        var sender = try Self.layer(.tripleDES)
        var stream: [UInt8] = []
        for _ in 0..<3 { stream += try #require(try Self.sealDirectly(&sender, [UInt8](repeating: 2, count: 400))) }
        var queuedReader = try Self.layer(.tripleDES, keyUsageLimit: 1000)
        var directReader = try Self.layer(.tripleDES, keyUsageLimit: 1000)
        let (expected, queuedError) = Self.openQueued(&queuedReader, stream)
        let (delivered, directError, _) = Self.openDirectly(&directReader, stream)
        #expect(queuedError?.code == .keyUsageLimitReached)
        #expect(directError?.code == .keyUsageLimitReached)
        #expect(delivered == expected)
    }
}
