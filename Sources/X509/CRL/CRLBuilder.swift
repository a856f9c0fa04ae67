/// Issues X.509 v2 CRLs signed with sha256WithRSAEncryption (RFC 5280 §5.1), for a site CA
/// (`dicomtls cert crl`) and for tests.
///
/// ```swift
/// var builder = CRLBuilder(thisUpdate: now, nextUpdate: inAWeek, crlNumber: [7])
/// builder.revoke(serialNumber: leaf.serialNumber, at: now, reason: .keyCompromise)
/// let crl = try builder.signed(by: ca, key: caKey)
/// ```
///
/// The CRL carries the authorityKeyIdentifier of the CA's key and a cRLNumber, as RFC
/// 5280 §5.2.1 and §5.2.3 require of conforming CRL issuers.
public struct CRLBuilder: Sendable {
    /// One revoked certificate.
    public struct Entry: Sendable {
        /// The certificate's serial number as INTEGER contents (``Certificate/serialNumber``).
        public var serialNumber: [UInt8]
        /// When it was revoked.
        public var revocationDate: ASN1Time
        /// Why, if stated (RFC 5280 §5.3.1 recommends omitting `unspecified`).
        public var reason: RevocationReason?
    }

    /// When this CRL is issued.
    public var thisUpdate: ASN1Time
    /// When the next CRL will be issued at the latest.
    public var nextUpdate: ASN1Time
    /// The cRLNumber as big-endian magnitude bytes (monotonically increasing per CA).
    public var crlNumber: [UInt8]
    /// The revoked certificates.
    public var entries: [Entry] = []

    /// A builder for an empty CRL.
    public init(thisUpdate: ASN1Time, nextUpdate: ASN1Time, crlNumber: [UInt8]) {
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.crlNumber = crlNumber
    }

    /// Lists a certificate as revoked.
    public mutating func revoke(serialNumber: [UInt8], at date: ASN1Time, reason: RevocationReason? = nil) {
        entries.append(Entry(serialNumber: serialNumber, revocationDate: date, reason: reason))
    }

    /// Signs the CRL as `issuer`, whose private key is `key`.
    public func signed(by issuer: Certificate, key: RSAPrivateKey) throws(X509Error) -> CertificateRevocationList {
        guard let issuerKey = try? issuer.publicKeyInfo.rsaPublicKey(), issuerKey == key.publicKey else {
            throw X509Error(.invalidIssuingRequest, "the signing key does not belong to the CRL issuer \(issuer.subject)")
        }
        guard thisUpdate <= nextUpdate else {
            throw X509Error(.invalidIssuingRequest, "nextUpdate (\(nextUpdate)) is before thisUpdate (\(thisUpdate))")
        }
        let number = Array(crlNumber.drop { $0 == 0 })
        guard number.count <= 20 else { throw X509Error(.invalidIssuingRequest, "cRLNumber is longer than 20 bytes (RFC 5280 §5.2.3)") }
        let kid = issuer.extensions.subjectKeyIdentifier ?? CertificateBuilder.keyIdentifier(issuerKey)
        let algorithm = AlgorithmIdentifier.rsa(SignatureAlgorithm.sha256WithRSA.oid)
        var tbs = DERWriter()
        tbs.sequence { w in
            w.integer(1)  // v2
            algorithm.write(to: &w)
            w.raw(issuer.subject.encodedBytes)
            w.time(thisUpdate)
            w.time(nextUpdate)
            if !entries.isEmpty {
                w.sequence { w in for e in entries { Self.write(e, to: &w) } }
            }
            w.explicit(0) { w in
                w.sequence { w in
                    Extension(oid: .authorityKeyIdentifier, isCritical: false, value: AuthorityKeyIdentifier(keyIdentifier: kid).encoded).write(to: &w)
                    var n = DERWriter()
                    n.unsignedInteger(number.isEmpty ? [0] : number)
                    Extension(oid: .crlNumber, isCritical: false, value: n.bytes).write(to: &w)
                }
            }
        }
        let signature = try key.signPKCS1v15(digestAlgorithm: .sha256, digest: SignatureAlgorithm.sha256WithRSA.digest(tbs.bytes) ?? [])
        var crl = DERWriter()
        crl.sequence { w in
            w.raw(tbs.bytes)
            algorithm.write(to: &w)
            w.bitString(signature)
        }
        return try CertificateRevocationList(derEncoded: crl.bytes)
    }

    private static func write(_ entry: Entry, to w: inout DERWriter) {
        w.sequence { w in
            w.raw(Self.integer(entry.serialNumber))
            w.time(entry.revocationDate)
            if let reason = entry.reason {
                w.sequence { w in
                    var value = DERWriter()
                    value.integer(reason.rawValue, tag: .enumerated)
                    Extension(oid: .crlReason, isCritical: false, value: value.bytes).write(to: &w)
                }
            }
        }
    }

    /// An INTEGER element from two's-complement contents as a certificate holds them.
    private static func integer(_ contents: [UInt8]) -> [UInt8] {
        var w = DERWriter()
        w.element(.integer, content: contents.isEmpty ? [0] : contents)
        return w.bytes
    }
}
