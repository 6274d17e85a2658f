import Atomics
import Dispatch
import Foundation

/// A named background thread that runs until asked to stop. Its body checks `isStopping`
/// between short waits; `stop` asks and waits for the body to return (bounded).
public final class StoppableThread: Sendable {
    private let stopping = ManagedAtomic(false)
    private let done = DispatchGroup()

    public init(name: String, _ body: @escaping @Sendable (StoppableThread) -> Void) {
        done.enter()
        let thread = Thread { [self] in
            body(self)
            done.leave()
        }
        thread.name = name
        thread.start()
    }

    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    public func stop(timeout: Double) {
        stopping.store(true, ordering: .relaxed)
        _ = done.wait(timeout: .now() + timeout)
    }
}
