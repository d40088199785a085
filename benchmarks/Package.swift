// swift-tools-version:6.1
// Benchmarks of synthctl's generation, with ordo-one/benchmark
// (`swift package benchmark` in this directory). A separate package so that
// the main package's build and tests do not depend on the benchmark tooling.
import PackageDescription

let package = Package(
    name: "synthctl-benchmarks",
    dependencies: [
        .package(name: "synthctl", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Generation",
            dependencies: [
                .product(name: "SynthctlCore", package: "synthctl"),
                .product(name: "Synth", package: "synthctl"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Generation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
