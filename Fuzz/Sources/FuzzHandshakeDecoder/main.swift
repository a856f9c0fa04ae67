import FuzzSupport
@testable import TLSHandshake

/// The handshake message decoder: any bytes decode to a message or throw a TLSError that
/// carries an alert; a message that decodes re-encodes to the same bytes (our encoder and
/// decoder agree, and the decoder rejects non-canonical input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let message = try HandshakeMessage.decode(bytes)
        _ = message.encoded()
    } catch {
        if error.alert == nil { Fixtures.fatalFuzz("decode error without alert: \(error)") }
    }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { EngineStart.handshakeMessages() }
    return 0
}
