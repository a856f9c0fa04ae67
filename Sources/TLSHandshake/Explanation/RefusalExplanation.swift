import TLSRecord
import X509

// The explanations of our own refusals beyond the first five (README "Handshake failure
// messages"): each says what the peer sent and which rule refused it.

extension HandshakeExplanation {
    // MARK: Refusals at a specific rule

    /// Client: the CertificateRequest does not accept rsa_sign, the only type we have.
    static func noRSASignType(_ types: [UInt8]) -> String {
        let names = types.map { $0 == 2 ? "dss_sign (2)" : $0 == 64 ? "ecdsa_sign (64)" : "\($0)" }
        return "the server's CertificateRequest accepts the certificate types \(names.isEmpty ? "none" : names.joined(separator: ", ")); our client certificates are RSA, type rsa_sign (1), which it must list (RFC 2246 §7.4.4)"
    }

    /// Server: the ClientHello does not offer null compression.
    static func noNullCompression(offered: [UInt8]) -> String {
        let names = offered.map { $0 == 1 ? "DEFLATE (1)" : "\($0)" }
        return "the client offers the compression methods \(names.isEmpty ? "none" : names.joined(separator: ", ")) but not null (0); RFC 2246 §7.4.1.2 requires every ClientHello to offer null"
    }

    /// Server: TLS_FALLBACK_SCSV with a client_version below our highest (RFC 7507 §3).
    static func inappropriateFallback(clientVersion: UInt16) -> String {
        "the client offers \(ProtocolVersion(wireValue: clientVersion)) (client_version \(CipherSuiteNames.hex16(clientVersion))) with TLS_FALLBACK_SCSV, a retry after a failed higher-version attempt; RFC 7507 §3 forbids a server that speaks a higher version to accept it"
    }

    /// Server: ALPN offered, none of ours (RFC 7301 §3.2).
    static func noCommonApplicationProtocol(offered: [[UInt8]], ours: [String]) -> String {
        let names = offered.map { name in name.map { (0x21...0x7E).contains($0) ? String(UnicodeScalar($0)) : "?" }.joined() }
        return "the client offers the application protocols (ALPN) \(names.joined(separator: ", ")); we speak only \(ours.joined(separator: ", ")) and RFC 7301 §3.2 requires no_application_protocol then"
    }

    /// Server: a renegotiating ClientHello while renegotiation is off.
    static let renegotiationDisabled =
        "the client asked to renegotiate (a new ClientHello on the established connection); renegotiation is turned off here (TLSOptions.noRenegotiation)"

    /// Either side: the peer's Finished does not verify. Deliberately one sentence whatever
    /// the cause: a bad RSA premaster must not be told apart from any other key mismatch
    /// (Bleichenbacher; RFC 5246 §7.4.7.1).
    static let finishedMismatch =
        "handshake failed: the Finished check did not match: the peer's verify_data is not what our master secret and transcript give (RFC 2246 §7.4.9), so the two sides do not share the keys or saw different messages (a wrong key, a faulty implementation, or altered bytes)"

    /// Server: CertificateVerify does not verify with the client certificate's key.
    static func badCertificateVerify(_ leaf: Certificate?) -> String {
        let who = leaf.map { "\($0.subject)" } ?? "the certificate it sent"
        return "the client's CertificateVerify signature does not verify with the key of \(who): it does not hold that certificate's private key, or signed other handshake messages than ours (RFC 2246 §7.4.8)"
    }

    /// Either side: the peer's certificate chain was refused; `reason` names the rule.
    static func rejectedChain(_ chain: [Certificate], peer: ConnectionEnd, reason: CertificateValidationError.Reason,
                              config: TLSConfiguration) -> String {
        let sent = chain.prefix(3).map { "\($0.subject) issued by \($0.issuer)" }.joined(separator: "; ")
        let more = chain.count > 3 ? "; … (\(chain.count) certificates)" : ""
        return "\(peer.name) sent \(chain.count) certificate\(chain.count == 1 ? "" : "s") (\(sent)\(more)); the rule that refused it: \(rule(reason, peer: peer, config: config))"
    }

