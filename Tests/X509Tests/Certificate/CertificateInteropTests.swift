import Foundation
import TestSupport
import Testing
@testable import X509

/// Interoperability with the openssl CLI (OpenSSL 3): certificates it issues parse and
/// validate here; certificates we issue pass `openssl verify` and print with
/// `openssl x509 -text`. Each test has its own temporary directory; every call is time-limited.
@Suite struct CertificateInteropTests {
    let dir: TempDirectory

    init() throws { dir = try TempDirectory() }

    @discardableResult
    private func openssl(_ args: [String], expectSuccess: Bool = true) throws -> Subprocess.Result {
        let r = try Subprocess.run("/usr/bin/openssl", args, timeout: 60)
        if expectSuccess && r.status != 0 {
            throw Vectors.LoadError("openssl \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
        }
        return r
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: dir.path(name), atomically: true, encoding: .utf8)
    }

    private func certificate(_ name: String) throws -> Certificate {
        try Certificate(pemEncoded: String(contentsOfFile: dir.path(name), encoding: .utf8))
    }

    /// Issues a certificate with `openssl x509 -req` from a fresh key and an extension file.
    private func issue(_ name: String, subject: String, ca: String, digest: String = "sha256", serial: Int, extensions: String) throws {
        try openssl(["req", "-new", "-utf8", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path("\(name).key"),
                     "-out", dir.path("\(name).csr"), "-subj", subject])
        try write("\(name).ext", extensions)
        try openssl(["x509", "-req", "-in", dir.path("\(name).csr"), "-CA", dir.path("\(ca).pem"),
                     "-CAkey", dir.path("\(ca).key"), "-set_serial", String(serial), "-days", "365",
                     "-\(digest)", "-extfile", dir.path("\(name).ext"), "-out", dir.path("\(name).pem")])
    }

