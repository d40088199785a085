import Dispatch
import Synth
import SynthctlCore

/// Writes a text embedder's output: as a NumPy `.npy` (format 1.0, `<f4`,
/// shape texts × dimensions, C order), or as a Parquet table with the
/// embeddings in a list-of-float column beside the input's columns.
///
/// The `.npy` is the header, then the rows in text order, computed a batch
/// at a time into one of two buffers while the other is written by a
/// background thread, so that the disk is busy while the cores embed. The
/// texts come a batch at a time too (``TextBlocks``): memory is two
/// batches of rows and one of texts, whatever the number of texts.
///
/// The writers take the embedder as ``Rows``, a function that embeds a
/// block of texts, so that the hashing embedder and a sentence-transformers
/// model share them (``rows(_:idf:threads:)``, ``rows(_:cache:threads:)``).
package enum EmbeddingFile {
    /// Fills `output` with the embeddings of `texts`: texts.count ×
    /// dimensions float32, row-major, row k for text k.
    package typealias Rows = (_ texts: TextColumn, _ output: inout MutableSpan<Float>) throws -> Void

    /// The hashing embedder's rows (`idf` is its fit on all the texts, or nil).
    package static func rows(_ embedder: HashingEmbedder, idf: InverseDocumentFrequencies?, threads: Int) -> Rows {
        { texts, output in embedder.embed(texts, range: 0..<texts.count, idf: idf, threads: threads, into: &output) }
    }

    /// A sentence-transformers model's rows, through `cache` when given.
    package static func rows(_ model: SentenceTransformer, cache: EmbeddingCache?, threads: Int) -> Rows {
        { texts, output in
            let block = (0..<texts.count).map(texts.text)
            let vectors = cache?.embeddings(of: block, model: model, threads: threads) ?? model.embed(block, threads: threads)
            output.withUnsafeMutableBufferPointer { out in
                precondition(out.count == vectors.count)
                for k in vectors.indices { out[k] = vectors[k] }
            }
        }
    }

    /// Rows per batch: about 8 MB of float32 rows.
    static func batchRows(dimensions: Int) -> Int { max(1, (8 << 20) / (4 * dimensions)) }

    /// Writes the rows of `texts` (one pass, from its start), each of
    /// `dimensions` float32 (``Rows``), to `file` (which the caller opened
    /// and finishes), `batch` rows at a time (by default
    /// ``batchRows(dimensions:)``). Errors: reading the texts, the file's writes.
    package static func write(dimensions d: Int, texts: TextBlocks, batch: Int? = nil, rows embed: Rows, to file: SequentialFile) throws {
        let n = texts.count
        let header = NpyWriter.header(type: .float32, shape: [n, d], payloadBytes: n * d * 4)
        try file.write(header.span.bytes)
        let batch = min(max(n, 1), batch ?? batchRows(dimensions: d))
        let buffers = [UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * d),
                       UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * d)]
        defer { buffers.forEach { $0.deallocate() } }
        // A buffer is free again once its write has run (one signal per buffer at the start).
        let free = [DispatchSemaphore(value: 1), DispatchSemaphore(value: 1)]
        let writer = SerialBackgroundWorker(label: "synthctl.embed.write")
        texts.rewind()
        var start = 0, k = 0
        while start < n, writer.failure == nil {
            let end = min(n, start + batch)
            free[k].wait()
            let rows = UnsafeMutableBufferPointer(rebasing: buffers[k][..<((end - start) * d)])
            var span = rows.mutableSpan
            do {
                try embed(texts.next(end - start), &span)
            } catch {
                // The other buffer's write ends before the buffers go.
                try? writer.finish()
                throw error
            }
            let signal = free[k]
            writer.submit({ try file.write(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rows))) }, done: { signal.signal() })
            start = end
            k ^= 1
        }
        try writer.finish()
    }

    /// Writes a Parquet table (Snappy) of the texts' rows with their
    /// embeddings (``Rows``) in a column named `column`, a three-level LIST
    /// of FLOAT of `dimensions` per row (what pyarrow writes for a
    /// `list<float>`, read back by pandas as arrays, by Polars as lists):
    ///
    /// - from a table (`table`, read whole for its other columns): every
    ///   column of it (a Parquet input's as stored, ``ParquetTableSplit``; a
    ///   CSV, TSV or JSON Lines input's typed by their cells,
    ///   ``ParquetWritableTable/init(carrying:path:textColumn:)``), then `column`;
    /// - from a text file (`table` nil): the texts, in a STRING column
    ///   named as the input's (`text` for a text file), then `column`.
    ///
    /// The embeddings are computed a row group at a time. Errors: reading the texts, the file's writes.
    package static func writeParquet(dimensions d: Int, texts: TextBlocks, table: ParquetWritableTable?, column: String, rows embedRows: @escaping Rows,
                                     to file: SequentialFile) throws {
        let list = ParquetColumn(name: column, kind: .floatList(width: d), logicalType: .none, optional: false)
        func embed(_ block: TextColumn, into values: inout [Float]) throws {
            // The buffer is kept from one row group to the next (the last one may be shorter).
            if values.count != block.count * d { values = [Float](repeating: 0, count: block.count * d) }
            var span = values.mutableSpan
            try embedRows(block, &span)
        }
        let sink: ParquetFileWriter.Sink = { try file.write($0) }
        texts.rewind()
        if let table {
            // The rows go in order, a row group at a time: the texts' next block is the group's.
            let appended = ParquetWritableTable.AppendedColumn(column: list) { chosen, values in
                try embed(texts.next(chosen.count), into: &values)
            }
            try table.write(rows: Array(0..<texts.count), appending: [appended], to: sink)
            return
        }
        let writer = try ParquetFileWriter(columns: [ParquetColumn(name: texts.column ?? "text", kind: .text), list], codec: .snappy, keyValues: [],
                                           createdBy: "synthctl version \(SynthVersion.current)", threads: 1, sink: sink)
        var done = 0, values = [Float]()
        while done < texts.count {
            let n = min(writer.room, texts.count - done)
            let block = try texts.next(n)
            let strings = (0..<n).map(block.text)
            writer.appendTexts(column: 0, from: strings.span, rows: n)
            try embed(block, into: &values)
            writer.appendList(column: 1, from: values.span, rows: n)
            try writer.commit(rows: n)
            done += n
        }
        _ = try writer.finish()
    }
}
