import Dispatch

/// Splits independent work items across a fixed number of worker threads.
///
/// Worker *w* takes items w, w + T, w + 2T, ...; each item writes only its
/// own part of the output, so the result is the same for any thread count.
public enum Parallel {
    /// The number of cores this process may use.
    public static var coreCount: Int { max(1, sysconfCores()) }

    /// Calls `body(i)` for every `i` in `0..<count`, on `threads` workers.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = _UnsafeSendableBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < count {
                    box.value(i)
                    i += workers
                }
            }
        }
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`. Precondition: the
/// closure only writes disjoint memory for distinct items, which every caller
/// of ``Parallel/forEach(_:threads:_:)`` guarantees.
struct _UnsafeSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
import Foundation
private func sysconfCores() -> Int { ProcessInfo.processInfo.activeProcessorCount }
#endif
