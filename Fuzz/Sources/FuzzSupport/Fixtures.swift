import CryptoPrimitives
import DicomUL
import Foundation
import TLSHandshake
import X509

/// Keys, certificates and configurations shared by the fuzz targets. Everything is
/// deterministic (fixed seeds), so a crash input reproduces.
public enum Fixtures {
    /// 2026-06-01 00:00 UTC: inside the test certificate's validity.
    public static let now: Int64 = 1_780_272_000

    /// A deterministic RSA-2048 key and a self-signed TLS server certificate for it.
    public static let serverIdentity: (key: RSAPrivateKey, certificate: Certificate)? = {
        guard let key = try? RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 8)),
            let notBefore = ASN1Time(year: 2020, month: 1, day: 1),
            let notAfter = ASN1Time(year: 2040, month: 1, day: 1),
            let cert = try? CertificateBuilder.tlsServer(
                subject: DistinguishedName([.commonName("localhost")]), publicKey: key.publicKey,
                serialNumber: [8], validity: Validity(notBefore: notBefore, notAfter: notAfter),
                dnsNames: ["localhost"]
            ).selfSigned(with: key)
        else { return nil }
        return (key, cert)
    }()

    /// A server configuration with every suite (and DEFLATE) enabled, fixed random.
    public static func serverConfig(seed: UInt64 = 1) -> TLSConfiguration? {
        guard let id = serverIdentity,
            var c = try? TLSConfiguration.server(
                certificateChain: [id.certificate], privateKey: id.key,
                cipherSuites: CipherSuite.defaults, random: DeterministicRandom(seed: seed))
        else { return nil }
        c.currentTime = { now }
        return c
    }

    /// A client configuration that trusts the fixture certificate, fixed random.
    public static func clientConfig(seed: UInt64 = 2) -> TLSConfiguration? {
        guard let id = serverIdentity,
            var c = try? TLSConfiguration.client(
                trustRoots: TrustStore([id.certificate]), verification: .peer,
                random: DeterministicRandom(seed: seed))
        else { return nil }
        c.currentTime = { now }
        return c
    }

    /// Drains every event of a connection; returns false once it failed.
    @discardableResult
    public static func drain(_ c: inout TLSConnection) -> Bool {
        do {
            var n = 0
            while try c.nextEvent() != nil {
                n += 1
                if n > 100_000 { return true }
            }
            return true
        } catch {
            // A failure must carry an alert (sent or received) or be a clean close.
            if error.alert == nil && error.code != .closed { fatalFuzz("TLSError without alert: \(error)") }
            return false
        }
    }

    /// Reports a broken invariant as a crash libFuzzer records.
    public static func fatalFuzz(_ message: String) -> Never {
        FileHandle.standardError.write(Data("FUZZ INVARIANT: \(message)\n".utf8))
        abort()
    }

    /// A standard A-ASSOCIATE-RQ (Verification and CT Image Storage).
    public static let associateRequest = AssociateRQ(
        calledAETitle: "STORESCP", callingAETitle: "FUZZ",
        presentationContexts: [
            PresentationContextProposal(id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"]),
            PresentationContextProposal(
                id: 3, abstractSyntax: "1.2.840.10008.5.1.4.1.1.2",
                transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
        ],
        userInformation: UserInformation(
            maximumLength: 16384, implementationClassUID: "2.25.1234", implementationVersionName: "FUZZ_1"))
}

/// Seed corpora made by our own encoders and engines: when `FUZZ_WRITE_SEEDS=<dir>` is set,
/// a target writes its generated seeds there at start-up and exits (Fuzz/make-corpus.sh).
public enum Seeds {
    public static func writeIfRequested(_ make: () -> [[UInt8]]) {
        guard let dir = ProcessInfo.processInfo.environment["FUZZ_WRITE_SEEDS"] else { return }
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (i, seed) in make().enumerated() {
            _ = FileManager.default.createFile(atPath: "\(dir)/gen-\(i)", contents: Data(seed))
        }
        exit(0)
    }
}

extension Fixtures {
    /// The fixture key as PKCS#1, PKCS#8 and encrypted PKCS#8 PEM (password "fuzz-password",
    /// few PBKDF2 iterations so each execution stays fast), the certificate as PEM.
    public static func pemSeeds() -> [[UInt8]] {
        guard let id = serverIdentity else { return [] }
        var out = [id.key.pkcs1PEM, id.key.pkcs8PEM].map { Array($0.utf8) }
        if let enc = try? id.key.encryptedPKCS8PEM(password: "fuzz-password", iterations: 4) { out.append(Array(enc.utf8)) }
        if let der = try? id.key.encryptedPKCS8DER(password: "fuzz-password", iterations: 4) { out.append(der) }
        out.append(id.key.pkcs1DER)
        out.append(Array(PEMDocument(label: "CERTIFICATE", derBytes: id.certificate.derBytes).pemEncoded.utf8))
        out.append(Array(PEMDocument(label: "PUBLIC KEY", derBytes: id.key.publicKey.subjectPublicKeyInfoDER).pemEncoded.utf8))
        return out
    }

    /// One PDU of every type, as our encoder writes them.
    public static func pduSeeds() -> [[UInt8]] {
        let rq = associateRequest
        let ac = AssociateAC(
            calledAETitle: rq.calledAETitle, callingAETitle: rq.callingAETitle,
            presentationContexts: [
                PresentationContextResult(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2"),
                PresentationContextResult(id: 3, result: PresentationContextResultCode(rawValue: 3), transferSyntax: "1.2.840.10008.1.2"),
            ],
            userInformation: UserInformation(maximumLength: 16384, implementationClassUID: "2.25.99"))
        let data = PDataTF(values: [
            PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: [0, 0, 0, 0, 4, 0, 0, 0, 0x38, 0, 0, 0][...]),
            PresentationDataValue(contextID: 3, isCommand: false, isLast: false, data: [1, 2, 3, 4][...]),
        ])
        let pdus: [PDU] = [
            .associateRQ(rq), .associateAC(ac), .associateRJ(AssociateRJ(result: 1, source: 1, reason: 1)),
            .dataTF(data), .releaseRQ, .releaseRP, .abort(Abort(source: AbortSource(rawValue: 2), reason: AbortReason(rawValue: 1))),
        ]
        return pdus.map { $0.encode() }
    }
}
