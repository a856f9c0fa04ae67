/// The TLS 1.0 record layer (RFC 2246 §6): framing, compression and protection.
///
/// Filled in by the record-layer work; this namespace anchors the module's documentation.
public enum TLSRecordLayer {}
