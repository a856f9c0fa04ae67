import CryptoPrimitives

extension SignatureAlgorithm {
    /// The digest this RSA signature algorithm uses, if this module implements it.
    var digestAlgorithm: DigestAlgorithm? {
        switch self {
        case .md5WithRSA: .md5
        case .sha1WithRSA: .sha1
        case .sha256WithRSA: .sha256
        default: nil
        }
    }

    /// The digest of `message` under this algorithm's hash, if implemented.
    func digest(_ message: [UInt8]) -> [UInt8]? {
        switch self {
        case .md5WithRSA: MD5.hash(message)
        case .sha1WithRSA: SHA1.hash(message)
        case .sha256WithRSA: SHA256.hash(message)
        default: nil
        }
    }
}

extension Certificate {
    /// The signature algorithm as a typed value.
    public var signatureAlgorithmKind: SignatureAlgorithm { SignatureAlgorithm(oid: signatureAlgorithm.oid) }

    /// Whether `issuerKey` signed this certificate's exact `tbsCertificate` bytes
    /// (RSASSA-PKCS1-v1_5, RFC 8017 §8.2.2, with md5, sha1 or sha256).
    ///
    /// Policy on which algorithms are acceptable lives in path validation; this only
    /// answers whether the signature is correct. Unsupported algorithms, RSA parameters
    /// other than NULL or absent, and signatures that are not whole bytes never verify.
    public func isSignature(validFor issuerKey: RSAPublicKey) -> Bool {
        let kind = signatureAlgorithmKind
        guard signatureUnusedBits == 0, signatureAlgorithm.hasNullOrAbsentParameters,
            let algorithm = kind.digestAlgorithm, let digest = kind.digest(tbsCertificateBytes)
        else { return false }
        return issuerKey.verifyPKCS1v15(signature: signature, digestAlgorithm: algorithm, digest: digest)
    }
}
