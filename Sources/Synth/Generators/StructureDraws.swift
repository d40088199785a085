import SynthctlCore

/// Random numbers for a generator's structure (centres, mixing matrices,
/// coefficients), addressed by (substream, index) on the structure stream so
/// that each part of the structure is fixed by the seed alone — never by the
/// row count, never by the order in which parts are drawn. Each part is a
/// named ``Substream`` of purpose `.structure`.
struct StructureDraws {
    let seed: UInt64

    func stream(_ part: Substream) -> RandomStream {
        precondition(part.purpose == .structure, "\(part) is not a structure substream")
        return RandomStream(seed: seed, part)
    }

    func uniform(_ part: Substream, _ index: Int) -> Double {
        stream(part).uniform(row: UInt64(index), draw: 0)
    }

    func uniform(_ part: Substream, _ index: Int, in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform(part, index)
    }

    func normal(_ part: Substream, _ index: Int) -> Double {
        stream(part).normal(row: UInt64(index), draw: 0)
    }

    func integer(_ part: Substream, _ index: Int, below n: Int) -> Int {
        stream(part).integer(below: n, row: UInt64(index), draw: 0)
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    func permutation(_ part: Substream, _ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, integer(part, i, below: i + 1))
        }
        return p
    }

    /// A matrix of uniforms in `range`.
    func uniformMatrix(_ part: Substream, rows: Int, columns: Int, in range: ClosedRange<Double>, offset: Int = 0) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for i in 0..<(rows * columns) { m.storage[i] = Float(uniform(part, offset + i, in: range)) }
        return m
    }
}
