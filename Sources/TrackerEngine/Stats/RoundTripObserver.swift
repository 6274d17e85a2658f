/// Where the store tells how long its round trips take: each Redis batch, from its write to its
/// last reply, announces' and scrapes' included (for `/metrics`'s histogram). Until something
/// watches, the reports go nowhere. One lock per batch, not per request.
public final class RoundTripObserver: Sendable {
    private let watcher = Locked<(@Sendable (_ seconds: Double) -> Void)?>(nil)

    public init() {}

    /// `body` gets every round trip from now on, on the store's threads; it must be quick.
    public func watch(_ body: @escaping @Sendable (_ seconds: Double) -> Void) {
        watcher.value = body
    }

    public func report(seconds: Double) {
        watcher.value?(seconds)
    }
}
