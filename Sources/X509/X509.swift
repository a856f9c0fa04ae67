/// Strict DER, X.509 v3 certificates, PEM and keys, RSA on GMP bignums, path validation.
///
/// Filled in by the X509 work; this namespace anchors the module's documentation.
public enum X509Module {}
