@testable import DicomUL
import Foundation
@testable import TLSHandshake

#if canImport(Glibc)
import Glibc
#endif

/// DICOM over TLS for the load tests (PS3.15 Annex B): a ``DicomTransport`` over
/// `BlockingTLSStream`, plugged into `DicomServer` and `DicomClient` through their transport
/// seams (the DicomUL layer has no TLS transport of its own yet).
final class TLSDicomTransport: DicomTransport {
    let stream: BlockingTLSStream
    let peerDescription: String

    init(_ stream: BlockingTLSStream, peer: String) {
        self.stream = stream
        peerDescription = peer
    }

    func read(upTo maxCount: Int, timeout: Double?) throws(DicomError) -> [UInt8] {
        stream.ioTimeout = timeout.map { .milliseconds(Int64($0 * 1000)) }
        do {
            return try stream.read(maxCount: maxCount)
        } catch {
            if case .timedOut = error { throw DicomError(.timeout, "\(peerDescription): \(error)") }
            throw DicomError(.io, "\(peerDescription): \(error)")
        }
    }

    func write(_ bytes: [UInt8], timeout: Double?) throws(DicomError) {
        stream.ioTimeout = timeout.map { .milliseconds(Int64($0 * 1000)) }
        do {
            try stream.write(bytes)
        } catch {
            throw DicomError(.io, "\(peerDescription): \(error)")
        }
    }

    func close() {
        do { try stream.close(timeout: .seconds(2)) } catch { stream.abort() }
    }

    /// A server transport factory: the TLS handshake runs on the association's thread,
    /// bounded by the ARTIM timeout (a silent or stalled peer is dropped by it).
    static func serverFactory(_ configuration: TLSConfiguration) -> DicomServerConfiguration.TransportFactory {
        { accepted, timeouts throws(DicomError) in
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let got = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(accepted.fd, $0, &length) }
            }
            let remote = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0, length: length) }
            }
            guard got == 0, let remote else {
                Glibc.close(accepted.fd)
                throw DicomError(.io, "\(accepted.peerDescription): no peer address")
            }
            let socket = TCPSocket(descriptor: accepted.fd, remote: remote)
            do {
                let stream = try BlockingTLSStream(
                    server: socket, configuration: configuration,
                    handshakeTimeout: .milliseconds(Int64(timeouts.artim * 1000)))
                return TLSDicomTransport(stream, peer: accepted.peerDescription)
            } catch {
                throw DicomError(.io, "\(accepted.peerDescription): TLS handshake failed: \(error)")
            }
        }
    }

    /// A client connector; `sessions` keeps the last session per port for resumption.
    static func connector(_ configuration: TLSConfiguration) -> DicomClientConfiguration.Connector {
        { host, port, timeouts throws(DicomError) in
            do {
                let stream = try BlockingTLSStream.connect(
                    host: host, port: port, configuration: configuration, serverName: "localhost",
                    timeout: .milliseconds(Int64(timeouts.connect * 1000)))
                return TLSDicomTransport(stream, peer: "\(host):\(port)")
            } catch {
                throw DicomError(.io, "\(host):\(port): TLS connect failed: \(error)")
            }
        }
    }
}
