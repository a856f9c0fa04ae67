/// Recognises the wrong protocol on a port from its first bytes, so a misconfigured peer gets
/// a message that says what happened instead of "unrecognized PDU type 0x16".
///
/// A TLS record starts with a content type (handshake 0x16, alert 0x15) and major version 3
/// (RFC 2246 §6.2.1). A DICOM PDU starts with a type byte 0x01–0x07 and a reserved 0x00
/// (PS3.8 §9.3.1); an A-ASSOCIATE-RQ also carries protocol version 0x0001 at offset 6.
public enum ProtocolSniffer {
    /// Whether `bytes` (at least the first two bytes read) look like a TLS record header.
    public static func looksLikeTLSRecord(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        let first = bytes[bytes.startIndex], second = bytes[bytes.startIndex + 1]
        return (first == 0x16 || first == 0x15 || first == 0x14 || first == 0x17) && second == 0x03
    }

    /// Whether `bytes` (the first bytes received on a TLS port) look like a plain DICOM
    /// A-ASSOCIATE-RQ: the TLS layer calls this on its first read to report a plain DICOM
    /// peer instead of an unreadable record error.
    public static func looksLikeAssociateRQ(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        let s = bytes.startIndex
        guard bytes[s] == PDUType.associateRQ.rawValue, bytes[s + 1] == 0x00 else { return false }
        if bytes.count >= 8 { return bytes[s + 6] == 0x00 && bytes[s + 7] == 0x01 }
        return true
    }

    /// Whether `bytes` look like any DICOM PDU header (type 1–7, reserved byte 0).
    public static func looksLikeDicomPDU(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        let s = bytes.startIndex
        return (0x01...0x07).contains(bytes[s]) && bytes[s + 1] == 0x00
    }

    /// The error for TLS bytes arriving on a plain DICOM connection.
    public static let tlsOnPlainPortError = DicomError(
        .protocolMismatch,
        "peer is speaking TLS on a plain DICOM port (received a TLS record header); enable TLS on this side or connect to the peer's plain DICOM port",
        abortReason: .unrecognizedPDU)

    /// The error for a plain DICOM A-ASSOCIATE-RQ arriving where a TLS ClientHello was expected.
    public static let dicomOnTLSPortError = DicomError(
        .protocolMismatch,
        "peer is speaking plain DICOM (A-ASSOCIATE-RQ) on a TLS port; enable TLS on the peer or connect it to the plain DICOM port")
}
