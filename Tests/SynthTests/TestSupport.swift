import Foundation
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// Builds a plan from a JSON spec literal.
func plan(_ json: String, source: String = "test") throws -> DatasetPlan {
    try DatasetPlan(spec: JSONDecoderBox.decode(json), source: source)
}

/// Generates all rows of a plan in memory.
func generateAll(_ p: DatasetPlan, threads: Int = 2) -> (chunk: DatasetChunk, stats: RealizedStatistics) {
    var w = DatasetWriter(plan: p)
    w.threads = threads
    var stats = RealizedStatistics(classes: p.generator.classCount, annotators: p.annotators?.count ?? 0)
    let chunk = w.generate(0..<p.rows, stats: &stats)
    return (chunk, stats)
}

/// The error message a throwing call produces, or nil if it does not throw.
func errorMessage(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
}

/// A temporary directory removed at exit of the test process (``TemporaryPaths/shared``).
func temporaryDirectory() -> String {
    TemporaryPaths.shared.directory("synthctl-test")
}
