import CryptoPrimitives

/// The bulk cipher of a ``RecordProtection`` with its key schedule, in place or out of place.
enum RecordCipher: Sendable {
    case none
    case des(DESCBC)
    case tripleDES(TripleDESCBC)
    case aes(AESCBC)

    /// Encrypts `buffer` in place (a whole number of blocks).
    func encrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        unsafe encrypt(UnsafeRawBufferPointer(buffer), into: buffer, iv: &iv)
    }

    /// Encrypts `input` into `output` (the same bytes, or not overlapping).
    func encrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        switch self {
        case .none: break
        case .des(let c): unsafe c.encrypt(input, into: output, iv: &iv)
        case .tripleDES(let c): unsafe c.encrypt(input, into: output, iv: &iv)
        case .aes(let c): unsafe c.encrypt(input, into: output, iv: &iv)
        }
    }

    /// Decrypts `input` into `output` (the same bytes, or not overlapping).
    func decrypt(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
        switch self {
        case .none: break
        case .des(let c): unsafe c.decrypt(input, into: output, iv: &iv)
        case .tripleDES(let c): unsafe c.decrypt(input, into: output, iv: &iv)
        case .aes(let c): unsafe c.decrypt(input, into: output, iv: &iv)
        }
    }
}
