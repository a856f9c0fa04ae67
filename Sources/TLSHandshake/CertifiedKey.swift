import X509

/// One identity a server can present: a certificate chain (leaf first) and the private key of
/// its leaf. A server configuration holds one as ``TLSConfiguration/certificateChain`` and
/// ``TLSConfiguration/privateKey`` and may hold more in
/// ``TLSConfiguration/additionalIdentities``, chosen by the client's server_name (RFC 6066 §3).
public struct CertifiedKey: Sendable {
    /// The chain, leaf first.
    public var certificateChain: [Certificate]
    /// The private key of the chain's leaf.
    public var privateKey: any TLSPrivateKey

    /// An identity from its chain and key (checked with the configuration).
    public init(certificateChain: [Certificate], privateKey: any TLSPrivateKey) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}

extension TLSConfiguration {
    /// The identity a server presents to a client that asked for `serverName`: the first of
    /// ours (the main one, then ``additionalIdentities`` in order) whose leaf certificate names
    /// it, by the rules a client uses to check a server (RFC 6125), else the main one.
    func identity(forServerName serverName: String?) -> CertifiedKey? {
        guard let key = privateKey else { return nil }
        let main = CertifiedKey(certificateChain: certificateChain, privateKey: key)
        guard let serverName, !additionalIdentities.isEmpty else { return main }
        return ([main] + additionalIdentities).first { $0.certificateChain.first?.matches(host: serverName) == true } ?? main
    }
}
