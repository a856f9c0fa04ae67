/// Settings of a ``DicomClient``: where to connect and as whom.
public struct DicomClientConfiguration: Sendable {
    /// Opens the transport to the peer. The default connects plain TCP; a TLS connector
    /// (PS3.15 Annex B) wraps the connected socket in the TLS stream and completes the
    /// handshake before returning, so nothing else changes.
    public typealias Connector = @Sendable (_ host: String, _ port: UInt16, _ timeouts: DicomTimeouts) throws(DicomError) -> any DicomTransport

    /// Peer host name or address.
    public var host: String
    /// Peer port.
    public var port: UInt16
    /// Our AE title.
    public var callingAETitle: String
    /// The peer's AE title.
    public var calledAETitle: String
    /// Time limits.
    public var timeouts: DicomTimeouts
    /// Largest P-DATA-TF body we accept, advertised in the Maximum Length sub-item (0 = unlimited).
    public var maximumReceivePDULength: UInt32
    /// How the transport is opened.
    public var connector: Connector

    /// Plain TCP.
    public static let tcpConnector: Connector = { host, port, timeouts throws(DicomError) in
        try TCPTransport.connect(host: host, port: port, timeout: timeouts.connect)
    }

    /// Validates and creates a configuration.
    public init(
        host: String, port: UInt16, callingAETitle: String = "DICOMTLS", calledAETitle: String = "ANY-SCP",
        timeouts: DicomTimeouts = DicomTimeouts(), maximumReceivePDULength: UInt32 = 65536,
        connector: @escaping Connector = DicomClientConfiguration.tcpConnector
    ) throws(DicomError) {
        guard AETitle.isValid(callingAETitle) else {
            throw DicomError(.invalidConfiguration, "calling AE title \"\(callingAETitle)\" is not 1–16 printable ASCII characters without backslash")
        }
        guard AETitle.isValid(calledAETitle) else {
            throw DicomError(.invalidConfiguration, "called AE title \"\(calledAETitle)\" is not 1–16 printable ASCII characters without backslash")
        }
        self.host = host
        self.port = port
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.timeouts = timeouts
        self.maximumReceivePDULength = maximumReceivePDULength
        self.connector = connector
    }
}
