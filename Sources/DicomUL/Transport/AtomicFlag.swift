import Synchronization

/// A set-once flag.
final class AtomicFlag: Sendable {
    private let value = Atomic<Bool>(false)
    /// Whether the flag is set.
    var isSet: Bool { value.load(ordering: .acquiring) }
    /// Sets the flag; true if this call set it.
    func set() -> Bool { !value.exchange(true, ordering: .acquiringAndReleasing) }
}
