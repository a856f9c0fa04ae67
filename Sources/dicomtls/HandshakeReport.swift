import TLSHandshake
import TLSRecord
import X509

/// The one stderr line printed per completed handshake by `tls-server` and `tls-client`.
enum HandshakeReport {
    /// `handshake: TLSv1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA compression=null resumed=no peer="CN=..." from 127.0.0.1:4433`
    static func line(_ info: SessionInfo, peer: String) -> String {
        let subject = info.peerCertificates.first.map { "\"\($0.subject)\"" } ?? "none"
        return "\(info.isRenegotiation ? "renegotiation" : "handshake"): \(info.version) \(info.cipherSuite.name) compression=\(info.compression)"
            + " resumed=\(info.isResumed ? "yes" : "no") peer=\(subject) with \(peer)"
            + (info.serverName.map { " sni=\($0)" } ?? "") + (info.applicationProtocol.map { " alpn=\($0)" } ?? "")
    }
}
