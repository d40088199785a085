import Foundation

/// The rules for a path a run is about to write (a dataset, a table, its
/// manifest, a report, a model file), checked before any work and again
/// just before the output is renamed into place:
///
/// - its parent is an existing directory;
/// - nothing is there, or, with `replace` (`--force`), a regular file
///   (for a file output) or a synthctl dataset directory (for a dataset
///   directory: `--force` must not turn `--out ~` into "delete my home
///   directory", nor `--out webapp` into "delete the web app whose
///   `manifest.json` is a PWA's"; see ``checkReplaceableDataset(_:)``);
/// - never a symbolic link, a device, a FIFO or a socket, even with
///   `replace`: renaming onto a link replaces the link, not its target, and
///   a device or FIFO is not a file to replace (`-` is how standard output
///   is asked for);
/// - never one of the run's inputs (``checkNotAnInput(_:named:inputs:)``).
public enum OutputTarget {
    public enum Expected: Sendable {
        /// One file: a table, a manifest, a report, a model.
        case file
        /// A dataset directory (`gen --format npy`).
        case datasetDirectory
    }

    /// The path to write for `path`, as given to `option` (`--json`; nil in
    /// library use), checked for its form before any work, so that a run
    /// never computes for minutes and then fails on its output's name:
    ///
    /// - an empty path is refused (`--json ""`);
    /// - a file (`.file`) needs a file name: a path ending in `/` (`--json
    ///   newdir/`) or whose last component is `.` or `..` names a directory;
    /// - a dataset directory (`.datasetDirectory`) loses its trailing
    ///   slashes (`--out fresh/` is `fresh`: the temporary directory and the
    ///   lock file go beside it, `fresh.synthctl-partial-PID` and `fresh.synthctl-lock`, not
    ///   inside it), and a last component `.` or `..` (`--out ds2/.`) is
    ///   refused: the run replaces the directory it names by renaming, which
    ///   cannot be done to `.` or `..`;
    /// - its last component, with the longest suffix the run adds to it
    ///   for its temporary name or lock, fits the file system's limit on a
    ///   name (``checkNameLength(_:subject:)``).
    ///
    /// `-` (standard output) is returned as it is.
    public static func validatedPath(_ path: String, option: String?, as expected: Expected) throws -> String {
        let subject = option.map { path.isEmpty ? $0 : "\($0) \(path)" } ?? path
        let what = expected == .file ? "a file name" : "a name for the dataset directory"
        guard !path.isEmpty else { throw OutputError(path: subject, .refused(expected: what, found: "an empty path")) }
        guard path != InputFile.standardInput else { return path }
        var name = path
        if expected == .datasetDirectory {
            while name.hasSuffix("/") { name.removeLast() }
            guard !name.isEmpty else { throw OutputError(path: subject, .refused(expected: what, found: "the root directory")) }
        } else if name.hasSuffix("/") {
            throw OutputError(path: subject, .refused(expected: what, found: "a directory name (it ends in /)"))
        }
        let last = name.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? name
        if last == "." || last == ".." {
            throw OutputError(path: subject, .refused(expected: what, found: "\"\(last)\", which names an existing directory"))
        }
        try checkNameLength(name, subject: subject)
        return name
    }

    /// Throws a ``ResourceLimitError`` naming `subject` when the last component of
    /// `path`, with the longest suffix a run adds to it
    /// (``PartialOutputs/longestSuffix``: `<name>.synthctl-partial-<pid>`,
    /// and `<name>.synthctl-lock`), is longer than the file system takes
    /// (`pathconf(_PC_NAME_MAX)` of the directory it goes into; 255, the
    /// usual NAME_MAX, where that directory does not exist yet). A legal
    /// 250-byte name once passed every check and failed after the whole
    /// run, when its temporary name was created.
    public static func checkNameLength(_ path: String, subject: String) throws {
        let url = URL(fileURLWithPath: path)
        let bytes = url.lastPathComponent.utf8.count
        let reported = pathconf(url.deletingLastPathComponent().path, Int32(_PC_NAME_MAX))
        let limit = reported > 0 ? reported : 255
        let suffix = PartialOutputs.longestSuffix
        guard bytes + suffix > limit else { return }
        throw ResourceLimitError(subject: subject, what: "a name", limit: "\(max(0, limit - suffix)) bytes", found: "\(bytes)",
                                 why: "the run writes it first under a name up to \(suffix) bytes longer, and the file system takes names of at most \(limit) bytes")
    }

