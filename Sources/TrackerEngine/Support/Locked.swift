import NIOConcurrencyHelpers

/// A value shared between threads behind a lock: the one way this package guards shared state.
/// The lock is a pthread mutex (NIO's `NIOLockedValueBox`), not the standard library's `Mutex`:
/// on Linux `Mutex` is a futex inside a library built without ThreadSanitizer, so TSan cannot see
/// it order anything and reports every access it guards as a race (`make sanitize`).
public final class Locked<Value: Sendable>: Sendable {
    private let storage: NIOLockedValueBox<Value>

    public init(_ value: Value) { storage = NIOLockedValueBox(value) }

    /// Changes the value in one locked step (a read and a write as one); returns what `body` returns.
    @discardableResult @inline(__always)
    public func update<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try storage.withLockedValue(body)
    }

    public var value: Value {
        get { storage.withLockedValue { $0 } }
        set { storage.withLockedValue { $0 = newValue } }
    }
}
