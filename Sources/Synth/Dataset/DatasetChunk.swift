import SynthctlCore

/// A block of consecutive output rows in memory: the buffers the generator,
/// the label noise and the annotator pool fill, sized for `capacity` rows and
/// reused from chunk to chunk (the writer keeps three in rotation, so that
/// one is filled while others are written and hashed).
///
/// Only the first `rows.count` rows of each buffer are meaningful. A class
/// (not a struct) so that the buffer can be handed to the background stages
/// without copying. Outside Synth a chunk is read-only: only ``fill`` (internal)
/// writes it.
///
/// `@unchecked Sendable` because the compiler cannot see the hand-off that
/// makes it safe: ``DatasetWriter`` fills a chunk on the generating thread and
/// only then gives it to the background stages, which only read it, and it
/// never fills a chunk again until every stage has finished with it. So no
/// chunk is written while another thread reads it.
public final class DatasetChunk: @unchecked Sendable {
    public private(set) var rows: Range<Int> = 0..<0
    public let capacity: Int
    /// rows × features, row-major; page-aligned so that it can be written
    /// to disk without a copy (see ``PageAlignedBuffer``).
    public let features: PageAlignedBuffer<Float>
    /// The observed labels: one class id per row, or rows × labels 0/1
    /// indicators for a multilabel generator.
    public internal(set) var labels: [Int32]
    /// The labels before noise (classes only).
    public internal(set) var trueLabels: [Int32]
    /// 1 where the observed label differs from the true one (classes only).
    public internal(set) var noiseMask: [UInt8]
    /// rows × targets (regression only).
    public internal(set) var targets: [Float]
    /// rows × annotators, −1 where an annotator gave no label.
    public internal(set) var annotations: [Int32]

    let shape: ChunkShape

    init(capacity: Int, shape: ChunkShape) {
        self.capacity = capacity
        self.shape = shape
        // The fills write every element of the rows they cover, so these
        // initial zeros are never read; they are paid once per writer, not
        // once per chunk.
        features = PageAlignedBuffer(repeating: 0, count: capacity * shape.featureCount)
        labels = [Int32](repeating: 0, count: capacity * shape.labelWidth)
        trueLabels = [Int32](repeating: 0, count: shape.classes > 0 ? capacity : 0)
        noiseMask = [UInt8](repeating: 0, count: shape.classes > 0 ? capacity : 0)
        targets = [Float](repeating: 0, count: capacity * shape.targets)
        annotations = [Int32](repeating: -1, count: capacity * shape.annotators)
    }

    /// Fills the buffers with output rows `range` (at most `capacity` rows)
    /// on `threads` workers, and adds the realized noise transitions and
    /// annotator answers to `stats`.
    ///
    /// The rows are cut into blocks of `blockRows`; each block writes only
    /// its own rows and keeps its own integer counts, merged in block order,
    /// so the bytes and the counts do not depend on the thread count.
    func fill(_ range: Range<Int>, plan: DatasetPlan, threads: Int, blockRows: Int, stats: inout RealizedStatistics) {
        precondition(range.count <= capacity)
        rows = range
        let n = range.count, d = shape.featureCount, k = shape.classes, t = shape.targets
        let a = shape.annotators, lw = shape.labelWidth
        let blocks = (n + blockRows - 1) / blockRows
        var blockStats = [RealizedStatistics](repeating: RealizedStatistics(classes: k, annotators: a), count: blocks)
        let generator = plan.generator, noise = plan.noise, pool = plan.annotators
        features.withUnsafeMutableBufferPointer { fp in
        trueLabels.withUnsafeMutableBufferPointer { tp in
        labels.withUnsafeMutableBufferPointer { lp in
        noiseMask.withUnsafeMutableBufferPointer { mp in
        targets.withUnsafeMutableBufferPointer { yp in
        annotations.withUnsafeMutableBufferPointer { ap in
        blockStats.withUnsafeMutableBufferPointer { sp in
            let f = fp.baseAddress!, tl = tp.baseAddress, l = lp.baseAddress, mask = mp.baseAddress
            let y = yp.baseAddress, an = ap.baseAddress, s = sp.baseAddress!
            Parallel.forEach(blocks, threads: threads) { b in
                let lo = b * blockRows, hi = min(n, lo + blockRows)
                let block = (range.lowerBound + lo)..<(range.lowerBound + hi)
                // Classes go to the true labels first (noise is applied
                // next); indicators go straight to the labels.
                let labelOut = k > 0 ? tl.map { $0 + lo } : l.map { $0 + lo * lw }
                generator.fill(GeneratorOutput(_unsafe: _UnsafeGeneratorOutput(
                    rows: block, features: f + lo * d, labels: labelOut, targets: y.map { $0 + lo * t })))
                guard k > 0, let tl, let l, let mask else { return }
                for i in lo..<hi {
                    let row = range.lowerBound + i
                    let truth = Int(tl[i])
                    let observed = noise?.apply(row: row, label: truth, features: unsafe Span(_unsafeStart: f + i * d, count: d),
                                                generator: generator) ?? truth
                    l[i] = Int32(observed)
                    mask[i] = observed != truth ? 1 : 0
                    s[b].transitions[truth * k + observed] += 1
                    if let pool, let an {
                        _UnsafeAnnotation.annotate(pool, row: row, label: truth, out: an + i * a) { who, answer in
                            s[b].answers[(who * k + truth) * k + answer] += 1
                        }
                    }
                }
            }
        }}}}}}}
        for b in blockStats { stats.add(b) }
    }
}

/// The widths of a plan's per-row outputs.
struct ChunkShape: Sendable {
    let featureCount: Int
    /// K for a classifier (0 otherwise).
    let classes: Int
    /// Int32 values per row in `labels`: 1 for classes, L for multilabel, 0
    /// for regression.
    let labelWidth: Int
    let targets: Int
    let annotators: Int

    init(plan: DatasetPlan) {
        let g = plan.generator
        featureCount = g.featureCount
        annotators = plan.annotators?.count ?? 0
        switch g.labelKind {
        case .classes(let k): (classes, labelWidth, targets) = (k, 1, 0)
        case .indicators(let l): (classes, labelWidth, targets) = (0, l, 0)
        case .targets(let t): (classes, labelWidth, targets) = (0, 0, t)
        }
    }

    /// Values per row over all buffers, for sizing chunks.
    var valuesPerRow: Int { featureCount + 3 * min(classes, 1) + labelWidth + targets + annotators }
}
