/* Curses set-up and the few primitives every view draws with. Text always
 * goes through text_fit so that columns line up by display width and data
 * never writes raw control characters to the terminal. */
#include "screen.h"
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"
#include "xalloc.h"

static const struct {
	short fg, bg;
	attr_t mono;
} styles[STYLE_COUNT] = {
#define X(name, fg, bg, mono) [name] = {fg, bg, mono},
	SCREEN_STYLE_LIST(X)
#undef X
};

static attr_t attrs[STYLE_COUNT];

bool screen_start(void)
{
	setlocale(LC_ALL, "");
	if (initscr() == NULL)
		return false;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	const char *no_color = getenv("NO_COLOR");
	bool colour = has_colors() && (no_color == NULL || *no_color == '\0');
	if (colour) {
		start_color();
		use_default_colors();
		colour = COLOR_PAIRS > STYLE_COUNT;
	}
	for (int i = 0; i < STYLE_COUNT; i++) {
		if (colour && i != STYLE_NORMAL) {
			init_pair((short)i, styles[i].fg, styles[i].bg);
			attrs[i] = COLOR_PAIR(i) | (styles[i].mono & (A_BOLD | A_UNDERLINE));
		} else {
			attrs[i] = styles[i].mono;
		}
	}
	return true;
}

void screen_stop(void)
{
	if (!isendwin())
		endwin();
}

attr_t screen_attr(enum screen_style style)
{
	return attrs[style];
}

int screen_clamp(int v, int lo, int hi)
{
	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return v < 0 ? 0 : v;
}

void screen_text(int y, int x, int width, const char *s, bool right, enum screen_style style)
{
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	if (y < 0 || y >= rows || x < 0 || x >= cols)
		return;
	width = screen_clamp(width, 0, cols - x);
	if (width == 0)
		return;
	struct buf b = {0};
	text_fit(&b, s, width, right);
	attrset(screen_attr(style));
	mvaddstr(y, x, b.data);
	attrset(A_NORMAL);
	buf_free(&b);
}

const char *screen_skip_columns(const char *s, int n)
{
	size_t len = strlen(s);
	while (n > 0 && *s) {
		int cp, used = text_decode(s, len, &cp);
		n -= cp < 0 ? 1 : text_cp_width(cp);
		s += used;
		len -= (size_t)used;
	}
	return s;
}

/* Bytes of s on its next line of width columns: words while they fit (a
 * word longer than the line alone, cut when drawn), up to a newline. */
static size_t wrap_fit(const char *s, int width)
{
	size_t end = 0, fit = 0;
	while (s[end] && s[end] != '\n') {
		size_t next = end;
		while (s[next] == ' ')
			next++;
		while (s[next] && s[next] != ' ' && s[next] != '\n')
			next++;
		char *head = xstrndup(s, next);
		bool fits = text_width(head) <= width;
		free(head);
		if (!fits)
			break;
		fit = end = next;
	}
	return fit ? fit : strcspn(s, "\n");
}

/* Past the end of a line: its newline, or the blanks a wrap left. */
static const char *wrap_next(const char *s)
{
	if (*s == '\n')
		return s + 1;
	while (*s == ' ')
		s++;
	return s;
}

int screen_wrap(int y, int x, int width, int max_lines, const char *s, enum screen_style style)
{
	int lines = 0;
	if (width <= 0)
		return 0;
	while (*s && lines < max_lines) {
		size_t fit = wrap_fit(s, width);
		char *line = xstrndup(s, fit);
		screen_text(y + lines, x, width, line, false, style);
		free(line);
		lines++;
		s = wrap_next(s + fit);
	}
	return lines;
}

char *screen_wrap_lines(const char *s, int width)
{
	struct buf b = {0};
	width = width > 0 ? width : 1;
	while (*s) {
		size_t fit = wrap_fit(s, width);
		buf_add(&b, s, fit);
		buf_putc(&b, '\n');
		s = wrap_next(s + fit);
	}
	return buf_take(&b);
}

void screen_fill(int y, int x, int height, int width, enum screen_style style)
{
	for (int i = 0; i < height; i++)
		screen_text(y + i, x, width, "", false, style);
}

void screen_box(int y, int x, int height, int width, const char *title, bool focused)
{
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	if (height < 2 || width < 2 || y < 0 || x < 0 || y + height > rows || x + width > cols)
		return;
	attrset(screen_attr(STYLE_BORDER));
	mvhline(y, x + 1, ACS_HLINE, width - 2);
	mvhline(y + height - 1, x + 1, ACS_HLINE, width - 2);
	mvvline(y + 1, x, ACS_VLINE, height - 2);
	mvvline(y + 1, x + width - 1, ACS_VLINE, height - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + width - 1, ACS_URCORNER);
	mvaddch(y + height - 1, x, ACS_LLCORNER);
	mvaddch(y + height - 1, x + width - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	if (title != NULL && width > 4) {
		char *t = xasprintf(focused ? "[%s]" : " %s ", title);
		int w = screen_clamp(text_width(t), 0, width - 3);
		screen_text(y, x + 1, w, t, false, focused ? STYLE_TITLE : STYLE_NORMAL);
		free(t);
	}
}
