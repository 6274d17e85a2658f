import NIOCore

/// One client connection of an epoll worker. Owned by that worker's thread only.
final class HTTPConnection {
    let fd: Int32
    /// Distinguishes this connection from a later one that reuses the descriptor.
    let generation: UInt32
    let remote: PeerEndpoint
    /// Received bytes not yet answered (a partial or pipelined request).
    var buffered: ByteBuffer?
    /// Reply bytes the socket has not taken yet.
    var unsent: ByteBuffer?
    /// A reply is waiting for the store.
    var busy = false
    var inputClosed = false
    var closeAfterWrite = false
    var isClosed = false
    /// Registered with epoll, and for which events.
    var registeredEvents: UInt32?
    var lastActiveTick: UInt32

    init(fd: Int32, generation: UInt32, remote: PeerEndpoint, tick: UInt32) {
        self.fd = fd
        self.generation = generation
        self.remote = remote
        self.lastActiveTick = tick
    }
}
