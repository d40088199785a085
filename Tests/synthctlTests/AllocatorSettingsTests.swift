import Testing
@testable import synthctl

/// The command line's allocator settings must be ones glibc accepts: mallopt
/// refuses a threshold above its bound and then changes nothing, silently
/// (both thresholds: where blocks are mapped, and where the heap is trimmed).
@Suite struct AllocatorSettingsTests {
    @Test func glibcAcceptsTheThreshold() {
        #expect(AllocatorSettings.apply())
    }
}
