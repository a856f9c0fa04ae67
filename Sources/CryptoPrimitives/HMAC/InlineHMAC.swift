/// HMAC (RFC 2104) whose two key-derived hash states are held inline instead of in a shared
/// heap object: no allocation and no reference counting, for short-lived keys such as the
/// TLS PRF's. It cannot be copied (so the key states exist once), and the owner wipes them
/// with ``wipe()`` when done (a noncopyable struct's `deinit` cannot write its own storage).
///
/// ``HMAC`` stays the choice for a key kept and shared (a record layer's MAC key).
public struct InlineHMAC<H: HashFunction>: ~Copyable, Sendable {
    @usableFromInline var inner: H
    @usableFromInline var outer: H

    /// Prepares a key. Keys longer than the hash block are hashed first (RFC 2104 §2).
    @inlinable
    public init(key: UnsafeRawBufferPointer) {
        (inner, outer) = unsafe HMAC<H>.padStates(key: key)
    }

    /// Writes the MAC of `first ‖ second` to the first `H.digestByteCount` bytes of
    /// `output`, allocation-free. `output` may overlap the inputs: they are absorbed before
    /// anything is written.
    ///
    /// - Precondition: `output.count >= H.digestByteCount` (caller misuse otherwise).
    @inlinable
    public func authenticationCode(
        of first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        var i = inner
        unsafe i.update(first)
        unsafe i.update(second)
        unsafe i.finalize(into: output)
        var o = outer
        unsafe o.update(UnsafeRawBufferPointer(rebasing: output[0..<H.digestByteCount]))
        unsafe o.finalize(into: output)
    }

    /// Overwrites both key states with zeros; the value computes garbage afterwards.
    @inlinable
    public mutating func wipe() {
        SecureMemory.wipe(value: &inner)
        SecureMemory.wipe(value: &outer)
    }
}
