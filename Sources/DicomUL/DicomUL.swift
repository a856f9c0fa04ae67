/// The DICOM upper layer (PS3.8) over TCP or TLS.
///
/// Filled in by the DicomUL work; this namespace anchors the module's documentation.
public enum DicomUpperLayer {}
