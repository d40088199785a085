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
        // /dev/full accepts opens and fails every write with ENOSPC. Writers
        // create their files with O_EXCL, so the device is opened here and
        // handed over as a descriptor (as standard output is).
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0, "/dev/full cannot be opened on this machine")
        defer { close(fd) }
        let data = [UInt8](repeating: 1, count: 1 << 20)
        let message = errorMessage {
            let file = SequentialFile(descriptor: fd, name: "d/features.npy")
            try file.write(data.span.bytes)
            try file.finish()
        }
        #expect(message?.hasPrefix("d/features.npy: ") == true)
        #expect(message?.contains("(no space left on device)") == true, "\(message ?? "")")
        // A writer never opens what is already at its name, a device included.
        #expect(errorMessage { _ = try NpyWriter(path: "/dev/full", type: .float32, shape: [4]) } == "/dev/full: cannot create file (file exists)")
    }
}

/// A thread-safe call counter for the pipeline's background writer.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
