import TLSHandshake
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A resolved IPv4 or IPv6 socket address with its printable form.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The raw `sockaddr` bytes (at most `sockaddr_storage` long).
    let storage: [UInt8]
    /// The address family (`AF_INET` or `AF_INET6`).
    let family: Int32
    /// The numeric host, such as `127.0.0.1` or `::1`.
    public let host: String
    /// The port number.
    public let port: UInt16

    /// `host:port`, with brackets around IPv6 hosts.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Copies a `sockaddr` of `length` bytes and formats it numerically.
    init?(_ address: UnsafePointer<sockaddr>, length: socklen_t) {
        let raw = unsafe UnsafeRawBufferPointer(start: UnsafeRawPointer(address), count: Int(length))
        storage = unsafe Array(raw)
        family = Int32(unsafe address.pointee.sa_family)
        var hostBuffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var serviceBuffer = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let flags = NI_NUMERICHOST | NI_NUMERICSERV
        let r = unsafe getnameinfo(
            address, length, &hostBuffer, socklen_t(hostBuffer.count),
            &serviceBuffer, socklen_t(serviceBuffer.count), Int32(flags))
        guard r == 0 else { return nil }
        host = Self.string(hostBuffer)
        guard let p = UInt16(Self.string(serviceBuffer)) else { return nil }
        port = p
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        unsafe storage.withUnsafeBytes { raw in
            // `storage` was copied from a `sockaddr` of exactly this length.
            unsafe body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }

    /// A NUL-terminated C string in a buffer, as a Swift string.
    private static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Resolves `host` and `port` to stream-socket addresses (numeric hosts need no DNS).
    ///
    /// - Parameter passive: resolve for `bind` rather than `connect`.
    static func resolve(host: String, port: UInt16, passive: Bool) throws(SocketError) -> [SocketAddress] {
        var hints = unsafe addrinfo()
        unsafe hints.ai_family = AF_UNSPEC
        unsafe hints.ai_socktype = POSIX.streamType
        unsafe hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let r = unsafe getaddrinfo(host, String(port), &hints, &list)
        guard r == 0, let first = unsafe list else {
            let reason = unsafe gai_strerror(r).map { unsafe String(cString: $0) } ?? "error \(r)"
            throw SocketError(.resolutionFailed, "cannot resolve host '\(host)': \(reason)")
        }
        defer { unsafe freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = unsafe first
        while let node = unsafe cursor {
            if let a = unsafe node.pointee.ai_addr,
                let address = unsafe SocketAddress(a, length: node.pointee.ai_addrlen)
            {
                addresses.append(address)
            }
            unsafe cursor = node.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            throw SocketError(.resolutionFailed, "cannot resolve host '\(host)': no usable address")
        }
        return addresses
    }
}
