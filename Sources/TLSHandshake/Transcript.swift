import CryptoPrimitives

/// The running hash of the handshake messages: MD5 and SHA-1 side by side (RFC 2246 §7.4.8,
/// §7.4.9), kept in this one place (DESIGN.md §2).
///
/// Both hash states are plain copyable values, so ``hash`` forks them without disturbing
/// the running computation. HelloRequest is never added (§7.4.1.1).
struct Transcript: Sendable {
    private var md5 = MD5()
    private var sha1 = SHA1()

    /// Adds one whole handshake message, header included.
    mutating func add(_ message: [UInt8]) {
        md5.update(message)
        sha1.update(message)
    }

    /// `MD5(handshake_messages) ‖ SHA-1(handshake_messages)` so far (36 bytes).
    var hash: [UInt8] {
        let m = md5, s = sha1
        // One array, both digests finalised straight into it.
        var out = [UInt8](repeating: 0, count: 36)
        unsafe out.withUnsafeMutableBytes { buffer in
            unsafe m.finalize(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<16]))
            unsafe s.finalize(into: UnsafeMutableRawBufferPointer(rebasing: buffer[16..<36]))
        }
        return out
    }

    /// Finished `verify_data` for `label` over the messages so far (RFC 2246 §7.4.9).
    func verifyData(masterSecret: [UInt8], label: FinishedLabel) -> [UInt8] {
        KeyDerivation.verifyData(masterSecret: masterSecret, label: label.rawValue, handshakeHash: hash)
    }
}

/// The two Finished labels of RFC 2246 §7.4.9.
enum FinishedLabel: String, Sendable {
    case client = "client finished"
    case server = "server finished"
}
