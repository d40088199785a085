import Dispatch
import Synth
import SynthctlCore

/// Writes a text embedder's output: as a NumPy `.npy` (format 1.0, `<f4`,
/// shape texts × dimensions, C order), or as a Parquet table with the
/// embeddings in a list-of-float column beside the input's columns.
///
/// The `.npy` is the header, then the rows in text order, computed a batch
/// at a time into one of two buffers while the other is written by a
/// background thread, so that memory is two batches whatever the number of
/// texts and the disk is busy while the cores embed.
package enum EmbeddingFile {
    /// Rows per batch: about 8 MB of float32 rows.
    static func batchRows(dimensions: Int) -> Int { max(1, (8 << 20) / (4 * dimensions)) }

    /// Writes the embedding of every text of `texts` to `file` (which the
    /// caller opened and finishes), `batch` rows at a time (by default
    /// ``batchRows(dimensions:)``). Errors: the file's writes.
    package static func write(_ embedder: HashingEmbedder, texts: TextColumn, idf: InverseDocumentFrequencies?, threads: Int, batch: Int? = nil,
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
            var span = rows.mutableSpan
            embedder.embed(texts, range: start..<end, idf: idf, threads: threads, into: &span)
            let signal = free[k]
            writer.submit({ try file.write(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rows))) }, done: { signal.signal() })
            start = end
            k ^= 1
        }
        try writer.finish()
    }

    /// Writes a Parquet table (Snappy) of the texts' rows with their
    /// embeddings in a column named `column`, a three-level LIST of FLOAT
    /// of ``HashingEmbedder/dimensions`` per row (what pyarrow writes for a
    /// `list<float>`, read back by pandas as arrays, by Polars as lists):
    ///
    /// - from a Parquet input (`table`, read whole for its other columns):
    ///   every column of it as stored (``ParquetTableSplit``), then `column`;
    /// - from a text table or a text file (`table` nil): the texts, in a
    ///   STRING column named as the input's (`text` for a text file), then `column`.
    ///
    /// The embeddings are computed a row group at a time. Errors: the file's writes.
    package static func writeParquet(_ embedder: HashingEmbedder, texts: TextColumn, idf: InverseDocumentFrequencies?, threads: Int, table: ParquetTableSplit?,
                                     column: String, to file: SequentialFile) throws {
        let d = embedder.dimensions
        let list = ParquetColumn(name: column, kind: .floatList(width: d), logicalType: .none, optional: false)
        var floats = [Float]()
        func embed(_ range: Range<Int>, into values: inout [Double]) {
            floats = [Float](repeating: 0, count: range.count * d)
            var span = floats.mutableSpan
            embedder.embed(texts, range: range, idf: idf, threads: threads, into: &span)
            values = floats.map(Double.init)
        }
        let sink: ParquetFileWriter.Sink = { try file.write($0) }
        if let table {
            let appended = ParquetTableSplit.AppendedColumn(column: list) { chosen, values in
                embed(chosen.first!..<(chosen.last! + 1), into: &values)
            }
            try table.write(rows: Array(0..<texts.count), appending: [appended], to: sink)
            return
        }
        let writer = try ParquetFileWriter(columns: [ParquetColumn(name: texts.column ?? "text", kind: .text), list], codec: .snappy, keyValues: [],
                                           createdBy: "synthctl version \(SynthVersion.current)", threads: 1, sink: sink)
        var done = 0, values = [Double]()
        while done < texts.count {
            let n = min(writer.room, texts.count - done)
            let strings = (done..<(done + n)).map(texts.text)
            writer.appendTexts(column: 0, from: strings.span, rows: n)
            embed(done..<(done + n), into: &values)
            writer.appendList(column: 1, from: values.span, rows: n)
            try writer.commit(rows: n)
            done += n
        }
        _ = try writer.finish()
    }
}
