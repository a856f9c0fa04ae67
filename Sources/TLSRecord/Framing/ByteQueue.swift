import CryptoPrimitives

/// A growable byte queue on one heap block: bytes are appended at `end` and consumed from
/// `start`. Consumed space is reclaimed by moving the unread bytes to the front, so a queue
/// that is drained as fast as it is filled never allocates again (the record hot path).
///
/// The block is taken when the first bytes arrive, not before, and ``releaseIfEmpty()``
/// gives it back (wiped) when the queue is drained: an idle connection holds no buffer.
///
/// Invariant: `0 <= start <= end <= touched <= storage.count`.
@safe struct ByteQueue {
    private(set) var storage = unsafe UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private(set) var start = 0
    private(set) var end = 0
    /// `storage.count`, kept apart so size checks need no unsafe access.
    private(set) var capacity = 0
    /// The high-water mark of written bytes: only these need wiping.
    private var touched = 0
    /// The size of the block taken when bytes first arrive.
    let initialCapacity: Int

    /// An empty queue that takes `capacity` bytes when the first bytes arrive.
    init(capacity: Int) {
        initialCapacity = max(capacity, 64)
    }

    /// The number of unread bytes.
    var count: Int { end - start }

    /// The unread bytes, valid until the next mutation.
    var readable: UnsafeMutableRawBufferPointer {
        // Bounds: start <= end <= storage.count (invariant).
        unsafe UnsafeMutableRawBufferPointer(rebasing: storage[start..<end])
    }

    /// Makes room for at least `count` more bytes after `end`, then returns that space.
    mutating func reserve(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if capacity - end < count {
            compact()
            if capacity - end < count { grow(to: end + count) }
        }
        // Bounds: capacity - end >= count after the steps above. Callers write only the bytes
        // they then commit (a read(2), a sealed record), so `touched` follows `end`.
        return unsafe UnsafeMutableRawBufferPointer(rebasing: storage[end..<capacity])
    }

    /// Marks `count` bytes after `end` (written through ``reserve(_:)``) as readable.
    mutating func commit(_ count: Int) {
        precondition(count >= 0 && end + count <= capacity, "commit beyond reserved space")  // caller misuse
        end += count
        touched = max(touched, end)
    }

    /// Appends a copy of `bytes`.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let space = unsafe reserve(bytes.count)
        // Bounds: reserve returned at least bytes.count bytes.
        unsafe UnsafeMutableRawBufferPointer(rebasing: space[0..<bytes.count]).copyMemory(from: bytes)
        end += bytes.count
        touched = max(touched, end)
    }

    /// Wipes and frees the block if no unread bytes remain; the next append takes a new one.
    mutating func releaseIfEmpty() {
        guard count == 0, capacity > 0 else { return }
        release()
    }

    /// Drops `count` unread bytes from the front.
    mutating func consume(_ count: Int) {
        precondition(count >= 0 && count <= self.count, "consume beyond the queue")  // caller misuse
        start += count
        if start == end { start = 0; end = 0 }
    }

    /// A deep copy (copy-on-write of the owning storage).
    func copy() -> ByteQueue {
        var q = ByteQueue(capacity: initialCapacity)
        unsafe q.append(UnsafeRawBufferPointer(readable))
        return q
    }

    /// Wipes and frees the memory; the queue must not be used afterwards.
    mutating func release() {
        // Bounds: touched <= storage.count.
        unsafe SecureMemory.wipe(UnsafeMutableRawBufferPointer(rebasing: storage[0..<touched]))
        unsafe storage.deallocate()
        touched = 0
        unsafe storage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        capacity = 0
        start = 0
        end = 0
    }

    /// Moves the unread bytes to the front.
    private mutating func compact() {
        guard start > 0 else { return }
        let n = count
        if n > 0 {
            // Bounds: both ranges lie within storage; copyMemory handles overlap like memmove.
            unsafe UnsafeMutableRawBufferPointer(rebasing: storage[0..<n])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<end]))
        }
        start = 0
        end = n
    }

    /// Replaces the block by one of at least `minimum` bytes (doubling), keeping the bytes.
    private mutating func grow(to minimum: Int) {
        var newCapacity = max(capacity, initialCapacity)
        while newCapacity < minimum { newCapacity *= 2 }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: newCapacity, alignment: 16)
        // Bounds: end <= storage.count <= capacity.
        unsafe UnsafeMutableRawBufferPointer(rebasing: bigger[0..<end])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<end]))
        unsafe SecureMemory.wipe(UnsafeMutableRawBufferPointer(rebasing: storage[0..<touched]))
        unsafe storage.deallocate()
        unsafe storage = bigger
        capacity = newCapacity
        touched = end
    }
}
