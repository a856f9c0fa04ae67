import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
import TLSRecord

/// Records we seal are opened by an independent implementation (Python `cryptography` +
/// `hmac`, Scripts/record_peer.py) with the same keys, and records it seals are opened by us,
/// for every suite. Python pads with extra blocks on some records, as a sender may.
@Suite struct PythonInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Scripts/record_peer.py")

    /// Runs the script with a JSON request; killed by PID if it runs past 60 s.
    static func runPeer(_ request: [String: Any]) throws -> [String: Any] {
        let input = FileManager.default.temporaryDirectory
            .appendingPathComponent("record-peer-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0,
            let answer = try JSONSerialization.jsonObject(with: output) as? [String: Any]
        else { throw Vectors.LoadError("record_peer.py failed (status \(process.terminationStatus))") }
        return answer
    }

    static let suites: [BulkCipherAlgorithm] = [.aes128, .aes256, .tripleDES, .des, .null]

    static func name(_ c: BulkCipherAlgorithm) -> String {
        switch c {
        case .aes128: "aes128"
        case .aes256: "aes256"
        case .tripleDES: "3des"
        case .des: "des"
        case .null: "null"
        }
    }

    /// Plaintexts of varied sizes and types, including empty and a full 2^14 fragment.
    static let messages: [(ContentType, [UInt8])] = [0, 1, 7, 8, 19, 20, 21, 100, 1000, 4095, 16384].enumerated().map {
        i, n in (i % 3 == 0 ? .handshake : .applicationData, RecordTestSupport.randomBytes(n, seed: UInt64(i)))
    }

    static func request(_ cipher: BulkCipherAlgorithm, _ p: RecordProtectionParameters, mode: String) -> [String: Any] {
        ["mode": mode, "cipher": name(cipher), "mac_secret": Hex.encode(p.macSecret), "key": Hex.encode(p.key),
         "iv": Hex.encode(p.iv), "version": "0301"]
    }

    @Test(arguments: suites)
    func pythonOpensOurRecords(_ cipher: BulkCipherAlgorithm) throws {
        let p = RecordTestSupport.parameters(cipher)
        var layer = RecordLayer(role: .server)  // no split: one record per send
        try layer.setPendingWrite(p)
        try layer.changeWriteCipherSpec()
        for (type, data) in Self.messages { try layer.send(type, data) }
        var req = Self.request(cipher, p, mode: "open")
        req["stream"] = Hex.encode(layer.takeOutput())
        let answer = try Self.runPeer(req)
        #expect(answer["error"] == nil, "\(answer["error"] ?? "")")
        let records = answer["records"] as? [[String: Any]] ?? []
        #expect(records.count == Self.messages.count)
        for (record, (type, data)) in zip(records, Self.messages) {
            #expect(record["type"] as? Int == Int(type.rawValue))
            #expect(Hex.decode(record["data"] as? String ?? "-") == data)
        }
    }

    @Test(arguments: suites)
    func weOpenPythonRecords(_ cipher: BulkCipherAlgorithm) throws {
        let p = RecordTestSupport.parameters(cipher, seed: 9)
        var req = Self.request(cipher, p, mode: "seal")
        // Up to 28 extra 8-byte or 14 extra 16-byte blocks: padding stays within 255 bytes.
        let most = cipher.blockByteCount == 16 ? 14 : 28
        req["seal"] = Self.messages.enumerated().map { i, m in
            ["type": Int(m.0.rawValue), "data": Hex.encode(m.1), "extra_blocks": [0, 1, 5, most][i % 4]] as [String: Any]
        }
        let answer = try Self.runPeer(req)
        let stream = Hex.decode(answer["stream"] as? String ?? "")
        #expect(stream.count > Self.messages.reduce(0) { $0 + $1.1.count })
        var layer = RecordLayer(role: .client)
        try layer.setPendingRead(p)
        try layer.changeReadCipherSpec()
        layer.receive(stream)
        var got: [TLSRecord] = []
        while let r = try layer.nextRecord() { got.append(r) }
        #expect(got == Self.messages.map { TLSRecord(contentType: $0.0, fragment: $0.1) })
    }

    /// A sanity check that the peer really checks: a flipped bit makes it fail.
    @Test func pythonRejectsTamperedRecord() throws {
        let p = RecordTestSupport.parameters(.tripleDES)
        var protection = try RecordProtection(p)
        var record = try RecordTestSupport.seal(&protection, .applicationData, Array("hello".utf8))
        record[record.count - 9] ^= 1
        var req = Self.request(.tripleDES, p, mode: "open")
        req["stream"] = Hex.encode(record)
        #expect(try Self.runPeer(req)["error"] != nil)
    }

    /// DEFLATE (RFC 3749) both ways against Python's zlib: one stream per direction, a sync
    /// flush per record, history across records.
    @Test func deflateInteroperates() throws {
        let p = RecordTestSupport.parameters(.tripleDES, compression: .deflate)
        let messages: [[UInt8]] = (0..<12).map { i in
            i % 2 == 0 ? RecordTestSupport.randomBytes(i * 500, seed: UInt64(i))
                : Array(String(repeating: "DICOM over TLS \(i) ", count: 200).utf8)
        }
        // Ours → Python.
        var sender = RecordLayer(role: .server)
        try sender.setPendingWrite(p)
        try sender.changeWriteCipherSpec()
        for m in messages { try sender.send(.applicationData, m) }
        var req = Self.request(.tripleDES, p, mode: "open")
        req["compression"] = "deflate"
        req["stream"] = Hex.encode(sender.takeOutput())
        let opened = try Self.runPeer(req)
        #expect(opened["error"] == nil)
        let records = opened["records"] as? [[String: Any]] ?? []
        #expect(records.map { Hex.decode($0["data"] as? String ?? "-") } == messages)
        // Python → ours.
        var sealReq = Self.request(.tripleDES, p, mode: "seal")
        sealReq["compression"] = "deflate"
        sealReq["seal"] = messages.map { ["type": 23, "data": Hex.encode($0), "extra_blocks": 0] as [String: Any] }
        let stream = Hex.decode(try Self.runPeer(sealReq)["stream"] as? String ?? "")
        var receiver = RecordLayer(role: .client)
        try receiver.setPendingRead(p)
        try receiver.changeReadCipherSpec()
        receiver.receive(stream)
        var got: [[UInt8]] = []
        while let r = try receiver.nextRecord() { got.append(r.fragment) }
        #expect(got == messages)
    }
}
