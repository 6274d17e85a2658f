import NIOCore

/// One client connection of an epoll worker. Owned by that worker's thread only.
final class HTTPConnection {
    let fd: Int32
    /// Distinguishes this connection from a later one that reuses the descriptor.
    let generation: UInt32
    let remote: PeerEndpoint
    /// Whom the per-address limit counts this connection for; nil when exempt.
    let client: PeerAddress?
    /// Received bytes not yet answered (a partial or pipelined request).
    var buffered: ByteBuffer?
    /// Reply bytes the socket has not taken yet.
    var unsent: ByteBuffer?
    /// A reply is waiting for the store.
    var busy = false
    /// The last round of answers stopped at its size bound with requests left in `buffered`.
    var moreToServe = false
    var inputClosed = false
    var closeAfterWrite = false
    var isClosed = false
    /// Registered with epoll, and for which events.
    var registeredEvents: UInt32?
    var lastActiveTick: UInt32
    /// When the request head now in `buffered` began to arrive; nil while no partial head waits.
    /// The head deadline runs from here, however the bytes trickle in.
    var headStartedTick: UInt32?

    init(fd: Int32, generation: UInt32, remote: PeerEndpoint, client: PeerAddress?, tick: UInt32) {
        self.fd = fd
        self.generation = generation
        self.remote = remote
        self.client = client
        self.lastActiveTick = tick
    }

    /// Whether the worker reads it: not while a reply waits for the store or for the client to
    /// read what was sent (back-pressure), nor after its input ended.
    var wantsInput: Bool { !inputClosed && !busy && unsent == nil && !closeAfterWrite && !moreToServe }
}
