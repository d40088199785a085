import Testing
@testable import SynthctlCore

/// The policy that picks, write by write, whether a large file's piece goes
/// around the page cache or through it (see ``WriteModeChooser``).
@Suite struct WriteModeChooserTests {
    @Test func triesBothModesFirstDirectThenBuffered() {
        var chooser = WriteModeChooser()
        #expect(chooser.next == .direct)
        chooser.record(.direct, bytes: 1 << 24, seconds: 0.03)
        #expect(chooser.next == .buffered)
        chooser.record(.buffered, bytes: 1 << 24, seconds: 0.01)
        #expect(chooser.writes == 2)
    }

    @Test func takesTheModeWithFewerSecondsPerByte() {
        for (direct, buffered, best) in [(0.03, 0.01, WriteMode.buffered), (0.01, 0.03, .direct), (0.02, 0.02, .direct)] {
            var chooser = WriteModeChooser()
            chooser.record(.direct, bytes: 1 << 24, seconds: direct)
            chooser.record(.buffered, bytes: 1 << 24, seconds: buffered)
            #expect(chooser.faster == best, "direct \(direct) s, buffered \(buffered) s")
            #expect(chooser.next == best)
        }
    }

    @Test func comparesRatesNotTimesOfWritesOfDifferentSizes() {
        // 16 MiB direct in 0.04 s beats 1 MiB buffered in 0.01 s (2.5 ns/B against 9.5).
        var chooser = WriteModeChooser()
        chooser.record(.direct, bytes: 16 << 20, seconds: 0.04)
        chooser.record(.buffered, bytes: 1 << 20, seconds: 0.01)
        #expect(chooser.faster == .direct)
    }

    @Test func probesTheSlowerModeEverySixteenthWrite() {
        var chooser = WriteModeChooser()
        var modes = [WriteMode]()
        for _ in 0..<40 {
            let mode = chooser.next
            modes.append(mode)
            chooser.record(mode, bytes: 1 << 24, seconds: mode == .direct ? 0.03 : 0.01)
        }
        let probes = modes.indices.filter { modes[$0] == .direct }
        #expect(probes == [0, 16, 32])
    }

    @Test func followsAModeThatBecomesSlower() {
        // Buffered is faster at first; then every buffered write stalls
        // (another process takes the CPU): the buffered rates that follow
        // move the choice to direct.
        var chooser = WriteModeChooser()
        chooser.record(.direct, bytes: 1 << 24, seconds: 0.03)
        chooser.record(.buffered, bytes: 1 << 24, seconds: 0.01)
        var chosen = [WriteMode]()
        for _ in 2..<24 {
            let mode = chooser.next
            chosen.append(mode)
            chooser.record(mode, bytes: 1 << 24, seconds: mode == .direct ? 0.03 : 0.09)
        }
        #expect(chosen.first == .buffered)
        #expect(chosen.last == .direct)
    }

    @Test func oneStalledWriteDoesNotDecideTheRun() {
        // The rate is the mean of the previous rate and the latest sample:
        // one direct write that took twice its usual time (0.06 s instead
        // of 0.03) is not enough to prefer a buffered rate of 0.05 s.
        var chooser = WriteModeChooser()
        chooser.record(.direct, bytes: 1 << 24, seconds: 0.03)
        chooser.record(.buffered, bytes: 1 << 24, seconds: 0.05)
        chooser.record(.direct, bytes: 1 << 24, seconds: 0.06)
        #expect(chooser.faster == .direct)
    }

    @Test func anEmptyWriteIsNotARate() {
        var chooser = WriteModeChooser()
        chooser.record(.direct, bytes: 0, seconds: 1)
        #expect(chooser.directRate == nil)
        #expect(chooser.writes == 0)
    }
}
