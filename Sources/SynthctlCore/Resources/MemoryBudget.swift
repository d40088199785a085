import Foundation

/// How many bytes a run may allocate, and the check that every large
/// allocation passes before it is made.
///
/// A size that comes from the input — a label id of 999999, an `.npy` header
/// claiming 10¹² rows, `classes: 1000000` in a spec, a flag such as a
/// neighbour count — must not turn into an allocation that the machine
/// cannot hold: the process would be killed or thrash instead of saying
/// what was wrong. So the code that is about to allocate first adds up the
/// dominant terms (a ``MemoryEstimate``: rows × features × 4, K × K and
/// K × K × A matrices, per-class covariances K × D × D, neighbour lists
/// N × k, …) and calls ``check(_:)``, which throws ``MemoryLimitExceeded``
/// naming the largest term, the estimate and the limit.
///
/// The limit is the machine's physical memory unless the caller sets
/// another: the command line's `--max-memory` sets ``current``, the budget
/// every library entry point uses by default. Library code names the spec
/// field, file or parameter behind a term, never a command-line flag.
public struct MemoryBudget: Sendable, Equatable {
    /// The most bytes a run may allocate.
    public var limit: Int

    public init(limit: Int) { self.limit = max(0, limit) }

    /// No limit (for callers that bound their sizes themselves).
    public static let unlimited = MemoryBudget(limit: Int.max)

