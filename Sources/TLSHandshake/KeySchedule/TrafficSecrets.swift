import CryptoPrimitives
import TLSRecord

/// The master secret and the key block split into its six parts (RFC 2246 §6.3).
///
/// ```
/// client_write_MAC_secret[hash_size] server_write_MAC_secret[hash_size]
/// client_write_key[Key_material_length] server_write_key[Key_material_length]
/// client_write_IV[IV_size] server_write_IV[IV_size]
/// ```
struct TrafficSecrets: Sendable {
    var suite: CipherSuite
    var masterSecret: [UInt8]
    var clientMACSecret: [UInt8]
    var serverMACSecret: [UInt8]
    var clientKey: [UInt8]
    var serverKey: [UInt8]
    var clientIV: [UInt8]
    var serverIV: [UInt8]

    /// Expands `masterSecret` for `suite` with the hello randoms.
    init(suite: CipherSuite, masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8]) {
        self.suite = suite
        self.masterSecret = masterSecret
        var block = KeyDerivation.keyBlock(
            masterSecret: masterSecret, serverRandom: serverRandom, clientRandom: clientRandom,
            count: suite.keyBlockByteCount)
        var offset = 0
        func take(_ n: Int) -> [UInt8] {
            defer { offset += n }
            return Array(block[offset..<(offset + n)])
        }
        clientMACSecret = take(suite.macKeyByteCount)
        serverMACSecret = take(suite.macKeyByteCount)
        clientKey = take(suite.keyByteCount)
        serverKey = take(suite.keyByteCount)
        clientIV = take(suite.ivByteCount)
        serverIV = take(suite.ivByteCount)
        SecureMemory.wipe(&block)
    }

    /// The master secret for a premaster: the RFC 7627 extended one when `sessionHash` is
    /// given, else the RFC 2246 §8.1 one. Wipes nothing; the caller owns `preMasterSecret`.
    static func masterSecret(
        preMasterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8], sessionHash: [UInt8]?
    ) -> [UInt8] {
        if let sessionHash {
            return KeyDerivation.extendedMasterSecret(preMasterSecret: preMasterSecret, sessionHash: sessionHash)
        }
        return KeyDerivation.masterSecret(
            preMasterSecret: preMasterSecret, clientRandom: clientRandom, serverRandom: serverRandom)
    }
}

extension TrafficSecrets {
    /// The record-layer parameters for what the client writes (and the server reads).
    func clientWriteParameters(compression: CompressionMethod) -> RecordProtectionParameters {
        RecordProtectionParameters(
            cipher: suite.bulkCipher, mac: suite.mac, compression: compression,
            macSecret: clientMACSecret, key: clientKey, iv: clientIV)
    }

    /// The record-layer parameters for what the server writes (and the client reads).
    func serverWriteParameters(compression: CompressionMethod) -> RecordProtectionParameters {
        RecordProtectionParameters(
            cipher: suite.bulkCipher, mac: suite.mac, compression: compression,
            macSecret: serverMACSecret, key: serverKey, iv: serverIV)
    }
}
