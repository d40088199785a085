import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// BertEncoder and SentenceTransformer on a tiny model (``TinyBertModel``)
/// against a forward pass written here in Double, loop by loop, from the
/// same description (`BertModel` in inference): no sgemm, no workspace, no
/// batching. And every refusal of the encoder's tensors.
@Suite struct BertEncoderTests {
    let temporary = TemporaryPaths()

    /// The last layer's token vectors of one text's `ids`: L × H, in Double.
    static func reference(_ ids: [Int32], model: TinyBertModel) -> [[Double]] {
        let c = model.configuration, w = model.weightsByName, h = c.hiddenSize, d = c.headSize
        let epsilon = model.layerNormEpsilon
        func layerNorm(_ v: [Double], _ name: String) -> [Double] {
            let mean = v.reduce(0, +) / Double(v.count)
            let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)
            return v.indices.map { j in (v[j] - mean) / (variance + epsilon).squareRoot() * w[name + ".weight"]![j] + w[name + ".bias"]![j] }
        }
        /// W·v + b with W stored out × in.
        func linear(_ v: [Double], _ name: String) -> [Double] {
            let weight = w[name + ".weight"]!, bias = w[name + ".bias"]!
            return bias.indices.map { o in bias[o] + v.indices.reduce(0) { $0 + weight[o * v.count + $1] * v[$1] } }
        }
        var x = ids.indices.map { t in
            (0..<h).map { j in
                w["embeddings.word_embeddings.weight"]![Int(ids[t]) * h + j] + w["embeddings.position_embeddings.weight"]![t * h + j]
                    + w["embeddings.token_type_embeddings.weight"]![j]
            }
        }.map { layerNorm($0, "embeddings.LayerNorm") }
        for l in 0..<c.layers {
            let at = "encoder.layer.\(l)."
            let q = x.map { linear($0, at + "attention.self.query") }
            let k = x.map { linear($0, at + "attention.self.key") }
            let v = x.map { linear($0, at + "attention.self.value") }
            var context = [[Double]](repeating: [Double](repeating: 0, count: h), count: x.count)
            for head in 0..<c.heads {
                let columns = (head * d)..<((head + 1) * d)
                for t in x.indices {
                    let scores = x.indices.map { s in columns.reduce(0) { $0 + q[t][$1] * k[s][$1] } / Double(d).squareRoot() }
                    let top = scores.max()!
                    let e = scores.map { Foundation.exp($0 - top) }
                    let total = e.reduce(0, +)
                    for j in columns { context[t][j] = x.indices.reduce(0) { $0 + e[$1] / total * v[$1][j] } }
                }
            }
            let attended = x.indices.map { t in
                layerNorm(zip(linear(context[t], at + "attention.output.dense"), x[t]).map(+), at + "attention.output.LayerNorm")
            }
            x = attended.map { a in
                let inner = linear(a, at + "intermediate.dense").map { $0 / 2 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
                return layerNorm(zip(linear(inner, at + "output.dense"), a).map(+), at + "output.LayerNorm")
            }
        }
        return x
    }

    /// Float32 keeps 24 bits: a unit roundoff u = 2⁻²⁴ ≈ 6e-8. Each output
    /// here is one sum of three embeddings, then per layer about ten
    /// float32 stages (sums of at most 8 products, softmax, GELU, two
    /// LayerNorms), each adding at most a few u relative on values of
    /// order 1 (LayerNorm outputs lie within |γ|·√H + |β| < 3). A bound of
    /// 64 u per stage, times two layers, times that magnitude 3, is
    /// 64 · 2 · 3 · 2⁻²⁴ ≈ 2.3e-5; an error in the pass (a missing ε, a
    /// wrong scale, a head read from another's columns) moves outputs by
    /// 1e-3 or more.
    static let tolerance = 64.0 * 2 * 3 * 0x1p-24

