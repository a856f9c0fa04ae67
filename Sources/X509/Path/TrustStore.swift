/// The trusted CA certificates (the customer's `SSLCAFile`): immutable, shareable across
/// connections and threads.
///
/// Any certificate in the store is a trust anchor: a path ends when it reaches one. Its
/// name and key are trusted; its validity period and key size are still checked, as
/// OpenSSL does.
public struct TrustStore: Sendable {
    /// The trusted certificates, in the order given (duplicates removed).
    public let certificates: [Certificate]
    /// Indexes into ``certificates`` by subject name (RFC 5280 §7.1 comparison form).
    private let bySubject: [DistinguishedName: [Int]]

    /// A store holding `certificates`.
    public init(_ certificates: [Certificate]) {
        var unique: [Certificate] = []
        var seen = Set<[UInt8]>()
        for c in certificates where seen.insert(c.derBytes).inserted { unique.append(c) }
        self.certificates = unique
        var index: [DistinguishedName: [Int]] = [:]
        for (i, c) in unique.enumerated() { index[c.subject, default: []].append(i) }
        bySubject = index
    }

    /// A store from DER-encoded certificates.
    public init(derEncoded: [[UInt8]]) throws(X509Error) {
        var certs: [Certificate] = []
        for der in derEncoded { certs.append(try Certificate(derEncoded: der)) }
        self.init(certs)
    }

    /// The trusted certificates whose subject matches `name`.
    public func certificates(withSubject name: DistinguishedName) -> [Certificate] {
        (bySubject[name] ?? []).map { certificates[$0] }
    }

    /// Whether `certificate` itself is trusted (byte-identical to a stored one).
    public func contains(_ certificate: Certificate) -> Bool {
        certificates(withSubject: certificate.subject).contains(certificate)
    }

    /// Whether the store is empty.
    public var isEmpty: Bool { certificates.isEmpty }
}
