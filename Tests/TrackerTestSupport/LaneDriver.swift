import Glibc
import TrackerEngine

extension SwarmStoreLane {
    /// Does what a frontend's poll loop does for a lane until its batch is answered: waits for
    /// its descriptor and calls `receive()`; gives up after `seconds` (the lane's own stall check
    /// then answers). Returns whether the lane still has a batch out.
    @discardableResult
    public func driveUntilAnswered(seconds: Double = 5) -> Bool {
        var waited = 0.0
        while let wait = waitDescriptor, waited < seconds {
            var descriptor = pollfd(fd: wait.fd, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 50) > 0 { receive() }
            waited += 0.05
        }
        return waitDescriptor != nil
    }
}
