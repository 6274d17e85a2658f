import NIOCore
import Synchronization

/// Closes idle connections for one event loop with one timer, instead of a timer per connection
/// (scheduling and cancelling a task for every short-lived announce costs more than the announce).
/// Time is counted in whole ticks of one second; a connection is idle after `timeoutTicks` ticks
/// without traffic. Lives on its event loop only.
final class IdleSweeper {
    private let eventLoop: EventLoop
    private var members: [TrackerHTTPHandler] = []
    private var timer: RepeatedTask?
    private(set) var tick: UInt32 = 0

    init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Starts watching `handler`; returns its slot, to give back to `remove`.
    func add(_ handler: TrackerHTTPHandler) -> Int {
        if timer == nil {
            let sweeper = NIOLoopBound(self, eventLoop: eventLoop)
            timer = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                sweeper.value.sweep()
            }
        }
        members.append(handler)
        return members.count - 1
    }

    func remove(slot: Int) {
        let last = members.count - 1
        if slot != last {
            members[slot] = members[last]
            members[slot].idleSlot = slot
        }
        members.removeLast()
    }

    private func sweep() {
        tick &+= 1
        // Collect first: closing a connection removes it from `members`.
        var idle: [TrackerHTTPHandler] = []
        for member in members where member.isIdle(now: tick) {
            idle.append(member)
        }
        for member in idle { member.closeIdle() }
    }
}

@available(*, unavailable)
extension IdleSweeper: Sendable {}

/// One sweeper per event loop, made on first use.
final class IdleSweepers: Sendable {
    private let sweepers = Mutex<[ObjectIdentifier: NIOLoopBound<IdleSweeper>]>([:])

    func sweeper(for eventLoop: EventLoop) -> IdleSweeper {
        sweepers.withLock { table in
            let key = ObjectIdentifier(eventLoop)
            if let existing = table[key] { return existing.value }
            let made = IdleSweeper(eventLoop: eventLoop)
            table[key] = NIOLoopBound(made, eventLoop: eventLoop)
            return made
        }
    }
}
