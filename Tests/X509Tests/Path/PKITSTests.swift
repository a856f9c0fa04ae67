import Foundation
import Testing
import TestSupport
@testable import X509

/// NIST PKITS path validation (Vectors/x509/pkits/pkits_tests.json), core subset of
/// Vectors/README.md: no DSA, policies, revocation, or name constraints (47 tests).
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

        var isCore: Bool { !uses_dsa && !revocation_relevant && !policy_processing && section != "4.13" }
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
        #expect(Self.core.count == 47)
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
        ]
        let invalid = Self.core.filter { !$0.should_validate }
        #expect(invalid.count == expected.count)
        for test in invalid {
            guard case .failure(let error) = try Self.run(test) else { continue }
            #expect(error.reason == expected[test.test_number], "\(test.test_number) \(test.name): \(error)")
        }
    }
}

/// The other PKITS tests (CRLs, policies, name constraints, DSA) are outside this
/// validator's scope; they must still run without parse errors, and the agreement count
/// is printed for information.
@Suite struct PKITSOutsideScopeTests {
    @Test func everyChainRunsWithoutParseErrors() throws {
        let others = PKITSTests.all.filter { !$0.isCore }
        #expect(others.count == 249 - 47)
        var agree = 0
        for test in others {
            let result = try PKITSTests.run(test)
            if case .failure(let e) = result { #expect(e.reason != .malformedCertificate) }
            if (try? result.get()) != nil ? test.should_validate : !test.should_validate { agree += 1 }
        }
        print("PKITS outside the core subset: \(agree) of \(others.count) give the PKITS result without CRL/policy/name-constraint processing")
    }
}
