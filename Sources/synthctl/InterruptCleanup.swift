import Foundation
import Synth
import SynthctlCore

/// Write end of the pipe that ``InterruptCleanup``'s signal handler writes
/// the signal number to (set once, before the handler is installed).
nonisolated(unsafe) private var signalPipe: Int32 = -1

/// What a run leaves when it stops early: nothing. SIGINT, SIGTERM and
/// SIGHUP remove the run's temporary outputs (``PartialOutputs``: a
/// `<out>.synthctl-partial-<pid>` directory can hold hundreds of MB) and its lock
/// files, then exit with 128 + the signal number (130, 143, 129); any other
/// exit (success, bad input, a failed gate) removes them too.
///
/// Async-signal safety: the handler itself only writes the signal number
/// to a pipe (`write(2)` is async-signal-safe) and restores `errno`. A
/// thread of its own reads the pipe and does the removal in ordinary
/// context, under ``PartialOutputs``'s lock, so that it never interleaves
/// with a rename into place, and then `_exit`s without letting a commit
/// start (a self-pipe, the pattern `DispatchSource` signal sources use).
enum InterruptCleanup {
    static func install() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        signalPipe = ends[1]
        let reader = ends[0]
        Thread.detachNewThread { waitForSignal(reader) }
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // A signal ignored at start stays ignored (nohup; SIGINT for a
            // background job of a non-interactive shell).
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0,
                  unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != 1 /* SIG_IGN */ else { continue }
            // One blocked by whoever started us (a mask inherited from a
            // thread that blocks signals, as Dispatch's workers do) would
            // never reach the handler.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signal)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: signal)
                _ = write(signalPipe, &byte, 1)
                errno = saved
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        atexit {
            PartialOutputs.removeAll()
            OutputLock.releaseAll()
        }
    }

    private static func waitForSignal(_ reader: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = read(reader, &byte, 1)
            if n == 1 { break }
            if n == 0 || errno != EINTR { return }  // the pipe is gone: nothing will come
        }
        let signal = Int32(byte)
        PartialOutputs.removeAll(thenBlockCommits: true)
        OutputLock.releaseAll()
        let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)"
        StandardStreams.writeError("synthctl: stopped by \(name); partial outputs removed\n")
        _exit(128 + signal)
    }
}
