import Foundation
import TLSHandshake
@testable import DicomUL

/// A throwaway PKI for the DICOM-over-TLS tests, made once per test process by the TLS
/// tests' `make_pki.py` (CA, server cert naming localhost and 127.0.0.1, client cert, an
/// untrusted client cert from another CA, and the server key encrypted with PBES2/3DES).
struct DicomTestPKI: Sendable {
    let directory: String
    func path(_ file: String) -> String { directory + "/" + file }
    var caCert: String { path("ca.pem") }
    var serverCert: String { path("server.pem") }
    var serverKey: String { path("server.key") }
    var encryptedServerKey: String { path("server-des3.key") }
    var passwordFile: String { path("password.txt") }
    var clientCert: String { path("client.pem") }
    var clientKey: String { path("client.key") }
    var untrustedCert: String { path("untrusted.pem") }
    var untrustedKey: String { path("untrusted.key") }
    static let password = "interop-secret"

    static let shared: Result<DicomTestPKI, DicomError> = {
        let dir = NSTemporaryDirectory() + "dicomul-tls-pki-\(getpid())"
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TLSHandshakeTests/Interop/Scripts/make_pki.py").path
        do {
            let gen = try PeerProcess("/usr/bin/env", ["python3", script, dir])
            guard gen.wait(timeout: 60) == 0 else { return .failure(DicomError(.io, "make_pki.py failed: \(gen.text)")) }
            return .success(DicomTestPKI(directory: dir))
        } catch {
            return .failure(DicomError(.io, "cannot run make_pki.py: \(error)"))
        }
    }()

    static func get() throws -> DicomTestPKI { try shared.get() }

    /// A server configuration: our certificate, clients verified against the CA.
    func server(
        suites: [CipherSuite], verification: CertificateVerification = .requirePeerCertificate, encryptedKey: Bool = false,
        passwordCalls: PasswordCounter? = nil
    ) throws -> TLSConfiguration {
        let keyPath = encryptedKey ? encryptedServerKey : serverKey
        let key = try TLSConfiguration.privateKey(pemFile: keyPath, password: {
            passwordCalls?.increment()
            return Self.password
        })
        return try TLSConfiguration.server(
            certificateChain: TLSConfiguration.certificates(pemFile: serverCert), privateKey: key,
            trustRoots: TLSConfiguration.trustRoots(pemFile: caCert), verification: verification, cipherSuites: suites)
    }

    /// A client configuration presenting `cert`/`key` (the trusted client by default).
    func client(suites: [CipherSuite], cert: String? = nil, key: String? = nil, withCertificate: Bool = true) throws -> TLSConfiguration {
        guard withCertificate else {
            return try TLSConfiguration.client(trustRoots: TLSConfiguration.trustRoots(pemFile: caCert), cipherSuites: suites)
        }
        return try TLSConfiguration.client(
            certificateChain: TLSConfiguration.certificates(pemFile: cert ?? clientCert),
            privateKey: TLSConfiguration.privateKey(pemFile: key ?? clientKey),
            trustRoots: TLSConfiguration.trustRoots(pemFile: caCert), cipherSuites: suites)
    }
}

/// Counts password callback calls across threads.
final class PasswordCounter: @unchecked Sendable {  // `value` is guarded by `lock`
    private let lock = NSLock()
    private var value = 0
    func increment() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

/// Lines collected from a server log or callbacks, across threads.
final class EventLog: @unchecked Sendable {  // `lines` is guarded by `lock`
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    func index(of text: String) -> Int? { all.firstIndex { $0.contains(text) } }
    /// Waits up to `timeout` seconds for a line containing `text`.
    func wait(for text: String, timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if index(of: text) != nil { return true }
            usleep(20_000)
        }
        return index(of: text) != nil
    }
}
