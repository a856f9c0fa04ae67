import Foundation
import Testing
@testable import DicomUL

/// Command sets (Implicit VR Little Endian with group length) and Part 10 files.
@Suite struct DIMSETests {
    /// C-ECHO-RQ laid out by hand from PS3.7 Table 9.3-12 and PS3.5 §7.1.3.
    static let echoRQBytes: [UInt8] = [
        0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00,  // (0000,0000) UL 56
        0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x00, 0x00,                            // (0000,0002) UI, 18 bytes
    ] + Array("1.2.840.10008.1.1".utf8) + [0x00] + [
        0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x30, 0x00,  // (0000,0100) US 0x0030
        0x00, 0x00, 0x10, 0x01, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00,  // (0000,0110) US 7
        0x00, 0x00, 0x00, 0x08, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01,  // (0000,0800) US 0x0101
    ]

    @Test func echoRequestMatchesHandLayout() throws {
        #expect(DIMSE.echoRequest(messageID: 7).encode() == Self.echoRQBytes)
        let decoded = try CommandSet(decoding: Self.echoRQBytes)
        #expect(decoded.commandField == .cEchoRQ)
        #expect(decoded.messageID == 7)
        #expect(decoded.affectedSOPClassUID == DicomUID.verification)
        #expect(!decoded.hasDataSet)
    }

    @Test func storeMessagesRoundTrip() throws {
        let rq = DIMSE.storeRequest(messageID: 3, sopClassUID: DicomUID.secondaryCaptureImageStorage, sopInstanceUID: "1.2.3.4.5")
        let d = try CommandSet(decoding: rq.encode())
        #expect(d == rq)
        #expect(d.hasDataSet)
        #expect(d.affectedSOPInstanceUID == "1.2.3.4.5")
        let rsp = DIMSE.storeResponse(to: 3, sopClassUID: DicomUID.secondaryCaptureImageStorage, sopInstanceUID: "1.2.3.4.5",
                                      status: .outOfResources, errorComment: "disk full")
        let r = try CommandSet(decoding: rsp.encode())
        #expect(r.status == .outOfResources)
        #expect(r.messageIDBeingRespondedTo == 3)
        #expect(r.errorComment == "disk full")
        #expect(!r.hasDataSet)
        #expect(DIMSEStatus(rawValue: 0xB007).isWarning)
        #expect(DIMSEStatus.outOfResources.description.contains("Out of Resources"))
    }

    @Test func malformedCommandSetsAreRejected() {
        var bad = Self.echoRQBytes
        bad[8] = 0x39  // group length lies
        #expect(throws: DicomError.self) { try CommandSet(decoding: bad) }
        for cut in 1..<Self.echoRQBytes.count {
            #expect(throws: DicomError.self) { try CommandSet(decoding: Array(Self.echoRQBytes.prefix(cut))) }
        }
        var wrongGroup = Self.echoRQBytes
        wrongGroup[12] = 0x08  // (0008,0002): not a command element
        #expect(throws: DicomError.self) { try CommandSet(decoding: wrongGroup) }
    }

    @Test func part10RoundTrip() throws {
        let object = DicomObjectGenerator.secondaryCapture(rows: 16, columns: 16)
        let folder = try PeerProcess.temporaryFolder("p10")
        let path = folder + "/a.dcm"
        let writer = try Part10Writer(path: path, sopClassUID: object.sopClassUID, sopInstanceUID: object.sopInstanceUID,
                                      transferSyntaxUID: object.transferSyntaxUID, sourceAETitle: "ME")
        for chunk in stride(from: 0, to: object.dataSet.count, by: 100) {
            try writer.append(object.dataSet[chunk..<min(chunk + 100, object.dataSet.count)])
        }
        #expect(!FileManager.default.fileExists(atPath: path))  // only the .partial exists until finish
        try writer.finish()
        let h = try Part10File(path: path)
        #expect(h.sopClassUID == DicomUID.secondaryCaptureImageStorage)
        #expect(h.sopInstanceUID == object.sopInstanceUID)
        #expect(h.transferSyntaxUID == DicomUID.explicitVRLittleEndian)
        #expect(h.dataSetLength == object.dataSet.count)
        #expect(try PeerProcess.dataSet(of: path) == object.dataSet)
        // An independent parser (DCMTK's dcmdump) reads it when available.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/dcmdump") {
            let dump = try PeerProcess("/usr/bin/dcmdump", ["-q", path])
            #expect(dump.wait(timeout: 10) == 0)
            #expect(dump.text.contains("MONOCHROME2"))
            #expect(dump.text.contains(object.sopInstanceUID))
        }
    }

    @Test func badFilesGiveClearErrors() throws {
        let folder = try PeerProcess.temporaryFolder("p10-bad")
        let notDicom = folder + "/x.dcm"
        try Data(repeating: 0x41, count: 300).write(to: URL(fileURLWithPath: notDicom))
        #expect { try Part10File(path: notDicom) } throws: { ($0 as? DicomError)?.message.contains("no DICM prefix") ?? false }
        let short = folder + "/s.dcm"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: short))
        #expect(throws: DicomError.self) { try Part10File(path: short) }
        #expect(throws: DicomError.self) { try Part10File(path: folder + "/missing.dcm") }
        // A meta element whose length runs past the file.
        var lying = DicomObjectGenerator.secondaryCapture(rows: 2, columns: 2).part10
        lying[132 + 6] = 0xFF  // (0002,0000) UL length field → 255
        let lyingPath = folder + "/l.dcm"
        try Data(lying.prefix(200)).write(to: URL(fileURLWithPath: lyingPath))
        #expect(throws: DicomError.self) { try Part10File(path: lyingPath) }
        // Truncated at every byte of the header: an error, never a trap.
        let good = DicomObjectGenerator.secondaryCapture(rows: 2, columns: 2).part10
        let header = try Part10File.headerLength(of: good)
        for cut in stride(from: 0, to: header, by: 1) {
            let p = folder + "/t\(cut).dcm"
            try Data(good.prefix(cut)).write(to: URL(fileURLWithPath: p))
            if let h = try? Part10File(path: p) { #expect(h.dataSetLength == 0 || cut > 132) }
        }
    }

    @Test func serverFileNamesCannotEscapeTheFolder() {
        #expect(DicomServer.fileName(for: "1.2.3") == "1.2.3.dcm")
        #expect(!DicomServer.fileName(for: "../../etc/passwd").contains("/"))
        #expect(!DicomServer.fileName(for: "..").hasPrefix("."))
    }
}

extension Part10File {
    /// Offset of the data set in a Part 10 byte image (test helper).
    static func headerLength(of bytes: [UInt8]) throws -> Int {
        let folder = NSTemporaryDirectory() + "hl-\(UUID().uuidString).dcm"
        try Data(bytes).write(to: URL(fileURLWithPath: folder))
        return try Part10File(path: folder).dataSetOffset
    }
}
