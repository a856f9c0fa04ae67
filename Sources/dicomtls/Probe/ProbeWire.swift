import TLSHandshake

/// Raw ClientHellos of any version and the parsing of what comes back, without completing
/// a handshake: the probe needs only the ServerHello (and, up to TLS 1.2, the Certificate).
/// Kept out of the engines on purpose: nothing here is a TLS implementation.
enum ProbeWire {
    /// What a ClientHello asks for.
    struct Offer {
        var version: ProbeVersion
        var suites: [UInt16]
        var serverName: String?
        var compression: [UInt8] = [0]
    }

    /// What the server answered.
    enum Answer {
        case serverHello(ServerHelloSummary, certificates: [[UInt8]])
        case alert(level: UInt8, description: UInt8)
        case closed
        case notTLS([UInt8])
    }

    struct ServerHelloSummary {
        var version: UInt16
        var suite: UInt16
        var compression: UInt8
        var sessionIDLength: Int
        var extensions: [UInt16: [UInt8]]
    }

    /// The ClientHello in one record.
    static func clientHello(_ offer: Offer) -> [UInt8] {
        var body: [UInt8] = []
        body.u16(offer.version == .tls13 ? 0x0303 : offer.version.wire)
        body += (0..<32).map { _ in UInt8.random(in: 0...255) }
        body.append(0)  // no session ID
        var suites: [UInt8] = []
        for s in offer.suites { suites.u16(s) }
        body.u16(UInt16(suites.count))
        body += suites
        body.append(UInt8(offer.compression.count))
        body += offer.compression
        if offer.version != .ssl30 {
            let ext = extensions(offer)
            body.u16(UInt16(ext.count))
            body += ext
        }
        var handshake: [UInt8] = [1, UInt8(body.count >> 16), UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)]
        handshake += body
        var record: [UInt8] = [22, 3, offer.version == .ssl30 ? 0 : 1]
        record.u16(UInt16(handshake.count))
        return record + handshake
    }

    private static func extensions(_ offer: Offer) -> [UInt8] {
        var out: [UInt8] = []
        func add(_ type: UInt16, _ data: [UInt8]) {
            out.u16(type)
            out.u16(UInt16(data.count))
            out += data
        }
        if let name = offer.serverName, !name.isEmpty, !name.contains(":"), !name.allSatisfy({ $0.isNumber || $0 == "." }) {
            let host = Array(name.utf8)
            var list: [UInt8] = [0]
            list.u16(UInt16(host.count))
            list += host
            var data: [UInt8] = []
            data.u16(UInt16(list.count))
            add(0, data + list)
        }
        add(0xFF01, [0])  // renegotiation_info, empty (RFC 5746)
        add(23, [])  // extended_master_secret (RFC 7627)
        add(16, [0, 6, 5] + Array("dicom".utf8))  // ALPN "dicom"
        add(10, [0, 8, 0x00, 0x1D, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19])  // x25519, P-256, P-384, P-521
        add(11, [1, 0])  // ec_point_formats: uncompressed
        if offer.version == .tls12 || offer.version == .tls13 {
            let schemes: [UInt16] = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0201, 0x0203]
            var data: [UInt8] = []
            data.u16(UInt16(schemes.count * 2))
            for s in schemes { data.u16(s) }
            add(13, data)
        }
        if offer.version == .tls13 {
            add(43, [2, 0x03, 0x04])  // supported_versions: TLS 1.3 only
            add(45, [1, 1])  // psk_key_exchange_modes: psk_dhe_ke
            var share: [UInt8] = [0x00, 0x1D, 0x00, 0x20]
            share += (0..<32).map { _ in UInt8.random(in: 0...255) }  // any 32 bytes are an X25519 key
            var data: [UInt8] = []
            data.u16(UInt16(share.count))
            add(51, data + share)
        }
        return out
    }

    /// Parses the server's first flight from `bytes`; nil when more bytes are needed.
    static func parse(_ bytes: [UInt8], complete: Bool) -> Answer? {
        guard let first = bytes.first else { return complete ? .closed : nil }
        guard (20...23).contains(first) else { return .notTLS(Array(bytes.prefix(8))) }
        var handshake: [UInt8] = []
        var sawOtherRecord = false
        var i = 0
        while i + 5 <= bytes.count {
            let type = bytes[i], length = Int(bytes[i + 3]) << 8 | Int(bytes[i + 4])
            guard (20...23).contains(type), bytes[i + 1] == 3 else { return .notTLS(Array(bytes[i...].prefix(8))) }
            guard i + 5 + length <= bytes.count else { break }
            let fragment = Array(bytes[(i + 5)..<(i + 5 + length)])
            i += 5 + length
            if type == 21, fragment.count >= 2 { return .alert(level: fragment[0], description: fragment[1]) }
            guard type == 22 else {  // ChangeCipherSpec or encrypted records (TLS 1.3): the flight we can read is over
                sawOtherRecord = true
                break
            }
            handshake += fragment
        }
        var hello: ServerHelloSummary?
        var certificates: [[UInt8]] = []
        var sawDone = false
        var j = 0
        while j + 4 <= handshake.count {
            let type = handshake[j], length = Int(handshake[j + 1]) << 16 | Int(handshake[j + 2]) << 8 | Int(handshake[j + 3])
            guard j + 4 + length <= handshake.count else { break }
            let body = Array(handshake[(j + 4)..<(j + 4 + length)])
            j += 4 + length
            switch type {
            case 2: hello = serverHello(body)
            case 11: certificates = certificateList(body)
            case 14: sawDone = true
            default: break
            }
        }
        if let hello, sawDone || sawOtherRecord || complete || hello.extensions[43] != nil {
            return .serverHello(hello, certificates: certificates)
        }
        return complete ? .closed : nil
    }

    private static func serverHello(_ b: [UInt8]) -> ServerHelloSummary? {
        guard b.count >= 38 else { return nil }
        let sidLength = Int(b[34])
        var p = 35 + sidLength
        guard p + 3 <= b.count else { return nil }
        let suite = UInt16(b[p]) << 8 | UInt16(b[p + 1])
        let compression = b[p + 2]
        p += 3
        var extensions: [UInt16: [UInt8]] = [:]
        if p + 2 <= b.count {
            let total = Int(b[p]) << 8 | Int(b[p + 1])
            p += 2
            let end = min(b.count, p + total)
            while p + 4 <= end {
                let type = UInt16(b[p]) << 8 | UInt16(b[p + 1]), length = Int(b[p + 2]) << 8 | Int(b[p + 3])
                guard p + 4 + length <= end else { break }
                extensions[type] = Array(b[(p + 4)..<(p + 4 + length)])
                p += 4 + length
            }
        }
        var version = UInt16(b[0]) << 8 | UInt16(b[1])
        if let selected = extensions[43], selected.count == 2 { version = UInt16(selected[0]) << 8 | UInt16(selected[1]) }
        return ServerHelloSummary(version: version, suite: suite, compression: compression, sessionIDLength: sidLength, extensions: extensions)
    }

    private static func certificateList(_ b: [UInt8]) -> [[UInt8]] {
        guard b.count >= 3 else { return [] }
        var out: [[UInt8]] = []
        var p = 3
        while p + 3 <= b.count, out.count < 16 {
            let length = Int(b[p]) << 16 | Int(b[p + 1]) << 8 | Int(b[p + 2])
            guard p + 3 + length <= b.count else { break }
            out.append(Array(b[(p + 3)..<(p + 3 + length)]))
            p += 3 + length
        }
        return out
    }
}

extension [UInt8] {
    fileprivate mutating func u16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(v & 0xFF))
    }
}
