import Testing
@testable import synthctl

/// The command line's allocator setting must be one glibc accepts: mallopt
/// refuses a threshold above its bound and then changes nothing, silently.
@Suite struct AllocatorSettingsTests {
    @Test func glibcAcceptsTheThreshold() {
        #expect(AllocatorSettings.apply())
    }
}
