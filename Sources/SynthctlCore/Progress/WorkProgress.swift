/// How far a long computation has come, told to whoever shows it.
///
/// Libraries print nothing: a computation that can run for more than a
/// couple of seconds (a comparison's stages, learning-curve points,
/// collapse generations, EM iterations) takes a `WorkProgress` in its
/// parameters and calls ``step(_:of:)`` as each unit of work finishes; the
/// command line renders it (a bar on a terminal's standard error) or not at
/// all. The default, ``silent``, does nothing and costs one nil check.
///
/// The handler may be called from several threads at once (parallel work
/// reports each finished unit from its worker): it must be thread-safe.
/// Progress never changes a result.
public struct WorkProgress: Sendable {
    /// Called once per finished unit: the stage's name (`learning curves`)
    /// and how many units the stage has in all.
    public typealias Handler = @Sendable (_ stage: String, _ total: Int) -> Void

    public let handler: Handler?

    public init(_ handler: Handler? = nil) { self.handler = handler }

    /// Reports nothing.
    public static var silent: WorkProgress { WorkProgress() }

    /// One more of the `total` units of `stage` is done.
    @inlinable
    public func step(_ stage: String, of total: Int) { handler?(stage, total) }
}
