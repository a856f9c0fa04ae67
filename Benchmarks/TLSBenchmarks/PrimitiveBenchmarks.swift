import CLibCrypto
import CryptoPrimitives

/// Buffer sizes every throughput case runs at.
let benchmarkSizes = [16384, 4096, 1024, 256]

/// The raw libcrypto baselines and our Swift wrappers over them (issue: foundation).
func primitiveCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    for size in benchmarkSizes {
        cases += [
            rawTripleDES(size), rawDES(size), rawSHA1(size), rawHMACSHA1(size),
            oursTripleDES(size), oursSHA1(size), oursHMACSHA1(size),
        ]
    }
    return cases
}

/// Name of the raw baseline case for an algorithm at a size; record cases use these.
func rawName(_ algorithm: String, _ size: Int) -> String {
    "raw \(algorithm) \(sizeLabel(size))"
}

private func rawTripleDES(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    var k1 = DES_key_schedule(), k2 = DES_key_schedule(), k3 = DES_key_schedule()
    var key = DES_cblock(1, 35, 69, 103, 137, 171, 205, 239)
    DES_set_key_unchecked(&key, &k1)
    DES_set_key_unchecked(&key, &k2)
    DES_set_key_unchecked(&key, &k3)
    var iv = DES_cblock(0, 0, 0, 0, 0, 0, 0, 0)
    return BenchmarkCase(group: "primitives", name: rawName("3DES-CBC", size), bytesPerOperation: size) { n in
        let p = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for _ in 0..<n { DES_ede3_cbc_encrypt(p, p, size, &k1, &k2, &k3, &iv, DES_ENCRYPT) }
    }
}

private func rawDES(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    var k1 = DES_key_schedule()
    var key = DES_cblock(1, 35, 69, 103, 137, 171, 205, 239)
    DES_set_key_unchecked(&key, &k1)
    var iv = DES_cblock(0, 0, 0, 0, 0, 0, 0, 0)
    return BenchmarkCase(group: "primitives", name: rawName("DES-CBC", size), bytesPerOperation: size) { n in
        let p = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for _ in 0..<n { DES_ncbc_encrypt(p, p, size, &k1, &iv, DES_ENCRYPT) }
    }
}

private func rawSHA1(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    var digest = [UInt8](repeating: 0, count: 20)
    return BenchmarkCase(group: "primitives", name: rawName("SHA-1", size), bytesPerOperation: size) { n in
        var ctx = SHA_CTX()
        for _ in 0..<n {
            SHA1_Init(&ctx)
            SHA1_Update(&ctx, buffer.baseAddress, size)
            SHA1_Final(&digest, &ctx)
        }
    }
}

private func rawHMACSHA1(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let key = [UInt8](repeating: 0x0B, count: 20)
    let ctx = HMAC_CTX_new()
    HMAC_Init_ex(ctx, key, Int32(key.count), EVP_sha1(), nil)
    var mac = [UInt8](repeating: 0, count: 20)
    var macLength: UInt32 = 0
    return BenchmarkCase(group: "primitives", name: rawName("HMAC-SHA1", size), bytesPerOperation: size) { n in
        for _ in 0..<n {
            // A nil key reuses the prepared key, so this is libcrypto's best case.
            HMAC_Init_ex(ctx, nil, 0, nil, nil)
            HMAC_Update(ctx, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), size)
            HMAC_Final(ctx, &mac, &macLength)
        }
    }
}

private func oursTripleDES(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let cipher = try! TripleDESCBC(key: [UInt8](repeating: 0x23, count: 24))  // fixed valid length
    var iv = CBCIV()
    return BenchmarkCase(
        group: "primitives", name: "TripleDESCBC.encrypt \(sizeLabel(size))", bytesPerOperation: size,
        baselines: [rawName("3DES-CBC", size)]
    ) { n in
        for _ in 0..<n { cipher.encrypt(buffer, iv: &iv) }
    }
}

private func oursSHA1(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 20, alignment: 16)
    return BenchmarkCase(
        group: "primitives", name: "SHA1 \(sizeLabel(size))", bytesPerOperation: size,
        baselines: [rawName("SHA-1", size)]
    ) { n in
        for _ in 0..<n {
            var h = SHA1()
            h.update(UnsafeRawBufferPointer(buffer))
            h.finalize(into: out)
        }
    }
}

private func oursHMACSHA1(_ size: Int) -> BenchmarkCase {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
    let out = UnsafeMutableRawBufferPointer.allocate(byteCount: 20, alignment: 16)
    let hmac = HMAC<SHA1>(key: [UInt8](repeating: 0x0B, count: 20))
    return BenchmarkCase(
        group: "primitives", name: "HMAC<SHA1> \(sizeLabel(size))", bytesPerOperation: size,
        baselines: [rawName("HMAC-SHA1", size)]
    ) { n in
        for _ in 0..<n {
            var c = hmac.begin()
            c.update(UnsafeRawBufferPointer(buffer))
            c.finalize(into: out)
        }
    }
}
