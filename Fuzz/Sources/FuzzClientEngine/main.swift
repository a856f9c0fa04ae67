import FuzzSupport
import TLSHandshake

/// A client engine fed arbitrary bytes after a valid start. Byte 0 picks the start: the
/// ClientHello sent (fuzz bytes are the server's answer), the valid server flight delivered
/// (fuzz bytes are the server's CCS/Finished), or a complete handshake (fuzz bytes are
/// records under the negotiated keys). Any outcome is progress or a TLSError with an alert.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let stage: EngineStart.Stage = [.clientHelloSent, .clientFinishedSent, .established][Int(bytes[0] % 3)]
    guard let start = EngineStart.cached[stage] else { Fixtures.fatalFuzz("fixture handshake failed") }
    var client = start.client
    let rest = Array(bytes.dropFirst())
    let cut = rest.isEmpty ? 0 : Int(rest[0]) % (rest.count + 1)
    for piece in [rest[0..<cut], rest[cut...]] {
        client.receive(Array(piece))
        if !Fixtures.drain(&client) {
            _ = client.takeOutput()
            if (try? client.nextEvent()) != nil { Fixtures.fatalFuzz("event after failure") }
            if !client.takeOutput().isEmpty { Fixtures.fatalFuzz("output after failure") }
            if !client.isClosed { Fixtures.fatalFuzz("failed connection not closed") }
            break
        }
        _ = client.takeOutput()
    }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { EngineStart.clientInputs() }
    return 0
}
