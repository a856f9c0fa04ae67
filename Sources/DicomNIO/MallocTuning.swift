#if canImport(Glibc)
import Glibc
#endif

/// glibc allocator settings for a process that moves DICOM data, to call once at start-up
/// before any thread starts (`dicomtls` does; it changes the whole process, so the library
/// never calls it on its own).
///
/// A transfer moves 64–256 KB buffers between threads (file reads, PDUs, TLS records). With
/// glibc's defaults, buffers over 128 KB are mapped and unmapped one by one, and the arenas of
/// the event-loop and pool threads give freed memory back to the kernel (`madvise`) as soon
/// as 128 KB sit free at their top, so the next buffer faults its pages in again: that was a
/// fifth of `storescu`'s CPU over NULL-SHA. After ``apply()``, buffers up to 4 MiB come from
/// the heap, and up to 32 MiB of free memory stays in the process for reuse (more is still
/// given back). Elsewhere than glibc it does nothing.
public enum MallocTuning {
    /// Sets the thresholds (`M_MMAP_THRESHOLD` 4 MiB, `M_TRIM_THRESHOLD` 32 MiB).
    public static func apply() {
        #if canImport(Glibc)
        _ = mallopt(mmapThreshold, 4 << 20)
        _ = mallopt(trimThreshold, 32 << 20)
        #endif
    }

    #if canImport(Glibc)
    // <malloc.h> is not part of the Glibc module: its two constants and `mallopt` itself.
    private static let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
    private static let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
    #endif
}

#if canImport(Glibc)
/// `int mallopt(int param, int value)` from glibc.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
