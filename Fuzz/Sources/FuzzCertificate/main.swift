import FuzzSupport
import X509

/// The DER reader and the X.509 certificate parser: any bytes parse or throw an
/// X509Error; a parsed certificate can be printed and validated against itself as a
/// trust root without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DER.parse(bytes)
    guard let cert = try? Certificate(derEncoded: bytes) else { return 0 }
    _ = cert.textSummary
    _ = try? cert.publicKeyInfo.rsaPublicKey()
    guard let policy = try? VerificationPolicy(secondsSince1970: Fixtures.now) else { return 0 }
    let validator = PathValidator(trustStore: TrustStore([cert]), policy: policy)
    _ = try? validator.validate([cert])
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { Fixtures.serverIdentity.map { [$0.certificate.derBytes] } ?? [] }
    return 0
}
