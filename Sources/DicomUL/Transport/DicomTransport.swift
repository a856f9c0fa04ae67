import TLSSockets
/// A reliable byte stream that carries DICOM PDUs: plain TCP now, TLS later (PS3.15 Annex B).
///
/// This is the one seam between the upper layer and the network. The association code
/// (``Association``, ``DicomClient``, ``DicomServer``) only ever talks to `any DicomTransport`,
/// so a TLS stream plugs in by implementing these four requirements over the TLS engine
/// (`BlockingTLSStream`): `read` returns decrypted application data, `write` seals and sends
/// records, `close` sends `close_notify` then closes the socket. The TLS handshake happens
/// before the transport is handed to the upper layer, bounded by the ARTIM timeout on the
/// acceptor side (see ``DicomServer``'s `TransportFactory`).
///
/// Implementations are single-owner: one association thread uses a transport at a time.
public protocol DicomTransport: AnyObject {
    /// Reads at least one and at most `maxCount` bytes. Returns an empty array on an orderly
    /// close by the peer. Throws `.timeout` when `timeout` seconds pass with nothing to read
    /// (nil waits forever), `.io` on a socket error.
    func read(upTo maxCount: Int, timeout: Double?) throws(DicomError) -> [UInt8]

    /// Writes all of `bytes` (callers pass whole PDUs, so each PDU is one write) or throws.
    func write(_ bytes: [UInt8], timeout: Double?) throws(DicomError)

    /// Closes the connection; further calls do nothing.
    func close()

    /// "host:port" of the peer, for messages.
    var peerDescription: String { get }
}
