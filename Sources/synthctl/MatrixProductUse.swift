import ArgumentParser

/// Whether a parsed command calls BLAS or LAPACK, and so is worth
/// re-executing for faster kernels (``selectBLASKernels()``).
///
/// Why: on a CPU that Debian's OpenBLAS 0.3.21 does not know (the 2-vCPU
/// Intel Xeon of model 207 these machines now are), OpenBLAS loads its
/// Prescott kernels and synthctl starts itself a second time with
/// `OPENBLAS_CORETYPE` set. That second start of the process image (the
/// dynamic loader binding Swift, Foundation and OpenBLAS again, OpenBLAS's
/// threads started again) costs 15–20 ms: `synthctl --version` took 39 ms
/// with it and 22 ms without (`perf stat -r 20`). A run that never
/// multiplies a matrix (scoring answers alone, about 0.25 s for 500,000
/// answers; splitting a table; embedding by hashing) pays it for nothing.
///
/// A command that does not adopt this protocol is taken to multiply
/// matrices: a missed re-exec costs speed (Prescott's sgemm is a fifth of
/// SkylakeX's), a needless one only the start.
protocol MatrixProductUse {
    /// False only when this run, as parsed, calls no BLAS or LAPACK routine.
    var multipliesMatrices: Bool { get }
}

/// Whether `command` should run with the kernels ``selectBLASKernels()``
/// chooses: true unless it says it multiplies no matrices.
func commandMultipliesMatrices(_ command: ParsableCommand) -> Bool {
    (command as? MatrixProductUse)?.multipliesMatrices ?? true
}

extension Score: MatrixProductUse {
    /// Annotations alone (`--answers`, with or without `--gold`) are counted
    /// and aggregated without BLAS; labels train a cross-validated model with it.
    var multipliesMatrices: Bool {
        !(input.answers != nil && input.dataset == nil && input.labels == nil && input.table == nil)
    }
}

extension Embed: MatrixProductUse {
    /// The hashing embedder adds signed counts; a model's forward pass is sgemm.
    var multipliesMatrices: Bool { model != nil }
}

extension Split: MatrixProductUse {
    /// Splitting draws and copies rows; it fits nothing.
    var multipliesMatrices: Bool { false }
}

extension SynthCtl: MatrixProductUse {
    /// `synthctl` alone prints the help text.
    var multipliesMatrices: Bool { false }
}
