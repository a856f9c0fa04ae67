import Foundation
import X509

/// Loading identities and trust roots from PEM (the customer's `SetServerCertificateTLS`,
/// `SSLCAFile` and `SSLPrivateKeyPasswordEvent`), with errors that say which file and why.
extension TLSConfiguration {
    /// A password source for an encrypted private key; called only if the key is encrypted.
    public typealias PasswordCallback = @Sendable () throws -> String?

    /// Every `CERTIFICATE` in PEM text, in order (a chain: leaf first; a CA file: any order).
    public static func certificates(pem text: String, source: String = "PEM text") throws(TLSError) -> [Certificate] {
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseAll(text) } catch {
            throw .configuration("\(source): not valid PEM: \(error.message)")
        }
        var certificates: [Certificate] = []
        for (i, d) in documents.enumerated() where d.label == "CERTIFICATE" {
            do { certificates.append(try Certificate(derEncoded: d.derBytes)) } catch {
                throw .configuration("\(source): certificate \(i + 1) does not parse: \(error.message)")
            }
        }
        guard !certificates.isEmpty else { throw .configuration("\(source): holds no CERTIFICATE block") }
        return certificates
    }

    /// An RSA private key from PEM text (PKCS#1, PKCS#8, encrypted PKCS#8 or OpenSSL
    /// traditional encryption). `password` is called only when the key is encrypted.
    public static func privateKey(pem text: String, password: PasswordCallback? = nil, source: String = "PEM text") throws(TLSError) -> RSAPrivateKey {
        do {
            return try RSAPrivateKey(pemEncoded: text, password: password)
        } catch {
            throw .configuration("\(source): cannot load the private key: \(error.message)")
        }
    }

    /// Certificates from a file: PEM (any number) or a single DER certificate.
    public static func certificates(pemFile path: String) throws(TLSError) -> [Certificate] {
        let bytes = try readBytes(path)
        guard isPEM(bytes) else {
            do { return [try Certificate(derEncoded: bytes)] } catch {
                throw .configuration("\(path): neither PEM nor a DER certificate: \(error.message)")
            }
        }
        return try certificates(pem: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// A private key from a file, PEM or DER (PKCS#1, PKCS#8, encrypted PKCS#8); `password`
    /// is called only when the key is encrypted.
    public static func privateKey(pemFile path: String, password: PasswordCallback? = nil) throws(TLSError) -> RSAPrivateKey {
        let bytes = try readBytes(path)
        guard isPEM(bytes) else {
            do { return try RSAPrivateKey(derEncoded: bytes, password: password) } catch {
                let hint = [".p12", ".pfx"].contains(where: path.lowercased().hasSuffix)
                    ? " (for a PKCS#12 file use identity(pkcs12File:password:), --pkcs12 in dicomtls)" : ""
                throw .configuration("\(path): cannot load the private key: \(error.message)\(hint)")
            }
        }
        return try privateKey(pem: String(decoding: bytes, as: UTF8.self), password: password, source: path)
    }

    /// Trusted CA certificates from a file (`SSLCAFile`), PEM or DER.
    public static func trustRoots(pemFile path: String) throws(TLSError) -> TrustStore {
        TrustStore(try certificates(pemFile: path))
    }

    /// Trusted CA certificates from every `.pem`, `.crt`, `.cer` and `.der` file in a folder
    /// (OpenSSL's `SSLCAPath` idea, without hashed names).
    public static func trustRoots(directory path: String) throws(TLSError) -> TrustStore {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw .configuration("cannot list \(path): \(error.localizedDescription)")
        }
        var all: [Certificate] = []
        for name in names.sorted() where [".pem", ".crt", ".cer", ".der"].contains(where: { name.lowercased().hasSuffix($0) }) {
            all += try certificates(pemFile: path + "/" + name)
        }
        guard !all.isEmpty else { throw .configuration("\(path) holds no certificate files") }
        return TrustStore(all)
    }

    /// Checks that the private key belongs to the chain's leaf (as OpenSSL's
    /// `SSL_CTX_check_private_key`).
    public static func checkKey(_ key: RSAPrivateKey, matches leaf: Certificate) throws(TLSError) {
        guard let certified = try? leaf.publicKeyInfo.rsaPublicKey(), certified == key.publicKey else {
            throw .configuration("the private key does not belong to the certificate \(leaf.subject)")
        }
    }

    static func readBytes(_ path: String) throws(TLSError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read \(path)")
        }
        guard data.count <= PEMDocument.maximumTextByteCount else { throw .configuration("\(path) is too large") }
        return [UInt8](data)
    }

    /// PEM files contain an encapsulation boundary; DER starts with a SEQUENCE tag.
    private static func isPEM(_ bytes: [UInt8]) -> Bool {
        bytes.first != 0x30 || String(decoding: bytes.prefix(4096), as: UTF8.self).contains("-----BEGIN")
    }
}
