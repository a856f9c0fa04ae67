import FuzzSupport
import X509

/// `PathValidator` with many presented certificates (review finding F1). Input: byte 0
/// chooses the verify depth (bits 3–7), the TLS server usage (bit 2), whether the last
/// certificate is also trusted (bit 1) and whether the second certificate is replicated
/// as look-alikes (bit 0: 4 × byte 1 copies differing in their last two signature bytes,
/// the chain-bomb shape); then certificates, each with a 2-byte length. The fixture's
/// self-signed certificate is always trusted. Invariant: the work the validator reports
/// stays within the certificates presented plus the fixed budgets of `PathValidator`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 4, let anchor = Fixtures.serverIdentity?.certificate,
        var policy = try? VerificationPolicy(secondsSince1970: Fixtures.now)
    else { return 0 }
    let mode = bytes[0]
    var certificates: [Certificate] = []
    var i = 2
    while i + 2 <= bytes.count {
        let n = Int(bytes[i]) << 8 | Int(bytes[i + 1])
        let end = min(i + 2 + n, bytes.count)
        if let c = try? Certificate(derEncoded: Array(bytes[(i + 2)..<end])) { certificates.append(c) }
        i = end
    }
    guard !certificates.isEmpty else { return 0 }
    if mode & 1 == 1, certificates.count >= 2 {
        let template = certificates[1].derBytes
        for k in 0..<(Int(bytes[1]) * 4) {
            var copy = template
            copy[copy.count - 2] = UInt8(k >> 8)
            copy[copy.count - 1] = UInt8(k & 0xFF)
            if let c = try? Certificate(derEncoded: copy) { certificates.append(c) }
        }
    }
    var trusted = [anchor]
    if mode & 2 == 2, let last = certificates.last { trusted.append(last) }
    policy.maximumDepth = Int(mode >> 3)
    if mode & 4 == 4 { policy.require(.rsaKeyExchangeServer) }
    var cost = PathSearchCost()
    _ = try? PathValidator(trustStore: TrustStore(trusted), policy: policy).validate(certificates, cost: &cost)
    if cost.certificatesIndexed > certificates.count { Fixtures.fatalFuzz("indexed \(cost)") }
    if cost.candidateEvaluations > PathValidator.searchBudget { Fixtures.fatalFuzz("search budget: \(cost)") }
    if cost.pathsChecked > cost.candidateEvaluations + 1 { Fixtures.fatalFuzz("paths: \(cost)") }
    // The path being checked when the signature budget runs out is finished.
    if cost.signatureVerifications > PathValidator.maximumSignatureVerifications + PathValidator.hardMaximumPathLength {
        Fixtures.fatalFuzz("signature budget: \(cost)")
    }
    if cost.nameConstraintComparisons > PathValidator.maximumNameConstraintComparisons { Fixtures.fatalFuzz("name constraints: \(cost)") }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested {
        guard let der = Fixtures.serverIdentity?.certificate.derBytes else { return [] }
        let prefixed = [UInt8(der.count >> 8), UInt8(der.count & 0xFF)] + der
        // The fixture as leaf and as a template of 1 000 look-alikes that name the anchor.
        return [[0x01, 250] + prefixed + prefixed, [0x00, 0] + prefixed]
    }
    return 0
}
