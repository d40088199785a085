import CBLAS
import Foundation

/// Thin, typed wrappers over the CBLAS level-3 routines synthctl uses.
///
/// Everything here is row-major and takes arrays or matrices; the
/// raw-pointer forms, for hot loops that multiply sub-blocks of larger
/// buffers, are in ``_UnsafeBLAS``.
public enum BLAS {
    /// C ← α·AᵀA + β·C (upper triangle, then mirrored), for an m×n A: the
    /// Gram matrix in half the flops of a general product.
    public static func gram(_ a: Matrix) -> Matrix {
        var c = Matrix(rows: a.columns, columns: a.columns)
        guard a.rows > 0, a.columns > 0 else { return c }
        a.storage.withUnsafeBufferPointer { ap in
            c.storage.withUnsafeMutableBufferPointer { cp in
                cblas_ssyrk(
                    CblasRowMajor, CblasUpper, CblasTrans, Int32(a.columns), Int32(a.rows),
                    1, ap.baseAddress, Int32(a.columns), 0, cp.baseAddress, Int32(a.columns))
            }
        }
        for i in 0..<c.rows { for j in 0..<i { c[i, j] = c[j, i] } }
        return c
    }

    /// The product A·B of two matrices.
    public static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "shapes \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns) do not chain")
        var c = Matrix(rows: a.rows, columns: b.columns)
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    _UnsafeBLAS.gemm(m: a.rows, n: b.columns, k: a.columns,
                                     a: ap.baseAddress!, lda: a.columns, b: bp.baseAddress!, ldb: b.columns,
                                     c: cp.baseAddress!, ldc: b.columns)
                }
            }
        }
        return c
    }

    /// Keeps OpenBLAS from starting its own threads inside ours: synthctl
    /// splits work across cores itself, in row blocks, and a BLAS call made
    /// from a worker must stay on that worker.
    public static func useSingleThreadedBLAS() {
        openblas_set_num_threads(1)
    }

    /// Stops OpenBLAS's idle worker threads. OpenBLAS starts them when it
    /// loads, and each spins on `sched_yield` for about 2²⁸ cycles (a tenth
    /// of a second) before it sleeps: a command that does not multiply
    /// matrices (scoring annotations) otherwise loses a core for its first
    /// 0.1 s — a quarter of Dawid–Skene's time on 500,000 answers. OpenBLAS
    /// starts the threads again on its next multithreaded call, so calling
    /// this is always safe; it only costs that restart.
    public static func parkIdleThreads() {
        _ = blas_thread_shutdown_()
    }

    /// How many threads the BLAS library would use (OpenBLAS's own setting).
    public static var libraryThreads: Int { Int(openblas_get_num_threads()) }

    /// The kernel family OpenBLAS selected for this CPU when it loaded.
    public static var kernelCore: String { String(cString: openblas_get_corename()) }

    /// The kernel family to ask OpenBLAS for (through `OPENBLAS_CORETYPE`)
    /// when it chose badly, or nil when its choice stands.
    ///
    /// Why: OpenBLAS picks kernels by CPU model number, and a release older
    /// than the CPU (Debian 12 ships 0.3.21) falls back to "Prescott", its
    /// generic SSE3 kernels, on models it does not know — which virtual
    /// machines often report. On this project's 2-core AVX-512 machine that
    /// is 60 GFLOP/s of sgemm instead of 300. The instruction-set flags say
    /// what the CPU can really run.
    ///
    /// - Parameters:
    ///   - core: OpenBLAS's choice (``kernelCore``).
    ///   - cpuFlags: the CPU's feature flags, as in /proc/cpuinfo.
    public static func betterKernelCore(core: String, cpuFlags: Set<String>) -> String? {
        guard core == "Prescott" || core == "Unknown" else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// This machine's CPU flags from /proc/cpuinfo (empty where there is none).
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}

extension BLAS {
    /// C ← A·B for row-major Double matrices (m × k times k × n).
    public static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        precondition(a.count == m * k && b.count == k * n)
        var c = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        return c
    }
}

extension BLAS {
    /// B ← B·L⁻ᵀ for a row-major Double B (rows × n) and a lower-triangular
    /// n × n L: each row b becomes the y with L·y = b (`dtrsm`), a batch of
    /// forward substitutions.
    public static func solveLowerTransposed(_ l: [Double], order n: Int, rows: Int, _ b: inout [Double]) {
        precondition(l.count == n * n && b.count == rows * n)
        guard rows > 0, n > 0 else { return }
        cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(rows), Int32(n), 1,
                    l, Int32(n), &b, Int32(n))
    }
}