    /// Either side: the peer's key is below our floor.
    static func weakPeerKey(bits: Int, _ leaf: Certificate, peer: ConnectionEnd) -> String {
        "\(peer.name)'s certificate \(leaf.subject) holds an RSA-\(bits) key; we refuse peer keys under 1024 bits (DESIGN.md §6; such keys are factorable)"
    }

    /// Either side: a Certificate message past the configured bounds.
    static func certificateLimit(_ what: String) -> String {
        "the peer's Certificate message \(what); we bound certificate lists (TLSConfiguration.limits: certificateMessageBytes, certificateCount) so that a peer cannot make us parse and validate without end"
    }

    /// Server: a CertificateRequest past the configured bound.
    static func certificateRequestLimit(length: Int, limit: Int) -> String {
        "the server's CertificateRequest is \(length) bytes long, more than \(limit) (TLSConfiguration.limits.certificateMessageBytes): its list of acceptable CA names is bounded like certificate lists"
    }

    /// Either side: a renegotiation presents another leaf certificate than the first handshake.
    static func identityChanged(peer: ConnectionEnd, old: [UInt8]?, new: [UInt8]?) -> String {
        func subject(_ der: [UInt8]?) -> String {
            der.flatMap { try? Certificate(derEncoded: $0) }.map { "\($0.subject)" } ?? "no certificate"
        }
        return "\(peer.name) presents \(subject(new)) in the renegotiation but \(subject(old)) in the first handshake; one connection keeps one peer identity (the triple-handshake attack, RFC 7627 §1)"
    }

    /// Client: the server's Certificate message is empty.
    static let emptyServerCertificate =
        "the server sent an empty Certificate message; our suites (TLS_RSA_*) encrypt the premaster to the server certificate's key, so the server must send one (RFC 2246 §7.4.2)"

    /// Client or server: no trust roots configured while verification is on.
    static func noTrustRoots(peer: ConnectionEnd) -> String {
        "we verify \(peer.name)'s certificate but have no trusted CA certificates to check it against (give --ca-file, or --verify none to skip verification)"
    }

    // MARK: Refusals explained by their kind

    /// The explanation of a refusal of ours that has none of its own, from the kind of failure
    /// and what was seen (`peer` sent the failing input, `last` names its last handshake message).
    static func refusal(_ error: TLSError, peer: ConnectionEnd, last: String?, config: TLSConfiguration) -> String? {
        let what = last.map { "its last handshake message: \($0)" } ?? "before any handshake message"
        switch error.cause {
        case .decode:
            return "\(peer.name)'s message is malformed (\(what)); RFC 2246 §7.4 fixes every length and field and we refuse what does not parse exactly (a faulty TLS implementation, or altered bytes)"
        case .unexpectedMessage(let m) where m.contains("warning alerts") || m.contains("empty records"):
            return "\(peer.name) sends records that make no progress; we allow \(TLSLimits.consecutiveWarningAlerts) warning alerts and \(TLSLimits.consecutiveEmptyRecords) empty records in a row (TLSLimits) so a peer cannot keep a connection busy for nothing"
        case .unexpectedMessage:
            return "\(peer.name) sent a message the handshake does not allow at this point (\(what)); RFC 2246 §7.3 fixes the order of the handshake messages (a faulty implementation, or a peer trying to skip a step)"
        case .illegalParameter:
            return "\(peer.name) sent a value TLS 1.0 forbids there (\(what)); RFC 2246 §7.2.2 answers it with illegal_parameter"
        case .handshakeFailure(let m) where m.contains("extended master secret") || m.contains("extended-master-secret"):
            return "\(peer.name) drops the extended master secret (RFC 7627) that the session or connection was made with; RFC 7627 §5.3 forbids going back to the old master secret, which the triple-handshake attack exploits"
        case .handshakeFailure:
            return "\(peer.name) asks for something our configuration does not allow (\(what)); we refuse with handshake_failure (RFC 2246 §7.2.2)"
        case .insecureRenegotiation:
            return "RFC 5746 protects renegotiation: both sides signal it in the first handshake (renegotiation_info or the SCSV 0x00FF) and every renegotiation carries the previous Finished in renegotiation_info; \(peer.name)'s hello breaks that rule, so the renegotiation could splice an attacker's prefix into the connection (CVE-2009-3555); TLSOptions.allowLegacyRenegotiation admits old peers"
        case .unsupportedExtensionReply(let t):
            return "the server's ServerHello answers with \(extensionName(t)), which our ClientHello did not carry; a server may only answer extensions the client offered (RFC 5246 §7.4.1.4)"
        case .inappropriateFallback:
            return "the client signals with TLS_FALLBACK_SCSV that it fell back from a higher version; RFC 7507 §3 refuses that when we speak a higher one"
        case .record(let e) where e.alert == .badRecordMAC:
            return "\(peer.name)'s first protected record does not decrypt and authenticate under the keys of this handshake (\(what)): " + finishedMismatch
        case .record(let e) where e.alert == .recordOverflow:
            return "\(peer.name) sent a record longer than RFC 2246 §6.2 allows (2^14 bytes of plaintext, 2^14+2048 of ciphertext)"
        case .record:
            return "\(peer.name)'s records break the TLS 1.0 record layer (RFC 2246 §6.2; \(what))"
        default:
            return nil
        }
    }

