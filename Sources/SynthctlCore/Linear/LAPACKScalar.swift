import CBLAS

/// A scalar LAPACK factorizes: Float (LAPACK's `s` routines) or Double
/// (`d`). Each requirement is one LAPACKE entry point, row-major, with
/// LAPACKE's own arguments and return code, so that ``LAPACK``'s wrappers
/// are written once, generic over the scalar.
protocol LAPACKScalar: BinaryFloatingPoint {
    /// The Cholesky factorization in place (`?potrf`): `uplo` "L" leaves L
    /// with A = L·Lᵀ in the lower triangle of the n × n `a` (leading
    /// dimension `lda`). Returns LAPACK's info: 0, or the order of the
    /// first leading minor that is not positive definite.
    static func potrf(_ layout: Int32, _ uplo: CChar, _ n: Int32,
                      _ a: UnsafeMutablePointer<Self>?, _ lda: Int32) -> Int32
    /// The symmetric eigendecomposition by divide and conquer (`?syevd`):
    /// eigenvalues ascending into `w` (n), and with `jobz` "V" the
    /// eigenvectors over `a`. Returns LAPACK's info: 0, or > 0 when it did
    /// not converge.
    static func syevd(_ layout: Int32, _ jobz: CChar, _ uplo: CChar, _ n: Int32,
                      _ a: UnsafeMutablePointer<Self>?, _ lda: Int32, _ w: UnsafeMutablePointer<Self>?) -> Int32
    /// The routines' names for errors: "spotrf" or "dpotrf".
    static var potrfName: String { get }
    /// "ssyevd" or "dsyevd".
    static var syevdName: String { get }
}

extension Float: LAPACKScalar {
    static func potrf(_ layout: Int32, _ uplo: CChar, _ n: Int32,
                             _ a: UnsafeMutablePointer<Float>?, _ lda: Int32) -> Int32 {
        LAPACKE_spotrf(layout, uplo, n, a, lda)
    }
    static func syevd(_ layout: Int32, _ jobz: CChar, _ uplo: CChar, _ n: Int32,
                             _ a: UnsafeMutablePointer<Float>?, _ lda: Int32, _ w: UnsafeMutablePointer<Float>?) -> Int32 {
        LAPACKE_ssyevd(layout, jobz, uplo, n, a, lda, w)
    }
    static var potrfName: String { "spotrf" }
    static var syevdName: String { "ssyevd" }
}

extension Double: LAPACKScalar {
    static func potrf(_ layout: Int32, _ uplo: CChar, _ n: Int32,
                             _ a: UnsafeMutablePointer<Double>?, _ lda: Int32) -> Int32 {
        LAPACKE_dpotrf(layout, uplo, n, a, lda)
    }
    static func syevd(_ layout: Int32, _ jobz: CChar, _ uplo: CChar, _ n: Int32,
                             _ a: UnsafeMutablePointer<Double>?, _ lda: Int32, _ w: UnsafeMutablePointer<Double>?) -> Int32 {
        LAPACKE_dsyevd(layout, jobz, uplo, n, a, lda, w)
    }
    static var potrfName: String { "dpotrf" }
    static var syevdName: String { "dsyevd" }
}
