import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// Failures in the middle of writing: they surface as one-line errors and
/// stop the run.
@Suite struct WriterFailureTests {
    struct Boom: Error {}

    @Test func aFailingChunkWriteStopsThePipeline() throws {
        let p = try plan(#"{"rows": 400000, "generator": {"type": "blobs", "features": 4}}"#)
        let w = DatasetWriter(plan: p)
        #expect(w.chunkRows < 200000)  // several chunks
        let calls = Counter()
        #expect(throws: Boom.self) {
            _ = try w.pipeline(0..<p.rows, stages: [{ chunk in
                calls.increment()
                if chunk.rows.lowerBound > 0 { throw Boom() }
            }])
        }
        // The chunk after the failed one may already be queued; nothing later runs.
        #expect(calls.value == 2)
    }

    @Test func aFullDiskIsReportedWithThePath() throws {
        // /dev/full accepts opens and fails every write with ENOSPC (here
        // already the header's, as files are written without a user-space
        // buffer).
        let data = [Float](repeating: 1, count: 1 << 20)
        let message = errorMessage {
            let writer = try NpyWriter(path: "/dev/full", type: .float32, shape: [1 << 20])
            try data.withUnsafeBufferPointer { try writer.append($0) }
            _ = try writer.finish()
        }
        #expect(message?.hasPrefix("/dev/full: ") == true)
        #expect(message?.contains("(no space left on device)") == true, "\(message ?? "")")
    }
}

/// A thread-safe call counter for the pipeline's background writer.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
