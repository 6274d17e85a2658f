import CNCurses
import Glibc

/// The terminal, through ncurses: the only file that imports it. Reads keys, and draws a grid
/// by writing only the cells that differ from the grid drawn before (then ncurses sends only
/// what changed on the terminal), so a refresh over a slow ssh link costs a few bytes.
final class CursesScreen {
    let unicode: Bool
    let colors: Bool
    private var drawn: CellGrid?
    private var attributes: [Int32] = []

    /// Takes over the terminal. `colors` false (NO_COLOR) keeps to bold/reverse/dim.
    init(colors wantsColors: Bool) {
        setlocale(LC_ALL, "")
        unicode = cncurses_is_utf8_locale() != 0
        set_escdelay(25)
        initscr()
        cbreak()
        noecho()
        nonl()
        keypad(cncurses_stdscr(), true)
        curs_set(0)
        wtimeout(cncurses_stdscr(), 100)
        colors = wantsColors && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
        attributes = ColorRole.allCases.map(attribute)
    }

    /// Gives the terminal back as it was.
    func close() {
        endwin()
    }

    var size: (rows: Int, columns: Int) { (Int(cncurses_lines()), Int(cncurses_cols())) }

    /// The next key, or nil after about 100 ms without one.
    func readKey() -> Key? {
        var character: wint_t = 0
        let status = wget_wch(cncurses_stdscr(), &character)
        if status == cncurses_key_code_yes() { return Self.functionKey(Int32(character)) }
        guard status == OK else { return nil }
        switch character {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE: return .resize
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// After a resize everything is drawn again.
    func invalidate() {
        drawn = nil
        werase(cncurses_stdscr())
    }

    func draw(_ grid: CellGrid) {
        for run in grid.changes(since: drawn) {
            var text = unicode ? run.text : String(run.text.map { $0.isASCII ? $0 : "?" })
            // The bottom-right cell cannot be written without scrolling on some terminals.
            if run.row == grid.rows - 1, run.column + TextWidth.columns(run.text) == grid.columns, !text.isEmpty { text.removeLast() }
            wattrset(cncurses_stdscr(), attributes[run.role.rawValue])
            _ = mvwaddstr(cncurses_stdscr(), Int32(run.row), Int32(run.column), text)
        }
        wrefresh(cncurses_stdscr())
        drawn = grid
    }

    /// Colour pairs on the terminal's default background, or attributes alone without colour.
    private func attribute(_ role: ColorRole) -> Int32 {
        let bold = cncurses_a_bold(), reverse = cncurses_a_reverse(), dim = cncurses_a_dim()
        guard colors else {
            switch role {
            case .title, .value, .bad, .keyName: return bold
            case .selected, .columnHeader, .keyLabel, .warning: return reverse
            case .dim: return dim
            case .blacklisted: return cncurses_a_underline()
            default: return cncurses_a_normal()
            }
        }
        let (foreground, background, extra): (Int32, Int32, Int32)
        switch role {
        case .normal: (foreground, background, extra) = (-1, -1, 0)
        case .title: (foreground, background, extra) = (Int32(COLOR_CYAN), -1, bold)
        case .label: (foreground, background, extra) = (Int32(COLOR_CYAN), -1, 0)
        case .value: (foreground, background, extra) = (-1, -1, bold)
        case .good: (foreground, background, extra) = (Int32(COLOR_GREEN), -1, 0)
        case .warning: (foreground, background, extra) = (Int32(COLOR_YELLOW), -1, bold)
        case .bad: (foreground, background, extra) = (Int32(COLOR_RED), -1, bold)
        case .selected: (foreground, background, extra) = (Int32(COLOR_BLACK), Int32(COLOR_CYAN), 0)
        case .columnHeader: (foreground, background, extra) = (Int32(COLOR_BLACK), Int32(COLOR_GREEN), 0)
        case .keyName: (foreground, background, extra) = (-1, -1, bold)
        case .keyLabel: (foreground, background, extra) = (Int32(COLOR_BLACK), Int32(COLOR_CYAN), 0)
        case .blacklisted: (foreground, background, extra) = (Int32(COLOR_RED), -1, 0)
        case .dim: (foreground, background, extra) = (-1, -1, dim)
        }
        let pair = Int16(role.rawValue + 1)
        init_pair(pair, Int16(foreground), Int16(background))
        return cncurses_color_pair(Int32(pair)) | extra
    }
}
