import Dispatch
import SynthctlCore

/// Writes a text embedder's output as a NumPy `.npy` (format 1.0, `<f4`,
/// shape texts × dimensions, C order): the header, then the rows in text
/// order, computed a batch at a time into one of two buffers while the
/// other is written by a background thread, so that memory is two batches
/// whatever the number of texts and the disk is busy while the cores embed.
package enum EmbeddingFile {
    /// Rows per batch: about 8 MB of float32 rows.
    static func batchRows(dimensions: Int) -> Int { max(1, (8 << 20) / (4 * dimensions)) }

    /// Writes the embedding of every text of `texts` to `file` (which the
    /// caller opened and finishes), `batch` rows at a time (by default
    /// ``batchRows(dimensions:)``). Errors: the file's writes.
    package static func write(_ embedder: HashingEmbedder, texts: TextColumn, idf: [Double]?, threads: Int, batch: Int? = nil,
                              to file: SequentialFile) throws {
        let d = embedder.dimensions, n = texts.count
        let header = NpyWriter.header(type: .float32, shape: [n, d], payloadBytes: n * d * 4)
        try file.write(header.span.bytes)
        let batch = min(max(n, 1), batch ?? batchRows(dimensions: d))
        let buffers = [UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * d),
                       UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * d)]
        defer { buffers.forEach { $0.deallocate() } }
        // A buffer is free again once its write has run (one signal per buffer at the start).
        let free = [DispatchSemaphore(value: 1), DispatchSemaphore(value: 1)]
        let writer = SerialBackgroundWorker(label: "synthctl.embed.write")
        var start = 0, k = 0
        while start < n, writer.failure == nil {
            let end = min(n, start + batch)
            free[k].wait()
            let rows = UnsafeMutableBufferPointer(rebasing: buffers[k][..<((end - start) * d)])
            embedder.embed(texts, range: start..<end, idf: idf, threads: threads, into: rows)
            let signal = free[k]
            writer.submit({ try file.write(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rows))) }, done: { signal.signal() })
            start = end
            k ^= 1
        }
        try writer.finish()
    }
}
