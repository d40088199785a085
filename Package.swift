// swift-tools-version:6.0
import PackageDescription

// The libraries are numeric code whose SIMD and unsafe-pointer loops run
// 20–50× slower unoptimized; the tests (built in debug) would spend minutes
// in them. They are compiled with -O in every configuration; the tests and
// the command line keep debug builds.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "synthctl",
    products: [
        .library(name: "Synth", targets: ["Synth"]),
        .library(name: "Eval", targets: ["Eval"]),
        // The shared core, a product only so that the benchmark package
        // (benchmarks/, a separate package) can time its kernels; its API is
        // the project's own, not a stable one.
        .library(name: "SynthctlCore", targets: ["SynthctlCore"]),
        .executable(name: "synthctl", targets: ["synthctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // BLAS and LAPACK from the system (Debian: libopenblas-dev, liblapacke-dev).
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            providers: [.apt(["libblas-dev", "liblapack-dev", "libopenblas-dev", "liblapacke-dev"])]
        ),
        // Compression codecs from the system (Debian's dev packages), for
        // Parquet pages and compressed files: a well-kept library each.
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CBrotli", path: "Sources/CBrotli", providers: [.apt(["libbrotli-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", providers: [.apt(["libsnappy-dev"])]),
        // glibc's mallopt, for the command line's allocator settings (part of libc: nothing to link).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // The normal sampler's AVX2 and AVX-512 forms, chosen at run time.
        .target(name: "CNormalKernel", path: "Sources/CNormalKernel", cSettings: [.unsafeFlags(["-O2"])]),
        // The RBF kernel's exponentials (polynomialExp over a distance row) in AVX2 and AVX-512, chosen at run time.
        .target(name: "CExpKernel", path: "Sources/CExpKernel", cSettings: [.unsafeFlags(["-O2"])]),
        // What generation and evaluation share: matrices and linear algebra,
        // random streams, parallel row blocks, special functions, JSON, errors,
        // and files in and out (.npy arrays, atomic outputs, checked inputs,
        // compression codecs).
        // The project's own: its public products are Synth and Eval.
        .target(
            name: "SynthctlCore",
            dependencies: [
                "CBLAS",
                "CNormalKernel",
                "CExpKernel",
                "CZstd", "CZlib", "CLZ4", "CBrotli", "CSnappy",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimizedEvenInDebug
        ),
        // Generation: generators, label noise, annotator pools, specs, fitted models, datasets.
        .target(
            name: "Synth",
            dependencies: [
                "SynthctlCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: optimizedEvenInDebug
        ),
        // Evaluation: label quality, agreement, aggregation, fidelity, limits, reports.
        .target(name: "Eval", dependencies: ["SynthctlCore", "Synth"], swiftSettings: optimizedEvenInDebug),
        .executableTarget(
            name: "synthctl",
            dependencies: [
                "SynthctlCore",
                "Synth",
                "Eval",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the test targets share: temporary paths removed after each test, a seeded generator for fuzzing.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SynthTests", dependencies: ["SynthctlCore", "Synth", "TestSupport"]),
        // Fixtures are read from the source tree by path (reference data, not bundle resources).
        .testTarget(name: "EvalTests", dependencies: ["SynthctlCore", "Synth", "Eval", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "synthctlTests", dependencies: ["synthctl", "SynthctlCore", "Synth", "Eval", "TestSupport"]),
    ]
)
