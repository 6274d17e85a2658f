import CLinuxNet
import Glibc

/// A worker's epoll descriptor: registrations with a 64-bit tag, and the monotonic clock its
/// loop keeps time by.
struct EpollSet {
    let fd: Int32

    func add(_ descriptor: Int32, events: UInt32, tag: UInt64) {
        control(EPOLL_CTL_ADD, descriptor, events: events, tag: tag)
    }

    func modify(_ descriptor: Int32, events: UInt32, tag: UInt64) {
        control(EPOLL_CTL_MOD, descriptor, events: events, tag: tag)
    }

    /// Adds `descriptor`, or changes its registration when it is already in the set.
    func addOrModify(_ descriptor: Int32, events: UInt32, tag: UInt64) {
        var event = epoll_event()
        event.events = events
        clinuxnet_set_epoll_data(&event, tag)
        if epoll_ctl(fd, EPOLL_CTL_ADD, descriptor, &event) != 0, errno == EEXIST {
            _ = epoll_ctl(fd, EPOLL_CTL_MOD, descriptor, &event)
        }
    }

    private func control(_ operation: Int32, _ descriptor: Int32, events: UInt32, tag: UInt64) {
        var event = epoll_event()
        event.events = events
        clinuxnet_set_epoll_data(&event, tag)
        _ = epoll_ctl(fd, operation, descriptor, &event)
    }
}
