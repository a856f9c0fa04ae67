/// Finished (RFC 2246 §7.4.9): `opaque verify_data[12]`.
struct Finished: Hashable, Sendable {
    var verifyData: [UInt8]

    func encodedBody() -> [UInt8] { verifyData }

    static func decode(_ r: inout ByteReader) throws(TLSError) -> Finished {
        Finished(verifyData: try r.bytes(KeyDerivation.verifyDataByteCount, "verify_data"))
    }
}
