import CryptoPrimitives

/// The secrets a TLS 1.0 handshake derives, as RFC 2246 §8.1 and §6.3 and RFC 7627 §4 define them.
public enum KeyDerivation {
    /// Length of every master secret.
    public static let masterSecretByteCount = 48
    /// Length of Finished `verify_data` in TLS 1.0 (RFC 2246 §7.4.9).
    public static let verifyDataByteCount = 12

    /// `PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]`
    /// (RFC 2246 §8.1).
    public static func masterSecret(
        preMasterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8]
    ) -> [UInt8] {
        TLS10PRF.compute(
            secret: preMasterSecret, label: "master secret",
            seed: clientRandom + serverRandom, count: masterSecretByteCount)
    }

    /// The extended master secret of RFC 7627 §4:
    /// `PRF(pre_master_secret, "extended master secret", session_hash)[0..47]`, where for
    /// TLS 1.0 `session_hash` is `MD5(handshake) ‖ SHA-1(handshake)` up to and including
    /// the ClientKeyExchange.
    public static func extendedMasterSecret(preMasterSecret: [UInt8], sessionHash: [UInt8]) -> [UInt8] {
        TLS10PRF.compute(
            secret: preMasterSecret, label: "extended master secret",
            seed: sessionHash, count: masterSecretByteCount)
    }

    /// `PRF(master_secret, "key expansion", server_random + client_random)` to `count` bytes
    /// (RFC 2246 §6.3). Note the order of the randoms: server first.
    public static func keyBlock(
        masterSecret: [UInt8], serverRandom: [UInt8], clientRandom: [UInt8], count: Int
    ) -> [UInt8] {
        TLS10PRF.compute(
            secret: masterSecret, label: "key expansion",
            seed: serverRandom + clientRandom, count: count)
    }

    /// Finished `verify_data`: `PRF(master_secret, finished_label, MD5(handshake) + SHA-1(handshake))[0..11]`
    /// (RFC 2246 §7.4.9), where the label is "client finished" or "server finished".
    public static func verifyData(masterSecret: [UInt8], label: String, handshakeHash: [UInt8]) -> [UInt8] {
        TLS10PRF.compute(
            secret: masterSecret, label: label, seed: handshakeHash, count: verifyDataByteCount)
    }
}
