// The only C in GoLive. ncurses exposes globals (stdscr, LINES, COLS) and macros
// (COLOR_PAIR, getmaxyx, A_*) that Swift cannot import, so they are wrapped here.
#ifndef GOLIVE_CNCURSES_SHIM_H
#define GOLIVE_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

/// Whether the terminal named by TERM can show the cockpit, asked before initscr (which would print
/// its own error and exit 1): 0 unknown or missing terminfo, 1 no cursor addressing (TERM=dumb),
/// 2 usable.
static inline int golive_terminal_usable(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK || err != 1) return 0;
    const char *cup = tigetstr("cup");
    int usable = (cup != NULL && cup != (char *)-1) ? 2 : 1;
    del_curterm(cur_term);
    return usable;
}

static inline WINDOW *golive_stdscr(void) { return stdscr; }
static inline int golive_colors(void) { return COLORS; }
static inline int golive_a_bold(void) { return (int)A_BOLD; }
static inline int golive_a_reverse(void) { return (int)A_REVERSE; }
static inline int golive_a_underline(void) { return (int)A_UNDERLINE; }
static inline int golive_a_dim(void) { return (int)A_DIM; }
static inline int golive_a_normal(void) { return (int)A_NORMAL; }
static inline int golive_key_resize(void) { return KEY_RESIZE; }
static inline int golive_key_code_yes(void) { return KEY_CODE_YES; }
static inline int golive_err(void) { return ERR; }
static inline void golive_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline int golive_set_locale(void) { return setlocale(LC_ALL, "") != NULL; }

/// Reads one key as a wide character; returns ERR, OK (a character) or KEY_CODE_YES (a function key).
static inline int golive_get_wch(WINDOW *w, unsigned int *out) {
    wint_t ch = 0;
    int r = wget_wch(w, &ch);
    *out = (unsigned int)ch;
    return r;
}

/// Writes one cell: a UTF-8 free wide string (one grapheme's scalars) with attributes and a colour pair.
static inline int golive_put_cell(WINDOW *w, int y, int x, const wchar_t *text, int attrs, short pair) {
    cchar_t cc;
    if (setcchar(&cc, text, (attr_t)attrs, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}
#endif
