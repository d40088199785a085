#if canImport(Glibc)
import Glibc
#endif

/// A fixed-size, zero-initialized buffer whose first element sits on a page
/// boundary.
///
/// Why: ``SequentialFile`` writes large files with `O_DIRECT`, which reads
/// straight from our memory only when the address is block-aligned; an
/// Array's elements never are (they follow the array's header). Generating a
/// chunk into page-aligned memory lets the features go to the disk without
/// first being copied into a staging buffer. A class, because the buffer is
/// shared with the background writer without copying (see ``DatasetChunk``).
///
/// Public to read; writing (the subscript's setter and
/// ``withUnsafeMutableBufferPointer(_:)``) is for this package alone, which
/// owns the only buffers there are. `@unchecked Sendable` because the class
/// hands out its memory: that is safe because the package writes a buffer only
/// while no other thread reads it (``DatasetChunk`` states the hand-off), and
/// the allocation itself never changes.
///
/// Why anonymous `mmap`: its pages are the kernel's zero pages until first
/// written, so a buffer of zeros costs no pass over its memory (the fill
/// touched every page twice: once to zero it, once to generate into it).
/// A value that is not all zero bytes is copied in by doubling `memcpy`s,
/// not by a per-element generic copy (this generic class is not
/// specialized for its callers in other modules).
public final class PageAlignedBuffer<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    public static var alignment: Int { 4096 }

    private let base: UnsafeMutablePointer<Element>
    /// The mapping's length in bytes: a whole number of pages, at least one.
    private let mappedBytes: Int
    public let count: Int

    public init(repeating value: Element, count: Int) {
        precondition(count >= 0)
        let bytes = Swift.max(1, count) * MemoryLayout<Element>.stride
        mappedBytes = (bytes + Self.alignment - 1) / Self.alignment * Self.alignment
        guard let raw = mmap(nil, mappedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("cannot map \(mappedBytes) bytes of memory")  // as a failed allocation
        }
        base = raw.bindMemory(to: Element.self, capacity: Swift.max(1, count))
        self.count = count
        guard MemoryLayout<Element>.size == MemoryLayout<Element>.stride else {
            base.initialize(repeating: value, count: count)
            return
        }
        withUnsafeBytes(of: value) { pattern in
            let width = pattern.count
            guard count > 0, pattern.contains(where: { $0 != 0 }) else { return }  // mapped pages read as zero
            raw.copyMemory(from: pattern.baseAddress!, byteCount: width)
            var done = width
            let total = count * width
            while done < total {
                let n = Swift.min(done, total - done)
                (raw + done).copyMemory(from: raw, byteCount: n)
                done += n
            }
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(base), mappedBytes) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public package(set) subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "index \(i) outside 0..<\(count)")
            return base[i]
        }
        set {
            precondition(i >= 0 && i < count, "index \(i) outside 0..<\(count)")
            base[i] = newValue
        }
    }

    /// Reads the elements through a pointer valid only inside `body` (as
    /// Array's own method of the same name).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Precondition: no other code reads or writes the buffer meanwhile.
    package func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: base, count: count))
    }
}