    /// Throws an ``OutputError`` naming `path` unless it may be written.
    public static func check(_ path: String, as expected: Expected, replace: Bool) throws {
        // (NSString's path methods trap on a bare name in this Foundation.)
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let parentKind = FileKind(path: parent)
        let parentIsDirectory = parentKind == .directory
            || (parentKind == .symbolicLink && FileIdentity(parent).isDirectory)
        guard parentIsDirectory else {
            throw OutputError(path: path, .refused(expected: "an existing directory \(parent) to write into", found: parentKind == .none ? "none" : parentKind.description))
        }
        let kind = FileKind(path: path)
        switch (kind, expected) {
        case (.none, _):
            return
        case (.symbolicLink, _), (.characterDevice, _), (.blockDevice, _), (.fifo, _), (.socket, _):
            throw OutputError(path: path, .notReplaceable(kind.description))
        case (.directory, .file):
            throw OutputError(path: path, .refused(expected: OutputError.newNameOrFile, found: "a directory"))
        case (.regularFile, .datasetDirectory):
            throw OutputError(path: path, .refused(expected: "a new name or a dataset directory to write", found: "a regular file"))
        case (.directory, .datasetDirectory), (.regularFile, .file):
            guard replace else { throw OutputError(path: path, .exists) }
            if expected == .datasetDirectory { try checkReplaceableDataset(path) }
        }
    }

    /// Throws an ``OutputError`` naming `path` unless it is a dataset
    /// directory that synthctl wrote and nothing else: its `manifest.json`
    /// parses and carries synthctl's markers (a format version, the
    /// generator version, and the `files` it lists, each with a SHA-256,
    /// all of them names a dataset directory holds: ``listedDatasetFiles(at:)``),
    /// and the directory holds nothing but those files, its manifest and a
    /// README.md, all regular files. Replacing the directory removes
    /// everything in it, so anything else there — a web app's
    /// `manifest.json` beside its `index.html`, a report written into the
    /// dataset — makes `--force` refuse rather than delete it.
    public static func checkReplaceableDataset(_ path: String) throws {
        func refuse(_ found: String) -> OutputError { OutputError(path: path, .notADataset(found: found)) }
        let manifest = "\(path)/manifest.json"
        guard FileKind(path: manifest) == .regularFile else { throw refuse("a directory without a manifest.json") }
        guard let listed = try listedDatasetFiles(at: manifest) else {
            throw refuse("a directory whose manifest.json is not a synthctl manifest")
        }
        let allowed = Set(listed + ["manifest.json", "README.md"])
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let others = entries.filter { !allowed.contains($0) || FileKind(path: "\(path)/\($0)") != .regularFile }.sorted()
        if let first = others.first {
            let rest = others.count > 1 ? " and \(others.count - 1) more, which are not files of the dataset" : ", which is not a file of the dataset"
            throw refuse("one that also holds \(first.escapingControlCharacters)\(rest)")
        }
    }

    /// Throws an ``OutputError`` naming both when the output `path` (given as
    /// `name`, e.g. `--issues`) is the same file as one of `inputs`
    /// (name, path), is one of the files of an input dataset directory
    /// (scoring `d` reads `d/labels.npy`; `d/report.json` is fine), or is a
    /// directory to be replaced that holds an input (`gen --spec
    /// d/manifest.json --out d`). `-` stands for standard output (or input)
    /// and counts when it is redirected to a regular file: `score --table
    /// t.csv --issues - >> t.csv` is refused too.
    public static func checkNotAnInput(_ path: String, named name: String, inputs: [(name: String, path: String)]) throws {
        guard let output = path == InputFile.standardInput ? FileIdentity(redirected: "/dev/stdout") : FileIdentity(path) else { return }
        for input in inputs {
            guard let identity = input.path == InputFile.standardInput ? FileIdentity(redirected: "/dev/stdin") : FileIdentity(input.path) else { continue }
            let relation: String
            if output.isSameFile(as: identity) {
                relation = "the same file as"
            } else if identity.isDirectory,
                      datasetFileNames.contains(where: { FileIdentity("\(input.path)/\($0)").isSameFile(as: output) }) {
                relation = "a file of"
            } else if output.contains(identity) {
                relation = "a directory that holds"
            } else {
                continue
            }
            throw OutputError(path: "\(name) \(path)", .refused(expected: "an output that is not one of the run's inputs",
                                                           found: "\(relation) the input \(input.name) \(input.path)"))
        }
    }

    /// Whether two paths name the same file (see ``FileIdentity``): two
    /// outputs of one run must not.
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        FileIdentity(a).isSameFile(as: FileIdentity(b))
    }

    /// The files a dataset directory may hold (see ``DatasetWriter``), which
    /// the readers of a dataset directory read.
    static let datasetFileNames = ["features.npy", "labels.npy", "true_labels.npy", "noise_mask.npy", "targets.npy",
                                   "annotations.npy", "manifest.json", "README.md", "croissant.json",
                                   "data.csv", "data.jsonl", "data.parquet"]
}
