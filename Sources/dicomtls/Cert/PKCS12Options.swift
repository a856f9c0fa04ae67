import ArgumentParser
import Foundation
import X509

/// `--pkcs12 FILE` and its settings: the certificate, the CA and the key as one PKCS #12 file
/// for devices that import `.p12`/`.pfx` (Windows, Java), shared by `cert issue` and `cert sign`.
struct PKCS12Options: ParsableArguments {
    @Option(name: .customLong("pkcs12"), help: "Also write the certificate, the CA certificate and the key as a PKCS #12 file (.p12).")
    var file: String?
    @Option(name: .customLong("pkcs12-password-file"), help: "File whose first line is the .p12 password (required with --pkcs12).")
    var passwordFile: String?
    @Option(name: .customLong("pkcs12-encryption"),
            help: "aes (OpenSSL 3's default: PBES2 AES-256-CBC, MAC HMAC-SHA256) or 3des (pbeWithSHAAnd3-KeyTripleDES-CBC, MAC HMAC-SHA1: Windows, Java 8).")
    var encryption = "aes"
    @Option(name: .customLong("pkcs12-iterations"), help: "KDF iterations of the key, certificates and MAC (2048 or more).")
    var iterations = PKCS12Builder.minimumIterations

    /// The encryption named by `--pkcs12-encryption`.
    static let encryptionNames: [String: PKCS12Builder.Encryption] = ["aes": .aes256, "3des": .tripleDESLegacy]

    func validate() throws {
        guard Self.encryptionNames[encryption] != nil else { throw ValidationError("--pkcs12-encryption must be aes or 3des") }
        guard iterations >= PKCS12Builder.minimumIterations else {
            throw ValidationError("--pkcs12-iterations must be \(PKCS12Builder.minimumIterations) or more")
        }
        if file != nil && passwordFile == nil { throw ValidationError("--pkcs12 needs --pkcs12-password-file") }
        if file == nil && passwordFile != nil { throw ValidationError("--pkcs12-password-file is only used with --pkcs12") }
    }

    /// Writes the file (mode 0600) when `--pkcs12` was given; the friendly name is the leaf's CN.
    func write(chain: [Certificate], key: RSAPrivateKey) throws {
        guard let file, let passwordFile else { return }
        let password = try SiteCAOptions.firstLine(passwordFile)
        guard !password.isEmpty else { throw CLIFailure("--pkcs12-password-file \(passwordFile): the first line is empty") }
        var builder = try PKCS12Builder(certificateChain: chain, privateKey: key,
                                        friendlyName: chain.first?.subject.values(of: .commonName).first)
        builder.encryption = Self.encryptionNames[encryption] ?? .aes256
        builder.iterations = iterations
        let der = try builder.derEncoded(password: password)
        guard FileManager.default.createFile(atPath: file, contents: Data(der), attributes: [.posixPermissions: 0o600]) else {
            throw CLIFailure("cannot write \(file)")
        }
        print("wrote \(file) (PKCS #12, \(encryption), \(iterations) iterations)")
    }
}
