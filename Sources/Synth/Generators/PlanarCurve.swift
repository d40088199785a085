import SynthctlCore

/// The row loop of the two-dimensional curve generators: each row gets its
/// class from the layout, a position u ∈ [0, 1) along its class's curve
/// (samples stream, draw 0) and two normals (the `curveNoise` substream), and is
/// written as point(label, u) + noise·ε.
func fillPlanarCurve(
    rows: Range<Int>, features: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>?,
    layout: ClassLayout, samples: RandomStream, noise: Double,
    point: (_ label: Int, _ u: Double) -> (Double, Double)
) {
    let normals = samples.substream(.curveNoise)
    var eps: (Float, Float, Float, Float) = (0, 0, 0, 0)
    for (r, row) in rows.enumerated() {
        let (label, _) = layout.place(row)
        labels?[r] = Int32(label)
        let u = samples.uniform(row: UInt64(row), draw: 0)
        withUnsafeMutableBytes(of: &eps) { raw in
            _UnsafeNormalKernel.fill(stream: normals, row: UInt64(row), out: raw.bindMemory(to: Float.self))
        }
        let (x, y) = point(label, u)
        features[2 * r] = Float(x) + Float(noise) * eps.0
        features[2 * r + 1] = Float(y) + Float(noise) * eps.1
    }
}
