import Foundation
import Testing
import TestSupport
@testable import X509

/// Review finding F1 (`make_chain_bomb.py`): path building is linear in the presented
/// certificates plus fixed budgets, asserted on the validator's operation counts.
@Suite struct ChainBombTests {
    static let bomb = ReviewCertificates.chainBomb(1_000)

    static func certificates(_ bomb: (leaf: [UInt8], pool: [[UInt8]])) throws -> [Certificate] {
        try ([bomb.leaf] + bomb.pool).map { try Certificate(derEncoded: $0) }
    }

    /// The total work of a validation: indexing, search steps, signatures.
    static func total(_ cost: PathSearchCost) -> Int {
        cost.certificatesIndexed + cost.candidateEvaluations + cost.signatureVerifications + cost.nameConstraintComparisons
    }

    @Test func portMatchesTheReviewsScript() {
        // make_chain_bomb.py 1000 prints "Certificate message body: 130670 bytes".
        #expect(ReviewCertificates.certificateMessageBody([Self.bomb.leaf] + Self.bomb.pool).count == 130_670)
        #expect(Self.bomb.pool.allSatisfy { $0.count == 127 })
    }

    @Test(arguments: [9, 100])
    func workIsBoundedForTheReviewsChainBomb(verifyDepth: Int) throws {
        let pki = try TestPKI.shared.get()
        var policy = VerificationPolicy(time: TestPKI.now)
        policy.maximumDepth = verifyDepth  // 9: the review's `--verify-depth 9`; 100: the default
        let presented = try Self.certificates(Self.bomb)
        var cost = PathSearchCost()
        let error = #expect(throws: CertificateValidationError.self) {
            try pki.validator(policy).validate(presented, cost: &cost)
        }
        #expect(error?.reason == .depthExceeded)
        print("chain bomb, verify depth \(verifyDepth): \(cost)")
        #expect(cost.certificatesIndexed == 1_001)
        #expect(cost.candidateEvaluations <= PathValidator.searchBudget)
        #expect(cost.signatureVerifications == 0 && cost.pathsChecked == 0)
        // d2291a7 compared ~500 000 certificate encodings at each of 256 nodes.
        #expect(Self.total(cost) <= 1_001 + PathValidator.searchBudget, "\(cost)")
    }

    @Test func searchWorkDoesNotGrowWithTheNumberOfLookAlikes() throws {
        let pki = try TestPKI.shared.get()
        var evaluations: [Int] = []
        for n in [10, 100, 1_000, 3_000] {
            var cost = PathSearchCost()
            _ = try? pki.validator().validate(Self.certificates(ReviewCertificates.chainBomb(n)), cost: &cost)
            #expect(cost.certificatesIndexed == n + 1)
            #expect(cost.candidateEvaluations <= PathValidator.searchBudget)
            evaluations.append(cost.candidateEvaluations)
        }
        // Past the budget the search stops: the same number of steps for 1 000 and 3 000.
        #expect(evaluations[2] == evaluations[3])
    }

    @Test func duplicatesAreIndexedOnce() throws {
        let pki = try TestPKI.shared.get()
        let bomb = ReviewCertificates.chainBomb(1)
        let presented = try Self.certificates((bomb.leaf, [[UInt8]](repeating: bomb.pool[0], count: 500) + [bomb.leaf]))
        var cost = PathSearchCost()
        #expect(throws: CertificateValidationError.self) { try pki.validator().validate(presented, cost: &cost) }
        #expect(cost.certificatesIndexed == 2)
    }

    /// The bomb's look-alikes named after the trust anchor: every node's first candidate is
    /// the anchor, so each complete path costs a signature check, within their own budget.
    @Test func signatureChecksAreBoundedWhenTheLookAlikesNameTheAnchor() throws {
        let pki = try TestPKI.shared.get()
        let presented = try Self.certificates(ReviewCertificates.chainBomb(1_000, issuer: pki.root.subject.encodedBytes))
        var cost = PathSearchCost()
        let error = #expect(throws: CertificateValidationError.self) { try pki.validator().validate(presented, cost: &cost) }
        #expect(error?.reason == .badSignature)
        #expect(cost.signatureVerifications <= PathValidator.maximumSignatureVerifications)
        #expect(cost.candidateEvaluations <= PathValidator.searchBudget)
        #expect(Self.total(cost) <= 1_001 + PathValidator.searchBudget + PathValidator.maximumSignatureVerifications, "\(cost)")
    }

    @Test func legitimateChainsStillBuildWithNoise() throws {
        let pki = try TestPKI.shared.get()
        // The right intermediate hidden after 500 look-alikes with its subject name.
        let noise = ReviewCertificates.chainBomb(500, issuer: pki.intermediate.subject.encodedBytes).pool
        let presented = try [pki.server] + noise.map { try Certificate(derEncoded: $0) } + [pki.intermediate]
        var cost = PathSearchCost()
        let chain = try pki.validator().validate(presented, cost: &cost)
        #expect(chain.certificates == [pki.server, pki.intermediate, pki.root])
        #expect(cost.signatureVerifications <= PathValidator.maximumSignatureVerifications)
    }
}

