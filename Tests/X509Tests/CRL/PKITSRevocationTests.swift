import Foundation
import Synchronization
import Testing
import TestSupport
@testable import X509

/// NIST PKITS sections 4.4 (Basic Certificate Revocation Tests) and 4.14 (Distribution
/// Points) with the CRLs PKITS lists for each path, checking the whole chain (PKITS
/// assumes every certificate's status is checked). Indirect CRLs (4.14.22–4.14.35 use
/// indirectCRL or cRLIssuer) are not supported: their "valid" cases must be refused with
/// that reason, never accepted.
@Suite struct PKITSRevocationTests {
    struct TestCase: Decodable, Sendable, CustomTestStringConvertible {
        var test_number: String
        var name: String
        var section: String
        var chain_root_first: [String]
        var crls: [String]
        var should_validate: Bool
        var testDescription: String { "\(test_number) \(name)" }
    }

    struct File: Decodable { var tests: [TestCase] }

    static let tests: [TestCase] = ((try? Vectors.json(File.self, "x509/pkits/pkits_tests.json").tests) ?? [])
        .filter { $0.section == "4.4" || $0.section == "4.14" }

    /// Tests that need indirect CRLs, which are refused (with a reason naming them).
    static let indirect: Set<String> = Set((22...35).map { "4.14.\($0)" })

    static func crl(_ name: String) throws -> CertificateRevocationList {
        try CertificateRevocationList(derEncoded: Array(Vectors.data("x509/pkits/crls/\(name)")))
    }

    static func run(_ test: TestCase, scope: RevocationPolicy.Scope = .chain) throws -> Result<ValidatedChain, CertificateValidationError> {
        let anchor = try PKITSTests.certificate(test.chain_root_first[0])
        let presented = try test.chain_root_first.dropFirst().reversed().map(PKITSTests.certificate)
        var policy = VerificationPolicy(time: PKITSTests.time)
        policy.revocation = RevocationPolicy(crls: try test.crls.map(crl), scope: scope)
        let validator = PathValidator(trustStore: TrustStore([anchor]), policy: policy)
        return Result { () throws(CertificateValidationError) in try validator.validate(presented) }
    }

    @Test func sectionsArePresent() {
        #expect(Self.tests.count == 21 + 35)
    }

    @Test(arguments: tests.filter { !indirect.contains($0.test_number) })
    func publishedResult(_ test: TestCase) throws {
        switch try Self.run(test) {
        case .success:
            #expect(test.should_validate, "\(test.test_number) validated but PKITS expects a failure")
        case .failure(let error):
            #expect(!test.should_validate, "\(test.test_number) failed: \(error)")
        }
    }

    @Test(arguments: tests.filter { indirect.contains($0.test_number) })
    func indirectCRLsAreRefused(_ test: TestCase) throws {
        let result = try Self.run(test)
        guard case .failure(let error) = result else {
            Issue.record("\(test.test_number) validated, but indirect CRLs are unsupported")
            return
        }
        if test.should_validate {
            #expect(error.reason == .revocationStatusUnknown)
            #expect(error.message.contains("indirect"), "\(error)")
        }
    }

    /// Each invalid test fails for its own cause.
    @Test func failureReasons() throws {
        let expected: [String: CertificateValidationError.Reason] = [
            "4.4.1": .revocationStatusUnknown, "4.4.2": .revoked, "4.4.3": .revoked,
            "4.4.4": .revocationStatusUnknown, "4.4.5": .revocationStatusUnknown, "4.4.6": .revocationStatusUnknown,
            "4.4.8": .revocationStatusUnknown, "4.4.9": .revocationStatusUnknown, "4.4.10": .revocationStatusUnknown,
            "4.4.11": .staleCRL, "4.4.12": .staleCRL, "4.4.15": .revoked, "4.4.18": .revoked,
            "4.4.20": .revoked, "4.4.21": .revocationStatusUnknown,  // 21: the CRL signer is revoked
            "4.14.2": .revoked, "4.14.3": .revocationStatusUnknown, "4.14.6": .revoked,
            "4.14.8": .revocationStatusUnknown, "4.14.9": .revocationStatusUnknown,
            "4.14.11": .revocationStatusUnknown, "4.14.12": .revocationStatusUnknown,
            "4.14.14": .revocationStatusUnknown, "4.14.15": .revoked, "4.14.16": .revoked,
            "4.14.17": .revocationStatusUnknown, "4.14.20": .revoked, "4.14.21": .revoked,
        ]
        for test in Self.tests where !test.should_validate && !Self.indirect.contains(test.test_number) {
            guard case .failure(let error) = try Self.run(test) else { continue }
            #expect(error.reason == expected[test.test_number], "\(test.test_number) \(test.name): \(error)")
        }
    }

    /// 4.4.2 revokes the intermediate CA: a leaf-only check (DCMTK `+crv`) does not see it,
    /// a whole-chain check (`+cra`) does.
    @Test func leafOnlyScopeChecksTheLeafOnly() throws {
        let test = try #require(Self.tests.first { $0.test_number == "4.4.2" })
        #expect((try? Self.run(test, scope: .leaf).get()) != nil)
        guard case .failure(let error) = try Self.run(test, scope: .chain) else {
            Issue.record("4.4.2 validated with whole-chain checking")
            return
        }
        #expect(error.reason == .revoked && error.depth == 1)
    }

    /// A stale CRL (4.4.11) is used, with a warning, when the policy says warn.
    @Test func staleCRLWarns() throws {
        let test = try #require(Self.tests.first { $0.test_number == "4.4.11" })
        let anchor = try PKITSTests.certificate(test.chain_root_first[0])
        let presented = try test.chain_root_first.dropFirst().reversed().map(PKITSTests.certificate)
        let warnings = WarningLog()
        var policy = VerificationPolicy(time: PKITSTests.time)
        policy.revocation = RevocationPolicy(crls: try test.crls.map(Self.crl), scope: .chain, staleCRL: .warn, onWarning: warnings.append)
        let chain = try PathValidator(trustStore: TrustStore([anchor]), policy: policy).validate(presented)
        #expect(chain.certificates.count == 3)
        #expect(warnings.lines.count == 1 && warnings.lines.first?.contains("stale") == true)
    }
}

/// Collects warnings from a `@Sendable` callback.
final class WarningLog: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    @Sendable func append(_ line: String) { storage.withLock { $0.append(line) } }
}
