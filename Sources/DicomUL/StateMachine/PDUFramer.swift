/// Frames the received byte stream into PDUs for ``ULConnection`` (PS3.8 §9.3.1: type,
/// reserved, 32-bit length), whatever the read boundaries, with each byte copied once.
///
/// Whole PDUs are kept in the chunks they arrived in and decoded in place: the PDV fragments
/// the machine hands out are slices of those chunks, so a consumer that keeps them (a
/// handler batching file writes) costs no copy of later bytes. The incomplete PDU at the end
/// of a read goes to a buffer of its own, sized for the whole PDU as soon as its header is in
/// (within the limits), so it never grows while it arrives. A header over the limits is
/// not waited for: ``frontHeader`` shows it at once and the machine fails it.
struct PDUFramer {
    /// Largest P-DATA-TF body accepted.
    let maximumDataPDULength: Int
    /// Largest body of any other PDU.
    let maximumControlPDULength: Int

    /// Chunks holding only whole PDUs, decoded front to back; `start` is the offset in the first.
    private var whole: [[UInt8]] = []
    private var start = 0
    /// The incomplete PDU at the end of what was received.
    private var partial: [UInt8] = []

    /// Largest buffer reserved on a PDU header's word (larger PDUs grow as they arrive).
    static let largestReservation = 1 << 20

    init(maximumDataPDULength: Int, maximumControlPDULength: Int) {
        self.maximumDataPDULength = maximumDataPDULength
        self.maximumControlPDULength = maximumControlPDULength
    }

    // MARK: Receiving

    /// Appends received bytes; an array that holds only whole PDUs is adopted, not copied.
    mutating func append(_ bytes: [UInt8]) {
        let adopted: Bool = unsafe bytes.withUnsafeBytes { raw in
            guard partial.isEmpty, unsafe wholePrefix(raw) == raw.count else { return false }
            return true
        }
        if adopted {
            if !bytes.isEmpty { whole.append(bytes) }
        } else {
            unsafe bytes.withUnsafeBytes { unsafe append($0) }
        }
    }

    /// Appends received bytes (copied once).
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var rest = unsafe bytes
        if !partial.isEmpty {
            let used = unsafe fillPartial(from: rest)
            // Bounds: fillPartial consumes at most rest.count bytes.
            unsafe rest = UnsafeRawBufferPointer(rebasing: rest[used...])
            guard partialIsWhole else { return }
            whole.append(partial)
            partial = []
        }
        let count = unsafe wholePrefix(rest)
        // Bounds: wholePrefix returns at most rest.count.
        if count > 0 { unsafe whole.append(Array(UnsafeRawBufferPointer(rebasing: rest[..<count]))) }
        guard count < rest.count else { return }
        // The rest starts an incomplete PDU (wholePrefix took every whole one).
        _ = unsafe fillPartial(from: UnsafeRawBufferPointer(rebasing: rest[count...]))
    }

    /// Drops everything buffered (after a malformed PDU).
    mutating func removeAll() {
        whole = []
        start = 0
        partial = []
    }

    // MARK: Decoding

    /// The header of the next PDU, as soon as its 6 bytes are in (whole or not).
    var frontHeader: ArraySlice<UInt8>? {
        if let first = whole.first { return first[start..<(start + PDU.headerLength)] }
        return partial.count >= PDU.headerLength ? partial[0..<PDU.headerLength] : nil
    }

    /// Takes the next PDU's body of `length` bytes if the PDU is whole (a slice, no copy).
    mutating func takeBody(length: Int) -> ArraySlice<UInt8>? {
        guard let first = whole.first else { return nil }
        let bodyStart = start + PDU.headerLength
        guard first.count - bodyStart >= length else { return nil }
        let body = first[bodyStart..<(bodyStart + length)]
        start = bodyStart + length
        if start == first.count {
            whole.removeFirst()
            start = 0
        }
        return body
    }

    /// Whether a whole PDU is buffered.
    var hasWholePDU: Bool { !whole.isEmpty }

    /// How many more bytes are needed before the next PDU can be decoded (at least 1).
    var bytesNeeded: Int {
        if hasWholePDU { return 1 }
        guard let length = Self.length(of: partial[...]) else { return PDU.headerLength - partial.count }
        return max(1, length - partial.count)
    }

    /// The capacity of the partial PDU's buffer (tests).
    var partialCapacity: Int { partial.capacity }

    // MARK: Helpers

    /// The whole length (header included) of the PDU whose header starts `bytes`, if in.
    private static func length(of bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= PDU.headerLength else { return nil }
        let s = bytes.startIndex
        let body = Int(bytes[s + 2]) << 24 | Int(bytes[s + 3]) << 16 | Int(bytes[s + 4]) << 8 | Int(bytes[s + 5])
        return PDU.headerLength + body
    }

    /// The body limit for a PDU of `type`.
    func limit(forType type: UInt8) -> Int {
        type == PDUType.dataTF.rawValue ? maximumDataPDULength : maximumControlPDULength
    }

    private var partialIsWhole: Bool {
        guard let length = Self.length(of: partial[...]) else { return false }
        return partial.count == length
    }

    /// How many leading bytes of `bytes` are whole PDUs within the limits.
    private func wholePrefix(_ bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while bytes.count - offset >= PDU.headerLength {
            // Bounds: offset + 6 <= bytes.count.
            let body = unsafe Int(bytes[offset + 2]) << 24 | Int(bytes[offset + 3]) << 16 | Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
            guard unsafe body <= limit(forType: bytes[offset]), bytes.count - offset - PDU.headerLength >= body else { break }
            offset += PDU.headerLength + body
        }
        return offset
    }

    /// Moves bytes of `bytes` into the partial PDU: the header first, then (once its length is
    /// known, within the limits and ``largestReservation``) a buffer for all of it, then the
    /// body up to its end. Returns how many bytes were taken.
    private mutating func fillPartial(from bytes: UnsafeRawBufferPointer) -> Int {
        var used = 0
        if partial.count < PDU.headerLength {
            used = min(bytes.count, PDU.headerLength - partial.count)
            // Bounds: used <= bytes.count.
            unsafe partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<used]))
            guard let length = Self.length(of: partial[...]) else { return used }
            if length - PDU.headerLength <= limit(forType: partial[0]), length <= Self.largestReservation {
                partial.reserveCapacity(length)
            }
        }
        // A length over the limits buffers nothing more: the machine fails the header alone
        // and what follows is dropped.
        guard let length = Self.length(of: partial[...]), length - PDU.headerLength <= limit(forType: partial[0]) else {
            return bytes.count
        }
        let take = min(bytes.count - used, max(0, length - partial.count))
        // Bounds: used + take <= bytes.count.
        unsafe partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[used..<(used + take)]))
        return used + take
    }
}
