import Foundation
import SynthctlCore

extension ParquetMetadata {
    /// The footer of the Parquet file at `path`, read from the file's end
    /// alone (its last 8 bytes give the footer's length, then the footer):
    /// kilobytes, whatever the file's size, for checks that need only the
    /// footer's key-value metadata before the data is read.
    ///
    /// - Throws: ``InputError`` naming `path` when it cannot be read or does
    ///   not end as a Parquet file does (`PAR1` after the footer's length).
    init(footerOfFileAt path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, expected: "a readable Parquet file", found: "one that cannot be opened")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        func bytes(from offset: Int, count: Int) throws -> [UInt8] {
            try handle.seek(toOffset: UInt64(offset))
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        }
        let tail = size >= 12 ? try bytes(from: size - 8, count: 8) : []
        guard tail.count == 8, tail.suffix(4).elementsEqual("PAR1".utf8) else {
            throw InputError(file: path, expected: "a Parquet file (PAR1 at both ends)", found: size < 12 ? "\(size) bytes" : "other bytes")
        }
        let length = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
        guard length > 0, length <= size - 12 else {
            throw InputError(file: path, expected: "a footer of at most \(size - 12) bytes", found: "a length of \(length)")
        }
        try self.init(try bytes(from: size - 8 - length, count: length), describe: path)
    }
}
