import CLibCrypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A source of random bytes, injected into everything that needs randomness so that
/// tests can run deterministically (STYLE.md §2).
public protocol RandomSource: Sendable {
    /// Fills `buffer` with random bytes.
    func fill(_ buffer: UnsafeMutableRawBufferPointer)
}

extension RandomSource {
    /// `count` random bytes.
    public func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        unsafe out.withUnsafeMutableBytes { unsafe fill($0) }
        return out
    }
}

/// The operating system's CSPRNG (`getrandom(2)` on Linux, `arc4random_buf` on Darwin).
public struct SystemRandom: RandomSource {
    /// The system random source.
    public init() {}

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard var p = buffer.baseAddress else { return }
        #if canImport(Darwin)
        unsafe arc4random_buf(p, buffer.count)
        #else
        var left = buffer.count
        while left > 0 {
            let n = unsafe getrandom(p, left, 0)
            if n < 0 {
                // EINTR is retried; anything else means the kernel has no entropy source at
                // all, and continuing without randomness would be a silent security failure.
                if errno == EINTR { continue }
                fatalError("getrandom failed with errno \(errno): no secure random source")
            }
            unsafe p += n
            left -= n
        }
        #endif
    }
}

/// A deterministic generator for tests and reproducible benchmarks: SHA-256 in counter
/// mode over a seed. **Never use it for real keys.**
public final class DeterministicRandom: RandomSource {
    private let state: Mutex<(seed: [UInt8], counter: UInt64)>

    /// A generator whose whole output is fixed by `seed`.
    public init(seed: [UInt8]) {
        state = Mutex((seed, 0))
    }

    /// A generator seeded from a small integer.
    public convenience init(seed: UInt64) {
        self.init(seed: unsafe withUnsafeBytes(of: seed.littleEndian) { unsafe Array($0) })
    }

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        state.withLock { s in
            var offset = 0
            while offset < buffer.count {
                var h = SHA256()
                h.update(s.seed)
                unsafe withUnsafeBytes(of: s.counter.littleEndian) { unsafe h.update($0) }
                s.counter &+= 1
                let block = h.finalize()
                let n = min(block.count, buffer.count - offset)
                for i in 0..<n { unsafe buffer[offset + i] = block[i] }
                offset += n
            }
        }
    }
}
