import ArgumentParser
import Foundation
import TLSHandshake

/// `dicomtls demo`: the whole stack in one command, with no files and no network beyond
/// 127.0.0.1. Issues a throwaway PKI with our X509 code (the client key encrypted, read
/// through the password callback), starts a storage SCP over TLS with mutual authentication,
/// then as SCU sends a C-ECHO and a C-STORE of a generated image over
/// `TLS_RSA_WITH_3DES_EDE_CBC_SHA` (or the suite given with `--suite`), verifies the stored file byte for byte, and opens a second
/// association that resumes the TLS session. Exits 0 only if every check passed.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a DICOM storage SCP and SCU over TLS 1.0 on loopback and check every step.")

    @Option(name: .long, help: "Cipher suite both sides are limited to: 3DES (the DICOM Basic TLS profile, default), AES128 (the DICOM AES profile), AES256, DES, NULL or an IANA name.")
    var suite = "3DES"
    @Flag(name: .customLong("no-client-cert"), help: "The SCU presents no certificate; the SCP then accepts clients without one.")
    var noClientCert = false
    @Option(name: .customLong("keep"), help: "Keep the generated PKI (PEM files), the sent object and the received files in this folder.")
    var keep: String?
    @Option(name: .long, help: "Rows and columns of the generated 8-bit image.")
    var size = 512

    func run() throws {
        guard let cipherSuite = Self.suite(named: suite) else {
            throw ValidationError("unknown suite \(suite): use 3DES, AES128, AES256, DES, NULL or one of \(CipherSuite.all.map(\.name).joined(separator: ", "))")
        }
        guard (1...4096).contains(size) else { throw ValidationError("--size must be between 1 and 4096") }
        let folder = keep ?? (NSTemporaryDirectory() + "dicomtls-demo-\(getpid())")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let scenario = DemoScenario(
            suite: cipherSuite, clientCertificate: !noClientCert, imageSize: size, folder: folder, keep: keep != nil)
        let failures = scenario.run()
        if let keep { print("files kept in \(keep)") }
        guard failures.isEmpty else {
            print("\ndemo FAILED: \(failures.count) check(s) failed:")
            for f in failures { print("  - \(f)") }
            throw ExitCode.failure
        }
        print("\ndemo OK: every step checked out")
    }

    /// `3DES`, `AES128`, `AES256`, `DES`, `NULL`, their OpenSSL names, or an IANA suite name.
    static func suite(named name: String) -> CipherSuite? {
        switch name.uppercased() {
        case "3DES", "DES-CBC3-SHA": .rsaWith3DESEDECBCSHA
        case "AES128", "AES128-SHA": .rsaWithAES128CBCSHA
        case "AES256", "AES256-SHA": .rsaWithAES256CBCSHA
        case "DES", "DES-CBC-SHA": .rsaWithDESCBCSHA
        case "NULL", "NULL-SHA": .rsaWithNullSHA
        default: CipherSuite(name: name.uppercased())
        }
    }
}
