import Foundation
import Testing

/// `dicomtls demo`, the README's first command, run as a process: it must exit 0 and tell
/// the whole story (PKI, TLS 1.0 with the requested suite, mutual authentication, C-ECHO,
/// C-STORE verified byte for byte, a resumed second association).
@Suite(.serialized, .timeLimit(.minutes(5))) struct DemoCommandTests {
    /// Built next to the test bundle by `swift build --build-tests` / `swift test`.
    static let binary = CLIInteropTests.binary

    @Test func demoTellsTheWholeStoryAndExitsZero() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dicomtls is not built at \(Self.binary)")
        let demo = try PeerProcess(Self.binary, ["demo", "--size", "128"])
        defer { demo.kill() }
        #expect(demo.wait(timeout: 60) == 0, "\(demo.text)")
        let text = demo.text
        for line in [
            "CA      CN=dicomtls Demo CA",
            "ok      the password callback was asked once and the encrypted client key decrypted",
            "mutual authentication: a client certificate issued by the demo CA is required",
            "protocol TLS 1.0, suite TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            "encryption 3DES-EDE-CBC, integrity HMAC-SHA1, resumed: no",
            "SCP secure link ready: TLS_RSA_WITH_3DES_EDE_CBC_SHA, client certificate \"CN=DEMOSCU modality",
            "ok      C-ECHO succeeded",
            "ok      C-STORE succeeded",
            "ok      its data set equals the one sent, byte for byte",
            "encryption 3DES-EDE-CBC, integrity HMAC-SHA1, resumed: yes",
            "ok      the TLS session was resumed (abbreviated handshake)",
            "demo OK: every step checked out",
        ] {
            #expect(text.contains(line), "missing \"\(line)\" in:\n\(text)")
        }
        #expect(!text.contains("FAILED"), "\(text)")
    }

    @Test func demoWithNullSuiteNoClientCertificateAndKeptFiles() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dicomtls is not built at \(Self.binary)")
        let folder = try PeerProcess.temporaryFolder("demo-keep")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let demo = try PeerProcess(Self.binary, ["demo", "--suite", "NULL", "--no-client-cert", "--keep", folder, "--size", "64"])
        defer { demo.kill() }
        #expect(demo.wait(timeout: 60) == 0, "\(demo.text)")
        #expect(demo.text.contains("ok      the negotiated suite is TLS_RSA_WITH_NULL_SHA"), "\(demo.text)")
        #expect(demo.text.contains("no client certificate"), "\(demo.text)")
        #expect(demo.text.contains("demo OK"), "\(demo.text)")
        for name in ["ca.pem", "server.pem", "server.key", "client.pem", "client.key", "sent.dcm"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name) not kept")
        }
        let key = try String(contentsOfFile: folder + "/client.key", encoding: .utf8)
        #expect(key.contains("ENCRYPTED PRIVATE KEY"))
    }

    /// `--suite AES128` / `AES256`: the demo runs over the DICOM AES profile's suites; the
    /// default (above) stays 3DES.
    @Test(arguments: [("AES128", "TLS_RSA_WITH_AES_128_CBC_SHA", "AES-128-CBC"), ("AES256", "TLS_RSA_WITH_AES_256_CBC_SHA", "AES-256-CBC")])
    func demoOverAES(option: String, suite: String, cipher: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dicomtls is not built at \(Self.binary)")
        let demo = try PeerProcess(Self.binary, ["demo", "--suite", option, "--size", "64"])
        defer { demo.kill() }
        #expect(demo.wait(timeout: 60) == 0, "\(demo.text)")
        for line in [
            "protocol TLS 1.0, suite \(suite)", "encryption \(cipher), integrity HMAC-SHA1, resumed: no",
            "ok      the negotiated suite is \(suite)", "encryption \(cipher), integrity HMAC-SHA1, resumed: yes",
            "demo OK: every step checked out",
        ] {
            #expect(demo.text.contains(line), "missing \"\(line)\" in:\n\(demo.text)")
        }
    }

    @Test func unknownSuiteIsAUsageError() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "dicomtls is not built at \(Self.binary)")
        let demo = try PeerProcess(Self.binary, ["demo", "--suite", "RC4"])
        defer { demo.kill() }
        #expect(demo.wait(timeout: 20) == 64)
        #expect(demo.text.contains("unknown suite RC4"))
    }
}
