/* A virtual list: the rows on screen of a data set that stays in SQLite.
 * A source gives three statements over one ordering — rows from a key
 * (>=), rows after a key (>), rows before a key (<, in reverse) — and the
 * list pages through them by key (keyset pagination), so a step costs the
 * same on 50 rows as on 2,000,000. The list holds the visible rows only. */
#ifndef DUN_UI_LIST_H
#define DUN_UI_LIST_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include "store.h"

#define LIST_MAX_COLUMNS 16
#define LIST_KEY_TEXT 64

/* The position of one row in the source's ordering. Sources use the fields
 * their ORDER BY needs; edge asks for before-the-first (-1) or
 * after-the-last (+1) instead of a row. */
struct list_key {
	int edge;
	int64_t num;
	int64_t id;
	char text[LIST_KEY_TEXT];
};

struct list_column {
	const char *name;
	int width;       /* minimum columns */
	int grow;        /* share of the spare width (0: fixed) */
	bool right;      /* numbers are right-aligned */
};

struct list_row {
	struct list_key key;
	int64_t customer_id;  /* the customer the row is about, or 0 */
	int64_t id;           /* the object the row shows (invoice, dispute...) */
	char *cell[LIST_MAX_COLUMNS];
	int style;            /* enum screen_style for the whole row, 0 normal */
};

struct list;

struct list_source {
	const struct list_column *columns;
	int ncolumns;
	int frozen;              /* leading columns that stay when scrolling sideways */
	/* Bit c: column c, when too narrow, is cut on the left, since its
	 * end tells rows apart (invoice numbers differ in their last digits). */
	unsigned cut_left;
	/* SQL literals (cached by address). Each returns rows in the list's
	 * order, LIMIT ?9; sql_before in reverse order. */
	const char *sql_from, *sql_after, *sql_before;
	const char *sql_count;   /* one integer; may be NULL (count unknown) */
	/* The number of rows before a key, so that a seek knows its position
	 * ("SELECT ?1 - 1" when the key is a rank); NULL keeps the old one. */
	const char *sql_position;
	/* Binds the key (and the source's own parameters) to a statement. */
	void (*bind)(struct list *l, sqlite3_stmt *st, const struct list_key *key);
	/* Fills a row from the current result row; cells are xstrdup'd. */
	void (*read)(struct list *l, sqlite3_stmt *st, struct list_row *row);
};

struct list {
	const struct list_source *src;
	struct store *store;
	void *data;              /* the source's parameters */
	struct list_row *rows;   /* the visible window, rows[0] at position top */
	int nrows, cap;
	int64_t top;             /* position of rows[0] */
	int sel;                 /* index of the selection in rows, -1 none */
	int64_t count;           /* rows in the source, -1 unknown */
	int height;              /* rows the window shows */
	int hscroll;             /* columns scrolled out after the frozen ones */
	char *error;             /* the last database error, shown instead of rows */
	const char *empty;       /* shown when there are no rows; NULL: "(nothing here)" */
};

void list_init(struct list *l, const struct list_source *src, struct store *store, void *data);
void list_free(struct list *l);
/* Sets the window height (clamped to at least 1) and fills it. */
void list_set_height(struct list *l, int height);
/* Back to the first row. */
void list_reload(struct list *l);
/* Re-reads the window from its first row's key (after a data change),
 * keeping the selection on the same key when it still exists. */
void list_refresh(struct list *l);
/* Moves the selection by delta rows, scrolling by key as needed. */
void list_move(struct list *l, int64_t delta);
void list_home(struct list *l);
void list_end(struct list *l);
/* Puts the row with this key (or the next one) at the top and selects it. */
void list_seek(struct list *l, const struct list_key *key);
/* Selects the visible row at index i (mouse). */
void list_select_visible(struct list *l, int i);
/* Reads up to n rows of the source by key into out, outside the window
 * (a search walking the list's order): from the key on, after it, or
 * before it (nearest first). Returns the count; the caller clears the
 * rows with list_row_clear. */
enum list_fetch { LIST_FROM, LIST_AFTER, LIST_BEFORE };
int list_fetch(struct list *l, enum list_fetch how, const struct list_key *key, int n, struct list_row *out);
void list_row_clear(struct list_row *row);
bool list_key_equal(const struct list_key *a, const struct list_key *b);
/* The width a source's columns take at their least, separators between. */
int list_min_width(const struct list_source *src);
/* The selected row or NULL. */
const struct list_row *list_selected(const struct list *l);
/* Position of the selection (0-based), for "12/50000". */
int64_t list_position(const struct list *l);
/* Draws the header and rows inside the rectangle (no border). */
void list_draw(struct list *l, int y, int x, int height, int width, bool focused);

/* Draws one row of cells (a total) with the list's column layout. */
void list_draw_cells(struct list *l, int y, int x, int width, char *const *cells, int style);
/* Scrolls the unfrozen columns sideways by delta (clamped). */
void list_scroll_columns(struct list *l, int delta);

/* Key binding helpers for sources: a text or integer key honouring edge. */
void list_bind_text_key(sqlite3_stmt *st, int idx, const struct list_key *key);
void list_bind_int_key(sqlite3_stmt *st, int idx, const struct list_key *key);
/* A source's bind when its one parameter is an integer key, ?1. */
void list_bind_int_first(struct list *l, sqlite3_stmt *st, const struct list_key *key);
/* Copies text into key->text (cut to fit). */
void list_key_set_text(struct list_key *key, const char *text);
/* A cell from a printf format (xasprintf). */
char *list_cell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A money cell in human form (grouped) from an amount and its currency. */
char *list_cell_money(int64_t amount, const char *currency);
#endif