    /// The IANA name of the extensions we know, else the number.
    static func extensionName(_ t: ExtensionType) -> String {
        let names: [UInt16: String] = [0: "server_name", 16: "application_layer_protocol_negotiation", 22: "encrypt_then_mac",
                                       23: "extended_master_secret", 35: "session_ticket", 0xFF01: "renegotiation_info"]
        return names[t.rawValue].map { "\($0) (\(CipherSuiteNames.hex16(t.rawValue)))" } ?? t.description
    }

    /// The rule behind a path-validation failure, in words.
    static func rule(_ reason: CertificateValidationError.Reason, peer: ConnectionEnd, config: TLSConfiguration) -> String {
        switch reason {
        case .noCertificate: return "a chain needs at least one certificate"
        case .malformedCertificate: return "certificates must be strict DER (RFC 5280 §4.1)"
        case .badSignature: return "each certificate must verify with its issuer's key (RFC 5280 §6.1.3)"
        case .expired, .notYetValid: return "the current time must lie within each certificate's notBefore–notAfter (RFC 5280 §4.1.2.5); check the device's clock"
        case .weakSignatureAlgorithm: return "MD5 and weaker signatures are refused (DESIGN.md §6; --allow-md5 admits MD5)"
        case .weakKey: return "RSA keys under 1024 bits are refused (DESIGN.md §6)"
        case .unknownIssuer, .untrustedRoot:
            let roots = config.trustRoots?.certificates ?? []
            let named = roots.prefix(3).map { "\($0.subject)" }.joined(separator: "; ")
            return "the chain must end at one of our trusted CAs (--ca-file: \(roots.isEmpty ? "none" : named)\(roots.count > 3 ? "; …" : ""))"
        case .notACA, .pathLengthExceeded: return "every issuer must be a CA within its path length (basicConstraints, RFC 5280 §4.2.1.9)"
        case .depthExceeded: return "at most \(config.verifyDepth) intermediate CAs (--verify-depth)"
        case .keyUsage, .extendedKeyUsage:
            return peer == .server
                ? "a server certificate for TLS_RSA suites needs keyEncipherment and, with extendedKeyUsage, serverAuth (RFC 5280 §4.2.1.3, §4.2.1.12)"
                : "a client certificate needs digitalSignature and, with extendedKeyUsage, clientAuth (RFC 5280 §4.2.1.3, §4.2.1.12)"
        case .unsupportedAlgorithm: return "only RSA keys and RSA signatures are used by TLS 1.0 with our suites"
        case .unhandledCriticalExtension: return "an unknown critical extension makes a certificate unusable (RFC 5280 §4.2)"
        case .rejectedByCaller: return "the application's verification hook refused it"
        case .nameConstraints: return "an issuer's name constraints exclude it (RFC 5280 §4.2.1.10)"
        case .hostnameMismatch: return "the host name we connected to must be in the certificate (RFC 6125)"
        case .revoked: return "a CRL of its issuer lists it as revoked (--crl-file, RFC 5280 §6.3)"
        case .revocationStatusUnknown, .staleCRL:
            return "--crl-check needs a current CRL from the issuer (--crl-file; --crl-stale warn accepts an old one)"
        }
    }
}

extension ConnectionEnd {
    /// "the client" or "the server": the peer when we are the other.
    var name: String { self == .server ? "the server" : "the client" }
}
