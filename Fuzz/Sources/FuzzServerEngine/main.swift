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
    // Stages: nothing delivered; the ClientHello processed (server flight written); established.
    let stage: EngineStart.Stage = [.clientHelloSent, .serverFlightSent, .established][Int(bytes[0] % 3)]
    guard let start = EngineStart.cached[stage] else { Fixtures.fatalFuzz("fixture handshake failed") }
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