    /// Token vectors, one text at a time, two texts of one length in a
    /// batch, and texts of three lengths in a batch (each attends to itself
    /// only, its positions counted from its own start), equal the reference.
    @Test func tokenVectorsEqualTheDoubleReference() throws {
        let model = TinyBertModel(layers: 2)
        let encoder = try BertEncoder(configuration: model.configuration,
                                      weights: SafetensorsFile(bytes: TinyBertModel.safetensors(model.tensors), source: "t.safetensors", dtypes: SafetensorsFile.DType.allCases))
        let texts: [[Int32]] = [[2, 5, 6, 7, 3], [2, 8, 5, 9, 10, 11, 6, 3], [2, 3], [2, 9, 9, 1, 3]]
        var worst = 0.0, checked = 0
        func check(_ batch: [[Int32]]) {
            var workspace = BertEncoder.Workspace()
            encoder.encode(batch.flatMap { $0 }, lengths: batch.map(\.count), workspace: &workspace)
            var first = 0
            for ids in batch {
                let want = Self.reference(ids, model: model)
                for t in ids.indices {
                    for j in 0..<4 { worst = max(worst, abs(Double(workspace.x[(first + t) * 4 + j]) - want[t][j])) }
                    checked += 1
                }
                first += ids.count
            }
        }
        for ids in texts { check([ids]) }
        check([texts[0], texts[3]])
        check([texts[2], texts[1], texts[0], texts[2]])
        #expect(checked == 20 + 10 + 17)
        #expect(worst <= Self.tolerance, "largest difference \(worst)")
        // A workspace grown by a larger batch gives a smaller one the bits of a fresh workspace.
        var grown = BertEncoder.Workspace(), fresh = BertEncoder.Workspace()
        encoder.encode(texts[1], lengths: [8], workspace: &grown)
        encoder.encode(texts[2], lengths: [2], workspace: &grown)
        encoder.encode(texts[2], lengths: [2], workspace: &fresh)
        #expect(grown.x.count > fresh.x.count && Array(grown.x[..<fresh.x.count]) == fresh.x)
    }

