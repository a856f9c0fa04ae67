/// Which side of the connection this record layer serves (RFC 2246 §6.1, `ConnectionEnd`).
public enum ConnectionEnd: Hashable, Sendable {
    /// The client, which sends the ClientHello.
    case client
    /// The server.
    case server
}
