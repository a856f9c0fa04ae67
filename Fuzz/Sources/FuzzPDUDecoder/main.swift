import DicomUL
import FuzzSupport

/// The DICOM PDU decoder (PS3.8 §9.3): any bytes decode or throw a DicomError; a decoded
/// PDU re-encodes, and the re-encoding decodes to the same PDU.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let pdu = try? PDU.decode(bytes) else { return 0 }
    let again = pdu.encode()
    guard let back = try? PDU.decode(again, maximumLength: max(again.count, PDUHeader.defaultMaximumLength)) else {
        Fixtures.fatalFuzz("re-encoded \(pdu.type) does not decode")
    }
    if back != pdu { Fixtures.fatalFuzz("re-encoded \(pdu.type) decodes differently") }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { Fixtures.pduSeeds() }
    return 0
}
