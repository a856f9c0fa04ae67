/// Makes small but valid DICOM image objects for tests and demos: Secondary Capture Image
/// Storage (PS3.3 A.8.1) with an 8-bit MONOCHROME2 gradient, in Explicit VR Little Endian.
public enum DicomObjectGenerator {
    /// A generated object.
    public struct Object: Sendable {
        /// SOP Class UID (Secondary Capture).
        public var sopClassUID: String
        /// SOP Instance UID.
        public var sopInstanceUID: String
        /// Transfer syntax of ``dataSet`` (Explicit VR Little Endian).
        public var transferSyntaxUID: String
        /// The encoded data set.
        public var dataSet: [UInt8]
        /// The complete Part 10 file (header + data set).
        public var part10: [UInt8] {
            Part10Writer.header(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntaxUID: transferSyntaxUID) + dataSet
        }
    }

    /// An object whose pixel data is `rows × columns` bytes (≈ the object's size), with a
    /// new SOP Instance UID unless `sopInstanceUID` is given.
    public static func secondaryCapture(
        rows: Int = 64, columns: Int = 64, patientName: String = "TEST^DICOMTLS", seed: UInt8 = 0, sopInstanceUID: String? = nil
    ) -> Object {
        let rows = max(1, min(rows, 0xFFFF)), columns = max(1, min(columns, 0xFFFF))
        let instance = sopInstanceUID ?? DicomUID.make()
        let study = DicomUID.make(), series = DicomUID.make()
        var ds: [UInt8] = []
        func us(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func text(_ s: String) -> [UInt8] { Array(s.utf8) }
        // Elements in ascending tag order (PS3.5 §7.1).
        ExplicitVR.append(0x0008, 0x0016, "UI", text(DicomUID.secondaryCaptureImageStorage), to: &ds)
        ExplicitVR.append(0x0008, 0x0018, "UI", text(instance), to: &ds)
        ExplicitVR.append(0x0008, 0x0020, "DA", text("20260101"), to: &ds)
        ExplicitVR.append(0x0008, 0x0030, "TM", text("120000"), to: &ds)
        ExplicitVR.append(0x0008, 0x0050, "SH", text("ACC0001"), to: &ds)
        ExplicitVR.append(0x0008, 0x0060, "CS", text("OT"), to: &ds)
        ExplicitVR.append(0x0008, 0x0064, "CS", text("WSD"), to: &ds)
        ExplicitVR.append(0x0010, 0x0010, "PN", text(patientName), to: &ds)
        ExplicitVR.append(0x0010, 0x0020, "LO", text("DICOMTLS-1"), to: &ds)
        ExplicitVR.append(0x0010, 0x0030, "DA", text("19700101"), to: &ds)
        ExplicitVR.append(0x0010, 0x0040, "CS", text("O"), to: &ds)
        ExplicitVR.append(0x0020, 0x000D, "UI", text(study), to: &ds)
        ExplicitVR.append(0x0020, 0x000E, "UI", text(series), to: &ds)
        ExplicitVR.append(0x0020, 0x0010, "SH", text("1"), to: &ds)
        ExplicitVR.append(0x0020, 0x0011, "IS", text("1"), to: &ds)
        ExplicitVR.append(0x0020, 0x0013, "IS", text("1"), to: &ds)
        ExplicitVR.append(0x0020, 0x0020, "CS", text("L\\F"), to: &ds)
        ExplicitVR.append(0x0028, 0x0002, "US", us(1), to: &ds)
        ExplicitVR.append(0x0028, 0x0004, "CS", text("MONOCHROME2"), to: &ds)
        ExplicitVR.append(0x0028, 0x0010, "US", us(rows), to: &ds)
        ExplicitVR.append(0x0028, 0x0011, "US", us(columns), to: &ds)
        ExplicitVR.append(0x0028, 0x0100, "US", us(8), to: &ds)
        ExplicitVR.append(0x0028, 0x0101, "US", us(8), to: &ds)
        ExplicitVR.append(0x0028, 0x0102, "US", us(7), to: &ds)
        ExplicitVR.append(0x0028, 0x0103, "US", us(0), to: &ds)
        var pixels = [UInt8](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns { pixels[r * columns + c] = UInt8(truncatingIfNeeded: r &+ c &+ Int(seed)) }
        }
        ExplicitVR.append(0x7FE0, 0x0010, "OB", pixels, to: &ds)
        return Object(
            sopClassUID: DicomUID.secondaryCaptureImageStorage, sopInstanceUID: instance,
            transferSyntaxUID: DicomUID.explicitVRLittleEndian, dataSet: ds)
    }
}
