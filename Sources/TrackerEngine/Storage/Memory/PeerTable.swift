/// The peers of one kind (seeders or leechers) of one address family in one swarm:
/// records in a dense array (cheap sampling, compact copies) plus an open-addressing index
/// from address to position. Small tables (up to `linearLimit`) have no index and are scanned.
struct PeerTable<Record: PeerRecord> {
    private(set) var records: ContiguousArray<Record> = []
    /// Linear-probing slots: 0 = empty, otherwise record position + 1. Empty while the table is small.
    private var slots: [UInt32] = []

    static var linearLimit: Int { 16 }

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    subscript(position: Int) -> Record {
        get { records[position] }
        set {
            precondition(newValue.address == records[position].address, "a record's address never changes in place")
            records[position] = newValue
        }
    }

    /// The position of the peer at `address`, if present.
    func find(_ address: Record.Address) -> Int? {
        if slots.isEmpty {
            return records.firstIndex { $0.address == address }
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Record.indexHash(address)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let position = Int(entry) - 1
            if records[position].address == address { return position }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a peer that is not in the table yet.
    mutating func insert(_ record: Record) {
        if records.count == records.capacity {
            // Grow by a quarter rather than doubling: peers are the bulk of the tracker's memory.
            records.reserveCapacity(records.count + max(4, records.count / 4))
        }
        records.append(record)
        if slots.isEmpty {
            if records.count > Self.linearLimit { rebuildIndex(capacity: 32) }
            return
        }
        if records.count * 4 > slots.count * 3 {
            rebuildIndex(capacity: slots.count * 2)
        } else {
            place(position: records.count - 1)
        }
    }

    /// Removes the peer at `position` by moving the last peer into its place; returns the removed peer.
    @discardableResult
    mutating func remove(at position: Int) -> Record {
        let removed = records[position]
        let last = records.count - 1
        if !slots.isEmpty {
            clearSlot(of: position)
            if position != last { repoint(from: last, to: position) }
        }
        records.swapAt(position, last)
        records.removeLast()
        if records.isEmpty {
            records = []
            slots = []
        } else if !slots.isEmpty, records.count <= Self.linearLimit / 2 {
            slots = []
        }
        return removed
    }

    /// Removes every peer for which `shouldRemove` is true; returns how many.
    mutating func removeAll(where shouldRemove: (Record) -> Bool) -> Int {
        var removed = 0
        var position = 0
        while position < records.count {
            if shouldRemove(records[position]) {
                remove(at: position)
                removed += 1
            } else {
                position += 1
            }
        }
        return removed
    }

    // MARK: index upkeep

    private mutating func rebuildIndex(capacity: Int) {
        slots = [UInt32](repeating: 0, count: capacity)
        for position in records.indices { place(position: position) }
    }

    private mutating func place(position: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Record.indexHash(records[position].address)) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(position + 1)
    }

    private func slot(holding position: Int) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Record.indexHash(records[position].address)) & mask
        while slots[slot] != UInt32(position + 1) { slot = (slot + 1) & mask }
        return slot
    }

    private mutating func repoint(from oldPosition: Int, to newPosition: Int) {
        slots[slot(holding: oldPosition)] = UInt32(newPosition + 1)
    }

    /// Empties the slot of `position` and shifts later entries of its probe run back, so that
    /// lookups never stop early at a hole (backward-shift deletion, no tombstones).
    private mutating func clearSlot(of position: Int) {
        let mask = slots.count - 1
        var hole = slot(holding: position)
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: Record.indexHash(records[Int(slots[next]) - 1].address)) & mask
            // The entry at `next` may fill the hole if its home is not within (hole, next].
            if (next &- home) & mask >= (next &- hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
    }
}
