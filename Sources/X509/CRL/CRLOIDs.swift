// Object identifiers of CRLs and CRL distribution (RFC 5280 §4.2.1.13, §5.2, §5.3).

extension ASN1ObjectIdentifier {
    /// id-ce-cRLNumber, 2.5.29.20 (RFC 5280 §5.2.3).
    public static let crlNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    /// id-ce-cRLReasons, 2.5.29.21 (RFC 5280 §5.3.1), a CRL entry extension.
    public static let crlReason: ASN1ObjectIdentifier = [2, 5, 29, 21]
    /// id-ce-holdInstructionCode, 2.5.29.23 (RFC 5280 §5.3 of RFC 3280), a CRL entry extension.
    public static let holdInstructionCode: ASN1ObjectIdentifier = [2, 5, 29, 23]
    /// id-ce-invalidityDate, 2.5.29.24 (RFC 5280 §5.3.2), a CRL entry extension.
    public static let invalidityDate: ASN1ObjectIdentifier = [2, 5, 29, 24]
    /// id-ce-deltaCRLIndicator, 2.5.29.27 (RFC 5280 §5.2.4): delta CRLs are not supported.
    public static let deltaCRLIndicator: ASN1ObjectIdentifier = [2, 5, 29, 27]
    /// id-ce-issuingDistributionPoint, 2.5.29.28 (RFC 5280 §5.2.5).
    public static let issuingDistributionPoint: ASN1ObjectIdentifier = [2, 5, 29, 28]
    /// id-ce-certificateIssuer, 2.5.29.29 (RFC 5280 §5.3.3): indirect CRLs only.
    public static let certificateIssuer: ASN1ObjectIdentifier = [2, 5, 29, 29]
    /// id-ce-cRLDistributionPoints, 2.5.29.31 (RFC 5280 §4.2.1.13).
    public static let crlDistributionPoints: ASN1ObjectIdentifier = [2, 5, 29, 31]
    /// id-ce-freshestCRL, 2.5.29.46 (RFC 5280 §5.2.6): where delta CRLs are found.
    public static let freshestCRL: ASN1ObjectIdentifier = [2, 5, 29, 46]
}