    /// Every line of our summary (trimmed) must appear in `openssl x509 -text` output.
    private func expectSummaryMatchesOpenSSL(_ cert: Certificate, file: String) throws {
        let theirs = Set(try openssl(["x509", "-in", file, "-noout", "-text"]).stdout
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        let ours = cert.textSummary.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(ours.count > 15)
        for line in ours { #expect(theirs.contains(line), "openssl does not print \"\(line)\" for \(cert.subject)") }
    }

    @Test func opensslIssuedChainValidates() throws {
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path("ca.key"),
                     "-out", dir.path("ca.pem"), "-days", "3650", "-sha256",
                     "-subj", "/C=US/O=OpenSSL Interop/CN=OpenSSL Root"])
        try issue("int", subject: "/C=US/O=OpenSSL Interop/CN=OpenSSL Intermediate", ca: "ca", serial: 2, extensions: """
            basicConstraints = critical, CA:TRUE, pathlen:0
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """)
        let leafExtensions = """
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:pacs.example, IP:127.0.0.1, URI:https://pacs.example/, email:admin@pacs.example
            """
        // A subject with RFC 4514 specials, a multi-valued RDN and non-ASCII text.
        try issue("leaf", subject: "/C=US/O=OpenSSL, Interop+OU=a\\\"b\\\\c/CN= #École;x<y> ", ca: "int", serial: 0x1234_5678_9ABC,
                  extensions: leafExtensions)
        try issue("sha1", subject: "/CN=sha1 leaf", ca: "int", digest: "sha1", serial: 4, extensions: leafExtensions)
        try issue("md5", subject: "/CN=md5 leaf", ca: "int", digest: "md5", serial: 5, extensions: leafExtensions)

        let store = try TrustStore(contentsOfFile: dir.path("ca.pem"))
        let (int, leaf) = (try certificate("int.pem"), try certificate("leaf.pem"))
        var policy = try VerificationPolicy(date: Date().addingTimeInterval(3600))
        policy.requiredPurpose = .serverAuth
        let validator = PathValidator(trustStore: store, policy: policy)
        #expect(try validator.validate([leaf, int]).certificates.count == 3)
        #expect(try validator.validate([try certificate("sha1.pem"), int]).certificates.count == 3)
        let md5 = try certificate("md5.pem")
        #expect(md5.signatureAlgorithm.oid == .md5WithRSAEncryption)
        #expect(TestPKI.reason(validator, [md5, int]) == .weakSignatureAlgorithm)
        var lenient = policy
        lenient.allowsMD5Signatures = true
        #expect(TestPKI.reason(PathValidator(trustStore: store, policy: lenient), [md5, int]) == nil)
        policy.requiredPurpose = .clientAuth
        #expect(TestPKI.reason(PathValidator(trustStore: store, policy: policy), [leaf, int]) == .extendedKeyUsage)

        // A v1 certificate (no extensions) parses but cannot act as a CA, here or in openssl.
        try openssl(["x509", "-req", "-in", dir.path("int.csr"), "-CA", dir.path("ca.pem"), "-CAkey", dir.path("ca.key"),
                     "-set_serial", "7", "-days", "30", "-out", dir.path("v1.pem")])
        try openssl(["x509", "-req", "-in", dir.path("leaf.csr"), "-CA", dir.path("v1.pem"), "-CAkey", dir.path("int.key"),
                     "-set_serial", "8", "-days", "30", "-out", dir.path("v1leaf.pem")])
        let v1 = try certificate("v1.pem")
        #expect(v1.version == 1 && v1.extensions.all.isEmpty)
        #expect(try certificate("v1leaf.pem").version == 1)
        var anyPurpose = policy
        anyPurpose.requiredPurpose = nil
        #expect(TestPKI.reason(PathValidator(trustStore: store, policy: anyPurpose), [try certificate("v1leaf.pem"), v1]) == .notACA)
        let v1Verify = try openssl(["verify", "-CAfile", dir.path("ca.pem"), "-untrusted", dir.path("v1.pem"), dir.path("v1leaf.pem")],
                                   expectSuccess: false)
        #expect(v1Verify.status != 0)

        #expect(leaf.serialNumber == [0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC])
        #expect(leaf.extensions.subjectAlternativeNames == [
            .dnsName("pacs.example"), .ipAddress([127, 0, 0, 1]), .uri("https://pacs.example/"), .email("admin@pacs.example"),
        ])
        #expect(int.extensions.basicConstraints == BasicConstraints(isCA: true, pathLengthConstraint: 0))
        // Names as OpenSSL prints them in RFC 2253 form, and the summary line by line.
        for (name, cert) in [("leaf.pem", leaf), ("int.pem", int), ("ca.pem", store.certificates[0])] {
            let subject = try openssl(["x509", "-in", dir.path(name), "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"]).stdout
            #expect(subject.trimmingCharacters(in: .whitespacesAndNewlines) == "subject=\(cert.subject)")
            try expectSummaryMatchesOpenSSL(cert, file: dir.path(name))
        }
    }

    @Test func ourCertificatesPassOpenSSLVerify() throws {
        let pki = try TestPKI.shared.get()
        try write("root.pem", pki.root.pemEncoded)
        try write("int.pem", pki.intermediate.pemEncoded)
        try write("server.pem", pki.server.pemEncoded)
        try write("client.pem", pki.client.pemEncoded)
        let at = String(TestPKI.now.secondsSince1970)
        for (file, purpose) in [("server.pem", "sslserver"), ("client.pem", "sslclient")] {
            let r = try openssl(["verify", "-attime", at, "-purpose", purpose, "-x509_strict", "-CAfile", dir.path("root.pem"),
                                 "-untrusted", dir.path("int.pem"), dir.path(file)])
            #expect(r.stdout.contains("\(dir.path(file)): OK"), "\(r.stdout) \(r.stderr)")
        }
        // The wrong purpose and a missing intermediate are refused there too.
        let wrong = try openssl(["verify", "-attime", at, "-purpose", "sslclient", "-CAfile", dir.path("root.pem"),
                                 "-untrusted", dir.path("int.pem"), dir.path("server.pem")], expectSuccess: false)
        #expect(wrong.status != 0)
        let missing = try openssl(["verify", "-attime", at, "-CAfile", dir.path("root.pem"), dir.path("server.pem")], expectSuccess: false)
        #expect(missing.status != 0)

        // Verify depth means the same as openssl's -verify_depth (intermediates counted).
        for depth in 0...2 {
            let theirs = try openssl(["verify", "-attime", at, "-verify_depth", String(depth), "-CAfile", dir.path("root.pem"),
                                      "-untrusted", dir.path("int.pem"), dir.path("server.pem")], expectSuccess: false)
            var policy = VerificationPolicy(time: TestPKI.now)
            policy.maximumDepth = depth
            let ours = TestPKI.reason(pki.validator(policy), [pki.server, pki.intermediate])
            #expect((theirs.status == 0) == (ours == nil), "depth \(depth): openssl \(theirs.status), ours \(String(describing: ours))")
            #expect(ours == (depth == 0 ? .depthExceeded : nil))
        }

        let text = try openssl(["x509", "-in", dir.path("server.pem"), "-noout", "-text"]).stdout
        #expect(text.contains("DNS:localhost, DNS:pacs.local, IP Address:127.0.0.1"))
        #expect(text.contains("TLS Web Server Authentication"))
        for (cert, file) in [(pki.server, "server.pem"), (pki.client, "client.pem"), (pki.intermediate, "int.pem"), (pki.root, "root.pem")] {
            try expectSummaryMatchesOpenSSL(cert, file: dir.path(file))
        }
    }

    @Test func pkitsSummariesMatchOpenSSL() throws {
        let files = try PKITSParsingTests.certificateFiles().filter { !$0.lastPathComponent.contains("DSA") }
        #expect(files.count == 400)
        // Every 8th certificate keeps the test lean while covering names, times and extensions.
        for file in files.enumerated().filter({ $0.offset % 8 == 0 }).map(\.element) {
            let cert = try Certificate(derEncoded: Array(try Data(contentsOf: file)))
            let subject = try openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-subject", "-nameopt", "RFC2253"]).stdout
            #expect(subject.trimmingCharacters(in: .whitespacesAndNewlines) == "subject=\(cert.subject)")
            let theirs = try openssl(["x509", "-inform", "DER", "-in", file.path, "-noout", "-text"]).stdout
            let lines = Set(theirs.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for line in cert.textSummary.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
            where !line.hasPrefix("<") && !line.hasPrefix("X509v3 Certificate Policies") && !line.hasPrefix("2.5.29") {
                #expect(lines.contains(line), "\(file.lastPathComponent): openssl does not print \"\(line)\"")
            }
        }
    }
}
