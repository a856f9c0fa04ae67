/// The handshake types a state accepts, as a bit mask: every type RFC 2246 defines is below
/// 32, so the set is one word, built and queried per message without allocating (an unknown
/// type at or above 32 is never a member).
struct HandshakeTypeSet: ExpressibleByArrayLiteral, Sendable, Equatable {
    private var mask: UInt32 = 0

    init(arrayLiteral types: HandshakeType...) {
        for type in types where type.rawValue < 32 { mask |= 1 << UInt32(type.rawValue) }
    }

    /// Whether `type` is in the set.
    func contains(_ type: HandshakeType) -> Bool {
        type.rawValue < 32 && mask & (1 << UInt32(type.rawValue)) != 0
    }

    var isEmpty: Bool { mask == 0 }

    /// The members, in code point order (for messages).
    var members: [HandshakeType] {
        (0..<32).filter { mask & (1 << UInt32($0)) != 0 }.map { HandshakeType(rawValue: UInt8($0)) }
    }
}
