import Atomics
import Dispatch
import Foundation

/// Named threads started together and stopped together: the one way long-running loops that
/// block (epoll workers, Redis store threads, moderation watchers) get a thread. Their bodies
/// check `isStopping` between short waits, or are woken by the `wake` given to `stop`.
public final class ThreadGroup: Sendable {
    private let stopping = ManagedAtomic(false)
    private let done = DispatchGroup()

    public init() {}

    /// A group with one thread already running `body`.
    public convenience init(starting name: String, _ body: @escaping @Sendable (ThreadGroup) -> Void) {
        self.init()
        start(name, body)
    }

    /// Starts a thread named `name` that runs `body`, which is handed the group.
    public func start(_ name: String, _ body: @escaping @Sendable (ThreadGroup) -> Void) {
        done.enter()
        let thread = Thread { [self] in
            body(self)
            done.leave()
        }
        thread.name = name
        thread.start()
    }

    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Asks every thread to stop, calls `wake` (which gets them out of whatever they wait on),
    /// and waits for them, at most `timeout` seconds.
    public func stop(timeout: Double, wake: () -> Void = {}) {
        stopping.store(true, ordering: .relaxed)
        wake()
        _ = done.wait(timeout: .now() + timeout)
    }
}
