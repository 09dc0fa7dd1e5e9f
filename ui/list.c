/* Keyset paging of a list_source. The window is refilled from the key of a
 * row it already holds, never from an offset, so the cost of a step does
 * not grow with the size of the ledger. */
#include "list.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "money.h"
#include "screen.h"
#include "text.h"
#include "xalloc.h"

void list_init(struct list *l, const struct list_source *src, struct store *store, void *data)
{
	memset(l, 0, sizeof *l);
	l->src = src;
	l->store = store;
	l->data = data;
	l->sel = -1;
	l->count = -1;
	l->height = 1;
}

/* Every cell, not the source's column count: a source may have fewer
 * columns by now than when the row was read (the aging grid after
 * :buckets). */
void list_row_clear(struct list_row *row)
{
	for (int i = 0; i < LIST_MAX_COLUMNS; i++)
		free(row->cell[i]);
	memset(row, 0, sizeof *row);
}

static void rows_clear(struct list *l)
{
	for (int i = 0; i < l->nrows; i++)
		list_row_clear(&l->rows[i]);
	l->nrows = 0;
}

void list_free(struct list *l)
{
	rows_clear(l);
	free(l->rows);
	free(l->error);
	l->rows = NULL;
	l->cap = 0;
	l->error = NULL;
}

static void set_error(struct list *l)
{
	free(l->error);
	l->error = NULL;
	store_error(l->store, "read the list", &l->error);
}

int list_fetch(struct list *l, enum list_fetch how, const struct list_key *key, int n, struct list_row *out)
{
	const char *sql = how == LIST_FROM ? l->src->sql_from : how == LIST_AFTER ? l->src->sql_after : l->src->sql_before;
	sqlite3_stmt *st = store_stmt(l->store, sql);
	l->src->bind(l, st, key);
	sqlite3_bind_int(st, 9, n);
	int got = 0, rc;
	while (got < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&out[got], 0, sizeof out[got]);
		l->src->read(l, st, &out[got]);
		got++;
	}
	if (got < n && rc != SQLITE_DONE)
		set_error(l);
	sqlite3_reset(st);
	return got;
}

