import CryptoPrimitives
import FuzzSupport
import TLSRecord

/// The record opener with fixed keys: a server's read state keyed with the client_write
/// keys of the recorded 3DES handshake (Vectors/tls-handshake/tls10_rsa_3des_handshake.json),
/// so the recorded encrypted records are valid seeds. Byte 0 picks the protection
/// (3DES, DES, NULL-SHA, 3DES with DEFLATE); the rest is the record stream.
let macSecret = hex("62e279fd3d57ed71dfe47797a5ece45af706efa8")
let key3DES = hex("3e5e953bb71bd5c503eaa31500fb0132be9a39cf908f94f2")
let iv = hex("aab36bba2b09ad8c")

func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var it = s.utf8.makeIterator()
    while let a = it.next(), let b = it.next() {
        func v(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
        out.append(v(a) << 4 | v(b))
    }
    return out
}

func parameters(_ mode: UInt8) -> RecordProtectionParameters {
    switch mode % 4 {
    case 1: RecordProtectionParameters(cipher: .des, mac: .sha1, macSecret: macSecret, key: Array(key3DES[0..<8]), iv: iv)
    case 2: RecordProtectionParameters(cipher: .null, mac: .sha1, macSecret: macSecret, key: [], iv: [])
    case 3: RecordProtectionParameters(cipher: .tripleDES, mac: .sha1, compression: .deflate, macSecret: macSecret, key: key3DES, iv: iv)
    default: RecordProtectionParameters(cipher: .tripleDES, mac: .sha1, macSecret: macSecret, key: key3DES, iv: iv)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var layer = RecordLayer(role: .server)
    do {
        try layer.setPendingRead(parameters(bytes[0]))
        try layer.changeReadCipherSpec()
    } catch {
        Fixtures.fatalFuzz("fixture keys refused: \(error)")
    }
    layer.receive(Array(bytes[1...]))
    do {
        while let r = try layer.nextRecord() {
            if r.fragment.count > 1 << 14 { Fixtures.fatalFuzz("oversized plaintext \(r.fragment.count)") }
        }
    } catch {}
    // Round trip: whatever we seal with the same keys opens to the same bytes.
    if bytes[0] & 0x80 != 0 {
        var writer = RecordLayer(role: .client)
        var reader = RecordLayer(role: .server)
        do {
            try writer.setPendingWrite(parameters(bytes[0]))
            try writer.changeWriteCipherSpec()
            try reader.setPendingRead(parameters(bytes[0]))
            try reader.changeReadCipherSpec()
            try writer.send(.applicationData, Array(bytes[1...]))
            reader.receive(writer.takeOutput())
            var got: [UInt8] = []
            while let r = try reader.nextRecord() { got += r.fragment }
            if got != Array(bytes[1...]) { Fixtures.fatalFuzz("round trip changed the data") }
        } catch {
            Fixtures.fatalFuzz("round trip failed: \(error)")
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    Seeds.writeIfRequested { [] }
    return 0
}
