/// Where one ``DatasetGenerator/fill(_:)`` call writes its rows.
///
/// Only this module can make one (the dataset writer, from a chunk's buffers,
/// or ``DatasetGenerator/fill(rows:features:labels:targets:)``, from arrays),
/// and it does so after checking the buffers' sizes once for the whole call;
/// so a generator writes its rows without a bounds check per value, and no
/// caller outside Synth handles a pointer.
public struct GeneratorOutput {
    /// The output rows to write, in the dataset's numbering: the row at
    /// position i of the buffers is output row `rows.lowerBound + i`.
    public var rows: Range<Int> { _unsafe.rows }

    let _unsafe: _UnsafeGeneratorOutput
}

/// The buffers behind a ``GeneratorOutput``.
///
/// Preconditions, checked by whoever makes one and relied on by every
/// generator's `fill`:
/// - `features` addresses `rows.count × featureCount` writable floats;
/// - `labels`, when not nil, addresses `rows.count × labelWidth` writable
///   Int32 values (1 per row for classes, L for L indicators);
/// - `targets`, when not nil, addresses `rows.count × targetCount` writable
///   floats;
/// - nothing else reads or writes those values until `fill` returns.
struct _UnsafeGeneratorOutput {
    let rows: Range<Int>
    let features: UnsafeMutablePointer<Float>
    let labels: UnsafeMutablePointer<Int32>?
    let targets: UnsafeMutablePointer<Float>?

    /// The four parts, for a generator's `fill` to name as its locals.
    var parts: (Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Float>?) {
        (rows, features, labels, targets)
    }
}

extension DatasetGenerator {
    /// Values per row in the labels buffer: 1 class id, L indicators, or 0.
    var labelWidth: Int {
        switch labelKind {
        case .classes: 1
        case .indicators(let l): l
        case .targets: 0
        }
    }

    /// Values per row in the targets buffer (regression only).
    var targetWidth: Int {
        if case .targets(let t) = labelKind { return t }
        return 0
    }

    /// Writes output rows `rows` into `features` (`rows.count × featureCount`,
    /// row-major) and, when they are not empty, into `labels` (`rows.count`
    /// class ids, or `rows.count × L` 0/1 indicators) and `targets`
    /// (`rows.count × targetCount`). An empty `labels` or `targets` means
    /// "not wanted". Values past the rows' part of an array are left alone.
    ///
    /// - Precondition: each array that is written holds at least its part;
    ///   checked once per call.
    public func fill(rows: Range<Int>, features: inout [Float], labels: inout [Int32], targets: inout [Float]) {
        let n = rows.count
        precondition(features.count >= n * featureCount, "features holds \(features.count) values, not \(n) × \(featureCount)")
        precondition(labels.isEmpty || labels.count >= n * labelWidth, "labels holds \(labels.count) values, not \(n) × \(labelWidth)")
        precondition(targets.isEmpty || targets.count >= n * targetWidth, "targets holds \(targets.count) values, not \(n) × \(targetWidth)")
        guard n > 0 else { return }
        let wantLabels = !labels.isEmpty && labelWidth > 0, wantTargets = !targets.isEmpty && targetWidth > 0
        features.withUnsafeMutableBufferPointer { f in
            labels.withUnsafeMutableBufferPointer { l in
                targets.withUnsafeMutableBufferPointer { t in
                    fill(GeneratorOutput(_unsafe: _UnsafeGeneratorOutput(
                        rows: rows, features: f.baseAddress!,
                        labels: wantLabels ? l.baseAddress : nil, targets: wantTargets ? t.baseAddress : nil)))
                }
            }
        }
    }

    /// ``fill(rows:features:labels:targets:)`` without targets.
    public func fill(rows: Range<Int>, features: inout [Float], labels: inout [Int32]) {
        var none = [Float]()
        fill(rows: rows, features: &features, labels: &labels, targets: &none)
    }

    /// ``fill(rows:features:labels:targets:)`` of the features alone.
    public func fill(rows: Range<Int>, features: inout [Float]) {
        var none = [Int32](), noTargets = [Float]()
        fill(rows: rows, features: &features, labels: &none, targets: &noTargets)
    }
}
