/// How one write of a large file reaches the disk.
package enum WriteMode: Sendable, Equatable {
    /// `O_DIRECT`: the device reads the bytes from our buffer by DMA. Costs
    /// almost no CPU; the writing thread waits for the device.
    case direct
    /// Through the page cache: the kernel copies the bytes into its pages and
    /// writes them back later (after the process has exited, for a file of a
    /// few hundred MB). Costs a copy, and page allocation, on a CPU.
    case buffered
}

/// Chooses, write by write, whether a large file's next piece goes around
/// the page cache or through it, by which has been faster in this run.
///
/// Why measure, and per run: neither way is faster everywhere, nor on one
/// machine from one run to the next. On this project's AVX2 AMD EPYC (2
/// vCPUs, ext4 on a virtual disk; 2026-11-30) `dd` of 512 MB took 1.0–4.9 s
/// with `O_DIRECT` and 0.5–5.3 s buffered (without fsync, as synthctl
/// writes), depending on the disk's other traffic, on the CPU's other work
/// and on whether the kernel had to fetch fresh pages from the hypervisor;
/// buffered writes also compete with generation and hashing for the CPU, so
/// on a busy machine they can lose. On the AVX-512 machine `O_DIRECT` was the
/// clear winner. Timing the writes themselves follows whichever holds now:
/// `gen` of 1M × 128 took a median 3.04 s choosing, 4.19 s always direct and
/// 4.16 s always buffered, in one loaded loop (README, Speed).
///
/// Policy: the first measured write goes direct and the second buffered, so
/// both have a rate; after that each write takes the mode with the lower
/// seconds per byte, except every ``probeInterval``-th, which takes the other
/// mode to refresh its rate (a disk's speed changes with other traffic). A
/// rate is the mean of its previous value and the latest sample, so one
/// stalled write does not decide the run.
///
/// The choice never changes the bytes written, only how they travel.
package struct WriteModeChooser: Sendable {
    /// Writes shorter than this are not timed (a header, a last piece): their
    /// time is mostly the system call's fixed cost, not the mode's.
    package static let measuredBytes = 1 << 20
    /// Every this many measured writes, the mode that looked slower is tried
    /// again: one write in 16 in the slower mode costs at most a few percent.
    package static let probeInterval = 16

    /// Seconds per byte of each mode so far; nil until it has been timed.
    package private(set) var directRate: Double? = nil
    package private(set) var bufferedRate: Double? = nil
    /// Measured writes so far.
    package private(set) var writes = 0

    package init() {}

    /// The mode with the lower seconds per byte (direct on a tie or while
    /// either is unknown: it costs no CPU).
    package var faster: WriteMode {
        guard let d = directRate, let b = bufferedRate else { return .direct }
        return b < d ? .buffered : .direct
    }

    /// The mode for the next measured write.
    package var next: WriteMode {
        switch writes {
        case 0: return .direct
        case 1: return .buffered
        default:
            let best = faster
            guard writes % Self.probeInterval == 0 else { return best }
            return best == .direct ? .buffered : .direct
        }
    }

    /// Records that a write of `bytes` in `mode` took `seconds` (wall time
    /// of the system calls, monotonic clock).
    package mutating func record(_ mode: WriteMode, bytes: Int, seconds: Double) {
        guard bytes > 0 else { return }
        let sample = max(0, seconds) / Double(bytes)
        switch mode {
        case .direct: directRate = directRate.map { ($0 + sample) / 2 } ?? sample
        case .buffered: bufferedRate = bufferedRate.map { ($0 + sample) / 2 } ?? sample
        }
        writes += 1
    }
}
