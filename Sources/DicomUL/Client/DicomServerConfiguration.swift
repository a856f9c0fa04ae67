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
    public var maximumAssociations: Int
    /// How accepted sockets become transports.
    public var transportFactory: TransportFactory
    /// Receives one line per notable event (association accepted/rejected, object stored, error).
    public var log: (@Sendable (String) -> Void)?

    /// Plain TCP.
    public static let tcpTransportFactory: TransportFactory = { socket, _ throws(DicomError) in TCPTransport(adopting: socket) }

    /// Validates and creates a configuration; `aeTitle` nil answers to any called AE title.
    public init(
        port: UInt16, outputDirectory: String, aeTitle: String? = "STORESCP", host: String = "0.0.0.0",
        timeouts: DicomTimeouts = DicomTimeouts(), maximumReceivePDULength: UInt32 = 65536, maximumAssociations: Int = 64,
        transportFactory: @escaping TransportFactory = DicomServerConfiguration.tcpTransportFactory,
        log: (@Sendable (String) -> Void)? = nil
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
        self.maximumAssociations = maximumAssociations
        self.transportFactory = transportFactory
        self.log = log
    }
}
