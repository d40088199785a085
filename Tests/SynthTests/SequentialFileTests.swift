import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The file writer behind the .npy files: whatever mix of direct (page-cache
/// bypassing) and buffered writes it uses, the file must hold exactly the
/// bytes appended, in order.
@Suite struct SequentialFileTests {
    /// Appends pieces that exercise every path: a one-block header (staged,
    /// then flushed whole), page-aligned sources written in place, unaligned
    /// and odd-sized pieces that go through staging, a piece larger than the
    /// staging buffer, and a final partial block.
    func roundTrip(directory: String, expectedBytes: Int) throws -> (expected: [UInt8], found: [UInt8]) {
        let path = "\(directory)/f.bin"
        let file = try SequentialFile(path: path, expectedBytes: expectedBytes)
        var expected = [UInt8]()
        var state: UInt32 = 12345
        func bytes(_ n: Int) -> [UInt8] {
            (0..<n).map { _ in state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(truncatingIfNeeded: state >> 24) }
        }
        func append(_ piece: [UInt8]) throws {
            try file.write(piece.span.bytes)
            expected += piece
        }
        func appendAligned(_ piece: [UInt8]) throws {
            let buffer = PageAlignedBuffer<UInt8>(repeating: 0, count: piece.count)
            buffer.withUnsafeMutableBufferPointer { _ = $0.initialize(from: piece) }
            try buffer.withUnsafeBufferPointer { try file.write(unsafe RawSpan(_unsafeElements: $0)) }
            expected += piece
        }
        try append(bytes(4096))                       // a header of one block
        try appendAligned(bytes(3 * 4096))            // straight from memory
        try appendAligned(bytes(2 * 4096 + 100))      // whole blocks direct, 100 bytes staged
        try append(bytes(1))
        try appendAligned(bytes(8192))                // staged bytes are not whole blocks: copied
        try append(bytes(SequentialFile.stagingBytes + 777))  // more than the staging buffer
        try append(bytes(4095))
        try file.finish()
        #expect(file.bytesAppended == expected.count)
        return (expected, Array(FileManager.default.contents(atPath: path) ?? Data()))
    }

    @Test func directWritesKeepEveryByteInOrder() throws {
        let (expected, found) = try roundTrip(directory: temporaryDirectory(), expectedBytes: SequentialFile.directThreshold)
        #expect(found.count == expected.count)
        #expect(found == expected)
    }

    @Test func bufferedWritesKeepEveryByteInOrder() throws {
        let (expected, found) = try roundTrip(directory: temporaryDirectory(), expectedBytes: 1)
        #expect(found == expected)
    }

    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/shm"),
                   "/dev/shm is not writable here: no tmpfs to refuse O_DIRECT"))
    func aFileSystemWithoutDirectIOFallsBackToTheSameBytes() throws {
        // tmpfs refuses O_DIRECT on many kernels (at open or at the first
        // write); the file must come out the same either way.
        let shm = "/dev/shm"
        let dir = "\(shm)/synthctl-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (expected, found) = try roundTrip(directory: dir, expectedBytes: SequentialFile.directThreshold)
        #expect(found == expected)
    }

    /// Large pieces (timed, their mode chosen write by write) of odd sizes
    /// and alignments, so that buffered writes leave the file inside a block
    /// and the next direct write must first reach the boundary.
    func mixedModes(_ mode: @escaping (Int) -> WriteMode, directory: String) throws -> (expected: [UInt8], found: [UInt8], file: SequentialFile) {
        let path = "\(directory)/m.bin"
        let file = try SequentialFile(path: path, expectedBytes: SequentialFile.directThreshold)
        file.modeOverride = mode
        var expected = [UInt8]()
        var state: UInt32 = 777
        func bytes(_ n: Int) -> [UInt8] {
            (0..<n).map { _ in state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(truncatingIfNeeded: state >> 24) }
        }
        let large = WriteModeChooser.measuredBytes
        let header = bytes(4096)  // one block, untimed
        try file.write(header.span.bytes)
        expected += header
        for (i, size) in [large, large + 100, 3 * large + 4096, large + 1, 2 * large, large + 4095, 5].enumerated() {
            let piece = bytes(size)
            if i % 2 == 0 {
                let buffer = PageAlignedBuffer<UInt8>(repeating: 0, count: piece.count)
                buffer.withUnsafeMutableBufferPointer { _ = $0.initialize(from: piece) }
                try buffer.withUnsafeBufferPointer { try file.write(unsafe RawSpan(_unsafeElements: $0)) }
            } else {
                try file.write(piece.span.bytes)
            }
            expected += piece
        }
        try file.finish()
        return (expected, Array(FileManager.default.contents(atPath: path) ?? Data()), file)
    }

    @Test func writesWhoseModeChangesKeepEveryByteInOrder() throws {
        let patterns: [(String, (Int) -> WriteMode)] = [
            ("alternating, direct first", { $0 % 2 == 0 ? .direct : .buffered }),
            ("alternating, buffered first", { $0 % 2 == 0 ? .buffered : .direct }),
            ("two of each", { $0 / 2 % 2 == 0 ? .buffered : .direct }),
            ("all buffered", { _ in .buffered }),
            ("all direct", { _ in .direct }),
        ]
        for (name, pattern) in patterns {
            let (expected, found, file) = try mixedModes(pattern, directory: temporaryDirectory())
            #expect(found.count == expected.count, "\(name)")
            #expect(found == expected, "\(name)")
            #expect(file.directBytes + file.bufferedBytes == expected.count, "\(name)")
            #expect(file.chooser.writes == 6, "\(name): the six pieces of at least 1 MiB are timed")
        }
    }

    @Test func bothModesAreUsedWhereTheFileSystemAllowsDirectWrites() throws {
        // ext4 or xfs (the temporary directory here): the alternating
        // pattern really sends bytes both ways.
        let (_, _, file) = try mixedModes({ $0 % 2 == 0 ? .direct : .buffered }, directory: temporaryDirectory())
        #expect(file.bufferedBytes > 0)
        #expect(file.directBytes > 0)
    }

    @Test func aFileThatCannotBeCreatedIsNamedWithTheReason() {
        // Both opening paths (direct for large files, buffered for small).
        for expected in [1, SequentialFile.directThreshold] {
            let message = errorMessage { _ = try SequentialFile(path: "/proc/synthctl-test.npy", expectedBytes: expected) }
            #expect(message?.hasPrefix("/proc/synthctl-test.npy: cannot create file (") == true, "\(message ?? "no error")")
        }
    }

    @Test func largeNpyFilesGetAOneBlockHeaderThatNumPyReads() throws {
        // 9 M floats (36 MB) is above the direct-write threshold: the header
        // is padded to 4096 bytes so the payload starts block-aligned. (That
        // NumPy reads such a file is checked in CommandLineTests.)
        let small = NpyWriter.header(type: .float32, shape: [10, 3])
        let large = NpyWriter.header(type: .float32, shape: [3_000_000, 3], alignment: 4096)
        #expect(small.count == 128)
        #expect(large.count == 4096)
        #expect(large.last == UInt8(ascii: "\n"))
        let dir = temporaryDirectory()
        let writer = try NpyWriter(path: "\(dir)/x.npy", type: .float32, shape: [3_000_000, 3])
        let values = (0..<9_000_000).map { Float($0 % 1000) - 500 }
        try writer.append(values, count: values.count)
        _ = try writer.finish()
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(dir)/x.npy")
        #expect(attributes[.size] as? Int == 4096 + 36_000_000)
        let read = try NpyArray(path: "\(dir)/x.npy")
        #expect(read.shape == [3_000_000, 3])
        #expect(read.values.count == values.count)
        #expect(read.values.prefix(1000).elementsEqual(values.prefix(1000).map(Double.init)))
        #expect(read.values.suffix(1000).elementsEqual(values.suffix(1000).map(Double.init)))
    }
}
