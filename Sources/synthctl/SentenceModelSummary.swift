import Eval
import Foundation

/// A sentence-transformers model directory given on the command line
/// (`embed --model DIR`, `--text-model DIR`), as the summary line names
/// it, so that a reader of the output knows which vectors these are.
enum SentenceModelSummary {
    /// The model's name: its directory's name, or for a Hugging Face cache
    /// snapshot (`…/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<commit>`)
    /// the repository it caches (`sentence-transformers/all-MiniLM-L6-v2`),
    /// since the commit hash would say nothing.
    static func name(ofDirectory directory: String) -> String {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = url.deletingLastPathComponent(), cache = parent.deletingLastPathComponent().lastPathComponent
        if parent.lastPathComponent == "snapshots", cache.hasPrefix("models--") {
            return cache.dropFirst("models--".count).replacingOccurrences(of: "--", with: "/")
        }
        return url.lastPathComponent
    }

    /// The summary line's words: "model all-MiniLM-L6-v2 (BERT, 6 layers,
    /// 384 dimensions, mean pooling, L2-normalized, max_seq_length 256)".
    static func describe(_ model: SentenceTransformer, directory: String) -> String {
        let c = model.encoder.configuration
        return "model \(name(ofDirectory: directory)) (BERT, \(c.layers) layer\(c.layers == 1 ? "" : "s"), \(model.dimensions) dimensions, "
            + "\(model.pooling.mode.rawValue) pooling\(model.pooling.normalize ? ", L2-normalized" : ""), max_seq_length \(model.tokenizer.maxLength))"
    }
}
