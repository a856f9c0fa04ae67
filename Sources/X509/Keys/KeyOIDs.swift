/// Object identifiers of the key formats (kept private to the key code so that the
/// certificate code's own OID table is independent).
enum KeyOIDs {
    /// rsaEncryption (RFC 8017 Appendix A.1).
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    /// id-PBES2 (RFC 8018 Appendix A.4).
    static let pbes2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 13]
    /// id-PBKDF2 (RFC 8018 Appendix A.2).
    static let pbkdf2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 5, 12]
    /// id-hmacWithSHA1 (RFC 8018 Appendix B.1.1).
    static let hmacWithSHA1: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 2, 7]
    /// id-hmacWithSHA256 (RFC 8018 Appendix B.1.2).
    static let hmacWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 2, 9]
    /// des-EDE3-CBC (RFC 8018 Appendix B.2.2).
    static let desEDE3CBC: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 3, 7]
    /// desCBC (RFC 8018 Appendix B.2.1).
    static let desCBC: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 7]
}

extension ASN1Node {
    /// Reads an `AlgorithmIdentifier` (RFC 5280 §4.1.1.2): the OID and the parameters node, if any.
    func algorithmIdentifier(_ what: String) throws(X509Error) -> (ASN1ObjectIdentifier, ASN1Node?) {
        try expect(.sequence, what)
        var r = try children()
        let oid = try r.read(.objectIdentifier, "\(what) algorithm").objectIdentifier()
        let parameters = r.isAtEnd ? nil : try r.next()
        try r.finish(what)
        return (oid, parameters)
    }
}
