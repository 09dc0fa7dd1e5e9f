/* Scrolling text, and the full-screen pager for command output and help
 * that shows it. */
#include "pager.h"
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "modal.h"
#include "text.h"
#include "view.h"
#include "xalloc.h"

static void add_line(struct text_view *t, enum screen_style style, char *text)
{
	t->lines = xreallocarray(t->lines, (size_t)t->nlines + 1, sizeof *t->lines);
	t->lines[t->nlines++] = (struct text_line){text, style};
	int w = text_width(text);
	if (w > t->widest)
		t->widest = w;
}


void text_view_add(struct text_view *t, enum screen_style style, const char *text)
{
	const char *s = text;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		add_line(t, style, xstrndup(s, len));
		s += len + (nl ? 1 : 0);
	}
}

void text_view_addf(struct text_view *t, enum screen_style style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_line(t, style, xvasprintf(fmt, ap));
	va_end(ap);
}

void text_view_clear(struct text_view *t)
{
	for (int i = 0; i < t->nlines; i++)
		free(t->lines[i].text);
	free(t->lines);
	memset(t, 0, sizeof *t);
}

void text_view_draw(const struct text_view *t, int y, int x, int height, int width)
{
	screen_fill(y, x, height, width, STYLE_NORMAL);
	for (int i = 0; i < height && t->top + i < t->nlines; i++)
		screen_text(y + i, x, width, screen_skip_columns(t->lines[t->top + i].text, t->left), false,
		    t->lines[t->top + i].style);
}

bool text_view_key(struct text_view *t, int key, int page)
{
	page = screen_clamp(page, 1, 1000);
	switch (key) {
	case KEY_DOWN:
	case 'j':
		t->top++;
		break;
	case KEY_UP:
	case 'k':
		t->top--;
		break;
	case KEY_NPAGE:
	case ' ':
		t->top += page;
		break;
	case KEY_PPAGE:
		t->top -= page;
		break;
	case KEY_HOME:
	case 'g':
		t->top = 0;
		break;
	case KEY_END:
	case 'G':
		t->top = t->nlines - page;
		break;
	default:
		return false;
	}
	t->top = screen_clamp(t->top, 0, t->nlines - 1);
	return true;
}

struct pager {
	char *title;
	struct text_view text;
};

static void pager_free(void *state)
{
	struct pager *p = state;
	text_view_clear(&p->text);
	free(p->title);
	free(p);
}

static void pager_draw(struct ui *ui, void *state)
{
	(void)ui;
	struct pager *p = state;
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	int height = screen_clamp(rows - 1, 0, rows);
	screen_fill(0, 0, height, cols, STYLE_NORMAL);
	/* lines wider than the screen: say how to see the rest */
	bool wide = p->text.widest > cols - 2;
	char *title = xasprintf("%s — %d/%d  (q closes%s)", p->title, screen_clamp(p->text.top + 1, 0, p->text.nlines),
	    p->text.nlines, wide ? ", ←→ scroll" : "");
	screen_box(0, 0, height, cols, title, true);
	free(title);
	text_view_draw(&p->text, 1, 1, height - 2, cols - 2);
}

static int pager_key(struct ui *ui, void *state, int key)
{
	struct pager *p = state;
	switch (key) {
	case 'q':
	case 27:
	case '\r':
	case '\n':
	case KEY_ENTER:
		modal_close(ui);
		return UI_REDRAW;
	case 'h':
	case KEY_LEFT:
	case 'l':
	case KEY_RIGHT: {
		/* sideways by half a screen, up to the widest line's end */
		int cols = getmaxx(stdscr) - 2, step = screen_clamp(cols / 2, 1, cols);
		bool right = key == 'l' || key == KEY_RIGHT;
		int most = p->text.widest > cols ? p->text.widest - cols : 0;
		p->text.left = screen_clamp(p->text.left + (right ? step : -step), 0, most);
		return UI_REDRAW;
	}
	}
	text_view_key(&p->text, key, getmaxy(stdscr) - 3);
	return UI_REDRAW;
}

static const struct modal_ops pager_ops = {
	.draw = pager_draw,
	.key = pager_key,
	.free = pager_free,
};

void ui_pager(struct ui *ui, const char *title, const char *text)
{
	struct pager *p = xcalloc(1, sizeof *p);
	p->title = xstrdup(title);
	text_view_add(&p->text, STYLE_NORMAL, text);
	modal_open(ui, &pager_ops, p);
}
