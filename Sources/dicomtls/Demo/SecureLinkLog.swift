import DicomUL
import Synchronization

/// The SCU's secure links in the order their handshakes completed, filled by the
/// secure-link-ready callback (which may run on another thread).
final class SecureLinkLog: Sendable {
    private let links = Mutex<[SecureLink]>([])

    /// Appends a link.
    func append(_ link: SecureLink) { links.withLock { $0.append(link) } }

    /// Every link so far.
    var all: [SecureLink] { links.withLock { $0 } }
}
