/* A full-screen text pager for command output and help. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "modal.h"
#include "screen.h"
#include "view.h"
#include "xalloc.h"

struct pager {
	char *title;
	char **lines;
	int nlines;
	int top;
};

static void pager_free(void *state)
{
	struct pager *p = state;
	for (int i = 0; i < p->nlines; i++)
		free(p->lines[i]);
	free(p->lines);
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
	char *title = xasprintf("%s — %d/%d  (q closes)", p->title, screen_clamp(p->top + 1, 0, p->nlines), p->nlines);
	screen_box(0, 0, height, cols, title, true);
	free(title);
	for (int i = 0; i + 2 < height && p->top + i < p->nlines; i++)
		screen_text(1 + i, 1, cols - 2, p->lines[p->top + i], false, STYLE_NORMAL);
}

static int pager_key(struct ui *ui, void *state, int key)
{
	struct pager *p = state;
	int page = screen_clamp(getmaxy(stdscr) - 3, 1, 1000);
	switch (key) {
	case 'q':
	case 27:
	case '\r':
	case '\n':
	case KEY_ENTER:
		modal_close(ui);
		return UI_REDRAW;
	case KEY_DOWN:
	case 'j':
		p->top++;
		break;
	case KEY_UP:
	case 'k':
		p->top--;
		break;
	case KEY_NPAGE:
	case ' ':
		p->top += page;
		break;
	case KEY_PPAGE:
		p->top -= page;
		break;
	case KEY_HOME:
	case 'g':
		p->top = 0;
		break;
	case KEY_END:
	case 'G':
		p->top = p->nlines - page;
		break;
	}
	p->top = screen_clamp(p->top, 0, p->nlines - 1);
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
	const char *s = text;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		p->lines = xreallocarray(p->lines, (size_t)p->nlines + 1, sizeof *p->lines);
		p->lines[p->nlines++] = xstrndup(s, len);
		s += len + (nl ? 1 : 0);
	}
	modal_open(ui, &pager_ops, p);
}
