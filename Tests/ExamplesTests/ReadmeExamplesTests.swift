import CryptoPrimitives
import DicomUL
import Foundation
import Synchronization
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import X509

/// Runs the README's examples (ReadmeExamples.swift) against each other on 127.0.0.1 with a
/// throwaway PKI, and checks that every ```swift block of README.md is one of them, verbatim.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ReadmeExamplesTests {
    @Test func everyReadmeSwiftBlockIsCompiledVerbatim() throws {
        let readme = try String(contentsOfFile: Self.packageRoot + "/README.md", encoding: .utf8)
        let examples = try String(contentsOfFile: Self.here + "/ReadmeExamples.swift", encoding: .utf8)
        let blocks = Self.swiftBlocks(in: readme)
        #expect(blocks.count >= 4, "README.md should hold the TLS client, TLS server, SCU and SCP examples")
        for block in blocks {
            #expect(examples.contains(block), "this README block is not in ReadmeExamples.swift:\n\(block)")
        }
    }

    @Test func readmeTLSClientTalksToReadmeTLSServer() throws {
        let pki = try ExamplePKI()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let serverError = Mutex<String?>("server did not finish")
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                try tlsServerExample(listener: listener, caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile)
                serverError.withLock { $0 = nil }
            } catch {
                serverError.withLock { $0 = "\(error)" }
            }
            done.signal()
        }
        thread.start()
        let passwordCalls = Atomic<Int>(0)
        let info = try tlsClientExample(
            host: "127.0.0.1", port: listener.port, caFile: pki.caFile, certFile: pki.clientCertFile,
            keyFile: pki.clientKeyFile, password: { passwordCalls.add(1, ordering: .relaxed); return pki.password })
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(serverError.withLock { $0 } == nil)
        #expect(info.version == .tls10)
        #expect(info.cipherSuite == .rsaWith3DESEDECBCSHA)
        #expect(info.encryptionAlgorithm == "3DES-EDE-CBC")
        #expect(info.integrityAlgorithm == "HMAC-SHA1")
        #expect(info.peerVerified)
        #expect(passwordCalls.load(ordering: .relaxed) == 1)
    }

    @Test func readmeSCUStoresIntoReadmeSCP() throws {
        let pki = try ExamplePKI()
        let received = pki.folder + "/received"
        try FileManager.default.createDirectory(atPath: received, withIntermediateDirectories: true)
        let server = try dicomStorageSCPExample(
            port: 0, folder: received, caFile: pki.caFile, certFile: pki.serverCertFile, keyFile: pki.serverKeyFile)
        defer { server.stop() }
        let object = DicomObjectGenerator.secondaryCapture(rows: 64, columns: 64)
        let file = pki.folder + "/object.dcm"
        try Data(object.part10).write(to: URL(fileURLWithPath: file))
        let summary = try dicomStoreExample(
            host: "127.0.0.1", port: server.port, files: [file], caFile: pki.caFile, certFile: pki.clientCertFile,
            keyFile: pki.clientKeyFile, password: { pki.password })
        #expect(summary.failures.isEmpty)
        #expect(summary.statuses == [.success])
        let stored = try #require(FileManager.default.contents(atPath: received + "/" + object.sopInstanceUID + ".dcm"))
        let header = try Part10File(path: received + "/" + object.sopInstanceUID + ".dcm")
        #expect(Array(stored[header.dataSetOffset...]) == object.dataSet)
    }

    // MARK: Helpers

    /// This file's folder.
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    /// The package root (two levels up from Tests/ExamplesTests).
    static let packageRoot = URL(fileURLWithPath: here).deletingLastPathComponent().deletingLastPathComponent().path

    /// The contents of every ```swift fenced block.
    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```swift" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current.map { $0.joined(separator: "\n") } ?? "")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate with a password-encrypted
/// key, written as PEM files into a fresh temporary folder (the examples take file paths).
struct ExamplePKI: Sendable {
    let folder: String
    let password = "readme-example"
    var caFile: String { folder + "/ca.pem" }
    var serverCertFile: String { folder + "/server.pem" }
    var serverKeyFile: String { folder + "/server.key" }
    var clientCertFile: String { folder + "/client.pem" }
    var clientKeyFile: String { folder + "/client.key" }

    init() throws {
        folder = NSTemporaryDirectory() + "readme-examples-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let random = SystemRandom()
        let now = Int64(Date().timeIntervalSince1970)
        let validity = Validity(
            notBefore: try #require(ASN1Time(secondsSince1970: now - 3600)),
            notAfter: try #require(ASN1Time(secondsSince1970: now + 86_400)))
        let caKey = try RSAPrivateKey.generate(bits: 2048, random: random)
        let ca = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.commonName("README CA")]), publicKey: caKey.publicKey, serialNumber: [1],
            validity: validity
        ).selfSigned(with: caKey)
        let serverKey = try RSAPrivateKey.generate(bits: 2048, random: random)
        let server = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("README server")]), publicKey: serverKey.publicKey, serialNumber: [2],
            validity: validity, dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]]
        ).signed(by: ca, key: caKey)
        let clientKey = try RSAPrivateKey.generate(bits: 2048, random: random)
        let client = try CertificateBuilder.tlsClient(
            subject: DistinguishedName([.commonName("README client")]), publicKey: clientKey.publicKey, serialNumber: [3],
            validity: validity
        ).signed(by: ca, key: caKey)
        for (path, text) in [
            (caFile, ca.pemEncoded), (serverCertFile, server.pemEncoded), (serverKeyFile, serverKey.pkcs8PEM),
            (clientCertFile, client.pemEncoded), (clientKeyFile, try clientKey.encryptedPKCS8PEM(password: password)),
        ] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}
