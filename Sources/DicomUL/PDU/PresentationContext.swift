/// A proposed presentation context: one abstract syntax and the transfer syntaxes the
/// requestor can use for it (PS3.8 §9.3.2.2).
public struct PresentationContextProposal: Sendable, Equatable {
    /// Odd integer 1–255 identifying the context.
    public var id: UInt8
    /// The abstract syntax (SOP class) UID.
    public var abstractSyntax: String
    /// Transfer syntax UIDs, in order of preference.
    public var transferSyntaxes: [String]

    /// Creates a proposal.
    public init(id: UInt8, abstractSyntax: String, transferSyntaxes: [String]) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }

    func encode(into out: inout [UInt8]) {
        out.appendItem(.presentationContextRQ) { body in
            body += [id, 0, 0, 0]
            body.appendTextItem(.abstractSyntax, abstractSyntax)
            for ts in transferSyntaxes { body.appendTextItem(.transferSyntax, ts) }
        }
    }

    init(decoding reader: inout ByteReader) throws(DicomError) {
        id = try reader.readUInt8("presentation context ID")
        guard id & 1 == 1 else { throw .invalid("presentation context ID \(id) is even (PS3.8 §9.3.2.2: odd, 1–255)") }
        try reader.skip(3, "presentation context reserved bytes")
        var abstract: String?
        var syntaxes: [String] = []
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem("presentation context \(id)")
            switch type {
            case .abstractSyntax:
                guard abstract == nil else { throw .invalid("presentation context \(id) has two abstract syntaxes") }
                abstract = try value.readText("abstract syntax of presentation context \(id)")
            case .transferSyntax:
                syntaxes.append(try value.readText("transfer syntax of presentation context \(id)"))
            default:
                throw DicomError(.invalidPDU, "presentation context \(id) has unknown sub-item 0x\(hex2(type.rawValue))",
                                 abortReason: .unrecognizedPDUParameter)
            }
        }
        guard let abstract, !abstract.isEmpty else { throw .invalid("presentation context \(id) has no abstract syntax") }
        guard !syntaxes.isEmpty else { throw .invalid("presentation context \(id) proposes no transfer syntax") }
        abstractSyntax = abstract
        transferSyntaxes = syntaxes
    }
}

/// The result of one presentation context negotiation (PS3.8 Table 9-18).
public struct PresentationContextResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8
    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 0: acceptance.
    public static let acceptance = Self(rawValue: 0)
    /// 1: user-rejection.
    public static let userRejection = Self(rawValue: 1)
    /// 2: no-reason (provider rejection).
    public static let noReason = Self(rawValue: 2)
    /// 3: abstract-syntax-not-supported (provider rejection).
    public static let abstractSyntaxNotSupported = Self(rawValue: 3)
    /// 4: transfer-syntaxes-not-supported (provider rejection).
    public static let transferSyntaxesNotSupported = Self(rawValue: 4)

    /// The PS3.8 name.
    public var description: String {
        switch rawValue {
        case 0: "acceptance"
        case 1: "user-rejection"
        case 2: "no-reason (provider rejection)"
        case 3: "abstract-syntax-not-supported (provider rejection)"
        case 4: "transfer-syntaxes-not-supported (provider rejection)"
        default: "result \(rawValue)"
        }
    }
}

/// The acceptor's answer for one presentation context (PS3.8 §9.3.3.2).
public struct PresentationContextResult: Sendable, Equatable {
    /// The ID of the proposed context this answers.
    public var id: UInt8
    /// Acceptance or the reason for rejection.
    public var result: PresentationContextResultCode
    /// The chosen transfer syntax (not significant unless accepted).
    public var transferSyntax: String

    /// Creates a result.
    public init(id: UInt8, result: PresentationContextResultCode, transferSyntax: String) {
        self.id = id
        self.result = result
        self.transferSyntax = transferSyntax
    }

    func encode(into out: inout [UInt8]) {
        out.appendItem(.presentationContextAC) { body in
            body += [id, 0, result.rawValue, 0]
            body.appendTextItem(.transferSyntax, transferSyntax)
        }
    }

    init(decoding reader: inout ByteReader) throws(DicomError) {
        id = try reader.readUInt8("presentation context ID")
        guard id & 1 == 1 else { throw .invalid("presentation context ID \(id) is even (PS3.8 §9.3.3.2: odd, 1–255)") }
        _ = try reader.readUInt8("presentation context reserved byte")
        result = PresentationContextResultCode(rawValue: try reader.readUInt8("presentation context result"))
        guard result.rawValue <= 4 else {
            throw .invalid("presentation context \(id) has result \(result.rawValue), not one of 0–4")
        }
        _ = try reader.readUInt8("presentation context reserved byte")
        var syntax: String?
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem("presentation context \(id)")
            guard type == .transferSyntax else {
                throw DicomError(.invalidPDU, "presentation context \(id) answer has unknown sub-item 0x\(hex2(type.rawValue))",
                                 abortReason: .unrecognizedPDUParameter)
            }
            guard syntax == nil else { throw .invalid("presentation context \(id) answer has two transfer syntaxes") }
            syntax = try value.readText("transfer syntax of presentation context \(id)")
        }
        // PS3.8 §9.3.3.2: when not accepted the sub-item's value is not significant; some
        // implementations omit it, so only an accepted context must carry one.
        if result == .acceptance, syntax?.isEmpty ?? true {
            throw .invalid("accepted presentation context \(id) names no transfer syntax")
        }
        transferSyntax = syntax ?? ""
    }
}
