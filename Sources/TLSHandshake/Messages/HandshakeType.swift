/// The `HandshakeType` code point of RFC 2246 §7.4, an open set so unknown values survive parsing.
public struct HandshakeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// hello_request(0)
    public static let helloRequest = HandshakeType(rawValue: 0)
    /// client_hello(1)
    public static let clientHello = HandshakeType(rawValue: 1)
    /// server_hello(2)
    public static let serverHello = HandshakeType(rawValue: 2)
    /// certificate(11)
    public static let certificate = HandshakeType(rawValue: 11)
    /// server_key_exchange(12): never valid with RSA key exchange and our key sizes.
    public static let serverKeyExchange = HandshakeType(rawValue: 12)
    /// certificate_request(13)
    public static let certificateRequest = HandshakeType(rawValue: 13)
    /// server_hello_done(14)
    public static let serverHelloDone = HandshakeType(rawValue: 14)
    /// certificate_verify(15)
    public static let certificateVerify = HandshakeType(rawValue: 15)
    /// client_key_exchange(16)
    public static let clientKeyExchange = HandshakeType(rawValue: 16)
    /// finished(20)
    public static let finished = HandshakeType(rawValue: 20)

    public var description: String {
        switch self {
        case .helloRequest: "HelloRequest"
        case .clientHello: "ClientHello"
        case .serverHello: "ServerHello"
        case .certificate: "Certificate"
        case .serverKeyExchange: "ServerKeyExchange"
        case .certificateRequest: "CertificateRequest"
        case .serverHelloDone: "ServerHelloDone"
        case .certificateVerify: "CertificateVerify"
        case .clientKeyExchange: "ClientKeyExchange"
        case .finished: "Finished"
        default: "handshake type \(rawValue)"
        }
    }
}
