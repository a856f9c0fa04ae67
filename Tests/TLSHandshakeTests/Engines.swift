import CryptoPrimitives
import Foundation
import TLSRecord
import TestSupport
import X509
@testable import TLSHandshake

/// Keys and certificates for the in-memory tests.
enum TestKeys {
    /// The minimal big-endian bytes of a small integer.
    static func bigEndian(_ v: Int) -> [UInt8] {
        var out: [UInt8] = []
        var x = v
        while x > 0 { out.insert(UInt8(x & 0xFF), at: 0); x >>= 8 }
        return out.isEmpty ? [0] : out
    }

    struct GoKeys: Decodable {
        struct Key: Decodable { var n, d, p, q: String; var e: Int }
        struct Cert: Decodable { var hex: String }
        var server_rsa_key: Key
        var server_certificate_der: Cert
        var server_certificate_issuer_der: Cert
        struct PEM: Decodable { var pem: String }
        var client_certificate_pem: PEM
        var client_private_key_pem: PEM
    }

    /// The RSA-1024 client key and certificate of Go's tests (loaded from PEM).
    static func goClient() throws -> (key: RSAPrivateKey, certificate: Certificate) {
        let k = try Vectors.json(GoKeys.self, "tls-handshake/go_test_keys.json")
        let key = try RSAPrivateKey(pemEncoded: k.client_private_key_pem.pem)
        let cert = try Certificate(derEncoded: PEMDocument(pemEncoded: k.client_certificate_pem.pem).derBytes)
        return (key, cert)
    }

    /// Hex that may have an odd number of digits (the JSON's `d` has 255): left-pad a zero.
    static func oddHex(_ s: String) -> [UInt8] { Hex.decode(s.count % 2 == 1 ? "0" + s : s) }

    /// The RSA-1024 server key and certificate of Go's crypto/tls tests (Vectors/tls-handshake).
    static func go() throws -> (key: RSAPrivateKey, certificate: Certificate, issuer: Certificate) {
        let k = try Vectors.json(GoKeys.self, "tls-handshake/go_test_keys.json")
        let key = try RSAPrivateKey(
            modulus: oddHex(k.server_rsa_key.n), publicExponent: bigEndian(k.server_rsa_key.e),
            privateExponent: oddHex(k.server_rsa_key.d))
        let cert = try Certificate(derEncoded: Hex.decode(k.server_certificate_der.hex))
        let issuer = try Certificate(derEncoded: Hex.decode(k.server_certificate_issuer_der.hex))
        return (key, cert, issuer)
    }
}

/// A failure to build the test fixture.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A client and a server engine joined in memory: bytes are shuttled between them until
/// neither has anything more to say (rustls `transfer`, NIO `interactInMemory`).
struct EnginePair {
    var client: TLSConnection
    var server: TLSConnection
    var clientEvents: [TLSEvent] = []
    var serverEvents: [TLSEvent] = []
    var clientError: TLSError?
    var serverError: TLSError?

    init(client: TLSConnection, server: TLSConnection) {
        self.client = client
        self.server = server
    }

    /// Moves bytes both ways until quiet or until both sides failed; records errors.
    mutating func run(maxRounds: Int = 50) {
        for _ in 0..<maxRounds {
            let c2s = client.takeOutput()
            if !c2s.isEmpty, serverError == nil {
                server.receive(c2s)
            }
            drain(server: true)
            let s2c = server.takeOutput()
            if !s2c.isEmpty, clientError == nil {
                client.receive(s2c)
            }
            drain(server: false)
            if c2s.isEmpty && s2c.isEmpty { return }
        }
    }

    private mutating func drain(server isServer: Bool) {
        while true {
            do {
                let e = isServer ? try server.nextEvent() : try client.nextEvent()
                guard let e else { return }
                if isServer { serverEvents.append(e) } else { clientEvents.append(e) }
            } catch {
                if isServer { if serverError == nil { serverError = error } } else if clientError == nil { clientError = error }
                return
            }
        }
    }

    /// Application data received by one side so far, concatenated.
    static func data(_ events: [TLSEvent]) -> [UInt8] {
        events.reduce(into: []) { acc, e in if case .applicationData(let d) = e { acc += d } }
    }

    /// The handshake-complete infos seen by one side.
    static func infos(_ events: [TLSEvent]) -> [SessionInfo] {
        events.compactMap { if case .handshakeComplete(let i) = $0 { i } else { nil } }
    }
}
