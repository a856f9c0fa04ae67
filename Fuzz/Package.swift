// swift-tools-version:6.2
// libFuzzer targets for every parser and engine of the root package (issue 8).
// Built ONLY by Fuzz/run.sh, never by the root `swift build`:
//   cd Fuzz && swift build -c release --sanitize fuzzer --sanitize address \
//       -Xswiftc -enable-testing --disable-dead-strip --scratch-path ../.build-fuzz
// (`--disable-dead-strip`: release links with --gc-sections, which drops the coverage
// counters libFuzzer needs; without it every target runs blind.)
// (`-enable-testing` lets the handshake decoder target reach the internal message decoder.)
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

/// One libFuzzer executable per target name; each has `Sources/<name>/main.swift`.
let targetNames = [
    "FuzzRecordDeframer", "FuzzRecordOpener", "FuzzHandshakeDecoder", "FuzzServerEngine",
    "FuzzClientEngine", "FuzzCertificate", "FuzzPEMKey", "FuzzPDUDecoder", "FuzzULAcceptor",
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
