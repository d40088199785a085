#if canImport(Glibc)
import Glibc
#endif

/// A file written front to back, large pieces either around the page cache
/// or through it, whichever is faster in this run.
///
/// Why bypass the page cache: a buffered `write` copies every byte into
/// page-cache pages the kernel must first find and zero. For a half-gigabyte
/// features file that copy cost 0.15–1.4 s of system time on the AVX-512
/// development machine (a virtual machine, where fresh guest pages are
/// expensive), more than generating the data. With `O_DIRECT` the disk reads
/// the bytes from our buffer by DMA: almost no CPU, and the writing thread
/// simply waits while the other threads work. Why not always: on a slower
/// disk (the AVX2 machine's, 1.0–4.9 s for 512 MB) the page-cache copy can
/// be the faster of the two, since synthctl does not wait for the disk
/// (no fsync; see ``finish()``). So a file large enough to matter times its
/// large writes and lets ``WriteModeChooser`` pick the mode of each; the
/// bytes are the same whichever it picks.
///
/// `O_DIRECT` wants the buffer address, the length and the file offset to be
/// multiples of the device's block size. Bytes are therefore gathered in an
/// aligned staging buffer and written in whole blocks of ``blockAlignment``;
/// the last partial block is written after `O_DIRECT` is switched off, and a
/// buffered piece that ends inside a block is followed, before the next
/// direct one, by a buffered head up to the block boundary. Where the file
/// system refuses `O_DIRECT` (tmpfs, some network file systems), the file
/// falls back to ordinary buffered writes, with the same bytes.
package final class SequentialFile {
    package let path: String
    /// What messages call the file: the output it becomes, not its
    /// temporary name.
    package let name: String
    private let descriptor: Int32
    /// False for a descriptor the caller opened (standard output): never
    /// closed here.
    private let ownsDescriptor: Bool
    /// Whether the descriptor has `O_DIRECT` set now.
    private var direct: Bool
    /// Whether direct writes may be used: the file is large and its file
    /// system accepted `O_DIRECT` (false for good after a refusal).
    private var directAllowed: Bool
    /// Times the large writes and picks their mode (see the type's doc).
    package private(set) var chooser = WriteModeChooser()
    /// A test seam: the mode of the n-th measured write, instead of the
    /// chooser's (which still records the timing).
    package var modeOverride: ((Int) -> WriteMode)? = nil
    /// Bytes that went to the disk in each mode (a report of the choice;
    /// tests check that both modes were exercised).
    package private(set) var directBytes = 0
    package private(set) var bufferedBytes = 0
    /// Page-aligned staging buffer for direct writes (nil when the file
    /// never writes directly).
    private var staging: UnsafeMutableRawPointer?
    private var staged = 0
    private var closed = false
    /// Bytes handed to ``write(_:)`` so far (some may still be staged).
    package private(set) var bytesAppended = 0
    private var bytesOnDisk = 0

    /// Multiple of every common logical block size (512 B, 4 KiB).
    package static let blockAlignment = 4096
    package static let stagingBytes = 4 << 20
    /// Below this many bytes a file is written through the page cache: the
    /// copy is cheap and the next reader finds the data in memory.
    package static let directThreshold = 32 << 20

    /// Creates `path`, which must not exist (`O_EXCL`, and `O_NOFOLLOW`):
    /// a writer only ever writes a file it created — its temporary name —
    /// never truncates one that was there, nor follows a link planted at
    /// that name. `expectedBytes` decides whether the page cache is bypassed.
    ///
    /// With `temporary` (a run's `<out>.synthctl-partial-<pid>`), a name
    /// that is taken is reported by ``PartialOutputs/occupied(_:)``,
    /// naming it rather than the output it was for.
    package init(path: String, expectedBytes: Int, name: String? = nil, temporary: Bool = false) throws {
        self.path = path
        self.name = name ?? path
        ownsDescriptor = true
        var fd: Int32 = -1
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        direct = expectedBytes >= Self.directThreshold && oDirect != 0
        if direct {
            fd = open(path, flags | oDirect, 0o644)
            if fd < 0 && (errno == EINVAL || errno == EOPNOTSUPP) {
                // A file system without O_DIRECT may have created the file
                // before refusing the flag (O_EXCL would have refused a file
                // that was there first): it is ours to remove.
                direct = false
                unlink(path)
            }
        }
        if !direct { fd = open(path, flags, 0o644) }
        directAllowed = direct
        guard fd >= 0 else {
            // Something at this name was not created here (O_EXCL): name it,
            // not the output it was to become, which may not exist.
            if temporary && errno == EEXIST { throw PartialOutputs.occupied(path) }
            throw FileAccessError(path: self.name, problem: "cannot create file", reason: FileErrorReason.describe(errno: errno))
        }
        descriptor = fd
        if direct {
            var p: UnsafeMutableRawPointer?
            guard posix_memalign(&p, Self.blockAlignment, Self.stagingBytes) == 0, let p else {
                // Every stored property is set: `deinit` runs and closes
                // `descriptor`; closing it here too would close a number
                // another thread may have opened since.
                throw FileAccessError(path: self.name, problem: "cannot allocate a write buffer")
            }
            staging = p
        }
    }

    /// Writes to `descriptor`, which the caller opened and closes (standard
    /// output, a pipe), with buffered writes.
    package init(descriptor: Int32, name: String) {
        path = name
        self.name = name
        self.descriptor = descriptor
        ownsDescriptor = false
        direct = false
        directAllowed = false
    }

    deinit {
        if !closed && ownsDescriptor { close(descriptor) }
        staging?.deallocate()
    }

    /// Appends `bytes` to the file. Bytes that start on a block boundary
    /// (a ``PageAlignedBuffer``'s) go to the disk from where they are.
    package func write(_ bytes: RawSpan) throws {
        try bytes.withUnsafeBytes { try _write($0) }
    }

    /// ``write(_:)`` on the span's memory. Precondition: `raw` stays valid
    /// and unchanged during the call.
    private func _write(_ raw: UnsafeRawBufferPointer) throws {
        guard let source = raw.baseAddress, raw.count > 0 else { return }
        bytesAppended += raw.count
        guard directAllowed, raw.count >= WriteModeChooser.measuredBytes else {
            // Small pieces (a header) follow the mode of the moment, untimed.
            return try direct ? writeDirect(source, raw.count) : writeBuffered(source, raw.count)
        }
        let mode = modeOverride?(chooser.writes) ?? chooser.next
        let start = monotonicSeconds()
        switch mode {
        case .direct: try writeDirect(source, raw.count)
        case .buffered: try writeBuffered(source, raw.count)
        }
        chooser.record(mode, bytes: raw.count, seconds: monotonicSeconds() - start)
    }

    /// Writes through the page cache, after what is staged.
    private func writeBuffered(_ source: UnsafeRawPointer, _ count: Int) throws {
        try setDirect(false)
        try drainStaging()  // bytes staged by direct writes go first
        try writeAll(source, count)
    }

    /// Writes around the page cache where the file system allows it.
    private func writeDirect(_ source: UnsafeRawPointer, _ count: Int) throws {
        var source = source, left = count
        if !direct {
            try drainStaging()  // empty unless direct writes were refused midway
            // After buffered writes the file may end inside a block: a
            // buffered head brings it to the boundary direct writes need.
            let head = min(left, (Self.blockAlignment - bytesOnDisk % Self.blockAlignment) % Self.blockAlignment)
            try writeAll(source, head)
            source += head
            left -= head
            guard left > 0 else { return }
            try setDirect(true)
        }
        guard direct, let staging else { return try writeAll(source, left) }  // refused: buffered
        // A block-aligned source goes to the disk straight from the caller's
        // memory, in whole blocks, once what is staged is out (which needs
        // the staged bytes to be whole blocks too, as after a header of one
        // block).
        let aligned = Int(bitPattern: source) % Self.blockAlignment == 0
        if aligned, staged % Self.blockAlignment == 0 { try flushWholeBlocks() }
        if aligned, staged == 0 {
            let whole = left / Self.blockAlignment * Self.blockAlignment
            try writeAll(source, whole)
            source += whole
            left -= whole
        }
        while left > 0 {
            let n = min(left, Self.stagingBytes - staged)
            (staging + staged).copyMemory(from: source, byteCount: n)
            staged += n
            source += n
            left -= n
            if staged == Self.stagingBytes { try flushWholeBlocks() }
        }
    }

    /// Writes everything staged (after direct writes were given up).
    private func drainStaging() throws {
        guard staged > 0, let staging else { return }
        try writeAll(UnsafeRawPointer(staging), staged)
        staged = 0
    }

    /// Writes the staged whole blocks and keeps the partial one.
    private func flushWholeBlocks() throws {
        guard let staging else { return }
        let whole = staged / Self.blockAlignment * Self.blockAlignment
        guard whole > 0 else { return }
        try writeAll(UnsafeRawPointer(staging), whole)
        if whole < staged { staging.copyMemory(from: staging + whole, byteCount: staged - whole) }
        staged -= whole
    }

    /// `write(2)` until done; a file system that refuses a direct write
    /// (EINVAL) is switched to buffered writes for good and the bytes are
    /// retried.
    private func writeAll(_ start: UnsafeRawPointer, _ count: Int) throws {
        var p = start, left = count
        while left > 0 {
            let n = Glibc.write(descriptor, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL && direct {
                    directAllowed = false
                    try setDirect(false)
                    continue
                }
                if errno == EPIPE { throw ReaderGoneError(path: name, bytesWritten: bytesOnDisk) }
                throw FileAccessError(path: name, problem: "write failed after \(bytesOnDisk) bytes", reason: FileErrorReason.describe(errno: errno))
            }
            p += n
            left -= n
            bytesOnDisk += n
            if direct { directBytes += n } else { bufferedBytes += n }
        }
    }

    /// Sets or clears `O_DIRECT` on the descriptor. A file system that
    /// refuses to set it leaves the file buffered for good.
    private func setDirect(_ on: Bool) throws {
        guard on != direct, !on || directAllowed else { return }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0, fcntl(descriptor, F_SETFL, on ? flags | oDirect : flags & ~oDirect) == 0 {
            direct = on
            return
        }
        if on {
            directAllowed = false  // stays buffered, which always works
            return
        }
        throw FileAccessError(path: name, problem: "cannot switch to buffered writes", reason: FileErrorReason.describe(errno: errno))
    }

    /// Writes what is staged and closes the file. No fsync: a killed run is
    /// covered by the atomic rename of the finished output. A second call
    /// does nothing (the writer of a file's contents and the owner that
    /// renames it may both finish it; the descriptor is closed once).
    package func finish() throws {
        guard !closed else { return }
        if direct { try flushWholeBlocks() }
        // The last partial block cannot be written directly.
        if staged > 0 { try setDirect(false) }
        try drainStaging()
        closed = true
        guard ownsDescriptor else { return }
        guard close(descriptor) == 0 else {
            throw FileAccessError(path: name, problem: "could not flush to disk", reason: FileErrorReason.describe(errno: errno))
        }
    }
}

/// Seconds on the monotonic clock (for timing writes; never part of the output).
private func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Linux's O_DIRECT, which Glibc's Swift module does not export (it needs
/// _GNU_SOURCE). Its value differs by architecture; 0 where unknown, which
/// keeps every file buffered.
#if os(Linux) && arch(x86_64)
private let oDirect: Int32 = 0o40000
#elseif os(Linux) && arch(arm64)
private let oDirect: Int32 = 0o200000
#else
private let oDirect: Int32 = 0
#endif
