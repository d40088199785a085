import ArgumentParser
import Eval
import Foundation
import SynthctlCore

/// Where a sentence-transformers model's embeddings are kept between runs
/// (``EmbeddingCache``), shared by `embed --model` and the `--text-model`
/// of score, compare and limits: one name and one help text each.
struct EmbeddingCacheOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where a model's embeddings are kept between runs, so that texts embedded before are not embedded again: a directory per model (named by the SHA-256 of its files), each vector under its text's SHA-256 (default: $XDG_CACHE_HOME/synthctl/embeddings, else ~/.cache/synthctl/embeddings).",
                               valueName: "dir"))
    var cacheDir: String?

    @Flag(help: "Embed every text, neither reading nor writing the embedding cache.")
    var noCache = false

    /// The options given, as typed, for the refusals beside the hashing embedder.
    var given: [String] { [cacheDir.map { _ in "--cache-dir" }, noCache ? "--no-cache" : nil].compactMap { $0 } }

    func validate() throws {
        if cacheDir != nil && noCache { throw ValidationError("--cache-dir and --no-cache: give one") }
        if cacheDir == "" { throw ValidationError("--cache-dir: expected a directory, found an empty name") }
    }

    /// The default directory: `$XDG_CACHE_HOME/synthctl/embeddings` (when
    /// set to an absolute path, as the XDG base directory specification
    /// asks), else `$HOME/.cache/synthctl/embeddings`; nil without either.
    static var defaultDirectory: String? {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/synthctl/embeddings" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/synthctl/embeddings" }
        return nil
    }

    /// The cache for `model` (read from `modelDirectory`), or nil with
    /// `--no-cache`. A `--cache-dir` that cannot hold it is refused (one
    /// line, exit 2); the default directory that cannot is gone without,
    /// with a note on standard error.
    func cache(for model: SentenceTransformer, modelDirectory: String) throws -> EmbeddingCache? {
        if noCache { return nil }
        Self.raiseOpenFileLimit()
        if let cacheDir { return try EmbeddingCache(root: cacheDir, modelDirectory: modelDirectory, dimensions: model.dimensions) }
        guard let root = Self.defaultDirectory else { return nil }
        do {
            return try EmbeddingCache(root: root, modelDirectory: modelDirectory, dimensions: model.dimensions)
        } catch let error as InputError {
            StandardStreams.writeError("synthctl: note: embedding without a cache: \(error.message)\n")
            return nil
        }
    }

    /// Raises this process's soft limit on open files to its hard limit:
    /// the cache holds a descriptor open per shard, one per ~5,500 texts
    /// kept, and the usual soft limit of 1,024 would leave shards unread
    /// past about 5.6 million texts.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        if getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(resource, &limit)
        }
    }

    /// The cache's work in words, for a summary: "12 of 800 vectors from the
    /// cache in DIR" (and the shards it could not write).
    static func describe(_ cache: EmbeddingCache) -> String {
        let total = cache.hits + cache.misses
        return "\(cache.hits) of \(counted(total, "vector")) from the cache in \(cache.root)"
            + (cache.writeFailures > 0 ? " (\(counted(cache.writeFailures, "batch")) of new vectors could not be kept there)" : "")
    }
}
