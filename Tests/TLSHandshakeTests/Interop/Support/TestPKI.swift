import Foundation
import TLSHandshake
import TLSSockets
import TestSupport

/// A throwaway PKI for the interop tests, made once per test process by
/// `Scripts/make_pki.py` (Python `cryptography`; the encrypted key by the openssl CLI).
struct TestPKI: Sendable {
    /// The temporary directory holding the files.
    let directory: String

    /// Path of a file in the PKI directory, e.g. `path("server.pem")`.
    func path(_ file: String) -> String { directory + "/" + file }

    var caCert: String { path("ca.pem") }
    var serverCert: String { path("server.pem") }
    var serverKey: String { path("server.key") }
    var clientCert: String { path("client.pem") }
    var clientKey: String { path("client.key") }
    var untrustedCert: String { path("untrusted.pem") }
    var untrustedKey: String { path("untrusted.key") }
    var expiredCert: String { path("expired.pem") }
    var expiredKey: String { path("expired.key") }
    var otherCA: String { path("other-ca.pem") }
    var encryptedServerKey: String { path("server-des3.key") }
    var passwordFile: String { path("password.txt") }
    static let password = "interop-secret"

    /// The shared PKI, generated on first use (a few hundred milliseconds).
    static let shared: Result<TestPKI, PeerProcess.Failure> = {
        removeStaleDirectories()
        let dir = NSTemporaryDirectory() + prefix + "\(getpid())"
        do {
            let script = InteropPaths.scripts + "/make_pki.py"
            let peer = try PeerProcess("/usr/bin/env", ["python3", script, dir], name: "make_pki.py")
            guard peer.waitForExit(timeout: .seconds(60)) == 0 else {
                return .failure(.init(description: "make_pki.py failed:\n\(peer.text)"))
            }
            return .success(TestPKI(directory: dir))
        } catch {
            return .failure(.init(description: "cannot run make_pki.py: \(error)"))
        }
    }()

    private static let prefix = "dicomtls-interop-pki-"

    /// Removes the PKI directories of earlier test processes that have exited.
    private static func removeStaleDirectories() {
        let temporary = NSTemporaryDirectory()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(atPath: temporary + "/" + entry)
        }
    }

    /// The shared PKI, or the reason it could not be made.
    static func get() throws -> TestPKI { try shared.get() }
}

/// Where the interop scripts and built binaries are.
enum InteropPaths {
    /// `Tests/TLSHandshakeTests/Interop/Scripts`, found from this file's location.
    static let scripts: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts").path
    }()

    /// A free loopback port: bind port 0, read the number, release it.
    static func freePort() throws -> UInt16 {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        return listener.port
    }
}
