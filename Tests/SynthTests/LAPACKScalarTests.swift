import Testing
@testable import SynthctlCore

/// The LAPACK wrappers are written once over ``LAPACKScalar``: Float and
/// Double must run the same routine and name their own on failure.
@Suite struct LAPACKScalarTests {
    static let spd: [Double] = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]

    @Test func floatAndDoubleFactorTheSameMatrix() throws {
        let d = try LAPACK.potrf(Self.spd, order: 3)
        let f = try LAPACK.potrf(Self.spd.map(Float.init), order: 3)
        for i in 0..<9 { #expect(abs(Double(f[i]) - d[i]) < 1e-5) }
        #expect(d[1] == 0 && d[2] == 0 && d[5] == 0)  // upper triangle zeroed
        let (fw, _) = try LAPACK.syevd(Self.spd.map(Float.init), order: 3)
        let (dw, _) = try LAPACK.syevd(Self.spd, order: 3)
        for i in 0..<3 { #expect(abs(Double(fw[i]) - dw[i]) < 1e-4) }
    }

    @Test func eachScalarNamesItsRoutine() {
        let notPositive: [Double] = [1, 2, 2, 1]
        #expect(throws: LinearAlgebraError(routine: "dpotrf", info: 2)) { try LAPACK.potrf(notPositive, order: 2) }
        #expect(throws: LinearAlgebraError(routine: "spotrf", info: 2)) { try LAPACK.potrf(notPositive.map(Float.init), order: 2) }
        #expect(Float.syevdName == "ssyevd" && Double.syevdName == "dsyevd")
    }
}
