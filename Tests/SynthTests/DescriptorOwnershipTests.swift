import Testing
import Foundation
@testable import SynthctlCore

/// A class whose `init` throws after every stored property is set still
/// runs its `deinit`. An input that closed its descriptor on the way out of
/// `init` and again in `deinit` closed the number twice; in between, another
/// thread (a parallel test, a hashing thread) may have opened a file under
/// that number, which then failed with "Bad file descriptor".
///
/// How this is seen from one thread: a second `close` of a number nobody
/// has reopened fails with EBADF, which sets `errno`; nothing else on the
/// way back from the failed `init` (freeing memory, boxing the error) sets
/// it. So `errno` set to 0 before the call must not be EBADF after it.
@Suite struct DescriptorOwnershipTests {
    func directory() throws -> String {
        let path = NSTemporaryDirectory() + "synthctl-fd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The three ways out of `ChunkedInput.init` after the file is open: a
    /// directory, compressed data cut before its first bytes, a compressed
    /// stream the decoder refuses.
    @Test func aFailedChunkedInputClosesItsDescriptorOnce() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cut = "\(dir)/cut.gz", corrupt = "\(dir)/bad.zst"
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x00]).write(to: URL(fileURLWithPath: cut))
        try Data([0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).write(to: URL(fileURLWithPath: corrupt))
        for path in [dir, cut, corrupt] {
            errno = 0
            #expect(throws: (any Error).self, "\(path)") { _ = try ChunkedInput(path, decompressing: true) }
            #expect(errno != EBADF, "\(path): a descriptor was closed twice")
        }
    }

    /// The descriptor is closed once when a ChunkedInput that opened is released.
    @Test func aChunkedInputClosesItsDescriptorOnceWhenReleased() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/t.csv"
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: path))
        errno = 0
        do { _ = try ChunkedInput(path, decompressing: true) }
        #expect(errno != EBADF)
    }
}
