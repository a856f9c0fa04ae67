import CLibCrypto
import CryptoPrimitives

/// AES-CBC: libcrypto's raw EVP AES-CBC (AES-NI where the CPU has it; one context keyed once,
/// chaining kept inside it, padding off) in both directions, and our `AESCBC` over it. CBC
/// decryption runs blocks in parallel and is several times faster than encryption, so record
/// open is compared with raw decryption and seal with raw encryption.
func aesPrimitiveCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    for size in benchmarkSizes {
        for bits in [128, 256] {
            cases += [rawAES(bits, size, encrypt: true), rawAES(bits, size, encrypt: false), oursAES(bits, size)]
        }
        cases.append(rawCopy(size))
    }
    return cases
}

/// A plain copy of `size` bytes: the record-open benchmarks restore the ciphertext with one
/// before each in-place open, so their baseline includes it too.
private func rawCopy(_ size: Int) -> BenchmarkCase {
    let source = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 48, alignment: 16)  // about one record
    source.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let target = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 48, alignment: 16)  // about one record
    return BenchmarkCase(group: "primitives", name: rawName("copy", size), bytesPerOperation: size) { n in
        for _ in 0..<n { target.copyMemory(from: UnsafeRawBufferPointer(source)) }
    }
}

/// The raw baseline name of AES-`bits`-CBC in one direction.
func rawAESName(_ bits: Int, _ size: Int, encrypt: Bool) -> String {
    rawName("AES-\(bits)-CBC" + (encrypt ? "" : " decrypt"), size)
}

private func rawAES(_ bits: Int, _ size: Int, encrypt: Bool) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let key = [UInt8](repeating: 0x23, count: bits / 8)
    let iv = [UInt8](repeating: 0x42, count: 16)
    let ctx = EVP_CIPHER_CTX_new()
    let cipher = bits == 128 ? EVP_aes_128_cbc() : EVP_aes_256_cbc()
    EVP_CipherInit_ex(ctx, cipher, nil, key, iv, encrypt ? 1 : 0)
    EVP_CIPHER_CTX_set_padding(ctx, 0)
    return BenchmarkCase(group: "primitives", name: rawAESName(bits, size, encrypt: encrypt), bytesPerOperation: size) { n in
        let p = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written: Int32 = 0
        for _ in 0..<n { EVP_CipherUpdate(ctx, p, &written, p, Int32(size)) }
    }
}

private func oursAES(_ bits: Int, _ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let cipher = try! AESCBC(key: [UInt8](repeating: 0x23, count: bits / 8))  // fixed valid length
    var iv = CBCIV(byteCount: 16)
    return BenchmarkCase(
        group: "primitives", name: "AESCBC-\(bits).encrypt \(sizeLabel(size))", bytesPerOperation: size,
        baselines: [rawAESName(bits, size, encrypt: true)], mustNotAllocate: true
    ) { n in
        for _ in 0..<n { cipher.encrypt(buffer, iv: &iv) }
    }
}
