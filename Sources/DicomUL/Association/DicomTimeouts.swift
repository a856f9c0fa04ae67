/// Time limits of an association, in seconds.
public struct DicomTimeouts: Sendable, Equatable {
    /// Opening the TCP connection.
    public var connect: Double
    /// The ARTIM timer (PS3.8 §9.1.5): an acceptor waits this long for the A-ASSOCIATE-RQ
    /// (and, with TLS, for the handshake), and either side waits this long for the peer to
    /// close after a release or abort.
    public var artim: Double
    /// Waiting for a reply (A-ASSOCIATE-AC/RJ, DIMSE response, A-RELEASE-RP).
    public var reply: Double
    /// An acceptor waiting for the next request on an idle association (nil: forever).
    public var idle: Double?
    /// A single write making progress.
    public var write: Double
    /// Receiving one whole data set, however its fragments are spaced (nil: no limit). Each
    /// fragment must also come within ``reply``; this bounds the total, so a peer sending a
    /// tiny fragment now and then cannot hold an association (review F13). The default,
    /// 600 s, is 100 MB/s for a 60 GB object or 1 MB/s for 600 MB.
    public var message: Double?

    /// Creates timeouts; the defaults suit a LAN.
    public init(
        connect: Double = 10, artim: Double = 30, reply: Double = 60, idle: Double? = 300, write: Double = 60, message: Double? = 600
    ) {
        self.connect = connect
        self.artim = artim
        self.reply = reply
        self.idle = idle
        self.write = write
        self.message = message
    }
}
