import FuzzSupport
import TLSHandshake

/// A server engine fed arbitrary bytes after a valid start. Byte 0 picks the start:
/// nothing, a valid ClientHello, or a whole valid client flight (then the fuzz bytes are
/// records under the negotiated keys, after the handshake). Any outcome is progress or a
/// TLSError with an alert; a failed engine stays failed and sends nothing more.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard var start = EngineStart(.clientHelloSent) else { Fixtures.fatalFuzz("fixture handshake failed") }
    switch bytes[0] % 3 {
    case 1:
        start.server.receive(start.pending)
        guard Fixtures.drain(&start.server) else { Fixtures.fatalFuzz("valid ClientHello refused") }
        _ = start.server.takeOutput()
    case 2:
        guard let s = EngineStart(.established) else { Fixtures.fatalFuzz("fixture handshake failed") }
        start = s
    default: break
    }
    var server = start.server
    // Feed the rest in two pieces split at a data-chosen point.
    let rest = Array(bytes.dropFirst())
    let cut = rest.isEmpty ? 0 : Int(rest[0]) % (rest.count + 1)
    for piece in [rest[0..<cut], rest[cut...]] {
        server.receive(Array(piece))
        if !Fixtures.drain(&server) {
            _ = server.takeOutput()
            if (try? server.nextEvent()) != nil { Fixtures.fatalFuzz("event after failure") }
            if !server.takeOutput().isEmpty { Fixtures.fatalFuzz("output after failure") }
            if !server.isClosed { Fixtures.fatalFuzz("failed connection not closed") }
            break
        }
        _ = server.takeOutput()
    }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { EngineStart.serverInputs() }
    return 0
}