/// Review finding F11 (`make_ext_bomb.py`): the duplicate-extension check is linear.
@Suite struct ExtensionBombTests {
    @Test func fifteenThousandExtensionsParse() throws {
        let der = ReviewCertificates.extensionBomb(15_800)
        #expect(der.count > 120_000 && der.count < 131_072)  // the review's 127 KB certificate
        let cert = try Certificate(derEncoded: der)
        #expect(cert.extensions.all.count == 15_800)
        #expect(Set(cert.extensions.all.map(\.oid)).count == 15_800)
    }

    @Test func aDuplicateIsStillRefused() {
        let ext = ReviewCertificates.tlv(0x30, ReviewCertificates.tlv(0x06, [0x2A, 0x03]) + ReviewCertificates.octet([]))
        let other = ReviewCertificates.tlv(0x30, ReviewCertificates.tlv(0x06, [0x2A, 0x04]) + ReviewCertificates.octet([]))
        let der = ReviewCertificates.cert(ReviewCertificates.tbs(
            1, issuer: ReviewCertificates.name("X"), subject: ReviewCertificates.name("dup"),
            spki: ReviewCertificates.spkiRSA(ReviewCertificates.modulus(3, shift: 8)), extensions: [ext, other, ext]))
        let error = #expect(throws: X509Error.self) { try Certificate(derEncoded: der) }
        #expect(error?.code == .invalidExtension)
        #expect(error?.message.contains("appears twice") == true)
    }
}

/// Review finding F12 (`make_log_injection.py`): printed names never carry a control character.
@Suite struct ControlCharacterTests {
    @Test func forgedLogLineStaysOnOneLine() throws {
        let pki = try TestPKI.shared.get()
        let leaf = try Certificate(derEncoded: ReviewCertificates.logInjectionLeaf())
        let error = #expect(throws: CertificateValidationError.self) { try pki.validator().validate([leaf]) }
        #expect(error?.reason == .unknownIssuer)
        let text = "\(String(describing: error)) \(error?.message ?? "")"
        #expect(!text.contains("\n") && !text.contains("\r"))
        #expect(text.contains("CN=Evil CA\\0A127.0.0.1:4242: handshake"))
        #expect(leaf.issuer.description == "CN=" + ReviewCertificates.forgedIssuerName.replacingOccurrences(of: "\n", with: "\\0A")
            .replacingOccurrences(of: "\"", with: "\\\""))
    }

    @Test func c0DelAndC1AreHexPairs() {
        let name = DistinguishedName([.commonName("a\u{0}b\u{7}c\u{1B}d\u{7F}e\u{85}f\u{9F}g\u{A0}h")])
        #expect(name.description == "CN=a\\00b\\07c\\1Bd\\7Fe\\C2\\85f\\C2\\9Fg\u{A0}h")
        #expect("tab\there".escapingControlCharacters == "tab\\09here")
        #expect("a\u{2028}b".escapingControlCharacters == "a\\E2\\80\\A8b")
        #expect("plain é".escapingControlCharacters == "plain é")
        // OpenSSL's oneline form already wrote controls and non-ASCII bytes as \XX.
        #expect(name.opensslDescription == "CN = a\\00b\\07c\\1Bd\\7Fe\\C2\\85f\\C2\\9Fg\\C2\\A0h")
    }

    @Test func subjectAltNamesAndSubtreesAreEscaped() {
        #expect(GeneralName.dnsName("a\nb").description == "DNS:a\\0Ab")
        #expect(GeneralName.email("x\r@y").description == "email:x\\0D@y")
        #expect(GeneralName.uri("http://h/\u{1B}[2J").description == "URI:http://h/\\1B[2J")
        #expect(GeneralName.directoryName(DistinguishedName([.commonName("n\nm")])).description == "DirName:/CN=n\\0Am")
        #expect(NameConstraints.Subtree.dnsName("a\nb").description == "DNS:a\\0Ab")
    }
}
