import Dispatch
import Foundation

/// Runs jobs one at a time, in submission order, on a background thread, so
/// that a producer can compute the next piece of work while the previous one
/// is being written out.
///
/// The first job that throws stops every later job (they are skipped) and its
/// error is rethrown by ``finish()``. The worker itself does no flow control:
/// callers bound the work in flight themselves (``DatasetWriter`` waits on a
/// semaphore per buffer before refilling it).
package final class SerialBackgroundWorker: @unchecked Sendable {
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var firstError: Error?

    package init(label: String) { queue = DispatchQueue(label: label) }

    /// The error of a failed job, if any job has failed so far.
    package var failure: Error? { lock.withLock { firstError } }

    /// Queues `job`. Precondition: the job touches only memory that the
    /// caller does not touch until the job has run (which the caller learns
    /// through its own signal, e.g. from `done`).
    package func submit(_ job: @escaping () throws -> Void, done: @escaping () -> Void = {}) {
        let box = _UnsafeSendableBox((job, done))
        queue.async { [self] in
            defer { box.value.1() }
            guard failure == nil else { return }
            do { try box.value.0() } catch { lock.withLock { if firstError == nil { firstError = error } } }
        }
    }

    /// Waits for every queued job and rethrows the first failure.
    package func finish() throws {
        queue.sync {}
        if let failure { throw failure }
    }
}
