/// The few non-letter characters the views draw, in Unicode or, outside UTF-8 locales, ASCII.
struct Glyphs: Sendable {
    var sparks: [String]
    var blacklisted: String
    var ellipsis: String
    var descending: String
    var ascending: String

    static let unicode = Glyphs(sparks: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], blacklisted: "⊘", ellipsis: "…",
                                descending: "▼", ascending: "▲")
    static let ascii = Glyphs(sparks: [" ", ".", ",", ":", "-", "=", "+", "*", "#"], blacklisted: "X", ellipsis: "~",
                              descending: "v", ascending: "^")
}
