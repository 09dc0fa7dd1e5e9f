/* View 3, the portfolio aging grid: one row per customer, one column per
 * bucket, a total line, sorted by any column (s cycles, S reverses), Enter
 * drills into the customer. The rows come from the core's aging_compute
 * once per change, go into a temporary table, and the list pages through
 * a rank table built in the chosen order. */
#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "aging.h"
#include "list.h"
#include "money.h"
#include "screen.h"
#include "status.h"
#include "view.h"
#include "worker.h"
#include "xalloc.h"

/* code, name, total, the buckets, unapplied, disputed */
#define GRID_FIXED 3
#define GRID_MAX_COLUMNS (GRID_FIXED + AGING_MAX_BUCKETS + 2)

/* The temporary table's column for each grid column, in grid order. */
static const char *const sort_columns[] = {
	"code", "name", "total", "b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "unapplied", "disputed",
};

struct grid {
	struct ui *ui;
	struct list list;
	struct list_source source;
	struct list_column columns[GRID_MAX_COLUMNS];
	char names[GRID_MAX_COLUMNS][24];
	int ncolumns;
	int sort;                /* index into the grid columns */
	bool descending;
	char *totals[GRID_MAX_COLUMNS];
	char *error;
	bool computing;          /* the worker is computing the grid */
};

/* The bucket columns after the fixed ones: nedges + 2 of them. */
static int grid_buckets(const struct grid *g)
{
	return g->ui->aging.nedges + 2;
}

/* Grid column c to the temporary table's column name. */
static const char *grid_sort_column(const struct grid *g, int c)
{
	int nb = grid_buckets(g);
	if (c < GRID_FIXED + nb)
		return sort_columns[c];
	return sort_columns[GRID_FIXED + AGING_MAX_BUCKETS + (c - GRID_FIXED - nb)];
}

#define SELECT_GRID \
	"SELECT o.rank, a.customer_id, a.code, a.name, a.currency, a.total, a.b0, a.b1, a.b2, a.b3, a.b4, a.b5, " \
	"a.b6, a.b7, a.b8, a.b9, a.unapplied, a.disputed " \
	"FROM temp.ui_aging_order o JOIN temp.ui_aging a ON a.rowid = o.row_id "

/* Whole units for the grid: its columns must fit 80 columns. */
static char *grid_amount(money_t amount, const char *currency)
{
	int e = money_exponent(currency);
	money_t units = amount;
	char buf[MONEY_TEXT_MAX];
	if (e > 0 && !money_rescale(amount, e, 0, &units))
		units = amount;
	return xstrdup(money_format_grouped(units, 0, ',', '.', buf));
}

static void grid_read(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	struct grid *g = l->data;
	int nb = grid_buckets(g), c = 0;
	row->key.num = sqlite3_column_int64(st, 0);
	row->customer_id = sqlite3_column_int64(st, 1);
	const char *currency = store_column_text(st, 4);
	row->cell[c++] = xstrdup(store_column_text(st, 2));
	row->cell[c++] = xstrdup(store_column_text(st, 3));
	row->cell[c++] = grid_amount(sqlite3_column_int64(st, 5), currency);
	for (int b = 0; b < nb; b++)
		row->cell[c++] = grid_amount(sqlite3_column_int64(st, 6 + b), currency);
	row->cell[c++] = grid_amount(sqlite3_column_int64(st, 16), currency);
	row->cell[c++] = grid_amount(sqlite3_column_int64(st, 17), currency);
	money_t late = 0;
	for (int b = 2; b < nb; b++)
		late += sqlite3_column_int64(st, 6 + b);
	row->style = late > 0 ? STYLE_OVERDUE : STYLE_NORMAL;
}

static void grid_columns(struct grid *g)
{
	const struct aging_options *o = &g->ui->aging;
	int nb = grid_buckets(g), c = 0;
	g->columns[c++] = (struct list_column){"code", 9, 0, false};
	g->columns[c++] = (struct list_column){"name", 10, 1, false};
	g->columns[c++] = (struct list_column){"total", 11, 0, true};
	for (int b = 0; b < nb; b++) {
		aging_bucket_name(b, o->edges, o->nedges, g->names[c], sizeof g->names[c]);
		g->columns[c] = (struct list_column){g->names[c], 9, 0, true};
		c++;
	}
	g->columns[c++] = (struct list_column){"unapplied", 9, 0, true};
	g->columns[c++] = (struct list_column){"disputed", 9, 0, true};
	g->ncolumns = c;
	if (g->sort >= c)
		g->sort = 2;
	for (int i = 0; i < c; i++) {
		/* the sorted column's name carries the direction */
		if (i == g->sort) {
			if (g->columns[i].name != g->names[i])
				snprintf(g->names[i], sizeof g->names[i], "%s", g->columns[i].name);
			size_t len = strlen(g->names[i]);
			snprintf(g->names[i] + len, sizeof g->names[i] - len, "%s", g->descending ? "▼" : "▲");
			g->columns[i].name = g->names[i];
		}
	}
	g->source = (struct list_source){
		.columns = g->columns,
		.ncolumns = g->ncolumns,
		.frozen = 2,
		.sql_from = SELECT_GRID "WHERE o.rank >= ?1 ORDER BY o.rank LIMIT ?9",
		.sql_after = SELECT_GRID "WHERE o.rank > ?1 ORDER BY o.rank LIMIT ?9",
		.sql_before = SELECT_GRID "WHERE o.rank < ?1 ORDER BY o.rank DESC LIMIT ?9",
		.sql_count = "SELECT coalesce(max(rank), 0) FROM temp.ui_aging_order",
		.sql_position = "SELECT ?1 - 1",
		.bind = list_bind_int_first,
		.read = grid_read,
	};
}

