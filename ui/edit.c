/* Line editing by code point over a byte buffer. */
#include "edit.h"
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "screen.h"
#include "text.h"

void edit_set(struct edit *e, const char *text)
{
	e->text.len = 0;
	buf_puts(&e->text, text ? text : "");
	e->cursor = e->text.len;
}

void edit_free(struct edit *e)
{
	buf_free(&e->text);
	e->cursor = 0;
}

const char *edit_text(const struct edit *e)
{
	return e->text.data ? e->text.data : "";
}

static size_t prev_char(const struct edit *e, size_t at)
{
	while (at > 0 && ((unsigned char)e->text.data[--at] & 0xc0) == 0x80)
		;
	return at;
}

static size_t next_char(const struct edit *e, size_t at)
{
	if (at >= e->text.len)
		return e->text.len;
	int cp;
	return at + (size_t)text_decode(e->text.data + at, e->text.len - at, &cp);
}

static void erase_range(struct edit *e, size_t from, size_t to)
{
	memmove(e->text.data + from, e->text.data + to, e->text.len - to + 1);
	e->text.len -= to - from;
	e->cursor = from;
}

bool edit_key(struct edit *e, int key)
{
	if (e->text.data == NULL)
		edit_set(e, "");
	switch (key) {
	case KEY_LEFT:
		e->cursor = prev_char(e, e->cursor);
		return true;
	case KEY_RIGHT:
		e->cursor = next_char(e, e->cursor);
		return true;
	case KEY_HOME:
	case 'A' & 0x1f:
		e->cursor = 0;
		return true;
	case KEY_END:
	case 'E' & 0x1f:
		e->cursor = e->text.len;
		return true;
	case KEY_BACKSPACE:
	case 127:
	case 'H' & 0x1f:
		if (e->cursor > 0)
			erase_range(e, prev_char(e, e->cursor), e->cursor);
		return true;
	case KEY_DC:
	case 'D' & 0x1f:
		if (e->cursor < e->text.len)
			erase_range(e, e->cursor, next_char(e, e->cursor));
		return true;
	case 'U' & 0x1f:
		erase_range(e, 0, e->cursor);
		return true;
	case 'K' & 0x1f:
		e->text.len = e->cursor;
		e->text.data[e->cursor] = '\0';
		return true;
	case 'W' & 0x1f: {
		size_t at = e->cursor;
		while (at > 0 && e->text.data[at - 1] == ' ')
			at--;
		while (at > 0 && e->text.data[at - 1] != ' ')
			at--;
		erase_range(e, at, e->cursor);
		return true;
	}
	default:
		if (key < 0x20 || key > 0xff || key == 0x7f)
			return false;
		char c = (char)key;
		buf_putc(&e->text, c); /* grows the buffer; then move into place */
		memmove(e->text.data + e->cursor + 1, e->text.data + e->cursor, e->text.len - 1 - e->cursor);
		e->text.data[e->cursor++] = c;
		return true;
	}
}

void edit_draw(const struct edit *e, int y, int x, int width, int style)
{
	if (width <= 1)
		return;
	const char *s = edit_text(e);
	/* Start far enough right that the cursor fits. */
	size_t start = 0;
	char *head = xstrndup(s, e->cursor);
	while (text_width(head + start) >= width) {
		int cp;
		start += (size_t)text_decode(head + start, strlen(head + start), &cp);
	}
	int cursor_col = text_width(head + start);
	free(head);
	screen_text(y, x, width, s + start, false, style);
	int cy = y, cx = x + cursor_col;
	if (cx < x + width) {
		move(cy, cx);
		attr_t a = screen_attr(STYLE_SELECTED);
		chgat(1, a, PAIR_NUMBER(a), NULL);
	}
}
