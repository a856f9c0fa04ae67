/// Object identifiers of PKCS#12 (RFC 7292 Appendix D) and the PKCS#7 content types it uses
/// (RFC 2315 §14).
enum PKCS12OIDs {
    /// id-data (PKCS#7 data).
    static let data: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 1]
    /// id-signedData (public-key integrity mode).
    static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 2]
    /// id-envelopedData (public-key privacy mode).
    static let envelopedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 3]
    /// id-encryptedData (password privacy mode).
    static let encryptedData: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 7, 6]

    /// keyBag: an unencrypted `PrivateKeyInfo`.
    static let keyBag: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 12, 10, 1, 1]
    /// pkcs8ShroudedKeyBag: an `EncryptedPrivateKeyInfo`.
    static let pkcs8ShroudedKeyBag: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 12, 10, 1, 2]
    /// certBag.
    static let certBag: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 12, 10, 1, 3]
    /// safeContentsBag: nested `SafeContents`.
    static let safeContentsBag: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 12, 10, 1, 6]
    /// x509Certificate, the certBag type holding a DER certificate (PKCS#9).
    static let x509Certificate: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 22, 1]
    /// localKeyId attribute (PKCS#9), pairing a key with its certificate.
    static let localKeyID: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 21]
    /// friendlyName attribute (PKCS#9, a BMPString).
    static let friendlyName: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 20]
}
