/// A key press, decoded from the terminal (by the screen) into what the keymap understands.
enum Key: Equatable, Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
    case function(Int)
    case resize
}
