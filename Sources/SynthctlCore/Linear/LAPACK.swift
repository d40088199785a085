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

/// Factorizations through LAPACKE, row-major, with failures as Swift
/// errors. Each routine is written once, generic over ``LAPACKScalar``
/// (Float or Double); the public entry points below fix the scalar.
public enum LAPACK {
    /// The lower-triangular L with A = L·Lᵀ for a symmetric positive
    /// definite n × n A given row-major (`?potrf`); the upper triangle of
    /// the result is zero. Throws ``LinearAlgebraError`` with `?potrf`'s info.
    static func potrf<T: LAPACKScalar>(_ a: [T], order n: Int) throws -> [T] {
        var l = a
        let info = l.withUnsafeMutableBufferPointer {
            T.potrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), $0.baseAddress, Int32(n))
        }
        guard info == 0 else { throw LinearAlgebraError(routine: T.potrfName, info: info) }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { l[i * n + j] = 0 } }
        return l
    }

    /// Eigenvalues (ascending) and eigenvectors of a symmetric n × n matrix
    /// given row-major (`?syevd`, divide and conquer, upper triangle read);
    /// the vectors come back row-major with eigenvector i in column i.
    static func syevd<T: LAPACKScalar>(_ a: [T], order n: Int) throws -> (values: [T], vectors: [T]) {
        var w = [T](repeating: 0, count: n)
        var v = a
        let info = v.withUnsafeMutableBufferPointer { vp in
            w.withUnsafeMutableBufferPointer { wp in
                T.syevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                        Int32(n), vp.baseAddress, Int32(n), wp.baseAddress)
            }
        }
        guard info == 0 else { throw LinearAlgebraError(routine: T.syevdName, info: info) }
        return (w, v)
    }
}

extension LAPACK {
    /// The lower-triangular L with A = L·Lᵀ, for a symmetric positive
    /// definite A (spotrf); the upper triangle of the result is zero.
    public static func cholesky(_ a: Matrix) throws -> Matrix {
        precondition(a.rows == a.columns, "Cholesky needs a square matrix")
        var l = a
        l.storage = try potrf(a.storage, order: a.rows)
        return l
    }

    /// Eigenvalues (ascending) and eigenvectors (the columns of `vectors`) of
    /// a symmetric matrix, computed in Double by divide and conquer (dsyevd):
    /// generators use it on small structure matrices where accuracy matters
    /// more than speed.
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: [[Double]]) {
        precondition(a.rows == a.columns, "eigendecomposition needs a square matrix")
        let n = a.rows
        let (w, v) = try syevd(a.storage.map(Double.init), order: n)
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
        guard n > 0 else { return ([], a) }
        return try syevd(a, order: n)
    }
}

extension LAPACK {
    /// The lower-triangular L with A = L·Lᵀ for a symmetric positive
    /// definite n × n A given row-major in Double (dpotrf); the upper
    /// triangle of the result is zero.
    public static func cholesky(_ a: [Double], order n: Int) throws -> [Double] {
        precondition(a.count == n * n, "expected an \(n) × \(n) matrix")
        guard n > 0 else { return a }
        return try potrf(a, order: n)
    }
}
