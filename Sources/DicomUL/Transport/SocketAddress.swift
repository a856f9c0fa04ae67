#if canImport(Glibc)
import Glibc
#endif

/// One resolved socket address.
struct SocketAddress {
    private var storage: sockaddr_storage
    private var length: socklen_t
    private var family: Int32

    /// Resolves `host` with `getaddrinfo` (numeric ports only).
    static func resolve(host: String, port: UInt16, passive: Bool = false) throws(DicomError) -> [SocketAddress] {
        var hints = unsafe addrinfo()
        unsafe hints.ai_family = AF_UNSPEC
        unsafe hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        unsafe hints.ai_flags = passive ? AI_PASSIVE : 0
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = unsafe getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else {
            let text = unsafe gai_strerror(rc).map { unsafe String(cString: $0) } ?? "error \(rc)"
            throw DicomError(.io, "cannot resolve \(host): \(text)")
        }
        defer { unsafe freeaddrinfo(list) }
        var result: [SocketAddress] = []
        var cursor = unsafe list
        while let info = unsafe cursor {
            var storage = sockaddr_storage()
            let length = unsafe info.pointee.ai_addrlen
            if let addr = unsafe info.pointee.ai_addr, Int(length) <= MemoryLayout<sockaddr_storage>.size {
                unsafe withUnsafeMutableBytes(of: &storage) { dst in
                    unsafe dst.copyMemory(from: UnsafeRawBufferPointer(start: addr, count: Int(length)))
                }
                result.append(SocketAddress(storage: storage, length: length, family: unsafe info.pointee.ai_family))
            }
            unsafe cursor = info.pointee.ai_next
        }
        return result
    }

    /// Connects a new socket within `timeout` seconds.
    func connect(timeout: Double, description: String) throws(DicomError) -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)  // not inherited by child processes
        guard fd >= 0 else { throw DicomError(.io, "socket() failed: \(SocketOptions.errorText())") }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var s = storage
        let rc = unsafe withUnsafePointer(to: &s) { p in
            unsafe p.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe Glibc.connect(fd, $0, length) }
        }
        if rc != 0 {
            guard errno == EINPROGRESS else {
                let text = SocketOptions.errorText()
                _ = Glibc.close(fd)
                throw DicomError(.io, "cannot connect to \(description): \(text)")
            }
            do throws(DicomError) {
                try SocketOptions.wait(fd, for: Int16(POLLOUT), timeout: timeout, what: "connecting to \(description)")
            } catch {
                _ = Glibc.close(fd)
                throw error
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = unsafe getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError != 0 {
                _ = Glibc.close(fd)
                let text = unsafe strerror(soError).map { unsafe String(cString: $0) } ?? "errno \(soError)"
                throw DicomError(.io, "cannot connect to \(description): \(text)")
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return fd
    }

    /// Binds and listens; returns the socket and the bound port.
    func listen(backlog: Int32) throws(DicomError) -> (Int32, UInt16) {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)  // not inherited by child processes
        guard fd >= 0 else { throw DicomError(.io, "socket() failed: \(SocketOptions.errorText())") }
        var one: Int32 = 1
        _ = unsafe setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var s = storage
        let rc = unsafe withUnsafePointer(to: &s) { p in
            unsafe p.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe bind(fd, $0, length) }
        }
        guard rc == 0, Glibc.listen(fd, backlog) == 0 else {
            let text = SocketOptions.errorText()
            _ = Glibc.close(fd)
            throw DicomError(.io, "cannot listen on port \(Self.port(of: storage)): \(text)")
        }
        var bound = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = unsafe withUnsafeMutablePointer(to: &bound) { p in
            unsafe p.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe getsockname(fd, $0, &len) }
        }
        return (fd, Self.port(of: bound))
    }

    /// The port of an IPv4 or IPv6 address.
    static func port(of storage: sockaddr_storage) -> UInt16 {
        var s = storage
        switch Int32(s.ss_family) {
        case AF_INET:
            return unsafe withUnsafePointer(to: &s) { unsafe $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { unsafe UInt16(bigEndian: $0.pointee.sin_port) } }
        case AF_INET6:
            return unsafe withUnsafePointer(to: &s) { unsafe $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { unsafe UInt16(bigEndian: $0.pointee.sin6_port) } }
        default:
            return 0
        }
    }

    /// "address:port" for messages.
    static func describe(_ storage: sockaddr_storage) -> String {
        var s = storage
        var host = [CChar](repeating: 0, count: 64)
        let family = Int32(s.ss_family)
        let ok: Bool = unsafe withUnsafePointer(to: &s) { p in
            if family == AF_INET {
                return unsafe p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var a = unsafe sin.pointee.sin_addr
                    return unsafe inet_ntop(AF_INET, &a, &host, socklen_t(host.count)) != nil
                }
            } else if family == AF_INET6 {
                return unsafe p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
                    var a = unsafe sin.pointee.sin6_addr
                    return unsafe inet_ntop(AF_INET6, &a, &host, socklen_t(host.count)) != nil
                }
            }
            return false
        }
        let name = ok ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        return "\(name):\(port(of: storage))"
    }
}
