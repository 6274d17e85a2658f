/// A selection in a scrolling list: which row is selected and which is at the top, kept so that
/// the selected row is always one of the `page` visible rows.
struct ListCursor: Equatable, Sendable {
    var index = 0
    var top = 0

    mutating func move(by delta: Int, count: Int, page: Int) {
        index += delta
        clamp(count: count, page: page)
    }

    mutating func jump(to target: Int, count: Int, page: Int) {
        index = target
        clamp(count: count, page: page)
    }

    mutating func clamp(count: Int, page: Int) {
        let page = max(1, page)
        index = max(0, min(index, count - 1))
        if index < top { top = index }
        if index >= top + page { top = index - page + 1 }
        top = max(0, min(top, max(0, count - page)))
    }
}