static void count_rows(struct list *l)
{
	l->count = -1;
	if (l->src->sql_count == NULL)
		return;
	sqlite3_stmt *st = store_stmt(l->store, l->src->sql_count);
	l->src->bind(l, st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		l->count = sqlite3_column_int64(st, 0);
	else
		set_error(l);
	sqlite3_reset(st);
}

static void ensure_cap(struct list *l, int need)
{
	if (need > l->cap) {
		l->rows = xreallocarray(l->rows, (size_t)need, sizeof *l->rows);
		l->cap = need;
	}
}

bool list_key_equal(const struct list_key *a, const struct list_key *b)
{
	return a->edge == b->edge && a->num == b->num && a->id == b->id && strcmp(a->text, b->text) == 0;
}

/* Appends up to n rows after the window's last row; returns how many. */
static int grow_down(struct list *l, int n)
{
	/* a copy: ensure_cap may move the rows */
	struct list_key from = {.edge = -1};
	if (l->nrows)
		from = l->rows[l->nrows - 1].key;
	ensure_cap(l, l->nrows + n);
	int got = list_fetch(l, l->nrows ? LIST_AFTER : LIST_FROM, &from, n, l->rows + l->nrows);
	l->nrows += got;
	return got;
}

/* Prepends up to n rows before the window's first row. */
static int grow_up(struct list *l, int n)
{
	if (l->nrows == 0)
		return 0;
	struct list_row *tmp = xcalloc((size_t)n, sizeof *tmp);
	int got = list_fetch(l, LIST_BEFORE, &l->rows[0].key, n, tmp);
	ensure_cap(l, l->nrows + got);
	memmove(l->rows + got, l->rows, (size_t)l->nrows * sizeof *l->rows);
	for (int i = 0; i < got; i++)
		l->rows[i] = tmp[got - 1 - i];
	free(tmp);
	l->nrows += got;
	l->top -= got;
	if (l->sel >= 0)
		l->sel += got;
	return got;
}

/* Drops rows so that the window holds at most height rows and still shows
 * the selection. */
static void trim(struct list *l)
{
	int excess = l->nrows - l->height;
	if (excess <= 0)
		return;
	int front = 0;
	if (l->sel >= l->height)
		front = screen_clamp(l->sel - l->height + 1, 0, excess);
	for (int i = 0; i < front; i++)
		list_row_clear(&l->rows[i]);
	memmove(l->rows, l->rows + front, (size_t)(l->nrows - front) * sizeof *l->rows);
	l->nrows -= front;
	l->top += front;
	l->sel -= front;
	while (l->nrows > l->height)
		list_row_clear(&l->rows[--l->nrows]);
}

/* Refills the window from a key (inclusive) and tops it up from above when
 * it reaches the end of the data. */
static void fill_from(struct list *l, const struct list_key *key, int64_t top)
{
	struct list_key k = *key;
	rows_clear(l);
	free(l->error);
	l->error = NULL;
	ensure_cap(l, l->height);
	l->nrows = list_fetch(l, LIST_FROM, &k, l->height, l->rows);
	l->top = top;
	if (l->nrows == 0 && k.edge != -1) {
		struct list_key last = {.edge = 1};
		l->nrows = list_fetch(l, LIST_BEFORE, &last, 1, l->rows);
	}
	if (l->nrows < l->height)
		grow_up(l, l->height - l->nrows);
	if (l->count >= 0)
		l->top = screen_clamp((int)(l->count - l->nrows), 0, (int)screen_clamp((int)l->top, 0, (int)l->count));
	if (l->top < 0)
		l->top = 0;
}

void list_set_height(struct list *l, int height)
{
	height = screen_clamp(height, 1, 1000);
	if (height == l->height && l->nrows > 0)
		return;
	l->height = height;
	if (l->nrows == 0) {
		list_reload(l);
		return;
	}
	if (l->nrows > height)
		trim(l);
	else
		grow_down(l, height - l->nrows);
	if (l->nrows < height)
		grow_up(l, height - l->nrows);
}

void list_reload(struct list *l)
{
	struct list_key first = {.edge = -1};
	count_rows(l);
	fill_from(l, &first, 0);
	l->sel = l->nrows ? 0 : -1;
}

/* The position of a key's row: rows before it. */
static int64_t position_of(struct list *l, const struct list_key *key)
{
	if (l->src->sql_position == NULL)
		return l->top;
	int64_t pos = 0;
	sqlite3_stmt *st = store_stmt(l->store, l->src->sql_position);
	l->src->bind(l, st, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		pos = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return pos;
}

void list_refresh(struct list *l)
{
	if (l->nrows == 0) {
		list_reload(l);
		return;
	}
	struct list_key top = l->rows[0].key, sel = l->sel >= 0 ? l->rows[l->sel].key : top;
	int old_sel = l->sel;
	/* A window on the first row stays on the first row: a row added
	 * before it (the call just logged, in a newest-first history) shows. */
	struct list_key first = {.edge = -1};
	bool at_first = l->top == 0;
	count_rows(l);
	fill_from(l, at_first ? &first : &top, at_first ? 0 : position_of(l, &top));
	l->sel = l->nrows ? screen_clamp(old_sel, 0, l->nrows - 1) : -1;
	for (int i = 0; i < l->nrows; i++)
		if (list_key_equal(&l->rows[i].key, &sel))
			l->sel = i;
}

void list_move(struct list *l, int64_t delta)
{
	if (l->nrows == 0)
		return;
	int64_t target = l->sel + delta;
	while (target >= l->nrows) {
		int want = screen_clamp((int)(target - l->nrows + 1), 1, l->height);
		int got = grow_down(l, want);
		if (got == 0) {
			target = l->nrows - 1;
			break;
		}
	}
	while (target < 0) {
		int want = screen_clamp((int)-target, 1, l->height);
		int got = grow_up(l, want);
		target += got;
		if (got == 0) {
			target = 0;
			break;
		}
	}
	l->sel = (int)target;
	trim(l);
	if (l->nrows < l->height && grow_down(l, l->height - l->nrows) == 0)
		grow_up(l, l->height - l->nrows);
	trim(l);
}

void list_home(struct list *l)
{
	list_reload(l);
}

void list_end(struct list *l)
{
	struct list_key last = {.edge = 1};
	rows_clear(l);
	count_rows(l);
	ensure_cap(l, l->height);
	struct list_row *tmp = xcalloc((size_t)l->height, sizeof *tmp);
	int got = list_fetch(l, LIST_BEFORE, &last, l->height, tmp);
	for (int i = 0; i < got; i++)
		l->rows[i] = tmp[got - 1 - i];
	free(tmp);
	l->nrows = got;
	l->top = l->count >= got ? l->count - got : 0;
	l->sel = got - 1;
}

void list_seek(struct list *l, const struct list_key *key)
{
	count_rows(l);
	fill_from(l, key, position_of(l, key));
	l->sel = l->nrows ? 0 : -1;
	for (int i = 0; i < l->nrows; i++)
		if (list_key_equal(&l->rows[i].key, key))
			l->sel = i;
}

void list_select_visible(struct list *l, int i)
{
	if (i >= 0 && i < l->nrows)
		l->sel = i;
}

const struct list_row *list_selected(const struct list *l)
{
	return l->sel >= 0 && l->sel < l->nrows ? &l->rows[l->sel] : NULL;
}

int64_t list_position(const struct list *l)
{
	return l->top + (l->sel < 0 ? 0 : l->sel);
}

int list_min_width(const struct list_source *src)
{
	int width = src->ncolumns > 0 ? src->ncolumns - 1 : 0;
	for (int c = 0; c < src->ncolumns; c++)
		width += src->columns[c].width;
	return width;
}

/* The least width a column squeezed into the room left is shown in. */
#define SQUEEZE_MIN 6

/* The columns shown (frozen ones, then from hscroll) and their widths,
 * the spare width shared by the growing ones. Returns the count. */
static int layout(struct list *l, int width, int *index, int *widths)
{
	const struct list_source *src = l->src;
	int n = 0, used = 0, grow = 0;
	l->hscroll = screen_clamp(l->hscroll, 0, src->ncolumns - src->frozen - 1);
	for (int c = 0; c < src->ncolumns; c++) {
		if (c >= src->frozen && c < src->frozen + l->hscroll)
			continue;
		int w = src->columns[c].width + (n ? 1 : 0);
		bool squeezed = false;
		if (used + w > width && n > 0) {
			/* A text column that does not fit still takes the room
			 * left when that reads (the matching view's proposal at
			 * 80 columns) rather than leave it blank; a number is
			 * never shown cut. */
			if (src->columns[c].right || width - used - 1 < SQUEEZE_MIN)
				break;
			w = width - used;
			squeezed = true;
		}
		index[n] = c;
		widths[n] = w - (n ? 1 : 0);
		used += w;
		grow += src->columns[c].grow;
		n++;
		if (squeezed)
			break;
	}
	int spare = width - used, given = 0;
	for (int i = 0; i < n && spare > 0 && grow > 0; i++) {
		int extra = spare * src->columns[index[i]].grow / grow;
		widths[i] += extra;
		given += extra;
	}
	/* Rounding leftovers go to the last growing column. */
	for (int i = n - 1; i >= 0 && spare - given > 0 && grow > 0; i--)
		if (src->columns[index[i]].grow) {
			widths[i] += spare - given;
			break;
		}
	return n;
}

void list_draw_cells(struct list *l, int y, int x, int width, char *const *cells, int style)
{
	int index[LIST_MAX_COLUMNS], widths[LIST_MAX_COLUMNS];
	int n = layout(l, width, index, widths), cx = x;
	screen_fill(y, x, 1, width, style);
	for (int i = 0; i < n && cx < x + width; i++) {
		int c = index[i], w = screen_clamp(widths[i], 0, x + width - cx), over;
		bool right = l->src->columns[c].right;
		const char *cell = cells[c] ? cells[c] : "";
		if ((l->src->cut_left >> c & 1u) && w > 1 && (over = text_width(cell) - w) > 0) {
			char *end = xasprintf("~%s", screen_skip_columns(cell, over + 1));
			screen_text(y, cx, w, end, right, style);
			free(end);
		} else {
			screen_text(y, cx, w, cell, right, style);
		}
		cx += w + 1;
	}
}

void list_scroll_columns(struct list *l, int delta)
{
	l->hscroll = screen_clamp(l->hscroll + delta, 0, l->src->ncolumns - l->src->frozen - 1);
}

void list_draw(struct list *l, int y, int x, int height, int width, bool focused)
{
	if (height <= 0 || width <= 0)
		return;
	char *names[LIST_MAX_COLUMNS];
	for (int c = 0; c < l->src->ncolumns; c++)
		names[c] = (char *)l->src->columns[c].name;
	list_draw_cells(l, y, x, width, names, STYLE_HEADER);
	if (l->error != NULL) {
		screen_text(y + 1, x, width, l->error, false, STYLE_ERROR);
		return;
	}
	if (l->nrows == 0 && height > 1)
		screen_text(y + 1, x, width, l->empty ? l->empty : "(nothing here)", false, STYLE_DIM);
	for (int i = 0; i < l->nrows && i + 1 < height; i++) {
		const struct list_row *row = &l->rows[i];
		int style = row->style;
		if (i == l->sel)
			style = focused ? STYLE_SELECTED : STYLE_SELECTED_DIM;
		list_draw_cells(l, y + 1 + i, x, width, row->cell, style);
	}
}

void list_bind_text_key(sqlite3_stmt *st, int idx, const struct list_key *key)
{
	static const unsigned char high[] = {0xff, 0xff};
	if (key == NULL || key->edge < 0)
		sqlite3_bind_text(st, idx, "", 0, SQLITE_STATIC);
	else if (key->edge > 0) /* any BLOB sorts after every TEXT */
		sqlite3_bind_blob(st, idx, high, sizeof high, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, idx, key->text, -1, SQLITE_TRANSIENT);
}

void list_bind_int_key(sqlite3_stmt *st, int idx, const struct list_key *key)
{
	if (key == NULL || key->edge < 0)
		sqlite3_bind_int64(st, idx, INT64_MIN);
	else if (key->edge > 0)
		sqlite3_bind_int64(st, idx, INT64_MAX);
	else
		sqlite3_bind_int64(st, idx, key->num);
}

void list_bind_int_first(struct list *l, sqlite3_stmt *st, const struct list_key *key)
{
	(void)l;
	list_bind_int_key(st, 1, key);
}

void list_key_set_text(struct list_key *key, const char *text)
{
	snprintf(key->text, sizeof key->text, "%s", text ? text : "");
}

char *list_cell(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *list_cell_money(int64_t amount, const char *currency)
{
	char buf[MONEY_TEXT_MAX];
	int e = money_exponent(currency);
	return xstrdup(money_format_grouped(amount, e < 0 ? 2 : e, ',', '.', buf));
}
