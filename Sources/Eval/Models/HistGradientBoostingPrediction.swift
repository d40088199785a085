import SynthctlCore

extension HistGradientBoostingClassifier {
    /// Class probabilities, rows × `classes`, row-major: the baseline plus
    /// every tree's value, in the order the trees were grown (as
    /// scikit-learn's `_raw_predict`), through σ or the softmax. Rows are
    /// independent, so any thread count gives the same bits.
    public func probabilities(_ x: Matrix, threads: Int = 1) -> [Double] {
        var out = [Double](repeating: 0, count: x.rows * classes)
        let k = classes, m = present.count, d = x.columns
        if m == 1 {
            for i in 0..<x.rows { out[i * k + present[0]] = 1 }
            return out
        }
        guard m >= 2 else { return out }
        let t = m == 2 ? 1 : m
        let blocks = (x.rows + 1023) / 1024
        x.storage.withUnsafeBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { dst in
                let sink = _UnsafeProbabilityRows(values: dst)
                Parallel.forEach(blocks, threads: threads) { block in
                    // Tree by tree over the block's rows: each row's score
                    // still adds the trees in the order they were grown.
                    let first = block * 1024, count = min(x.rows, first + 1024) - first
                    var raw = [Double](repeating: 0, count: count * t), p = [Double](repeating: 0, count: t)
                    raw.withUnsafeMutableBufferPointer { r in
                        for i in 0..<count { for c in 0..<t { r[i * t + c] = baseline[c] } }
                        for round in trees {
                            for c in 0..<t {
                                round[c].nodes.withUnsafeBufferPointer { nodes in
                                    for i in 0..<count {
                                        r[i * t + c] += HistGradientBoostingTree.value(rows.baseAddress! + (first + i) * d, nodes: nodes)
                                    }
                                }
                            }
                        }
                    }
                    for j in 0..<count {
                        let i = first + j
                        if t == 1 {
                            let q = HistGradientBoostingLoss.sigmoid(raw[j])
                            sink.values[i * k + present[0]] = 1 - q
                            sink.values[i * k + present[1]] = q
                        } else {
                            raw.withUnsafeBufferPointer { r in
                                p.withUnsafeMutableBufferPointer { pp in
                                    HistGradientBoostingLoss.softmax(r.baseAddress! + j * t, t, into: pp.baseAddress!)
                                }
                            }
                            for c in 0..<t { sink.values[i * k + present[c]] = p[c] }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Where prediction writes. Precondition: a block writes only its own rows.
struct _UnsafeProbabilityRows: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Double>
}
