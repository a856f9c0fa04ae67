import Metrics

/// The async server's swift-metrics instruments (labels `dicom_…`). Whatever metrics backend
/// the application bootstrapped (Prometheus, StatsD, OpenTelemetry) receives them.
struct DicomServerMetrics: Sendable {
    /// Associations by result: `accepted`, `rejected`, `refused` (admission cap, closed
    /// before associating), `released`, `aborted`.
    func association(_ result: String) {
        Counter(label: "dicom_associations_total", dimensions: [("result", result)]).increment()
    }

    /// One object stored (status success), its data set size.
    func stored(bytes: Int) {
        Counter(label: "dicom_objects_stored_total").increment()
        Counter(label: "dicom_bytes_stored_total").increment(by: bytes)
    }

    /// A C-STORE answered with a failure or warning.
    func storeFailed(status: String) {
        Counter(label: "dicom_store_failures_total", dimensions: [("status", status)]).increment()
    }

    /// A TLS handshake that failed, by alert (sent or received) or cause.
    func handshakeFailed(alert: String) {
        Counter(label: "dicom_tls_handshake_failures_total", dimensions: [("alert", alert)]).increment()
    }

    /// Associations in progress.
    var active: Meter { Meter(label: "dicom_active_associations") }

    /// How long associations last.
    func associationEnded(after duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Timer(label: "dicom_association_duration").recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
