// swift-tools-version:6.2
// libFuzzer targets for every parser and engine of the root package (issue 8).
// Built ONLY by Fuzz/run.sh, never by the root `swift build`:
//   cd Fuzz && swift build -c release --sanitize fuzzer --sanitize address \
//       -Xswiftc -enable-testing -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
//       --disable-dead-strip --scratch-path ../.build-fuzz
// (Swift 6.3's driver does not pass coverage instrumentation to the frontend for
// `-sanitize=fuzzer` alone, and release links with --gc-sections, which would drop the
// counters: without both flags every target runs blind. run.sh checks for the counters.)
// (`-enable-testing` lets the handshake decoder target reach the internal message decoder.)
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

/// One libFuzzer executable per target name; each has `Sources/<name>/main.swift`.
let targetNames = [
    "FuzzRecordDeframer", "FuzzRecordOpener", "FuzzHandshakeDecoder", "FuzzServerEngine",
    "FuzzClientEngine", "FuzzCertificate", "FuzzPathValidator", "FuzzPEMKey", "FuzzPDUDecoder", "FuzzULAcceptor",
]

let package = Package(
    name: "DicomTLSFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "DicomTLS", path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "TLSHandshake", package: "DicomTLS"),
                .product(name: "TLSRecord", package: "DicomTLS"),
                .product(name: "X509", package: "DicomTLS"),
                .product(name: "CryptoPrimitives", package: "DicomTLS"),
                .product(name: "DicomUL", package: "DicomTLS"),
            ]),
    ]
        + targetNames.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzSupport",
                    .product(name: "TLSHandshake", package: "DicomTLS"),
                    .product(name: "TLSRecord", package: "DicomTLS"),
                    .product(name: "X509", package: "DicomTLS"),
                    .product(name: "CryptoPrimitives", package: "DicomTLS"),
                    .product(name: "DicomUL", package: "DicomTLS"),
                ],
                swiftSettings: fuzzFlags)
        }
)
