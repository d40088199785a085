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
        onWorkers(count, threads: threads) { w, workers in
            var i = w
            while i < count {
                body(i)
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
        forEachTakingNext(count, threads: threads, state: { () }) { _, i in body(i) }
    }

    /// ``forEachTakingNext(_:threads:_:)`` with state of each worker's own:
    /// `state()` is called once on each worker (on its thread), the result
    /// handed to each item that worker runs, then to `end` when the worker
    /// has no item left, so that scratch buffers outlive an item without
    /// being shared (the forward pass's workspaces, reused from batch to
    /// batch and, through a pool, from call to call).
    public static func forEachTakingNext<State>(_ count: Int, threads: Int, state: () -> State, end: (State) -> Void = { _ in },
                                                _ body: (inout State, Int) -> Void) {
        let next = Atomic<Int>(0)
        onWorkers(count, threads: threads) { _, _ in
            var own = state()
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { break }
                body(&own, i)
            }
            end(own)
        }
    }

    /// Part `part` of `0..<count` cut into `parts` contiguous ranges whose
    /// sizes differ by at most one, in order (part 0 first).
    public static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (part * count / parts)..<((part + 1) * count / parts)
    }

    /// Runs `worker(w, workers)` for w in 0..<workers at once, with
    /// workers = min(threads, count); a single worker is this thread.
    private static func onWorkers(_ count: Int, threads: Int, _ worker: (_ w: Int, _ workers: Int) -> Void) {
        let workers = max(1, min(threads, count))
        if workers == 1 {
            worker(0, 1)
            return
        }
        withoutActuallyEscaping(worker) { worker in
            let box = _UnsafeSendableBox(worker)
            DispatchQueue.concurrentPerform(iterations: workers) { w in box.value(w, workers) }
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