/* Orders the rank table by the sort column; names come from our table,
 * never from data. */
static void grid_sort(struct grid *g)
{
	sqlite3 *db = store_db(g->ui->store);
	char *sql = xasprintf("DELETE FROM temp.ui_aging_order; "
	    "INSERT INTO temp.ui_aging_order(row_id) SELECT rowid FROM temp.ui_aging ORDER BY %s %s, code",
	    grid_sort_column(g, g->sort), g->descending ? "DESC" : "ASC");
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	grid_columns(g);
}

static void totals_free(struct grid *g)
{
	for (int i = 0; i < GRID_MAX_COLUMNS; i++) {
		free(g->totals[i]);
		g->totals[i] = NULL;
	}
}

/* The portfolio's aging is computed on the worker (it reads every open
 * item); the rows come back here into temp.ui_aging. */
struct aging_job {
	struct worker_job job;
	struct grid *grid;
	struct aging_options options;
	struct aging_row *rows;
	int nrows;
	int status;
	char *cause;
};

static void aging_run(struct worker_job *job, struct store *s)
{
	struct aging_job *a = (struct aging_job *)job;
	a->status = s ? aging_compute(s, &a->options, &a->rows, &a->nrows, &a->cause) : DUN_EDB;
}

static void grid_store(struct grid *g, const struct aging_options *o, const struct aging_row *rows, int n)
{
	static const char *const sql_insert =
	    "INSERT INTO temp.ui_aging(customer_id, code, name, currency, total, b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, "
	    "unapplied, disputed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
	struct store *s = g->ui->store;
	int nb = o->nedges + 2;
	money_t sum[AGING_MAX_BUCKETS + 3] = {0};
	sqlite3_exec(store_db(s), "SAVEPOINT ui_aging; DELETE FROM temp.ui_aging", NULL, NULL, NULL);
	for (int i = 0; i < n; i++) {
		const struct aging_row *r = &rows[i];
		sqlite3_stmt *st = store_stmt(s, sql_insert);
		sqlite3_bind_int64(st, 1, r->customer_id);
		store_bind_text(st, 2, r->key);
		store_bind_text(st, 3, r->name);
		store_bind_text(st, 4, r->currency);
		sqlite3_bind_int64(st, 5, r->total);
		for (int b = 0; b < AGING_MAX_BUCKETS; b++)
			sqlite3_bind_int64(st, 6 + b, b < nb ? r->bucket[b] : 0);
		sqlite3_bind_int64(st, 16, r->unapplied);
		sqlite3_bind_int64(st, 17, r->disputed);
		store_step_done(st);
		sqlite3_reset(st);
		sum[0] += r->total;
		for (int b = 0; b < nb; b++)
			sum[1 + b] += r->bucket[b];
		sum[1 + nb] += r->unapplied;
		sum[2 + nb] += r->disputed;
	}
	sqlite3_exec(store_db(s), "RELEASE ui_aging", NULL, NULL, NULL);
	const char *base = o->base_currency ? o->base_currency : "EUR";
	totals_free(g);
	g->totals[0] = xstrdup("total");
	g->totals[1] = xasprintf("%d customers", n);
	for (int c = 0; c < nb + 3; c++)
		g->totals[2 + c] = grid_amount(sum[c], base);
}

static void aging_done(struct worker_job *job, struct ui *ui)
{
	struct aging_job *a = (struct aging_job *)job;
	if (ui != NULL && job->generation == ui->view_generation) {
		struct grid *g = a->grid;
		g->computing = false;
		free(g->error);
		g->error = NULL;
		if (a->status != DUN_OK) {
			g->error = a->cause;
			a->cause = NULL;
		} else {
			grid_store(g, &a->options, a->rows, a->nrows);
		}
		grid_columns(g);
		grid_sort(g);
		list_refresh(&g->list);
		ui->dirty |= UI_REDRAW;
	}
	aging_free(a->rows, a->nrows);
	free(a->cause);
	free(a);
}

