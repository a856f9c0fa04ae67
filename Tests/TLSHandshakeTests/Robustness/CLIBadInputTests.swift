import Foundation
import Testing
import X509
import TestSupport
import TLSSockets

/// Bad input at the CLI (issue 8 §5): every mistake a user can make with `dicomtls` gets one
/// clear message naming the problem and a non-zero exit, never a stack trace. The built
/// binary runs as a process.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CLIBadInputTests {
    /// The result of one run: exit status and everything printed.
    struct Run {
        var status: Int32?
        var text: String
    }

    static func run(_ arguments: [String], timeout: Duration = .seconds(30)) throws -> Run {
        let p = try PeerProcess(try CLIInteropTests.binary(), arguments, name: "dicomtls \(arguments.first ?? "")")
        defer { p.stop() }
        let status = p.waitForExit(timeout: timeout)
        // The reader threads may still be draining the pipes: wait until the text is stable.
        var last = p.text, stable = 0
        for _ in 0..<40 where stable < 3 {
            Thread.sleep(forTimeInterval: 0.05)
            let now = p.text
            stable = now == last && !now.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? stable + 1 : 0
            last = now
        }
        return Run(status: status, text: p.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// One clear message: non-zero exit, the expected words, a short text, no trap or trace.
    static func expectClearFailure(_ r: Run, mentions words: [String], _ what: String) {
        #expect(r.status != nil && r.status != 0, "\(what): exit status \(String(describing: r.status))")
        for w in words { #expect(r.text.localizedCaseInsensitiveContains(w), "\(what): no '\(w)' in: \(r.text)") }
        for trace in ["Fatal error", "Stack dump", "Backtrace", "Current stack trace", "SIGABRT", "SIGSEGV", "0x0000"] {
            #expect(!r.text.contains(trace), "\(what): trace-like output: \(r.text)")
        }
        let lines = r.text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(!lines.isEmpty && lines.count <= 3, "\(what): \(lines.count) lines: \(r.text)")
    }

    static func scratch(_ name: String, _ contents: String) throws -> String {
        let path = NSTemporaryDirectory() + "dicomtls-badinput-\(getpid())-\(name)"
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A closed loopback port: bound then released.
    static func closedPort() throws -> UInt16 { try InteropPaths.freePort() }

    @Test func missingCertificateFile() throws {
        let pki = try TestPKI.get()
        let r = try Self.run(["tls-server", "--port", "0", "--cert", "/nonexistent/server.pem", "--key", pki.serverKey])
        Self.expectClearFailure(r, mentions: ["/nonexistent/server.pem"], "missing --cert")
    }

    @Test func missingKeyAndPasswordFiles() throws {
        let pki = try TestPKI.get()
        let r = try Self.run(["tls-server", "--port", "0", "--cert", pki.serverCert, "--key", "/nonexistent/server.key"])
        Self.expectClearFailure(r, mentions: ["/nonexistent/server.key"], "missing --key")
        let p = try Self.run([
            "tls-server", "--port", "0", "--cert", pki.serverCert, "--key", pki.encryptedServerKey,
            "--key-password-file", "/nonexistent/password.txt",
        ])
        Self.expectClearFailure(p, mentions: ["/nonexistent/password.txt"], "missing --key-password-file")
    }

    @Test func unreadablePEM() throws {
        let pki = try TestPKI.get()
        let garbage = try Self.scratch("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n")
        let r = try Self.run(["tls-server", "--port", "0", "--cert", garbage, "--key", pki.serverKey])
        Self.expectClearFailure(r, mentions: [], "unreadable PEM certificate")
        let noPEM = try Self.scratch("nopem.key", "just some text\n")
        let k = try Self.run(["tls-server", "--port", "0", "--cert", pki.serverCert, "--key", noPEM])
        Self.expectClearFailure(k, mentions: [], "key file without PEM")
    }

    @Test func wrongPassword() throws {
        let pki = try TestPKI.get()
        let wrong = try Self.scratch("wrong-password.txt", "not-the-password\n")
        let r = try Self.run([
            "tls-server", "--port", "0", "--cert", pki.serverCert, "--key", pki.encryptedServerKey, "--key-password-file", wrong,
        ])
        Self.expectClearFailure(r, mentions: ["password"], "wrong password")
    }

    @Test func caFileWithoutCertificates() throws {
        let pki = try TestPKI.get()
        let keyOnly = try String(contentsOfFile: pki.serverKey, encoding: .utf8)
        let ca = try Self.scratch("no-certs-ca.pem", keyOnly)
        let r = try Self.run(["tls-client", "127.0.0.1:\(try Self.closedPort())", "--ca-file", ca])
        Self.expectClearFailure(r, mentions: ["certificate"], "CA file without certificates")
        let empty = try Self.scratch("empty-ca.pem", "")
        let e = try Self.run(["tls-client", "127.0.0.1:\(try Self.closedPort())", "--ca-file", empty])
        Self.expectClearFailure(e, mentions: [empty, "PEM"], "empty CA file")
    }

    @Test func portInUse() throws {
        let pki = try TestPKI.get()
        let listener = try TCPListenerHolder()
        let r = try Self.run(["tls-server", "--port", String(listener.port), "--cert", pki.serverCert, "--key", pki.serverKey])
        Self.expectClearFailure(r, mentions: [String(listener.port)], "tls-server on a port in use")
        let out = NSTemporaryDirectory() + "dicomtls-badinput-scp-\(getpid())"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let s = try Self.run(["storescp", "--port", String(listener.port), "--output-dir", out, "--host", "127.0.0.1"])
        Self.expectClearFailure(s, mentions: [String(listener.port)], "storescp on a port in use")
    }

    @Test func unreachableHost() throws {
        let pki = try TestPKI.get()
        let port = try Self.closedPort()
        let t = try Self.run(["tls-client", "127.0.0.1:\(port)", "--ca-file", pki.caCert])
        Self.expectClearFailure(t, mentions: ["127.0.0.1"], "tls-client to a closed port")
        let e = try Self.run(["echoscu", "127.0.0.1", String(port), "--timeout", "5"])
        Self.expectClearFailure(e, mentions: [], "echoscu to a closed port")
        let src = try Self.scratch("missing-src-list", "")
        let s = try Self.run(["storescu", "127.0.0.1", String(port), src + "-does-not-exist.dcm", "--timeout", "5"])
        Self.expectClearFailure(s, mentions: ["does-not-exist"], "storescu with a missing file")
    }

    @Test func expiredAndNotYetValidServerCertificates() throws {
        let pki = try TestPKI.get()
        // Expired: the test PKI's expired certificate, issued by the trusted CA.
        let (expired, port) = try CLIInteropTests.startServer(["--cert", pki.expiredCert, "--key", pki.expiredKey])
        defer { expired.stop() }
        let r = try Self.run(["tls-client", "127.0.0.1:\(port)", "--ca-file", pki.caCert, "--server-name", "localhost"])
        Self.expectClearFailure(r, mentions: ["expired"], "expired server certificate")

        // Not yet valid: a self-signed certificate valid from 2090, trusted as its own CA.
        let key = try RSAPrivateKey(pemEncoded: String(contentsOfFile: pki.serverKey, encoding: .utf8))
        let future = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("localhost")]), publicKey: key.publicKey, serialNumber: [9],
            validity: Validity(
                notBefore: try #require(ASN1Time(year: 2090, month: 1, day: 1)),
                notAfter: try #require(ASN1Time(year: 2095, month: 1, day: 1))),
            dnsNames: ["localhost"]
        ).selfSigned(with: key)
        let certPath = try Self.scratch("future.pem", PEMDocument(label: "CERTIFICATE", derBytes: future.derBytes).pemEncoded)
        let (later, port2) = try CLIInteropTests.startServer(["--cert", certPath, "--key", pki.serverKey])
        defer { later.stop() }
        let n = try Self.run(["tls-client", "127.0.0.1:\(port2)", "--ca-file", certPath, "--server-name", "localhost"])
        Self.expectClearFailure(n, mentions: ["not valid before 2090"], "not-yet-valid server certificate")
    }
}

/// A listening socket held for the length of a test (a port in use).
final class TCPListenerHolder {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw PeerProcess.Failure(description: "bind failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
    }

    deinit { close(fd) }
}
