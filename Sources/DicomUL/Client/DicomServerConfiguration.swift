import TLSSockets

/// Settings of a ``DicomServer`` (a storage SCP).
public struct DicomServerConfiguration: Sendable {
    /// Turns an accepted socket into the association's transport, on the association's own
    /// thread. The default is plain TCP. A TLS factory (PS3.15 Annex B) runs the server
    /// handshake here, bounded by `timeouts.artim`, and returns the TLS stream; because each
    /// association has its own thread, a slow or idle TLS client never blocks the others.
    public typealias TransportFactory = @Sendable (_ socket: AcceptedSocket, _ timeouts: DicomTimeouts) throws(DicomError) -> any DicomTransport

    /// Address to listen on.
    public var host: String
    /// Port to listen on (0 picks a free one; see ``DicomServer/port``).
    public var port: UInt16
    /// Folder that receives the stored Part 10 files.
    public var outputDirectory: String
    /// How associations are accepted (AE titles, SOP classes, transfer syntaxes).
    public var policy: AcceptancePolicy
    /// Time limits (ARTIM bounds the wait for the A-ASSOCIATE-RQ).
    public var timeouts: DicomTimeouts
    /// Largest P-DATA-TF body we accept, advertised to requestors.
    public var maximumReceivePDULength: UInt32
    /// Concurrent associations allowed; more are rejected (transient, local-limit-exceeded).
    /// A connection counts only once its association is accepted.
    public var maximumAssociations: Int
    /// Connections that have not associated yet (TLS handshake, waiting for the
    /// A-ASSOCIATE-RQ): at most `maximumPending` in all and `maximumPendingPerAddress` from
    /// one peer address; more are closed at once by the accept loop (review F3). Threads are
    /// bounded by `maximumPending + maximumAssociations` (+1, the accept loop).
    public var admission: AdmissionLimits
    /// What to do when a received object's file name is taken (default: keep both).
    public var existingFiles: ExistingFilePolicy
    /// Largest object stored, in bytes (file meta information included); a larger C-STORE is
    /// answered with A700 (Out of Resources) and nothing is left on disk. Nil: no limit.
    public var maximumObjectSize: Int?
    /// Free space the output folder's file system must keep, in bytes: a C-STORE that would
    /// go below it is answered with A700 and its partial file removed. Default 64 MiB.
    public var minimumFreeSpace: UInt64
    /// How accepted sockets become transports.
    public var transportFactory: TransportFactory
    /// Plain TCP or TLS (PS3.15 Annex B). With `.tls` each accepted connection runs the TLS
    /// handshake (bounded by ARTIM, on its own thread) and ``transportFactory`` is ignored.
    public var security: DicomSecurity
    /// Receives one line per notable event (association accepted/rejected, object stored, error).
    public var log: (@Sendable (String) -> Void)?
    /// Receives what an operator should see even when ``log`` is off: `accept` failures (once
    /// per burst) and their end, connections refused over the admission limits (at most one
    /// line per 5 s). Nil sends them to ``log``.
    public var alerts: (@Sendable (String) -> Void)?

    /// Plain TCP.
    public static let tcpTransportFactory: TransportFactory = { socket, _ throws(DicomError) in TCPTransport(adopting: socket) }

    /// Validates and creates a configuration.
    ///
    /// - Parameter aeTitle: the called AE title the server requires; nil (the default, as
    ///   DCMTK's `storescp` and pynetdicom) answers to any called AE title and logs it.
    public init(
        port: UInt16, outputDirectory: String, aeTitle: String? = nil, host: String = "0.0.0.0",
        timeouts: DicomTimeouts = DicomTimeouts(), maximumReceivePDULength: UInt32 = 65536, maximumAssociations: Int = 64,
        admission: AdmissionLimits = AdmissionLimits(), existingFiles: ExistingFilePolicy = .keepBoth,
        maximumObjectSize: Int? = nil, minimumFreeSpace: UInt64 = 64 << 20,
        transportFactory: @escaping TransportFactory = DicomServerConfiguration.tcpTransportFactory,
        security: DicomSecurity = .none, log: (@Sendable (String) -> Void)? = nil
    ) throws(DicomError) {
        if let aeTitle, !AETitle.isValid(aeTitle) {
            throw DicomError(.invalidConfiguration, "AE title \"\(aeTitle)\" is not 1–16 printable ASCII characters without backslash")
        }
        self.host = host
        self.port = port
        self.outputDirectory = outputDirectory
        self.policy = .storageSCP(aeTitle: aeTitle)
        self.timeouts = timeouts
        self.maximumReceivePDULength = maximumReceivePDULength
        self.maximumAssociations = max(1, maximumAssociations)
        self.admission = admission
        self.existingFiles = existingFiles
        self.maximumObjectSize = maximumObjectSize
        self.minimumFreeSpace = minimumFreeSpace
        self.transportFactory = transportFactory
        self.security = security
        self.log = log
    }
}
