import DicomUL
import Logging
import NIOCore
import NIOPosix
import TLSNIO
import TLSSockets

/// Settings of a ``DicomAsyncServer``: where it listens, TCP or TLS, limits, and the
/// handlers that decide and serve.
public struct DicomAsyncServerConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Port (0 picks a free one: see ``DicomAsyncServer/port()``).
    public var port: Int
    /// Plain TCP or TLS (PS3.15 Annex B); the TLS handshake is bounded by ARTIM.
    public var security: DicomSecurity
    /// Time limits.
    public var timeouts: DicomTimeouts
    /// Largest P-DATA-TF body we accept (advertised in the A-ASSOCIATE-AC).
    public var maximumReceivePDULength: UInt32
    /// Concurrent associations; more are rejected (transient, local-limit-exceeded).
    public var maximumAssociations: Int
    /// Connections not yet associated, in all and per peer address (closed at once over a cap).
    public var admission: AdmissionLimits
    /// Decides on each association request (AE titles, contexts, the peer's certificate).
    /// The default answers with `AcceptancePolicy.storageSCP(aeTitle: nil)`.
    public var acceptance: AcceptanceHandler
    /// The certificate ↔ calling AE title binding; nil: none. Checked before ``acceptance``.
    public var certificateBinding: CertificateAEBinding?
    /// The service handlers.
    public var services: DicomServices
    /// Largest data set collected for a ``DIMSEServiceHandler`` request (queries are small);
    /// a larger one aborts the association.
    public var maximumRequestDataSetLength: Int
    /// Where RSA private-key operations of TLS handshakes run.
    public var offload: TLSPrivateKeyOffload
    /// The event loops.
    public var group: any EventLoopGroup
    /// Lines with association metadata: `peer`, `association`, `calling_ae`, `called_ae`,
    /// `tls_suite`, `tls_subject`.
    public var logger: Logger
    /// Lines about the listener that must not be missed whatever the ``logger``'s level:
    /// `accept` failing (descriptors run out) and succeeding again, connections refused over
    /// the admission limits (one line per 5 seconds at most). nil: they go to ``logger``.
    public var alerts: (@Sendable (String) -> Void)?

    /// Creates a configuration; the defaults serve C-ECHO on plain TCP and accept like DCMTK's
    /// `storescp` (any called AE title, Verification and every storage SOP class).
    public init(
        host: String = "0.0.0.0", port: Int, security: DicomSecurity = .none, timeouts: DicomTimeouts = DicomTimeouts(),
        maximumReceivePDULength: UInt32 = 65536, maximumAssociations: Int = 64, admission: AdmissionLimits = AdmissionLimits(),
        services: DicomServices = DicomServices(), logger: Logger = Logger(label: "DicomTLS.DicomNIO")
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.timeouts = timeouts
        self.maximumReceivePDULength = maximumReceivePDULength
        self.maximumAssociations = max(1, maximumAssociations)
        self.admission = admission
        let policy = AcceptancePolicy.storageSCP(aeTitle: nil)
        self.acceptance = { proposal in proposal.answer(using: policy) }
        self.certificateBinding = nil
        self.services = services
        self.maximumRequestDataSetLength = 16 << 20
        self.offload = .threadPool(NIOThreadPool.singleton)
        self.group = MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.alerts = nil
    }
}
