import Dispatch
import Synchronization

/// Splits independent work items across a fixed number of worker threads.
///
/// Each worker takes the next item not yet taken (a shared counter), so a
/// worker that drew short items takes more of them: items of unequal cost
/// (batches of texts of different lengths) keep every worker busy to the
/// end, where a fixed split (worker *w* taking w, w + T, …) left one
/// worker running alone for seconds. Each item writes only its own part
/// of the output, so the result is the same for any thread count and any
/// order the workers happen to take the items in.
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
            let next = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < count else { return }
                    box.value(i)
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
