import Foundation
import SynthctlCore

/// A dataset sampled from a fitted model read from its two files
/// (``ModelFileReference``) carries copies of both beside its manifest, so
/// that the directory (or the table and its manifest) is self-contained:
/// the manifest's spec names the copies by file name and SHA-256, and its
/// `files` lists them like every other file, so `synthctl gen --spec
/// DIR/manifest.json` reads the model from DIR and writes the same bytes
/// again, and `score`/`compare` read a manifest of a few kilobytes instead
/// of one holding every number of the model.
extension DatasetWriter {
    /// The model's files, when the rows come from a model read from them.
    var modelFile: ModelFileReference? { (plan.generator as? any FittedModelGenerator)?.modelFile }

    /// Writes the copies of the model beside the manifest named
    /// `manifestName`: into `directory` (a directory being built, whose
    /// files are put in place together: `atomically` false) or beside a
    /// table (each copy by ``AtomicFile``, before the manifest that names
    /// it). `shown` is `directory` as errors name it. Returns the copies'
    /// names, `files` entries and bytes; nil without a model file.
    ///
    /// A sharded dataset's parts share one copy
    /// (``ModelFileReference/partCopyNames``): a copy another part (or an
    /// earlier run of this one) put there with the same bytes is left as
    /// it is, which overwrites nothing; one with other bytes is an
    /// existing output, refused without `force`.
    func writeModelCopies(into directory: String, shown: String, manifestName: String, atomically: Bool) throws -> ModelCopies? {
        guard let model = modelFile else { return nil }
        let names = ModelFileReference.copyNames(forManifest: manifestName)
        let shared = names == ModelFileReference.partCopyNames
        let json = model.copiedJSON(tensorsName: names.tensors)
        let tensors = try model.tensorBytesForCopy()
        func path(_ base: String, _ name: String) -> String { base.isEmpty ? name : "\(base)/\(name)" }
        for (name, bytes, sha256) in [(names.tensors, tensors, model.tensorsSHA256), (names.json, json, sha256Hex(json))] {
            /// The shared copy is in place already: a regular file with these bytes.
            func inPlace() -> Bool {
                shared && FileKind(path: path(directory, name)) == .regularFile && FileDigest.sha256(ofFileAt: path(directory, name)) == sha256
            }
            if atomically {
                if inPlace() { continue }
                // Another part may put the same copy in place between the look and the write.
                do { try AtomicFile.write(bytes: bytes, to: path(directory, name), replace: force) } catch where inPlace() {}
            } else {
                try DatasetDirectoryPlacement.writeWhole(bytes, to: path(directory, name), name: path(shown, name))
            }
        }
        return ModelCopies(names: names, sha256: (sha256Hex(json), model.tensorsSHA256),
                           files: [names.json: .object(["sha256": .string(sha256Hex(json)), "bytes": .int(json.count)]),
                                   names.tensors: .object(["sha256": .string(model.tensorsSHA256), "bytes": .int(tensors.count)])],
                           bytes: json.count + tensors.count)
    }
}

/// The copies of a model a dataset holds: their names, their manifest
/// `files` entries, and their size.
struct ModelCopies {
    let names: (json: String, tensors: String)
    let sha256: (json: String, tensors: String)
    let files: [String: JSONValue]
    let bytes: Int
}
