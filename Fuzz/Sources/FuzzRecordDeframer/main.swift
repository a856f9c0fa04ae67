import FuzzSupport
import TLSRecord

/// The record deframer on the initial (null) state: any byte stream, fed in pieces,
/// yields records or one typed RecordError, never a trap; after an error every later
/// call throws again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for role in [ConnectionEnd.server, .client] {
        var layer = RecordLayer(role: role)
        // Split at a data-chosen point so framing across reads is exercised.
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        var failed = false
        for piece in [bytes[0..<cut], bytes[cut...]] {
            layer.receive(Array(piece))
            do {
                while let r = try layer.nextRecord() {
                    if r.fragment.count > 1 << 14 { Fixtures.fatalFuzz("oversized plaintext \(r.fragment.count)") }
                }
            } catch {
                failed = true
                break
            }
        }
        if failed, (try? layer.nextRecord()) != nil { Fixtures.fatalFuzz("record after a receive failure") }
    }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { EngineStart.serverInputs().map { Array($0.dropFirst()) } + EngineStart.clientInputs().map { Array($0.dropFirst()) } }
    return 0
}
