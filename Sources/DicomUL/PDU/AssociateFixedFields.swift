/// The fixed fields that open both A-ASSOCIATE-RQ and -AC: protocol version (2), reserved (2),
/// called AE (16), calling AE (16), reserved (32) (PS3.8 Tables 9-11 and 9-17).
struct AssociateFixedFields {
    var protocolVersion: UInt16
    var called: String
    var calling: String

    func encode(into out: inout [UInt8]) {
        out.appendUInt16(protocolVersion)
        out += [0, 0]
        out += AETitle.padded(called)
        out += AETitle.padded(calling)
        out += [UInt8](repeating: 0, count: 32)
    }

    init(protocolVersion: UInt16, called: String, calling: String) {
        self.protocolVersion = protocolVersion
        self.called = called
        self.calling = calling
    }

    init(decoding reader: inout ByteReader) throws(DicomError) {
        protocolVersion = try reader.readUInt16("protocol version")
        try reader.skip(2, "reserved")
        called = try AETitle.decode(try reader.readBytes(16, "called AE title"), field: "called AE title")
        calling = try AETitle.decode(try reader.readBytes(16, "calling AE title"), field: "calling AE title")
        try reader.skip(32, "reserved")
    }
}
