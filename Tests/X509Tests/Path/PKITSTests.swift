import Foundation
import Testing
import TestSupport
@testable import X509

/// NIST PKITS path validation (Vectors/x509/pkits/pkits_tests.json), core subset of
/// Vectors/README.md: no DSA, policies or revocation (47 tests), plus the 38 name-constraint
/// tests of section 4.13 (85 tests), each with NIST's published result.
@Suite struct PKITSTests {
    struct TestCase: Decodable, Sendable, CustomTestStringConvertible {
        var test_number: String
        var name: String
        var section: String
        var chain_root_first: [String]
        var should_validate: Bool
        var uses_dsa: Bool
        var revocation_relevant: Bool
        var policy_processing: Bool
        var testDescription: String { "\(test_number) \(name)" }

        var isCore: Bool { !uses_dsa && !revocation_relevant && !policy_processing }
    }

    struct File: Decodable { var count: Int; var tests: [TestCase] }

    static let all: [TestCase] = (try? Vectors.json(File.self, "x509/pkits/pkits_tests.json").tests) ?? []
    static let core: [TestCase] = all.filter(\.isCore)

    /// 2020-01-01T00:00:00Z, inside every PKITS validity period (2010–2030) that is meant to be valid.
    static let time = ASN1Time(year: 2020, month: 1, day: 1) ?? ASN1Time(secondsSince1970: 0)!

    static func certificate(_ name: String) throws -> Certificate {
        try Certificate(derEncoded: Array(Vectors.data("x509/pkits/certs/\(name)")))
    }

    static func run(_ test: TestCase) throws -> Result<ValidatedChain, CertificateValidationError> {
        let anchor = try certificate(test.chain_root_first[0])
        let presented = try test.chain_root_first.dropFirst().reversed().map(certificate)
        let validator = PathValidator(trustStore: TrustStore([anchor]), policy: VerificationPolicy(time: time))
        return Result { () throws(CertificateValidationError) in try validator.validate(presented) }
    }

    @Test func vectorFileLoads() throws {
        let file = try Vectors.json(File.self, "x509/pkits/pkits_tests.json")
        #expect(file.count == 249 && file.tests.count == 249)
        #expect(Self.core.count == 85)
        #expect(Self.core.filter { $0.section == "4.13" }.count == 38)
    }

    @Test(arguments: core)
    func coreSubset(_ test: TestCase) throws {
        let result = try Self.run(test)
        switch result {
        case .success:
            #expect(test.should_validate, "\(test.test_number) validated but PKITS expects a failure")
        case .failure(let error):
            #expect(!test.should_validate, "\(test.test_number) failed: \(error)")
        }
    }

    /// The expected reason for each invalid core test, so that failures happen for the
    /// right cause and not by accident.
    @Test func coreFailureReasons() throws {
        let expected: [String: CertificateValidationError.Reason] = [
            "4.1.2": .badSignature, "4.1.3": .badSignature,
            "4.2.1": .notYetValid, "4.2.2": .notYetValid, "4.2.5": .expired,
            "4.2.6": .expired, "4.2.7": .expired,
            "4.3.1": .unknownIssuer, "4.3.2": .unknownIssuer,
            "4.5.8": .notACA,  // the CRL-signing certificate has no basicConstraints (nor keyCertSign)
            "4.6.1": .notACA, "4.6.2": .notACA, "4.6.3": .notACA,
            "4.6.5": .pathLengthExceeded, "4.6.6": .pathLengthExceeded,
            "4.6.9": .pathLengthExceeded, "4.6.10": .pathLengthExceeded, "4.6.11": .pathLengthExceeded,
            "4.6.12": .pathLengthExceeded, "4.6.16": .pathLengthExceeded,
            "4.7.1": .keyUsage, "4.7.2": .keyUsage,
            "4.16.2": .unhandledCriticalExtension,
            // 4.13: every invalid name-constraint test fails at the end entity for its names.
            "4.13.2": .nameConstraints, "4.13.3": .nameConstraints, "4.13.7": .nameConstraints,
            "4.13.8": .nameConstraints, "4.13.9": .nameConstraints, "4.13.10": .nameConstraints,
            "4.13.12": .nameConstraints, "4.13.13": .nameConstraints, "4.13.15": .nameConstraints,
            "4.13.16": .nameConstraints, "4.13.17": .nameConstraints, "4.13.20": .nameConstraints,
            "4.13.22": .nameConstraints, "4.13.24": .nameConstraints, "4.13.26": .nameConstraints,
            "4.13.28": .nameConstraints, "4.13.29": .nameConstraints, "4.13.31": .nameConstraints,
            "4.13.33": .nameConstraints, "4.13.35": .nameConstraints, "4.13.37": .nameConstraints,
            "4.13.38": .nameConstraints,
        ]
        let invalid = Self.core.filter { !$0.should_validate }
        #expect(invalid.count == expected.count)
        for test in invalid {
            guard case .failure(let error) = try Self.run(test) else { continue }
            #expect(error.reason == expected[test.test_number], "\(test.test_number) \(test.name): \(error)")
            if test.section == "4.13" { #expect(error.depth == 0, "\(test.test_number): \(error)") }
        }
    }
}

/// The other PKITS tests (CRLs, policies, DSA) are outside this
/// validator's scope; they must still run without parse errors, and the agreement count
/// is printed for information.
@Suite struct PKITSOutsideScopeTests {
    @Test func everyChainRunsWithoutParseErrors() throws {
        let others = PKITSTests.all.filter { !$0.isCore }
        #expect(others.count == 249 - 85)
        var agree = 0
        var wronglyAccepted: [String] = []
        for test in others {
            let result = try PKITSTests.run(test)
            if case .failure(let e) = result { #expect(e.reason != .malformedCertificate) }
            let accepted = (try? result.get()) != nil
            if accepted == test.should_validate { agree += 1 } else if accepted { wronglyAccepted.append(test.test_number) }
        }
        print("PKITS outside the core subset: \(agree) of \(others.count) give the PKITS result without CRL/policy processing")
        print("accepted although PKITS expects a failure (all need CRLs or policy processing): \(wronglyAccepted.joined(separator: " "))")
        // Without CRLs and policies, the only unsafe outcomes must come from those sections.
        let sections = Set(others.filter { wronglyAccepted.contains($0.test_number) }.map { $0.revocation_relevant || $0.policy_processing })
        #expect(sections.isSubset(of: [true]))
    }
}
