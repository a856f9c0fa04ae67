import CryptoPrimitives

/// The mutable heart of a ``RecordLayer``: preallocated buffers and the connection states.
/// ``RecordLayer`` copies it before mutating when it is shared (copy-on-write), so it has
/// one writer at a time.
@safe final class RecordLayerStorage: @unchecked Sendable {
    // @unchecked: only mutated through a RecordLayer that checked isKnownUniquelyReferenced.
    /// Network bytes not yet consumed as records.
    var input: ByteQueue
    /// Sealed records not yet taken by the caller.
    var output: ByteQueue
    /// Where DEFLATE records are inflated (2^14 + 1 bytes, so one byte too many is seen) and
    /// the scratch space of the copying send path; taken on first use, see ``inflated``.
    private var scratch: UnsafeMutableRawBufferPointer?
    /// Current and pending states (RFC 2246 §6.1).
    var read = DirectionState()
    var write = DirectionState()
    var pendingRead: DirectionState?
    var pendingWrite: DirectionState?

    /// Room for two of the largest records in each direction, taken when data first flows.
    init() {
        input = ByteQueue(capacity: 2 * RecordLimits.maxRecord)
        output = ByteQueue(capacity: 2 * RecordLimits.maxRecord)
    }

    /// The inflate/scratch buffer, 2^14 + 1 bytes, allocated on first use.
    var inflated: UnsafeMutableRawBufferPointer {
        if let scratch = unsafe scratch { return unsafe scratch }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: RecordLimits.maxPlaintext + 1, alignment: 16)
        unsafe scratch = unsafe buffer
        return unsafe buffer
    }

    /// Gives back the buffers that hold nothing (an idle connection): wiped, then freed.
    func releaseIdleBuffers() {
        input.releaseIfEmpty()
        output.releaseIfEmpty()
        if let buffer = unsafe scratch {
            unsafe SecureMemory.wipe(buffer)
            unsafe buffer.deallocate()
            unsafe scratch = nil
        }
    }

    private init(copying other: RecordLayerStorage) {
        input = other.input.copy()
        output = other.output.copy()
        read = other.read.copy()
        write = other.write.copy()
        pendingRead = other.pendingRead?.copy()
        pendingWrite = other.pendingWrite?.copy()
    }

    /// A deep copy.
    func copy() -> RecordLayerStorage { RecordLayerStorage(copying: self) }

    deinit {
        input.release()
        output.release()
        if let buffer = unsafe scratch {
            unsafe SecureMemory.wipe(buffer)
            unsafe buffer.deallocate()
        }
    }
}
