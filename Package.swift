// swift-tools-version:6.2
// A pure-Swift TLS 1.0 stack and DICOM secure transport.
// Layout and dependency rules: ../shared/DESIGN.md §1 and STYLE.md §1.
import PackageDescription

/// Settings for every Swift target of ours: Swift 6 mode, strict concurrency,
/// `ExistentialAny`, `MemberImportVisibility`, and no warnings.
let common: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]
/// Library code also marks every unsafe use explicitly (STYLE.md §5).
let strict: [SwiftSetting] = common + [.strictMemorySafety()]

let package = Package(
    name: "DicomTLS",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CryptoPrimitives", targets: ["CryptoPrimitives"]),
        .library(name: "TLSRecord", targets: ["TLSRecord"]),
        .library(name: "X509", targets: ["X509"]),
        .library(name: "TLSHandshake", targets: ["TLSHandshake"]),
        .library(name: "TLSSockets", targets: ["TLSSockets"]),
        .library(name: "TLSNIO", targets: ["TLSNIO"]),
        .library(name: "DicomUL", targets: ["DicomUL"]),
        .library(name: "DicomNIO", targets: ["DicomNIO"]),
        .executable(name: "dicomtls", targets: ["dicomtls"]),
        .executable(name: "TLSBenchmarks", targets: ["TLSBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (the DocC catalogues in Sources/<Module>/<Module>.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // The event-loop adapter (TLSNIO) and its logging.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The async DICOM server's metrics and its graceful shutdown inside a larger application.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C system libraries: module maps and shim headers only.
        .systemLibrary(
            name: "CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CGMP", pkgConfig: "gmp",
            providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Swift layers, dependencies pointing one way (DESIGN.md §1).
        .target(name: "CryptoPrimitives", dependencies: ["CLibCrypto"], swiftSettings: strict),
        .target(name: "TLSRecord", dependencies: ["CryptoPrimitives", "CZlib"], swiftSettings: strict),
        .target(name: "X509", dependencies: ["CryptoPrimitives", "CGMP"], swiftSettings: strict),
        .target(name: "TLSHandshake", dependencies: ["CryptoPrimitives", "TLSRecord", "X509"], swiftSettings: strict),
        // I/O adapters drive the engine from outside it (DESIGN.md §2): blocking POSIX sockets.
        .target(name: "TLSSockets", dependencies: ["TLSHandshake", "TLSRecord"], swiftSettings: strict),
        // SwiftNIO: a channel handler over the engine, bootstrap helpers and async channels.
        .target(
            name: "TLSNIO",
            dependencies: [
                "TLSHandshake", "TLSRecord", "X509",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(name: "DicomUL", dependencies: ["TLSHandshake", "TLSSockets", "X509"], swiftSettings: strict),
        // The async association driver and services-as-handlers server on SwiftNIO (TCP and TLS).
        .target(
            name: "DicomNIO",
            dependencies: [
                "DicomUL", "TLSNIO", "TLSHandshake", "TLSRecord", "TLSSockets", "X509", "CryptoPrimitives",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "dicomtls",
            dependencies: [
                "DicomUL", "DicomNIO", "TLSHandshake", "TLSSockets", "TLSNIO", "TLSRecord", "X509",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: common),

        // The benchmark executable and its malloc counter.
        .target(name: "CMallocCounter", path: "Benchmarks/CMallocCounter"),
        .executableTarget(
            name: "TLSBenchmarks",
            dependencies: [
                "CLibCrypto", "CryptoPrimitives", "TLSRecord", "TLSHandshake", "TLSSockets", "TLSNIO", "X509", "DicomUL",
                "DicomNIO", "CMallocCounter", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/TLSBenchmarks",
            swiftSettings: common),

        // Tests mirror the module layout; TestSupport finds and parses Vectors/.
        .target(name: "TestSupport", dependencies: ["CryptoPrimitives"], path: "Tests/Support", swiftSettings: common),
        .testTarget(name: "CryptoPrimitivesTests", dependencies: ["CryptoPrimitives", "TestSupport"], swiftSettings: common),
        .testTarget(
            name: "TLSHandshakeTests",
            dependencies: [
                "TLSHandshake", "TLSSockets", "TLSNIO", "TestSupport", "X509", "TLSRecord", "CryptoPrimitives",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            exclude: ["Interop/Scripts"], swiftSettings: common),
        .testTarget(name: "TLSSocketsTests", dependencies: ["TLSSockets", "TLSHandshake", "TLSRecord"], swiftSettings: common),
        .testTarget(name: "X509Tests", dependencies: ["X509", "TestSupport"], swiftSettings: common),
        .testTarget(name: "TLSRecordTests", dependencies: ["TLSRecord", "TestSupport"], exclude: ["Scripts"], swiftSettings: common),
        .testTarget(
            name: "ExamplesTests", dependencies: ["DicomUL", "TLSHandshake", "TLSSockets", "TLSRecord", "X509", "CryptoPrimitives", "TestSupport"],
            swiftSettings: common),
        .testTarget(
            name: "DicomULTests",
            dependencies: [
                "DicomUL", "DicomNIO", "TestSupport", "TLSHandshake", "TLSSockets", "X509",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: common),
        .testTarget(
            name: "DicomNIOTests",
            dependencies: [
                "DicomNIO", "DicomUL", "CryptoPrimitives", "TestSupport", "TLSHandshake", "TLSNIO", "X509",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: common),
        // Load, soak and timing (issue 8): DICOM over TLS, the CLI server.
        .testTarget(
            name: "RobustnessTests",
            dependencies: [
                "DicomUL", "DicomNIO", "TLSHandshake", "TLSSockets", "TLSRecord", "X509", "CryptoPrimitives", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: common),
    ]
)
