import CGMP

/// An arbitrary-precision non-negative integer on GMP, for RSA.
///
/// A value type over a ``BigIntStorage`` box that owns the `mpz_t` (the layout of
/// swift-crypto's `ArbitraryPrecisionInteger`): copies share the box until one of them is
/// written (copy-on-write), and the box wipes the limbs when the last copy goes away.
///
/// Operations whose timing may depend on secret values are named as such: use
/// ``secretPower(_:modulus:)`` (GMP's `mpz_powm_sec`) for private exponents. The other
/// operations are variable-time and are meant for public or blinded values.
package struct BigInt: Sendable {
    @usableFromInline
    var storage: BigIntStorage

    /// Zero.
    package init() {
        storage = BigIntStorage()
    }

    /// The value of a machine word.
    package init(_ value: UInt) {
        storage = BigIntStorage()
        unsafe __gmpz_set_ui(storage.pointer, value)
    }

    /// The value of big-endian unsigned bytes (leading zeros allowed; empty is zero).
    package init(bigEndian bytes: [UInt8]) {
        storage = BigIntStorage()
        guard !bytes.isEmpty else { return }
        let target = unsafe storage.pointer
        unsafe bytes.withUnsafeBytes { raw in
            unsafe __gmpz_import(target, raw.count, 1, 1, 1, 0, raw.baseAddress)
        }
    }

    private init(storage: BigIntStorage) {
        self.storage = storage
    }

    // MARK: Access

    /// Calls `body` with read-only access to the `mpz_t`.
    package func withUnsafeMPZ<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try unsafe body(UnsafePointer(storage.pointer))
    }

    /// Calls `body` with write access to the `mpz_t`, copying the storage first if shared.
    package mutating func withUnsafeMutableMPZ<R>(
        _ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            storage = BigIntStorage(copying: storage)
        }
        return try unsafe body(storage.pointer)
    }

    /// A fresh value computed by `body` writing into a new `mpz_t`.
    static func computing(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let s = BigIntStorage()
        unsafe body(s.pointer)
        return BigInt(storage: s)
    }

    // MARK: Properties

    /// Whether the value is zero.
    package var isZero: Bool { unsafe cgmp_sgn(storage.pointer) == 0 }

    /// Whether the value is odd.
    package var isOdd: Bool { unsafe cgmp_odd_p(storage.pointer) != 0 }

    /// Whether the value is negative (only differences can be).
    package var isNegative: Bool { unsafe cgmp_sgn(storage.pointer) < 0 }

    /// The number of significant bits (0 for zero).
    package var bitWidth: Int {
        isZero ? 0 : Int(unsafe __gmpz_sizeinbase(storage.pointer, 2))
    }

    /// The number of bytes of the minimal big-endian encoding (0 for zero).
    package var byteWidth: Int { (bitWidth + 7) / 8 }

    /// The number of trailing zero bits (0 for zero).
    package var trailingZeroBitCount: Int {
        isZero ? 0 : Int(unsafe __gmpz_scan1(storage.pointer, 0))
    }

    /// Whether `self` equals the machine word `value`.
    package func equals(_ value: UInt) -> Bool {
        unsafe cgmp_cmp_ui(storage.pointer, value) == 0
    }

    // MARK: Conversions

    /// The minimal big-endian bytes of the magnitude (empty for zero).
    package var bigEndianBytes: [UInt8] {
        bigEndianBytes(count: byteWidth) ?? []
    }

    /// The magnitude as exactly `count` big-endian bytes, left-padded with zeros;
    /// nil when it does not fit (the fixed-width form RSA needs, RFC 8017 I2OSP).
    package func bigEndianBytes(count: Int) -> [UInt8]? {
        let width = byteWidth
        guard width <= count else { return nil }
        var out = [UInt8](repeating: 0, count: count)
        guard width > 0 else { return out }
        let source = unsafe storage.pointer
        unsafe out.withUnsafeMutableBytes { raw in
            var written = 0
            let start = unsafe raw.baseAddress.map { unsafe $0 + (count - width) }
            _ = unsafe __gmpz_export(start, &written, 1, 1, 1, 0, source)
        }
        return out
    }

    // MARK: Arithmetic (variable time)

    /// `lhs + rhs`.
    package static func + (lhs: BigInt, rhs: BigInt) -> BigInt {
        unsafe computing { r in unsafe __gmpz_add(r, lhs.storage.pointer, rhs.storage.pointer) }
    }

    /// `lhs - rhs` (may be negative).
    package static func - (lhs: BigInt, rhs: BigInt) -> BigInt {
        unsafe computing { r in unsafe __gmpz_sub(r, lhs.storage.pointer, rhs.storage.pointer) }
    }

    /// `lhs - rhs` for a machine word.
    package static func - (lhs: BigInt, rhs: UInt) -> BigInt {
        unsafe computing { r in unsafe __gmpz_sub_ui(r, lhs.storage.pointer, rhs) }
    }

    /// `lhs * rhs`.
    package static func * (lhs: BigInt, rhs: BigInt) -> BigInt {
        unsafe computing { r in unsafe __gmpz_mul(r, lhs.storage.pointer, rhs.storage.pointer) }
    }

    /// `lhs >> bits`.
    package static func >> (lhs: BigInt, bits: Int) -> BigInt {
        unsafe computing { r in unsafe __gmpz_fdiv_q_2exp(r, lhs.storage.pointer, mp_bitcnt_t(max(0, bits))) }
    }

    /// The non-negative remainder of `self` divided by `modulus` (nil for a zero modulus).
    package func modulo(_ modulus: BigInt) -> BigInt? {
        guard !modulus.isZero else { return nil }
        return unsafe BigInt.computing { r in unsafe __gmpz_mod(r, storage.pointer, modulus.storage.pointer) }
    }

    /// `self / divisor` when `divisor` divides `self` exactly; nil otherwise.
    package func dividedExactly(by divisor: BigInt) -> BigInt? {
        guard let remainder = modulo(divisor), remainder.isZero else { return nil }
        return unsafe BigInt.computing { r in
            unsafe __gmpz_divexact(r, storage.pointer, divisor.storage.pointer)
        }
    }

    /// `self^exponent mod modulus` with GMP's variable-time `mpz_powm`; for public
    /// exponents only. Nil for a zero modulus.
    package func power(_ exponent: BigInt, modulus: BigInt) -> BigInt? {
        guard !modulus.isZero, !exponent.isNegative else { return nil }
        return unsafe BigInt.computing { r in
            unsafe __gmpz_powm(r, storage.pointer, exponent.storage.pointer, modulus.storage.pointer)
        }
    }

    /// `self^exponent mod modulus` with `mpz_powm_sec`, whose time and memory access
    /// pattern do not depend on the exponent or base; for private exponents. GMP requires
    /// an odd modulus and a positive exponent; nil otherwise.
    package func secretPower(_ exponent: BigInt, modulus: BigInt) -> BigInt? {
        guard modulus.isOdd, !exponent.isZero, !exponent.isNegative else { return nil }
        return unsafe BigInt.computing { r in
            unsafe __gmpz_powm_sec(r, storage.pointer, exponent.storage.pointer, modulus.storage.pointer)
        }
    }

    /// The inverse of `self` modulo `modulus`, or nil when none exists.
    package func inverse(modulus: BigInt) -> BigInt? {
        guard !modulus.isZero else { return nil }
        var exists: Int32 = 0
        let r = unsafe BigInt.computing { r in
            exists = unsafe __gmpz_invert(r, storage.pointer, modulus.storage.pointer)
        }
        return exists != 0 ? r : nil
    }

    /// The greatest common divisor of `a` and `b`.
    package static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        unsafe computing { r in unsafe __gmpz_gcd(r, a.storage.pointer, b.storage.pointer) }
    }

    /// Whether the value is probably prime: GMP's trial divisions, a Baillie-PSW test and
    /// `rounds` Miller-Rabin rounds with GMP's internal bases (`mpz_probab_prime_p`).
    package func isProbablePrime(rounds: Int) -> Bool {
        unsafe __gmpz_probab_prime_p(storage.pointer, Int32(rounds)) > 0
    }
}

extension BigInt: Comparable {
    /// Compares the values (variable time).
    package static func == (lhs: BigInt, rhs: BigInt) -> Bool {
        unsafe __gmpz_cmp(lhs.storage.pointer, rhs.storage.pointer) == 0
    }

    /// Orders the values (variable time).
    package static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        unsafe __gmpz_cmp(lhs.storage.pointer, rhs.storage.pointer) < 0
    }
}
