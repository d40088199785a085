import CMalloc

/// How this process asks glibc's allocator to keep memory, set once at start.
///
/// glibc serves an allocation of 128 KiB or more (a threshold it raises to
/// at most 32 MiB as such blocks are freed) with a fresh `mmap`, and gives
/// it back with `munmap` when freed. A run allocates arrays of megabytes
/// stage after stage (the pieces of an answers file, their merged columns,
/// the grouped answers, each statistic's buffers): every one then arrives
/// as untouched pages, faulted in and zeroed by the kernel page by page, and
/// every free interrupts the other cores to flush their TLBs. In `score` on
/// 500,000 answers that was a fifth of the reading time and about 40 ms of
/// a 290 ms run (2-vCPU EPYC).
///
/// Blocks below 32 MiB (the most glibc's own dynamic threshold reaches, and
/// the most every glibc accepts) therefore come from the heap from the
/// start, where a freed block is reused by the next allocation of its size.
///
/// The heap's top is given back to the system only when more than 32 MiB of
/// it is free (glibc's default, 128 KiB, gave back the top after nearly
/// every stage, and the next stage faulted the same pages in again: 14,800
/// page faults in that `score` run, 10,900 with this, and 0.132 → 0.123 s,
/// means of four `perf stat -r 20` alternating, on a 2-vCPU AVX-512 EPYC).
/// So up to 32 MiB freed for good may stay with the process until it ends
/// (the peak resident set of that run: 67 → 70 MB). Blocks of 32 MiB and
/// more (a dataset's feature matrix, a long file read whole) are still
/// mapped and unmapped on their own.
enum AllocatorSettings {
    static let mmapThreshold: Int32 = 32 << 20

    /// Free bytes at the heap's top beyond which glibc gives them back.
    static let trimThreshold: Int32 = 32 << 20

    /// False when glibc refused a setting (the run goes on with its defaults
    /// for that one).
    @discardableResult
    static func apply() -> Bool {
        let mmap = mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1
        let trim = mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1
        return mmap && trim
    }
}
