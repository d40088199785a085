import Foundation

/// Writes a whole small file (a report, a manifest) under a temporary name
/// beside it and renames it into place, so a reader never sees half of it.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            let found = FileManager.default.fileExists(atPath: parent) ? "a file" : "none"
            throw SynthError("\(path): expected an existing directory \(parent) to write into, found \(found)")
        }
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw SynthError("\(path): cannot write the file (\(FileErrorReason.describe(error, path: path)))")
        }
    }
}
