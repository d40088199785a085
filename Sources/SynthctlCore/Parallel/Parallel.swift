import Dispatch
import Synchronization

/// Splits independent work items across a fixed number of worker threads.
///
/// ``forEach(_:threads:_:)``: worker *w* takes items w, w + T, w + 2T, ...
/// (callers may key per-worker scratch on i mod T: distance tiles do).
/// ``forEachTakingNext(_:threads:_:)``: each worker takes the next item
/// not yet taken, for items of unequal cost. Either way each item writes
/// only its own part of the output, so the result is the same for any
/// thread count.
public enum Parallel {
    /// The number of cores this process may use.
    public static var coreCount: Int { max(1, sysconfCores()) }

    /// Calls `body(i)` for every `i` in `0..<count`, on `threads` workers.
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        onWorkers(count, threads: threads, body) { w, workers, run in
            var i = w
            while i < count {
                run(i)
                i += workers
            }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, on `threads` workers,
    /// each worker taking the next item not yet taken (a shared counter),
    /// so that a worker that drew cheap items takes more of them.
    ///
    /// For items of unequal cost, such as batches of texts of different
    /// lengths: with ``forEach(_:threads:_:)``'s fixed split one worker
    /// ran alone for the last 4 of 13 seconds of `embed --model`. Which
    /// worker runs an item is not fixed here, so `body` must not key any
    /// state on `i` mod `threads`.
    public static func forEachTakingNext(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        let next = Atomic<Int>(0)
        onWorkers(count, threads: threads, body) { _, _, run in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                run(i)
            }
        }
    }

    /// Runs `worker(w, workers, body)` for w in 0..<workers at once, with
    /// workers = min(threads, count); a single worker is this thread,
    /// running the items in order.
    private static func onWorkers(_ count: Int, threads: Int, _ body: (Int) -> Void,
                                  _ worker: (_ w: Int, _ workers: Int, _ run: (Int) -> Void) -> Void) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            withoutActuallyEscaping(worker) { worker in
                let box = _UnsafeSendableBox((body: body, worker: worker))
                DispatchQueue.concurrentPerform(iterations: workers) { w in box.value.worker(w, workers, box.value.body) }
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
