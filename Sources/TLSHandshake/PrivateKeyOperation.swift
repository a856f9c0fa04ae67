import CryptoPrimitives

/// An RSA private-key operation the handshake waits for, when the connection was told to
/// hand these out (``TLSConnection/defersPrivateKeyOperations``) instead of running them
/// inline: an adapter runs ``perform()`` on a thread pool, or hands ``kind`` to a key held
/// in an HSM, and passes the result to ``TLSConnection/completePrivateKeyOperation(_:)``.
public struct PrivateKeyOperation: Sendable {
    /// What to compute.
    public enum Kind: Sendable {
        /// Server: decrypt the ClientKeyExchange premaster (RFC 2246 §7.4.7.1) with
        /// ``TLSPrivateKey/decryptPremaster(_:clientVersion:random:)``: 48 bytes, never a failure.
        case decryptPremaster(ciphertext: [UInt8], clientVersion: UInt16)
        /// Client: sign the CertificateVerify hash (RFC 2246 §7.4.8) with
        /// ``TLSPrivateKey/signHandshakeHash(_:)``.
        case signHandshakeHash([UInt8])
    }

    /// The operation and its input.
    public let kind: Kind
    /// The configured key.
    public let key: any TLSPrivateKey
    /// The configuration's random source (the Bleichenbacher fallback premaster).
    public let random: any RandomSource

    /// Runs the operation with ``key``, on whatever thread calls it.
    public func perform() throws(TLSError) -> [UInt8] {
        switch kind {
        case .decryptPremaster(let ciphertext, let clientVersion):
            key.decryptPremaster(ciphertext, clientVersion: clientVersion, random: random)
        case .signHandshakeHash(let hash):
            try key.signHandshakeHash(hash)
        }
    }
}

extension TLSError {
    /// The error an adapter passes to ``TLSConnection/completePrivateKeyOperation(_:)`` when
    /// a key held elsewhere (an HSM, a smart card) failed: the connection ends with `internal_error`.
    public static func privateKeyOperationFailed(_ message: String) -> TLSError {
        TLSError(.internalError("the private-key operation failed: \(message)"))
    }
}
