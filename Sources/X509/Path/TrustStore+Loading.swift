import Foundation

extension TrustStore {
    /// A store from a PEM CA bundle (the customer's `SSLCAFile` contents).
    ///
    /// - Throws: ``X509Error`` for malformed PEM or certificates, and
    ///   ``X509Error/Code/invalidTrustStore`` when the text holds no certificate.
    public init(pemEncoded text: String) throws(X509Error) {
        let certificates = try Certificate.parseAll(pemEncoded: text)
        guard !certificates.isEmpty else {
            throw X509Error(.invalidTrustStore, "the CA bundle holds no CERTIFICATE block")
        }
        self.init(certificates)
    }

    /// A store from a PEM CA bundle file, or a DER certificate file.
    public init(contentsOfFile path: String) throws(X509Error) {
        self.init(try Self.load(path))
    }

    /// A store from every `.pem`, `.crt` and `.cer` file in a folder (PEM or DER each).
    public init(directory path: String) throws(X509Error) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw X509Error(.invalidTrustStore, "cannot list CA folder \(path): \(error.localizedDescription)")
        }
        var certificates: [Certificate] = []
        for name in names where ["pem", "crt", "cer"].contains((name as NSString).pathExtension.lowercased()) {
            certificates += try Self.load((path as NSString).appendingPathComponent(name))
        }
        guard !certificates.isEmpty else {
            throw X509Error(.invalidTrustStore, "CA folder \(path) holds no certificate files")
        }
        self.init(certificates)
    }

    /// The certificates of one file: PEM when it has a BEGIN line, DER otherwise.
    private static func load(_ path: String) throws(X509Error) -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw X509Error(.invalidTrustStore, "cannot read CA file \(path)")
        }
        let bytes = Array(data)
        if bytes.first == 0x30 { return [try Certificate(derEncoded: bytes)] }
        let certificates = try Certificate.parseAll(pemEncoded: String(decoding: bytes, as: UTF8.self))
        guard !certificates.isEmpty else {
            throw X509Error(.invalidTrustStore, "CA file \(path) holds no CERTIFICATE block")
        }
        return certificates
    }
}
