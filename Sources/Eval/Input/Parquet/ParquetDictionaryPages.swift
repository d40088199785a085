import SynthctlCore

extension ParquetFile {
    /// The dictionary page of column `c` in every row group, in row-group
    /// order, as label text: strings as stored, plain integers in decimal.
    /// Only the dictionary pages are read (the data pages are not), so
    /// this costs a few hundred bytes per row group for a label column.
    ///
    /// - Returns: nil when the column is neither text nor plain integers,
    ///   or when a row group's chunk holds no dictionary page (it was
    ///   written plain): then there is no dictionary order to read.
    /// - Throws: ``InputError`` naming the column and row group for a page
    ///   that cannot be read (outside its chunk, corrupt, not UTF-8).
    func dictionaryPages(_ c: Int) throws -> [[String]]? {
        let column = meta.columns[c]
        guard column.list == nil, column.unsupported == nil else { return nil }
        var decoder = _ParquetColumnDecoder(column: column, path: path)
        switch (decoder.storage, column.annotation) {
        case (.strings, _), (.integers, .none): break
        default: return nil
        }
        var pages = [[String]]()
        for (g, group) in meta.rowGroups.enumerated() where group.rows > 0 {
            let chunk = group.chunks[column.chunk]
            guard ParquetCompression.isSupported(chunk.codec) else { return nil }
            let first = chunk.dictionaryPageOffset.map { min($0, chunk.dataPageOffset) } ?? chunk.dataPageOffset
            guard first >= 4, first < Int64(bytes.count - 8) else {
                throw decoder.failure("a column chunk inside the file", "row group \(g) at \(first) of \(bytes.count) bytes")
            }
            var r = ThriftCompactReader(bytes, at: Int(first), describe: "\(path): column \"\(column.name)\" page header")
            let header = try ParquetPageHeader(&r)
            guard header.kind == ParquetPageHeader.Kind.dictionary.rawValue else { return nil }
            let start = r.position, (stop, overflow) = start.addingReportingOverflow(header.compressedSize)
            guard header.compressedSize >= 0, header.valueCount >= 0, header.uncompressedSize >= 0, !overflow, stop <= bytes.count - 8 else {
                throw decoder.failure("a dictionary page inside the file", "row group \(g): \(header.compressedSize) bytes at \(start)")
            }
            let plain = try decoder.decompress(bytes[start..<stop], codec: chunk.codec, size: header.uncompressedSize)
            decoder.badDictionaryEntries = [:]
            try decoder.readPlain(plain[...], count: header.valueCount, intoDictionary: true)
            if let (i, bad) = decoder.badDictionaryEntries.min(by: { $0.key < $1.key }) {
                throw decoder.failure(bad.expected, "\(bad.found) in the dictionary of row group \(g), entry \(i)")
            }
            pages.append(decoder.storage == .strings ? decoder.dictionaryStrings : decoder.dictionaryIntegers.map { String($0) })
        }
        return pages
    }
}
