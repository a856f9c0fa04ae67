import Testing
@testable import DicomUL

/// The framer returns the same PDUs however the stream is cut, and buffers nothing for a
/// length over the limits.
@Suite struct PDUFramerTests {
    /// Three PDUs: an A-RELEASE-RQ, a P-DATA-TF of 100 bytes, an empty-bodied PDU of type 6.
    static let pdus: [[UInt8]] = [
        [0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0],
        [0x04, 0, 0, 0, 0, 100] + (0..<100).map { UInt8($0) },
        [0x06, 0, 0, 0, 0, 0],
    ]

    static func drain(_ framer: inout PDUFramer) -> [[UInt8]] {
        var out: [[UInt8]] = []
        while let header = framer.frontHeader {
            let h = Array(header)
            let length = Int(h[2]) << 24 | Int(h[3]) << 16 | Int(h[4]) << 8 | Int(h[5])
            guard let body = framer.takeBody(length: length) else { break }
            out.append(h + body)
        }
        return out
    }

    @Test func everyTwoCutsGiveTheSamePDUs() {
        let stream = Self.pdus.flatMap { $0 }
        for i in 0...stream.count {
            for j in i...stream.count {
                var framer = PDUFramer(maximumDataPDULength: 1000, maximumControlPDULength: 1000)
                var got: [[UInt8]] = []
                for part in [stream[..<i], stream[i..<j], stream[j...]] {
                    unsafe Array(part).withUnsafeBytes { unsafe framer.append($0) }
                    got += Self.drain(&framer)
                }
                #expect(got == Self.pdus, "cut at \(i) and \(j)")
                #expect(!framer.hasWholePDU && framer.bytesNeeded == PDU.headerLength)
            }
        }
    }

    @Test func anArrayOfWholePDUsIsAdopted() {
        var framer = PDUFramer(maximumDataPDULength: 1000, maximumControlPDULength: 1000)
        framer.append(Self.pdus.flatMap { $0 })
        #expect(framer.hasWholePDU && framer.partialCapacity == 0)
        #expect(Self.drain(&framer) == Self.pdus)
    }

    @Test func aLengthOverTheLimitBuffersNothingMore() {
        var framer = PDUFramer(maximumDataPDULength: 1000, maximumControlPDULength: 1000)
        // A whole A-RELEASE-RQ, then a P-DATA-TF claiming 1001 bytes of body and 5,000 bytes.
        let bytes = Self.pdus[0] + [0x04, 0, 0, 0, 0x03, 0xE9] + [UInt8](repeating: 7, count: 5000)
        unsafe bytes.withUnsafeBytes { unsafe framer.append($0) }
        #expect(Self.drain(&framer) == [Self.pdus[0]])
        #expect(framer.frontHeader.map(Array.init) == [0x04, 0, 0, 0, 0x03, 0xE9], "the header is there to be refused")
        unsafe [UInt8](repeating: 8, count: 5000).withUnsafeBytes { unsafe framer.append($0) }
        #expect(framer.partialCapacity < 100, "nothing after the header is kept")
    }
}