    /// The machine's physical memory in bytes: `MemTotal` of
    /// `/proc/meminfo`, else `sysconf(_SC_PHYS_PAGES) × _SC_PAGESIZE`, else
    /// 8 GiB when neither can be read.
    public static let physicalMemory: Int = {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Int(fields[1]), kib > 0 {
                let (bytes, overflow) = kib.multipliedReportingOverflow(by: 1024)
                return overflow ? Int.max : bytes
            }
        }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, size > 0 {
            let (bytes, overflow) = Int(pages).multipliedReportingOverflow(by: Int(size))
            return overflow ? Int.max : bytes
        }
        return 8 << 30
    }()

    private static let lock = NSLock()
    nonisolated(unsafe) private static var process = MemoryBudget(limit: physicalMemory)

    /// A budget for the current task and the tasks it starts, in place of
    /// the process-wide one (see ``withLimit(_:_:)``).
    @TaskLocal private static var scoped: MemoryBudget?

    /// The budget of the current task when one was set with
    /// ``withLimit(_:_:)``, else the process-wide budget, the default of
    /// every library entry point that allocates by the input's sizes:
    /// physical memory unless set (the command line sets it from
    /// `--max-memory` before any work).
    public static var current: MemoryBudget {
        get {
            if let scoped { return scoped }
            lock.lock(); defer { lock.unlock() }; return process
        }
        set { lock.lock(); defer { lock.unlock() }; process = newValue }
    }

    /// Runs `body` with `budget` as ``current`` for this task only.
    ///
    /// Why: setting the process-wide budget is right for a command line,
    /// which sets it once before any work, but not for code that runs
    /// beside other work in the same process (tests run in parallel): a
    /// small limit set for one would be seen by the others. Work that
    /// `body` hands to other threads outside Swift concurrency (Dispatch)
    /// sees the process-wide budget.
    public static func withLimit<T>(_ budget: MemoryBudget, _ body: () throws -> T) rethrows -> T {
        try $scoped.withValue(budget, operation: body)
    }

    /// Throws ``MemoryLimitExceeded`` when `estimate.total` is above the
    /// limit. `subject` names what is being sized (a file, a spec field, a
    /// computation); a term's own `parameter`, when the largest term has
    /// one, names the setting that drives it.
    public func check(_ estimate: MemoryEstimate, subject: String) throws {
        guard estimate.total > limit else { return }
        throw MemoryLimitExceeded(subject: subject, estimate: estimate, limit: limit)
    }

    /// Parses a size such as `64G`, `512M`, `1.5GiB`, `800MB` or `1000000`
    /// (bytes). Units are binary (K = 1024 bytes, M = 1024², G, T, P), with
    /// or without a trailing `B` or `iB`, in either case. A whole number is
    /// read exactly (`9223372036854775807` is Int.max bytes; through a
    /// Double it would round up past it); a fraction through a Double,
    /// rounded down. Nil for anything else — white space included, as every
    /// other option refuses it — for zero, and for sizes beyond
    /// ``maximumBytes``.
    public static func bytes(parsing text: String) -> Int? {
        var s = text.uppercased()
        if s.hasSuffix("IB") { s.removeLast(2) } else if s.hasSuffix("B") { s.removeLast() }
        let units: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40, "P": 50]
        var shift = 0
        if let last = s.last, let unit = units[last] { shift = unit; s.removeLast() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        if s.allSatisfy(\.isNumber) {
            guard let whole = Int(s) else { return nil }  // beyond Int.max
            let (bytes, overflow) = whole.multipliedReportingOverflow(by: 1 << shift)
            return overflow || bytes < 1 ? nil : bytes
        }
        guard let value = Double(s), value.isFinite else { return nil }
        let bytes = (value * Double(1 << shift)).rounded(.down)
        guard bytes >= 1, bytes < 0x1p63 else { return nil }
        return Int(bytes)
    }

    /// The largest size ``bytes(parsing:)`` reads: Int.max bytes (8 EiB − 1).
    public static let maximumBytes = Int.max

    /// A byte count as people read it: `512 B`, `3.0 MiB`, `1.2 TiB`.
    public static func describe(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// What a run will allocate: its dominant terms, each a product of sizes.
///
/// Products and sums saturate at Int.max instead of trapping, so that a
/// hostile size (10¹² × 10⁷ × 4) still gives an estimate — far above any
/// limit — rather than an overflow.
public struct MemoryEstimate: Sendable {
    public struct Term: Sendable {
        /// What is allocated, with its shape: "neighbour lists (N × k × 8 bytes)".
        public let name: String
        public let bytes: Int
        /// The setting that drives the term, when a setting does (a
        /// library parameter such as `neighbors`, or a spec field such as
        /// `generator.classes`); nil when the input's own size does.
        public let parameter: String?
    }

    public private(set) var terms: [Term] = []

    public init() {}

    /// Adds a term of `factors[0] × factors[1] × …` bytes (negative factors count as 0).
    public mutating func add(_ name: String, _ factors: Int..., parameter: String? = nil) {
        terms.append(Term(name: name, bytes: Self.product(factors), parameter: parameter))
    }

    /// The product of non-negative sizes, Int.max when it overflows.
    public static func product(_ factors: [Int]) -> Int {
        var p = 1
        for f in factors {
            let (q, overflow) = p.multipliedReportingOverflow(by: max(0, f))
            if overflow { return Int.max }
            p = q
        }
        return p
    }

    /// The sum of non-negative sizes, Int.max when it overflows.
    public static func sum(_ sizes: [Int]) -> Int {
        var total = 0
        for size in sizes {
            let (s, overflow) = total.addingReportingOverflow(max(0, size))
            if overflow { return Int.max }
            total = s
        }
        return total
    }

    /// The sum of the terms, Int.max when it overflows.
    public var total: Int { Self.sum(terms.map(\.bytes)) }

    /// The largest term (the first of equals).
    public var largest: Term? { terms.max { $0.bytes < $1.bytes } }
}

/// A run refused because its estimated memory is above the budget's limit.
///
/// The message names the subject (or the parameter behind the largest
/// term), the estimate, the largest term and the limit, on one line. The
/// command line maps ``parameter`` to the flag that sets it.
public struct MemoryLimitExceeded: Error, CustomStringConvertible, Sendable {
    public let subject: String
    public let estimate: MemoryEstimate
    public let limit: Int

    /// The setting behind the largest term, if any.
    public var parameter: String? { estimate.largest?.parameter }

    public var description: String { message(naming: parameter.map { "\(subject): \($0)" } ?? subject) }

    /// The message with `name` in place of the subject (a flag, for the command line).
    public func message(naming name: String) -> String {
        let total = MemoryBudget.describe(estimate.total)
        let detail = estimate.largest.map { t in
            estimate.terms.count > 1 ? "; \(t.name): \(MemoryBudget.describe(t.bytes))" : " for \(t.name)"
        } ?? ""
        return "\(name): expected a run within the memory limit of \(MemoryBudget.describe(limit)), found an estimate of \(estimate.total == Int.max ? "more than 8 EiB" : total)\(detail)"
    }
}
