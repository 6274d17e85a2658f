// Debian's libncurses-dev (ncursesw), plus what Swift cannot import by itself: macros and
// globals become small functions.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <ncursesw/curses.h>

static inline WINDOW *cncurses_stdscr(void) { return stdscr; }
static inline int cncurses_lines(void) { int y, x; getmaxyx(stdscr, y, x); (void)x; return y; }
static inline int cncurses_cols(void) { int y, x; getmaxyx(stdscr, y, x); (void)y; return x; }
static inline int cncurses_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int cncurses_a_normal(void) { return (int)A_NORMAL; }
static inline int cncurses_a_bold(void) { return (int)A_BOLD; }
static inline int cncurses_a_reverse(void) { return (int)A_REVERSE; }
static inline int cncurses_a_dim(void) { return (int)A_DIM; }
static inline int cncurses_a_underline(void) { return (int)A_UNDERLINE; }
static inline int cncurses_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cncurses_is_utf8_locale(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
