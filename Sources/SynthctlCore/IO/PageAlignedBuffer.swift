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
public final class PageAlignedBuffer<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    public static var alignment: Int { 4096 }

    private let base: UnsafeMutablePointer<Element>
    public let count: Int

    public init(repeating value: Element, count: Int) {
        precondition(count >= 0)
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: Swift.max(1, count) * MemoryLayout<Element>.stride, alignment: Self.alignment)
        base = raw.bindMemory(to: Element.self, capacity: Swift.max(1, count))
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    deinit { base.deallocate() }

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
