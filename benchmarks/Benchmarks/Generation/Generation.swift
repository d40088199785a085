import Benchmark
import Foundation
import Synth
import SynthctlCore

/// Generation throughput, one benchmark per stage so that a regression points
/// at its stage: the normal sampler, the generators in memory (the shapes of
/// the README's side-by-side run, scaled down), the reproducible matrix
/// product, and a whole dataset written to disk. `.throughput` counts
/// iterations per second; each benchmark's name says what one iteration is.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 50
    )

    // 1M standard normals per iteration, the unit of every generator's cost.
    Benchmark("normals: 1M (vectorized Philox + Box–Muller)") { benchmark in
        let stream = RandomStream(seed: 1, purpose: .samples)
        var out = [Float](repeating: 0, count: 1 << 20)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            var span = out.mutableSpan
            stream.fillNormals(row: UInt64(i), into: &span)
            blackHole(out[0])
        }
    }

    func inMemory(_ name: String, _ generator: JSONValue, rows: Int) {
        Benchmark("generate in memory: \(name), \(rows) rows") { benchmark in
            let plan = try DatasetPlan(spec: .object(["rows": .int(rows), "seed": .int(0), "generator": generator]),
                                       source: "benchmark")
            var writer = DatasetWriter(plan: plan)
            writer.threads = Parallel.coreCount
            BLAS.useSingleThreadedBLAS()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                var stats = RealizedStatistics(classes: plan.generator.classCount, annotators: 0)
                blackHole(writer.generate(0..<rows, stats: &stats).features.count)
            }
        }
    }
    inMemory("classification 128 features, 10 classes",
             .object(["type": .string("classification"), "features": .int(128), "informative": .int(16),
                      "redundant": .int(8), "classes": .int(10)]), rows: 100_000)
    inMemory("blobs 128 features, 10 centres",
             .object(["type": .string("blobs"), "features": .int(128), "centers": .int(10)]), rows: 100_000)
    inMemory("embedding 384-d, rank 32, 50 classes",
             .object(["type": .string("embedding"), "dim": .int(384), "classes": .int(50), "rank": .int(32)]),
             rows: 50_000)
    inMemory("multilabel 128 words, 10 labels",
             .object(["type": .string("multilabel"), "features": .int(128), "labels": .int(10)]), rows: 100_000)

    // The generators' thin products: 2048 rows × 32 latent × 384 output.
    Benchmark("reproducible product 2048×32 · 32×384") { benchmark in
        var a = Matrix(rows: 2048, columns: 32), b = Matrix(rows: 32, columns: 384)
        for i in a.storage.indices { a.storage[i] = Float(i % 7) - 3 }
        for i in b.storage.indices { b.storage[i] = Float(i % 5) - 2 }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(ReproducibleProduct.multiply(a, b).storage[0]) }
    }

    // The whole command's work: generate, hash and write a dataset directory.
    Benchmark("write dataset: classification 200k × 128", configuration: .init(maxIterations: 10)) { benchmark in
        let plan = try DatasetPlan(spec: .object([
            "rows": .int(200_000), "seed": .int(0),
            "generator": .object(["type": .string("classification"), "features": .int(128), "informative": .int(16),
                                  "redundant": .int(8), "classes": .int(10)]),
        ]), source: "benchmark")
        let out = NSTemporaryDirectory() + "synthctl-benchmark-\(getpid())"
        var writer = DatasetWriter(plan: plan)
        writer.force = true
        defer { try? FileManager.default.removeItem(atPath: out) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try writer.write(to: out).bytes) }
    }
}
