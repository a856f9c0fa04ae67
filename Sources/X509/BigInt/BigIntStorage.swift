import CGMP
import CryptoPrimitives

/// The heap box that owns one GMP integer (`mpz_t`) for ``BigInt``.
///
/// The `mpz_t` lives in memory allocated once per box, so its address never moves.
/// `deinit` overwrites the limbs with zeros before `mpz_clear`, and every block GMP frees
/// or reallocates is wiped too (the allocator installed by ``installWipingAllocator``).
@usableFromInline @safe
final class BigIntStorage: @unchecked Sendable {
    // @unchecked Sendable is safe: a storage is mutated only by the ``BigInt`` that holds
    // the sole reference to it (copy-on-write checks `isKnownUniquelyReferenced` before any
    // write, and results of operations are written into fresh storage before they are
    // shared). Once a storage is reachable from two values it is never written again, so
    // concurrent readers see an immutable `mpz_t`.

    /// The GMP integer; initialised in `init`, cleared in `deinit`.
    let pointer: UnsafeMutablePointer<__mpz_struct>

    /// A new integer with value zero.
    init() {
        Self.installWipingAllocator()
        unsafe pointer = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 1)
        unsafe __gmpz_init(pointer)
    }

    /// A new integer with the value of `other`.
    init(copying other: BigIntStorage) {
        Self.installWipingAllocator()
        unsafe pointer = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 1)
        unsafe __gmpz_init_set(pointer, other.pointer)
    }

    deinit {
        let limbs = unsafe pointer.pointee._mp_d
        let allocated = Int(unsafe pointer.pointee._mp_alloc)
        if let limbs = unsafe limbs, allocated > 0 {
            unsafe SecureMemory.wipe(UnsafeMutableRawBufferPointer(
                start: UnsafeMutableRawPointer(limbs),
                count: allocated * MemoryLayout<mp_limb_t>.stride))
        }
        unsafe __gmpz_clear(pointer)
        unsafe pointer.deallocate()
    }

    /// Installs GMP's wiping allocator exactly once, before the first `mpz_init`
    /// (a global `let` is initialised once, thread-safely).
    @inline(__always)
    static func installWipingAllocator() {
        _ = wipingAllocatorInstalled
    }
}

/// Set up on first use: GMP's memory functions replaced by ones that wipe freed blocks.
private let wipingAllocatorInstalled: Bool = {
    cgmp_install_wiping_allocator()
    return true
}()
