import SynthctlCore

/// A file that a dataset's manifest lists, and that a run would read, is
/// not in the directory: `d/annotations.npy: listed in d/manifest.json but
/// missing: the directory is incomplete (copy the whole directory, or
/// regenerate it from d/manifest.json)`.
///
/// Why: a dataset directory is read by which of its files are there
/// (labels, annotations, gold). Without this check a directory copied in
/// part reads as another dataset: `score` leaves the annotation section out,
/// or rates annotators without gold, and exits 0. The manifest says which
/// files belong, so a listed file that is gone is bad input.
///
/// A separate type so that the command line can name the command that
/// writes the directory again (``description(regenerating:)``); the
/// library names no flag.
public struct IncompleteDatasetError: SynthctlError, Equatable {
    /// The missing file, as the user named its directory.
    public let file: String
    /// The manifest that lists it (or, for a part whose manifest is gone
    /// too, the manifest of a part that counts it), as the user named it:
    /// its spec writes the file again.
    public let manifest: String
    /// For a part of a sharded dataset, its number k of n (1-based); nil
    /// for a file of a whole dataset.
    public let part: (index: Int, count: Int)?
    /// Whether ``manifest`` lists the file by name (else it is another
    /// part's, which counts the parts).
    public let listed: Bool

    public init(file: String, manifest: String, part: (index: Int, count: Int)? = nil, listed: Bool = true) {
        self.file = file
        self.manifest = manifest
        self.part = part
        self.listed = listed
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.file == b.file && a.manifest == b.manifest && a.part?.index == b.part?.index && a.part?.count == b.part?.count && a.listed == b.listed
    }

    /// The directory that holds the file, as the user named it.
    public var directory: String { file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "." }

    public var description: String { description(regenerating: "regenerate it from \(manifest)") }

    /// The line with `remedy` (how to write the file again) after "copy the
    /// whole directory, or".
    public func description(regenerating remedy: String) -> String {
        let listing = listed ? "listed in \(manifest)" : "part \(part?.index ?? 0) of the \(part?.count ?? 0) that \(manifest) counts"
        return "\(file): \(listing) but missing: the directory is incomplete (copy the whole directory, or \(remedy))"
    }
}
