#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TCPSocket {
    /// Takes ownership of a connected descriptor accepted by another listener (DicomUL's
    /// acceptor hands its sockets to the TLS transport this way, PS3.15 Annex B).
    ///
    /// The descriptor is made non-blocking with `TCP_NODELAY`, like every `TCPSocket`.
    /// - Returns: nil, with the descriptor closed, if it is not a connected socket.
    package static func adopting(descriptor fd: Int32) -> TCPSocket? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let remote = unsafe withUnsafeMutablePointer(to: &storage) { pointer in
            unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> SocketAddress? in
                guard unsafe getpeername(fd, sa, &length) == 0 else { return nil }
                return unsafe SocketAddress(sa, length: length)
            }
        }
        guard let remote else {
            #if canImport(Glibc)
            _ = Glibc.close(fd)
            #else
            _ = Darwin.close(fd)
            #endif
            return nil
        }
        return TCPSocket(descriptor: fd, remote: remote)
    }
}
