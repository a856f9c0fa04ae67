import CoreMetrics
import DicomUL
import Foundation
import Metrics
import MetricsTestKit
import Testing
import TestSupport
@testable import DicomNIO

/// The server's swift-metrics instruments, read through swift-metrics' `TestMetrics`
/// (bootstrapped once for the test process; other suites may add to the same counters, so
/// this test checks increases).
@Suite(.timeLimit(.minutes(2))) struct MetricsTests {
    static let metrics: TestMetrics = {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()

    static func total(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        metrics.counters(label: label, dimensions: dimensions).reduce(0) { $0 + $1.totalValue }
    }

    @Test func associationsObjectsAndBytesAreCounted() async throws {
        let metrics = Self.metrics
        let before = (
            accepted: Self.total("dicom_associations_total", [("result", "accepted")]),
            released: Self.total("dicom_associations_total", [("result", "released")]),
            stored: Self.total("dicom_objects_stored_total"), bytes: Self.total("dicom_bytes_stored_total"))
        let out = try temporaryFolder("metrics")
        let running = try await RunningServer.start {
            $0.services = DicomServices(store: try? FolderStorageHandler(directory: out))
            $0.logger = quietLogger
        }
        let port = running.port
        let src = try temporaryFolder("metrics-src")
        let files = try writeObjects(2, rows: 100, columns: 100, in: src)
        let summary = try await offPool {
            try DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 10, reply: 60)))
                .store(files: files.map(\.path))
        }
        #expect(summary.failures.isEmpty)
        await running.stop()
        #expect(Self.total("dicom_associations_total", [("result", "accepted")]) - before.accepted >= 1)
        #expect(Self.total("dicom_associations_total", [("result", "released")]) - before.released >= 1)
        #expect(Self.total("dicom_objects_stored_total") - before.stored >= 2)
        #expect(Self.total("dicom_bytes_stored_total") - before.bytes >= Int64(files.map(\.object.dataSet.count).reduce(0, +)))
        #expect(try metrics.expectMeter("dicom_active_associations").values.contains(1))
        #expect(try metrics.expectTimer("dicom_association_duration").values.count >= 1)
    }
}
