import CryptoPrimitives
import TLSRecord
import X509

/// Proof that a peer's Finished verified (STYLE.md §3): only ``verify(received:expected:)``
/// can make one, and the traffic state requires it.
struct FinishedVerified: Sendable {
    /// The verified `verify_data`, kept for RFC 5746.
    let verifyData: [UInt8]

    fileprivate init(verifyData: [UInt8]) { self.verifyData = verifyData }

    /// Compares `received` with `expected` in constant time (RFC 2246 §7.4.9); a mismatch
    /// is `decrypt_error`.
    static func verify(received: Finished, expected: [UInt8]) throws(TLSError) -> FinishedVerified {
        guard ConstantTime.equal(received.verifyData, expected) else {
            throw .explained(.decryptError("the peer's Finished verify_data is wrong"), HandshakeExplanation.finishedMismatch)
        }
        return FinishedVerified(verifyData: expected)
    }
}
