import FuzzSupport
import X509

/// PEM and private-key parsers, plain and encrypted (password "fuzz-password" given):
/// the bytes as PEM text (every document, then as an RSA private key or public key) and
/// as DER (PKCS#1, PKCS#8, EncryptedPrivateKeyInfo). Never a trap; a wrong password or
/// broken key is an X509Error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let password: RSAPrivateKey.PasswordProvider = { "fuzz-password" }
    if let text = String(validating: bytes, as: UTF8.self) {
        _ = try? PEMDocument.parseAll(text)
        _ = try? RSAPrivateKey(pemEncoded: text, password: password)
        _ = try? RSAPrivateKey(pemEncoded: text)
        _ = try? RSAPublicKey(pemEncoded: text)
    }
    _ = try? RSAPrivateKey(derEncoded: bytes, password: password)
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { Fixtures.pemSeeds() }
    return 0
}