    /// Batches go from the longest text to the shortest (ties in input
    /// order), each at most the limit's tokens unless one text alone is
    /// longer, every text in exactly one.
    @Test func batchesRunFromTheLongestTextUpToTheLimit() {
        func batches(_ lengths: [Int], _ limit: Int) -> [[Int]] {
            SentenceTransformer.batches(ofLengths: lengths, tokens: limit).map(Array.init)
        }
        #expect(batches([3, 5, 5, 2, 8, 1], 8) == [[4], [1], [2, 0], [3, 5]])
        #expect(batches([20, 1, 1], 8) == [[0], [1, 2]])
        #expect(batches([4, 4, 4, 4], 8) == [[0, 1], [2, 3]])
        #expect(batches([], 8).isEmpty)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let lengths = (0..<Int(generator.next() % 60)).map { _ in 1 + Int(generator.next() % 40) }
            let got = batches(lengths, 64)
            #expect(got.flatMap { $0 }.sorted() == Array(lengths.indices))
            #expect(got.allSatisfy { $0.count == 1 || $0.map { lengths[$0] }.reduce(0, +) <= 64 })
            let flat = got.flatMap { $0 }
            #expect(zip(flat, flat.dropFirst()).allSatisfy { lengths[$0] > lengths[$1] || (lengths[$0] == lengths[$1] && $0 < $1) })
            // Cut only where the next text would not fit.
            #expect(zip(got, got.dropFirst()).allSatisfy { $0.map { lengths[$0] }.reduce(0, +) + lengths[$1.first!] > 64 })
        }
    }

    /// SentenceTransformer.embed on texts of several lengths (batched by
    /// length, rows in input order) pools as the reference does: mean, CLS
    /// or max over the tokens, then the L2 norm when a Normalize module follows.
    @Test func pooledEmbeddingsEqualTheDoubleReference() throws {
        let texts = ["the cat sat", "the cats sat on the mat.", "", "mat mat", "the cat sat", "on the cat the mat the cat sat"]
        for (mode, normalize) in [("pooling_mode_mean_tokens", true), ("pooling_mode_cls_token", false), ("pooling_mode_max_tokens", true),
                                  ("pooling_mode_mean_tokens", false)] {
            let model = TinyBertModel(poolingMode: mode, normalize: normalize)
            let st = try SentenceTransformer(directory: try model.write(in: temporary))
            #expect(st.dimensions == 4 && st.pooling.normalize == normalize)
            let got = st.embed(texts, threads: 2)
            #expect(got == st.embed(texts, threads: 1))
            #expect(st.tokenizer.ids(texts[5]).count == 8)  // cut at max_seq_length
            for (i, text) in texts.enumerated() {
                let tokens = Self.reference(st.tokenizer.ids(text), model: model)
                var want: [Double] = switch mode {
                case "pooling_mode_cls_token": tokens[0]
                case "pooling_mode_max_tokens": (0..<4).map { j in tokens.map { $0[j] }.max()! }
                default: (0..<4).map { j in tokens.reduce(0) { $0 + $1[j] } / Double(tokens.count) }
                }
                if normalize {
                    let norm = want.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    want = want.map { $0 / norm }
                }
                for j in 0..<4 {
                    #expect(abs(Double(got[i * 4 + j]) - want[j]) <= Self.tolerance, "\(mode) \(normalize) text \(i) [\(j)]: \(got[i * 4 + j]) vs \(want[j])")
                }
            }
        }
    }

    /// A tensor missing, of another shape, or of an integer dtype is one
    /// line naming the file and the tensor, with or without the `bert.` prefix.
    @Test func tensorRefusalsNameTheTensor() throws {
        for prefixed in [false, true] {
            let model = TinyBertModel(prefixed: prefixed)
            let p = prefixed ? "bert." : ""
            func refusal(_ change: (inout [TinyBertModel.RawTensor]) -> Void) -> String? {
                var tensors = model.tensors
                change(&tensors)
                return errorMessage {
                    let file = try SafetensorsFile(bytes: TinyBertModel.safetensors(tensors), source: "m.safetensors", dtypes: SafetensorsFile.DType.allCases)
                    _ = try BertEncoder(configuration: model.configuration, weights: file)
                }
            }
            let bias = p + "encoder.layer.0.output.dense.bias"
            #expect(refusal { $0.removeAll { $0.name == bias } } == "m.safetensors: expected a tensor \"\(bias)\" of shape [4], found none")
            #expect(refusal { ts in
                let i = ts.firstIndex { $0.name == p + "encoder.layer.0.intermediate.dense.weight" }!
                ts[i].shape = [4, 8]
            } == "m.safetensors: expected tensor \"\(p)encoder.layer.0.intermediate.dense.weight\" of shape [8, 4], found shape [4, 8]")
            #expect(refusal { ts in
                let i = ts.firstIndex { $0.name == p + "embeddings.LayerNorm.weight" }!
                ts[i].dtype = "I32"
            } == "m.safetensors: expected tensor \"\(p)embeddings.LayerNorm.weight\" of a float dtype (F32, F16, BF16 or F64), found I32")
            #expect(refusal { _ in } == nil)
        }
        // A file whose word embeddings carry the prefix reads every tensor with it.
        var mixed = TinyBertModel(prefixed: true).tensors
        let i = mixed.firstIndex { $0.name == "bert.encoder.layer.0.attention.self.key.bias" }!
        mixed[i].name = "encoder.layer.0.attention.self.key.bias"
        #expect(errorMessage {
            _ = try BertEncoder(configuration: TinyBertModel().configuration,
                                weights: SafetensorsFile(bytes: TinyBertModel.safetensors(mixed), source: "m.safetensors", dtypes: SafetensorsFile.DType.allCases))
        } == "m.safetensors: expected a tensor \"bert.encoder.layer.0.attention.self.key.bias\" of shape [4], found none")
    }
}

/// The error's one line, or nil when `body` succeeds.
func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}
