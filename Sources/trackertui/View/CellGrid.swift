/// The semantic colour roles; the screen maps them to colour pairs or, with NO_COLOR, to
/// plain attributes.
enum ColorRole: Int, CaseIterable, Sendable {
    case normal, title, label, value, good, warning, bad, selected, columnHeader, keyName, keyLabel, blacklisted, dim
}

/// One terminal cell: a character of one or two columns, or the right half of a wide one ("").
struct Cell: Equatable, Sendable {
    var text: String
    var role: ColorRole

    static let blank = Cell(text: " ", role: .normal)
}

/// The canvas every view draws on: a grid of cells with no terminal behind it. The screen
/// writes to the terminal only the cells that differ from the last grid it drew; tests read
/// the grid's lines.
struct CellGrid: Equatable, Sendable {
    let rows: Int
    let columns: Int
    private(set) var cells: [Cell]

    init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Writes `text` from `column`, clipped at `limit` columns (and the grid's edge); a wide
    /// character that would straddle the edge becomes a space. Returns the columns used.
    @discardableResult
    mutating func put(_ text: String, row: Int, column: Int, role: ColorRole = .normal, limit: Int = Int.max) -> Int {
        guard row >= 0, row < rows, column >= 0 else { return 0 }
        let end = min(columns, column + max(0, min(limit, columns)))
        var x = column
        for character in text {
            let width = TextWidth.columns(character)
            if width == 0 { continue }
            if x + width > end {
                if x < end { cells[row * columns + x] = Cell(text: " ", role: role); x += 1 }
                break
            }
            cells[row * columns + x] = Cell(text: String(character), role: role)
            if width == 2 { cells[row * columns + x + 1] = Cell(text: "", role: role) }
            x += width
        }
        return x - column
    }

    /// Paints `role` over a row from `column` to the end (a selection bar, a title bar).
    mutating func paint(row: Int, from column: Int = 0, role: ColorRole) {
        guard row >= 0, row < rows else { return }
        for x in max(0, column)..<columns { cells[row * columns + x].role = role }
    }

    /// The text of a row, wide characters once, trailing blanks kept (for tests and captures).
    func line(_ row: Int) -> String {
        (0..<columns).map { self[row, $0].text }.joined()
    }

    var text: String { (0..<rows).map(line).joined(separator: "\n") }

    /// A run of cells of one role to write at one place.
    struct Run: Equatable {
        var row: Int
        var column: Int
        var text: String
        var role: ColorRole
    }

    /// What must be written to turn a screen showing `previous` into this grid: runs of changed
    /// cells, one role each (everything when `previous` has another size or is nil). The right
    /// half of a wide character travels with its left half.
    func changes(since previous: CellGrid?) -> [Run] {
        let previous = previous?.rows == rows && previous?.columns == columns ? previous : nil
        var runs: [Run] = []
        for row in 0..<rows {
            var column = 0
            while column < columns {
                guard previous == nil || previous![row, column] != self[row, column] else { column += 1; continue }
                let role = self[row, column].role
                var run = Run(row: row, column: column, text: "", role: role)
                while column < columns, self[row, column].role == role,
                      previous == nil || previous![row, column] != self[row, column] || self[row, column].text.isEmpty {
                    run.text += self[row, column].text
                    column += 1
                }
                runs.append(run)
            }
        }
        return runs
    }
}
