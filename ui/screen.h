/* Drawing primitives of the TUI: colour pairs with a monochrome fallback
 * (and NO_COLOR), text placed by display width with control characters
 * stripped, boxes and clamped geometry. Only the UI thread calls these. */
#ifndef DUN_UI_SCREEN_H
#define DUN_UI_SCREEN_H
#include <curses.h>
#include <stdbool.h>

/* The styles the views draw with; each maps to a colour pair and to an
 * attribute that still reads without colour. */
#define SCREEN_STYLE_LIST(X) \
	X(STYLE_NORMAL, -1, -1, A_NORMAL) \
	X(STYLE_TITLE, COLOR_CYAN, -1, A_BOLD) \
	X(STYLE_BORDER, COLOR_WHITE, -1, A_NORMAL) \
	X(STYLE_HEADER, COLOR_YELLOW, -1, A_UNDERLINE) \
	X(STYLE_SELECTED, COLOR_BLACK, COLOR_CYAN, A_REVERSE) \
	X(STYLE_SELECTED_DIM, COLOR_BLACK, COLOR_WHITE, A_BOLD) \
	X(STYLE_STATUS, COLOR_WHITE, COLOR_BLUE, A_REVERSE) \
	X(STYLE_ERROR, COLOR_WHITE, COLOR_RED, A_BOLD) \
	X(STYLE_OVERDUE, COLOR_RED, -1, A_NORMAL) \
	X(STYLE_GOOD, COLOR_GREEN, -1, A_NORMAL) \
	X(STYLE_DIM, COLOR_WHITE, -1, A_DIM) \
	X(STYLE_MATCH, COLOR_BLACK, COLOR_YELLOW, A_UNDERLINE)

enum screen_style {
#define X(name, fg, bg, mono) name,
	SCREEN_STYLE_LIST(X)
#undef X
	STYLE_COUNT
};

/* Starts curses (UTF-8 locale, keypad, mouse, colours unless NO_COLOR or
 * a monochrome terminal). Returns false when the terminal cannot be used. */
bool screen_start(void);
void screen_stop(void);
/* The attribute of a style, colour or monochrome as decided at start. */
attr_t screen_attr(enum screen_style style);

/* Writes s at (y, x) cut and padded to exactly width columns, by display
 * width, with control characters and invalid bytes shown as '?'. Nothing
 * happens when the position or width is off screen. */
void screen_text(int y, int x, int width, const char *s, bool right, enum screen_style style);
/* s less its first n display columns (a wide character cut in two goes
 * whole): the text scrolled sideways. */
const char *screen_skip_columns(const char *s, int n);
/* Writes s from (y, x) wrapped at spaces into lines of width columns, at
 * most max_lines; returns the lines used. */
int screen_wrap(int y, int x, int width, int max_lines, const char *s, enum screen_style style);
/* s wrapped the same way into lines of width columns, each ended by a
 * newline, for the pager. Caller frees. */
char *screen_wrap_lines(const char *s, int width);
/* Fills a rectangle with blanks in a style. */
void screen_fill(int y, int x, int height, int width, enum screen_style style);
/* A box with a title in its top border; focused boxes draw the title bold. */
void screen_box(int y, int x, int height, int width, const char *title, bool focused);
/* Clamps v into [lo, hi] (hi wins when lo > hi: sizes never go negative). */
int screen_clamp(int v, int lo, int hi);
#endif
