import CBLAS

/// A LAPACK routine refused its input. `info` is LAPACK's own code: for a
/// Cholesky factorization, the order of the leading minor that is not
/// positive definite.
public struct LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    public let routine: String
    public let info: Int32

    public var description: String {
        switch routine {
        case "spotrf", "dpotrf", "cholesky":
            return "matrix is not positive definite (leading minor \(info) fails, \(routine))"
        case "symmetric_eigen":
            return "symmetric eigendecomposition did not converge (\(routine))"
        case "ssyevd", "dsyevd":
            return "symmetric eigendecomposition did not converge (\(routine) info \(info))"
        default:
            return "\(routine) failed with info \(info)"
        }
    }
}

/// Factorizations through LAPACKE, row-major, with failures as Swift errors.
public enum LAPACK {
    /// The lower-triangular L with A = L·Lᵀ, for a symmetric positive
    /// definite A; the upper triangle of the result is zero.
    public static func cholesky(_ a: Matrix) throws -> Matrix {
        precondition(a.rows == a.columns, "Cholesky needs a square matrix")
        var l = a
        let n = Int32(a.rows)
        let info = l.storage.withUnsafeMutableBufferPointer {
            LAPACKE_spotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), n, $0.baseAddress, n)
        }
        guard info == 0 else { throw LinearAlgebraError(routine: "spotrf", info: info) }
        for i in 0..<a.rows { for j in (i + 1)..<max(i + 1, a.columns) { l[i, j] = 0 } }
        return l
    }

    /// Eigenvalues (ascending) and eigenvectors (the columns of `vectors`) of
    /// a symmetric matrix, computed in Double by divide and conquer (dsyevd):
    /// generators use it on small structure matrices where accuracy matters
    /// more than speed.
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: [[Double]]) {
        precondition(a.rows == a.columns, "eigendecomposition needs a square matrix")
        let n = a.rows
        var w = [Double](repeating: 0, count: n)
        var v = a.storage.map(Double.init)
        let info = v.withUnsafeMutableBufferPointer { vp in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                               Int32(n), vp.baseAddress, Int32(n), wp.baseAddress)
            }
        }
        guard info == 0 else { throw LinearAlgebraError(routine: "dsyevd", info: info) }
        let vectors = (0..<n).map { i in (0..<n).map { j in v[i * n + j] } }
        return (w, vectors)
    }
}

extension LAPACK {
    /// Eigenvalues (ascending) and eigenvectors of a symmetric n × n matrix
    /// given row-major in Double (dsyevd, divide and conquer). The vectors
    /// come back row-major with eigenvector i in column i.
    public static func symmetricEigen(_ a: [Double], order n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(a.count == n * n, "expected an \(n) × \(n) matrix")
        var w = [Double](repeating: 0, count: n)
        var v = a
        guard n > 0 else { return (w, v) }
        let info = v.withUnsafeMutableBufferPointer { vp in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                               Int32(n), vp.baseAddress, Int32(n), wp.baseAddress)
            }
        }
        guard info == 0 else { throw LinearAlgebraError(routine: "dsyevd", info: info) }
        return (w, v)
    }
}

extension LAPACK {
    /// The lower-triangular L with A = L·Lᵀ for a symmetric positive
    /// definite n × n A given row-major in Double (dpotrf); the upper
    /// triangle of the result is zero.
    public static func cholesky(_ a: [Double], order n: Int) throws -> [Double] {
        precondition(a.count == n * n, "expected an \(n) × \(n) matrix")
        var l = a
        guard n > 0 else { return l }
        let info = l.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), $0.baseAddress, Int32(n))
        }
        guard info == 0 else { throw LinearAlgebraError(routine: "dpotrf", info: info) }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { l[i * n + j] = 0 } }
        return l
    }
}
