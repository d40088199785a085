#if canImport(Glibc)
import Glibc
#endif

/// A file written front to back, bypassing the page cache when it is large.
///
/// Why: a buffered `write` copies every byte into page-cache pages the
/// kernel must first find and zero. For a half-gigabyte features file that
/// copy cost 0.15–1.4 s of system time here (a virtual machine, where fresh
/// guest pages are expensive), more than generating the data. With
/// `O_DIRECT` the disk reads the bytes from our buffer by DMA: almost no CPU,
/// and the writing thread simply waits while the other threads work. A file
/// written this way is not in the page cache afterwards; reading it back
/// soon after costs a disk read.
///
/// `O_DIRECT` wants the buffer address, the length and the file offset to be
/// multiples of the device's block size. Bytes are therefore gathered in an
/// aligned staging buffer and written in whole blocks of ``blockAlignment``;
/// the last partial block is written after `O_DIRECT` is switched off. Where
/// the file system refuses `O_DIRECT` (tmpfs, some network file systems),
/// the file falls back to ordinary buffered writes, with the same bytes.
package final class SequentialFile {
    package let path: String
    /// What messages call the file: the output it becomes, not its
    /// temporary name.
    package let name: String
    private let descriptor: Int32
    /// False for a descriptor the caller opened (standard output): never
    /// closed here.
    private let ownsDescriptor: Bool
    private var direct: Bool
    /// Page-aligned staging buffer for direct writes (nil when buffered).
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
                close(fd)
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
        guard var source = raw.baseAddress, raw.count > 0 else { return }
        bytesAppended += raw.count
        guard direct, let staging else {
            try drainStaging()  // bytes staged before a fall-back to buffered writes go first
            return try writeAll(source, raw.count)
        }
        var left = raw.count
        // A block-aligned source goes to the disk straight from the caller's
        // memory, in whole blocks, once what is staged is out (which needs
        // the staged bytes to be whole blocks too, as after a header of one
        // block).
        let aligned = Int(bitPattern: source) % Self.blockAlignment == 0
        if aligned, staged % Self.blockAlignment == 0 { try flushWholeBlocks() }
        if aligned, staged == 0 {
            let whole = left / Self.blockAlignment * Self.blockAlignment
            try writeAll(UnsafeRawPointer(source), whole)
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
    /// (EINVAL) is switched to buffered writes and the bytes are retried.
    private func writeAll(_ start: UnsafeRawPointer, _ count: Int) throws {
        var p = start, left = count
        while left > 0 {
            let n = Glibc.write(descriptor, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL && direct {
                    try leaveDirectMode()
                    continue
                }
                if errno == EPIPE { throw ReaderGoneError(path: name, bytesWritten: bytesOnDisk) }
                throw FileAccessError(path: name, problem: "write failed after \(bytesOnDisk) bytes", reason: FileErrorReason.describe(errno: errno))
            }
            p += n
            left -= n
            bytesOnDisk += n
        }
    }

    private func leaveDirectMode() throws {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~oDirect) == 0 else {
            throw FileAccessError(path: name, problem: "cannot switch to buffered writes", reason: FileErrorReason.describe(errno: errno))
        }
        direct = false
    }

    /// Writes what is staged and closes the file. No fsync: a killed run is
    /// covered by the atomic rename of the finished output.
    package func finish() throws {
        if direct { try flushWholeBlocks() }
        // The last partial block cannot be written directly.
        if direct && staged > 0 { try leaveDirectMode() }
        try drainStaging()
        closed = true
        guard ownsDescriptor else { return }
        guard close(descriptor) == 0 else {
            throw FileAccessError(path: name, problem: "could not flush to disk", reason: FileErrorReason.describe(errno: errno))
        }
    }
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
