import X509

extension TLSConfiguration {
    /// The certificate chain (leaf first) and private key of a PKCS#12 file (`.p12`/`.pfx`,
    /// DER), as an alternative to separate certificate and key files. `password` is called
    /// only when the file has a MAC or encrypted parts, which is nearly always.
    public static func identity(
        pkcs12File path: String, password: PasswordCallback? = nil
    ) throws(TLSError) -> (certificateChain: [Certificate], privateKey: RSAPrivateKey) {
        let bytes = try readBytes(path)
        do {
            let p12 = try PKCS12(derEncoded: bytes, password: password)
            return (p12.certificateChain, p12.privateKey)
        } catch {
            throw .configuration("\(path): cannot load the PKCS#12 file: \(error.message)")
        }
    }
}
