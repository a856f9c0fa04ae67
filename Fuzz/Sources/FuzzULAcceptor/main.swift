import DicomUL
import FuzzSupport

/// The UL acceptor state machine (PS3.8 §9.2) fed arbitrary PDU bytes in data-chosen
/// pieces, optionally after a valid A-ASSOCIATE-RQ that it accepts. Whatever arrives, the
/// machine stays in an acceptor state, and anything it sends decodes as a PDU.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var m = ULConnection(role: .acceptor, maximumDataPDULength: 4096, maximumControlPDULength: 65536)
    do { try m.transportAccepted() } catch { Fixtures.fatalFuzz("transportAccepted: \(error)") }
    var stream: [UInt8] = []
    if bytes[0] & 1 == 1 { stream += PDU.associateRQ(Fixtures.associateRequest).encode() }
    stream += bytes.dropFirst()
    let policy = AcceptancePolicy.storageSCP(aeTitle: nil)
    var i = 0
    var step = 1 + Int(bytes[0] >> 1)
    while i < stream.count {
        m.receive(stream[i..<min(stream.count, i + step)])
        i += step
        step = step * 3 % 257 + 1
        while let indication = m.nextIndication() {
            if case .associateRequest(let rq) = indication {
                switch policy.answer(rq, maximumReceivePDULength: 4096) {
                case .accept(let ac): try? m.accept(ac)
                case .reject(let rj): try? m.reject(rj)
                }
            }
        }
        let out = m.takeOutput()
        var rest = out[...]
        while rest.count >= 6 {
            let length = Int(rest[rest.startIndex + 2]) << 24 | Int(rest[rest.startIndex + 3]) << 16
                | Int(rest[rest.startIndex + 4]) << 8 | Int(rest[rest.startIndex + 5])
            guard rest.count >= 6 + length, (try? PDU.decode(Array(rest.prefix(6 + length)), maximumLength: 1 << 24)) != nil
            else { Fixtures.fatalFuzz("the acceptor sent a PDU that does not decode") }
            rest = rest.dropFirst(6 + length)
        }
        if !rest.isEmpty { Fixtures.fatalFuzz("partial PDU in the output") }
        if m.state == .idle { break }
    }
    if m.state == .awaitingTransportClose || m.state == .idle { m.transportClosed() }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { Fixtures.pduSeeds().map { [1] + $0 } + [[0] + PDU.associateRQ(Fixtures.associateRequest).encode()] }
    return 0
}
