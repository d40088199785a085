import Foundation

/// Temporary files and directories that tests create, removed together
/// when this value goes away, so that a test run leaves nothing behind in
/// the temporary directory.
///
/// A suite holds one (`let temporary = TemporaryPaths()`): Swift Testing
/// makes a suite value for each test (each case of a parameterized one) and
/// drops it when the test ends, pass or fail, so each test removes what it
/// created, the files the binary wrote inside its directories included.
/// Global and static helpers use ``shared``, removed when the test process
/// exits.
public final class TemporaryPaths: @unchecked Sendable {
    private var paths = [String]()
    private let lock = NSLock()

    public init() {}

    /// A new empty directory `<tmp>/<prefix>-<UUID>`.
    public func directory(_ prefix: String) -> String {
        let path = self.path(prefix)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A new path `<tmp>/<prefix>-<UUID><suffix>`, not created: removed,
    /// with whatever is written there, when this value goes away.
    public func path(_ prefix: String, suffix: String = "") -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)\(suffix)"
        lock.lock(); paths.append(path); lock.unlock()
        return path
    }

    /// Removes every path handed out so far.
    public func removeAll() {
        lock.lock(); let all = paths; paths = []; lock.unlock()
        for path in all { try? FileManager.default.removeItem(atPath: path) }
    }

    deinit { removeAll() }

    /// For helpers outside a suite value: removed at the test process's exit.
    public static let shared: TemporaryPaths = {
        atexit { TemporaryPaths.shared.removeAll() }
        return TemporaryPaths()
    }()
}