static void grid_compute(struct grid *g)
{
	struct aging_job *a = xcalloc(1, sizeof *a);
	a->job.run = aging_run;
	a->job.done = aging_done;
	a->grid = g;
	a->options = g->ui->aging;
	a->options.by = AGING_BY_CUSTOMER;
	a->options.customer_id = 0;
	a->options.currency = NULL;
	g->computing = true;
	ui_job(g->ui, &a->job);
}

static void *grid_open(struct ui *ui)
{
	struct grid *g = xcalloc(1, sizeof *g);
	g->ui = ui;
	g->sort = 2;
	g->descending = true;
	sqlite3_exec(store_db(ui->store),
	    "CREATE TEMP TABLE IF NOT EXISTS ui_aging (customer_id INTEGER, code TEXT, name TEXT, currency TEXT, "
	    "total INTEGER, b0 INTEGER, b1 INTEGER, b2 INTEGER, b3 INTEGER, b4 INTEGER, b5 INTEGER, b6 INTEGER, "
	    "b7 INTEGER, b8 INTEGER, b9 INTEGER, unapplied INTEGER, disputed INTEGER);"
	    "CREATE TEMP TABLE IF NOT EXISTS ui_aging_order (rank INTEGER PRIMARY KEY, row_id INTEGER NOT NULL);",
	    NULL, NULL, NULL);
	grid_columns(g);
	list_init(&g->list, &g->source, ui->store, g);
	sqlite3_exec(store_db(ui->store), "DELETE FROM temp.ui_aging; DELETE FROM temp.ui_aging_order", NULL, NULL, NULL);
	list_reload(&g->list);
	grid_compute(g);
	return g;
}

static void grid_close(struct ui *ui, void *state)
{
	(void)ui;
	struct grid *g = state;
	list_free(&g->list);
	totals_free(g);
	free(g->error);
	free(g);
}

static void grid_draw(struct ui *ui, void *state, int y, int height, int width)
{
	struct grid *g = state;
	const char *basis = ui->aging.basis_invoice ? "days since issue" : "days past due";
	char *title = xasprintf("Aging by customer, %s, as of %s%s", basis, ui_as_of_text(ui), g->computing ? " (computing…)" : "");
	if (height < 4 || width < 4) {
		free(title);
		return;
	}
	list_set_height(&g->list, height - 4);
	char *full = g->list.count > 0 ? xasprintf("%s %lld/%lld", title, (long long)list_position(&g->list) + 1,
	    (long long)g->list.count) : xstrdup(title);
	screen_box(y, 0, height, width, full, true);
	free(full);
	free(title);
	if (g->error != NULL) {
		screen_text(y + 1, 1, width - 2, g->error, false, STYLE_ERROR);
		return;
	}
	g->list.empty = g->computing ? "computing…" : "nothing open";
	list_draw(&g->list, y + 1, 1, height - 3, width - 2, true);
	if (g->totals[0] != NULL)
		list_draw_cells(&g->list, y + height - 2, 1, width - 2, g->totals, STYLE_TITLE);
}

static int grid_key(struct ui *ui, void *state, int key)
{
	struct grid *g = state;
	switch (key) {
	case 's':
		g->sort = (g->sort + 1) % g->ncolumns;
		g->descending = g->sort >= 2;
		grid_sort(g);
		list_reload(&g->list);
		return UI_REDRAW;
	case 'S':
		g->descending = !g->descending;
		grid_sort(g);
		list_reload(&g->list);
		return UI_REDRAW;
	case 'h':
	case KEY_LEFT:
		list_scroll_columns(&g->list, -1);
		return UI_REDRAW;
	case 'l':
	case KEY_RIGHT:
		list_scroll_columns(&g->list, 1);
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER: {
		const struct list_row *row = list_selected(&g->list);
		if (row != NULL)
			ui_show_customer(ui, row->customer_id, row->cell[0]);
		return UI_REDRAW;
	}
	}
	return view_list_key(&g->list, key);
}

static void grid_changed(struct ui *ui, void *state)
{
	(void)ui;
	grid_compute((struct grid *)state);
}

static int grid_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	(void)x;
	list_select_visible(&((struct grid *)state)->list, y - 2);
	return UI_REDRAW;
}

static int64_t grid_customer(struct ui *ui, void *state)
{
	(void)ui;
	const struct list_row *row = list_selected(&((struct grid *)state)->list);
	return row ? row->customer_id : 0;
}

const struct view_ops view_aging = {
	.number = 3,
	.name = "aging",
	.title = "3 Aging",
	.help = "portfolio aging grid: customer x bucket, sortable, Enter drills in",
	.open = grid_open,
	.close = grid_close,
	.draw = grid_draw,
	.key = grid_key,
	.changed = grid_changed,
	.click = grid_click,
	.customer = grid_customer,
};
