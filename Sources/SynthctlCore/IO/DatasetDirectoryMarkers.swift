import Foundation

// What marks a directory as a synthctl dataset, read from its manifest before
// `--force` may replace it. Synth writes the manifest (`Manifest`); this
// reads back only the markers, so that the output checks need nothing from Synth.
extension OutputTarget {
    /// The files a dataset directory's manifest at `path` lists, when it is
    /// a manifest synthctl wrote: a JSON object with an integer
    /// `format_version`, a `generator_version` string, and a non-empty
    /// `files` object whose names are all files a dataset directory holds
    /// (``datasetFileNames``), each with a 64-digit
    /// hexadecimal `sha256`. Nil for anything else (a web app's or a
    /// browser extension's `manifest.json`, a table's manifest, a text that
    /// is not JSON). Only those fields are decoded. Throws
    /// ``MemoryLimitExceeded`` for a file beyond the memory budget.
    static func listedDatasetFiles(at path: String) throws -> [String]? {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path) } catch is InputFile.Failure { return nil }
        struct Markers: Decodable {
            struct File: Decodable { let sha256: String }
            let format_version: Int
            let generator_version: String
            let files: [String: File]
        }
        guard let markers = try? JSONDecoder().decode(Markers.self, from: Data(bytes)), markers.format_version >= 1,
              !markers.files.isEmpty,
              markers.files.allSatisfy({ name, file in
                  OutputTarget.datasetFileNames.contains(name) && name != "manifest.json" && file.sha256.utf8.count == 64
                      && file.sha256.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
              }) else { return nil }
        return markers.files.keys.sorted()
    }
}
