/* Scrolling text: lines, each in a style, drawn from a top line inside a
 * rectangle. The full-screen pager (ui_pager in view.h) shows command
 * output and help with it; the customers view shows an invoice's detail. */
#ifndef DUN_UI_PAGER_H
#define DUN_UI_PAGER_H
#include <stdbool.h>
#include "screen.h"

struct text_line {
	char *text;
	enum screen_style style;
};

struct text_view {
	struct text_line *lines;
	int nlines;
	int top;                 /* the first line shown */
	int left;                /* display columns scrolled out on the left */
	int widest;              /* display columns of the widest line */
};

/* Appends text (copied), one line per '\n'-separated part. */
void text_view_add(struct text_view *t, enum screen_style style, const char *text);
/* Appends one line from a printf format. */
void text_view_addf(struct text_view *t, enum screen_style style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Frees the lines; the view is empty again. */
void text_view_clear(struct text_view *t);
/* Draws the lines from top, less their first left columns, inside rows
 * [y, y + height) and columns [x, x + width), blank below the last. */
void text_view_draw(const struct text_view *t, int y, int x, int height, int width);
/* Scrolls for arrows, j/k, PgUp/PgDn, space, Home/End and g/G, page being
 * the lines shown; false for any other key. */
bool text_view_key(struct text_view *t, int key, int page);
#endif
