import Testing
import Foundation
@testable import Eval
import Synth
@testable import SynthctlCore

/// Issue 14, item 6: one reader per table format, one dispatch. Every
/// registered format is chosen by each of its extensions (any case) and by
/// its first bytes, and reads a small table to the same cells.
@Suite struct TableReaderTests {
    @Test func everyFormatHasOneReaderAndItsOwnExtensions() {
        var seen = [String: TableFormat]()
        for format in TableFormat.allCases {
            #expect(format.reader.format == format, "\(format)")
            #expect(!format.reader.extensions.isEmpty, "\(format)")
            for ext in format.reader.extensions {
                #expect(seen.updateValue(format, forKey: ext) == nil, "\(ext) claimed twice")
                #expect(TableFormat(extensionOf: "data.\(ext)") == format)
                #expect(TableFormat(extensionOf: "/some/dir/DATA.\(ext.uppercased())") == format)
                #expect(TableFormat.of("x.\(ext)", bytes: Array("a,b\n".utf8)) == format, "the extension decides without --input-format")
                #expect(TableFormat.of("x.\(ext)", bytes: Array("PAR1".utf8)) == format, "the extension wins over the bytes")
            }
        }
        #expect(TableFormat(extensionOf: "data.txt") == nil && TableFormat(extensionOf: "csv") == nil)
        #expect(TableFormat.displayNames == "CSV, TSV, JSON Lines or Parquet")
    }

    /// The first bytes of each format as a writer makes them: Parquet's
    /// magic, a JSON object (after a byte-order mark and blank lines), CSV
    /// for anything else. TSV is never sniffed: tab-separated text with no
    /// extension reads as CSV unless `--input-format tsv` says otherwise.
    @Test func everyFormatIsChosenByItsFirstBytes() throws {
        let samples: [TableFormat: [[UInt8]]] = [
            .parquet: [Array("PAR1\u{0}\u{0}".utf8)],
            .jsonl: [Array("{\"a\": 1}\n".utf8), [0xEF, 0xBB, 0xBF] + Array(" \r\n\t{\"a\": 1}".utf8)],
            .csv: [Array("a,b\n1,2\n".utf8), [], Array("[1, 2]\n".utf8)],
            .tsv: [],
        ]
        for format in TableFormat.allCases {
            for bytes in samples[format] ?? [] {
                #expect(TableFormat(sniffing: bytes) == format, "\(format): \(bytes.prefix(12))")
                #expect(TableFormat.of("-", bytes: bytes) == format)
            }
        }
        #expect(TableFormat(sniffing: Array("a\tb\n1\t2\n".utf8)) == .csv)
        #expect(TableFormat.of("/dev/fd/3", bytes: Array("a\tb\n1\t2\n".utf8), explicit: .tsv) == .tsv)
        #expect(TSVReader.recognizes(Array("a\tb\n".utf8)) == false && CSVReader.recognizes(Array("a,b\n".utf8)) == false)
    }

    /// The same table in every format, read through the one dispatch,
    /// gives the same header and cells, each row located the format's way.
    @Test func everyFormatReadsTheSameTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("table-readers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let texts: [TableFormat: String] = [
            .csv: "id,label\n7,cat\n8,dog\n", .tsv: "id\tlabel\n7\tcat\n8\tdog\n",
            .jsonl: "{\"id\": \"7\", \"label\": \"cat\"}\n{\"id\": \"8\", \"label\": \"dog\"}\n",
        ]
        for (format, text) in texts {
            let path = "\(dir)/t.\(format.reader.extensions[0])"
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            var table = try TableSource(path)
            try table.load(columns: [0, 1])
            #expect(table.header == ["id", "label"] && table.rows == 2, "\(format)")
            // The second data row: under a header line in delimited text, the second line of JSON Lines.
            #expect(table.location(1) == (format == .jsonl ? .line(2) : .line(3)), "\(format)")
            let cells = (0..<2).map { r in (0..<2).map { c -> String in
                switch table.cell(r, c) { case .text(let s): s; default: "?" }
            } }
            #expect(cells == [["7", "cat"], ["8", "dog"]], "\(format)")
        }
        #expect(Set(texts.keys).union([.parquet]) == Set(TableFormat.allCases))
    }
}
