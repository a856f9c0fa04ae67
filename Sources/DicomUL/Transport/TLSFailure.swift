import TLSHandshake
import TLSSockets
import TLSRecord

extension DicomError.Code {
    /// The TLS layer failed: handshake refused, certificate rejected, alert received,
    /// record integrity lost (PS3.15 Annex B).
    public static let tls = DicomError.Code("tls")
}

/// Turns TLS stream failures into ``DicomError``s whose messages say what went wrong,
/// including the wrong protocol on a port (a plain DICOM peer answering a ClientHello, or
/// sending an A-ASSOCIATE-RQ to a TLS port), which OpenSSL-based tools report only as
/// "SSL_ERROR_SYSCALL" or "unrecognized PDU type" (PEERS.md).
enum TLSFailure {
    /// A failed handshake on a connection with `peer`, we being `role`.
    static func handshake(_ error: TLSStreamError, peer: String, role: ConnectionEnd) -> DicomError {
        let side = role == .client ? "with" : "from"
        switch error {
        case .tls(let e):
            if let type = dicomPDUType(in: e) {
                return role == .client ? answeredWithPDU(peer: peer, type: type) : sentPDU(peer: peer, type: type)
            }
            return DicomError(.tls, "TLS handshake \(side) \(peer) failed: \(e.description)")
        case .truncated:
            let hint = role == .client
                ? ": is it a plain, non-TLS DICOM port, or did it refuse our certificate or cipher suites?"
                : " (it may have refused our certificate or cipher suites)"
            return DicomError(.tls, "\(peer) closed the connection during the TLS handshake\(hint)")
        case .timedOut(let text):
            let hint = role == .client ? " (a plain DICOM peer waits silently for more bytes: is it a non-TLS port?)" : ""
            return DicomError(.timeout, text + hint)
        case .socket(let e):
            // DCMTK resets the connection when a ClientHello reaches its plain port.
            let hint = role == .client && e.code == .connectionReset
                ? " during the TLS handshake: is it a plain, non-TLS DICOM port?" : ""
            return DicomError(e.code == .timedOut ? .timeout : .io, "TLS handshake \(side) \(peer): \(e.message)\(hint)")
        case .renegotiationRefused(let text):
            return DicomError(.tls, text)
        }
    }

    /// A failed read or write on an established link.
    static func io(_ error: TLSStreamError, peer: String, reading: Bool) -> DicomError {
        let what = reading ? "reading from" : "writing to"
        switch error {
        case .timedOut(let text): return DicomError(.timeout, text)
        case .truncated(let text): return DicomError(.connectionClosed, text)
        case .socket(let e): return DicomError(e.code == .timedOut ? .timeout : .io, "\(what) \(peer): \(e.message)")
        case .tls(let e): return DicomError(.tls, "TLS failure \(what) \(peer): \(e.description)")
        case .renegotiationRefused(let text): return DicomError(.tls, text)
        }
    }

    /// The first byte of a record the TLS layer refused as an unknown content type, when it is
    /// a DICOM PDU type (0x01–0x07, PS3.8 §9.3.1); TLS content types are 20–23 (RFC 2246 §6.2.1).
    static func dicomPDUType(in error: TLSError) -> UInt8? {
        guard error.code == .record else { return nil }
        // The record layer names the byte: "unknown record content type N" (Deframer).
        let text = Array(error.description.utf8), marker = Array("unknown record content type ".utf8)
        guard text.count > marker.count,
            let start = (0...(text.count - marker.count)).first(where: { text[$0..<($0 + marker.count)].elementsEqual(marker) })
        else { return nil }
        let digits = text[(start + marker.count)...].prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard let value = UInt8(String(decoding: digits, as: UTF8.self)), (0x01...0x07).contains(value) else { return nil }
        return value
    }

    private static func answeredWithPDU(peer: String, type: UInt8) -> DicomError {
        DicomError(
            .protocolMismatch,
            "TLS handshake with \(peer) failed: the peer answered with a DICOM PDU: is it a plain, non-TLS port? "
                + "(it sent \(pduName(type)) instead of a ServerHello) Connect to its TLS port (DICOM over TLS: 2762) or turn TLS off")
    }

    private static func sentPDU(peer: String, type: UInt8) -> DicomError {
        DicomError(
            .protocolMismatch,
            "\(peer) sent a plain DICOM PDU (\(pduName(type))) on a TLS port instead of a TLS ClientHello: "
                + "enable TLS on the peer or have it use the plain DICOM port")
    }

    private static func pduName(_ type: UInt8) -> String {
        PDUType(rawValue: type).description
    }
}
