/* View 1, the call list of the core's calllist module (the collector's of
 * [ui] collector when set). The ranking needs the whole ledger, so it is
 * built once per change into a temporary table keyed by rank, which the
 * list then pages by key: the pane holds only the rows on screen. */
#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "calllist.h"
#include "list.h"
#include "money.h"
#include "screen.h"
#include "status.h"
#include "view.h"
#include "worker.h"
#include "xalloc.h"

struct calllist {
	struct list list;
	struct ui *ui;
	bool ranking;            /* the worker is building the list */
};

static const struct list_column columns[] = {
	{"#", 5, 0, true},
	{"code", 9, 0, false},
	{"name", 12, 2, false},
	{"risk", 4, 0, false},
	{"overdue", 12, 0, true},
	{"why", 10, 4, false},
	{"phone", 17, 0, false},
};

#define SELECT_ROWS \
	"SELECT rank, customer_id, code, name, risk_class, overdue, exponent, reasons, phone, called_today " \
	"FROM temp.ui_calllist "

static void read_row(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	(void)l;
	row->key.num = sqlite3_column_int64(st, 0);
	row->customer_id = sqlite3_column_int64(st, 1);
	char amount[MONEY_TEXT_MAX];
	row->cell[0] = list_cell("%lld", (long long)row->key.num);
	row->cell[1] = xstrdup(store_column_text(st, 2));
	row->cell[2] = xstrdup(store_column_text(st, 3));
	row->cell[3] = xstrdup(store_column_text(st, 4));
	row->cell[4] = xstrdup(money_format_grouped(sqlite3_column_int64(st, 5), sqlite3_column_int(st, 6), ',', '.', amount));
	row->cell[5] = xstrdup(store_column_text(st, 7));
	row->cell[6] = xstrdup(store_column_text(st, 8));
	row->style = sqlite3_column_int(st, 9) ? STYLE_DIM : STYLE_NORMAL;
}

static const struct list_source source = {
	.columns = columns,
	.ncolumns = sizeof columns / sizeof columns[0],
	.sql_from = SELECT_ROWS "WHERE rank >= ?1 ORDER BY rank LIMIT ?9",
	.sql_after = SELECT_ROWS "WHERE rank > ?1 ORDER BY rank LIMIT ?9",
	.sql_before = SELECT_ROWS "WHERE rank < ?1 ORDER BY rank DESC LIMIT ?9",
	.sql_count = "SELECT coalesce(max(rank), 0) FROM temp.ui_calllist",
	.sql_position = "SELECT ?1 - 1",
	.bind = list_bind_int_first,
	.read = read_row,
};

/* The ranking runs on the worker (calllist_build reads the whole ledger);
 * its rows come back here and go into temp.ui_calllist in rank order. */
struct rank_job {
	struct worker_job job;
	struct calllist *cl;
	const struct config *config;
	struct calllist_options options;
	struct calllist_row *rows;
	int nrows;
	int status;
	char *cause;
};

static void rank_run(struct worker_job *job, struct store *s)
{
	struct rank_job *r = (struct rank_job *)job;
	r->status = s ? calllist_build(s, r->config, &r->options, &r->rows, &r->nrows, &r->cause) : DUN_EDB;
}

static void rank_store(struct calllist *cl, const struct calllist_row *rows, int n)
{
	static const char *const sql_clear = "DELETE FROM temp.ui_calllist";
	static const char *const sql_insert =
	    "INSERT INTO temp.ui_calllist(rank, customer_id, code, name, risk_class, overdue, exponent, reasons, phone, "
	    "called_today) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	struct store *s = cl->ui->store;
	sqlite3_exec(store_db(s), "SAVEPOINT ui_calllist", NULL, NULL, NULL);
	store_step_done(store_stmt(s, sql_clear));
	for (int i = 0; i < n; i++) {
		const struct calllist_row *r = &rows[i];
		sqlite3_stmt *st = store_stmt(s, sql_insert);
		sqlite3_bind_int(st, 1, r->rank);
		sqlite3_bind_int64(st, 2, r->customer_id);
		store_bind_text(st, 3, r->code);
		store_bind_text(st, 4, r->name);
		store_bind_text(st, 5, r->risk_class);
		sqlite3_bind_int64(st, 6, r->overdue);
		sqlite3_bind_int(st, 7, r->exponent);
		store_bind_text(st, 8, r->reasons);
		store_bind_text(st, 9, r->phone);
		sqlite3_bind_int(st, 10, r->called_today);
		store_step_done(st);
		sqlite3_reset(st);
	}
	sqlite3_exec(store_db(s), "RELEASE ui_calllist", NULL, NULL, NULL);
}

static void rank_done(struct worker_job *job, struct ui *ui)
{
	struct rank_job *r = (struct rank_job *)job;
	if (ui != NULL && job->generation == ui->view_generation) {
		struct calllist *cl = r->cl;
		cl->ranking = false;
		free(cl->list.error);
		cl->list.error = NULL;
		if (r->status != DUN_OK) {
			cl->list.error = r->cause;
			r->cause = NULL;
		} else {
			rank_store(cl, r->rows, r->nrows);
		}
		list_refresh(&cl->list);
		ui->dirty |= UI_REDRAW;
	}
	calllist_free(r->rows, r->nrows);
	free(r->cause);
	free(r);
}

static void rank(struct calllist *cl)
{
	struct ui *ui = cl->ui;
	const char *who = ui->ctx->config.ui_collector;
	struct rank_job *r = xcalloc(1, sizeof *r);
	r->job.run = rank_run;
	r->job.done = rank_done;
	r->cl = cl;
	r->config = &ui->ctx->config;
	r->options = (struct calllist_options){.today = ui->aging.as_of, .collector = who && *who ? who : NULL};
	cl->ranking = true;
	ui_job(ui, &r->job);
}

static void *calllist_open(struct ui *ui)
{
	struct calllist *cl = xcalloc(1, sizeof *cl);
	cl->ui = ui;
	sqlite3_exec(store_db(ui->store),
	    "CREATE TEMP TABLE IF NOT EXISTS ui_calllist (rank INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
	    "code TEXT, name TEXT, risk_class TEXT, overdue INTEGER, exponent INTEGER, reasons TEXT, phone TEXT, "
	    "called_today INTEGER)", NULL, NULL, NULL);
	list_init(&cl->list, &source, ui->store, cl);
	sqlite3_exec(store_db(ui->store), "DELETE FROM temp.ui_calllist", NULL, NULL, NULL);
	list_reload(&cl->list);
	rank(cl);
	return cl;
}

static void calllist_close(struct ui *ui, void *state)
{
	(void)ui;
	struct calllist *cl = state;
	list_free(&cl->list);
	free(cl);
}

static void calllist_draw(struct ui *ui, void *state, int y, int height, int width)
{
	struct calllist *cl = state;
	const char *who = ui->ctx->config.ui_collector;
	char *title = xasprintf("Call list — %s%s", who && *who ? who : "everyone", cl->ranking ? " (ranking…)" : "");
	cl->list.empty = cl->ranking ? "ranking the ledger…" : "nobody to call today";
	view_draw_list(ui, &cl->list, title, y, 0, height, width, true);
	free(title);
}

static int calllist_key(struct ui *ui, void *state, int key)
{
	struct calllist *cl = state;
	if (key == '\r' || key == '\n' || key == KEY_ENTER || key == 'l' || key == KEY_RIGHT) {
		const struct list_row *row = list_selected(&cl->list);
		if (row != NULL)
			ui_show_customer(ui, row->customer_id, row->cell[1]);
		return UI_REDRAW;
	}
	return view_list_key(&cl->list, key);
}

static void calllist_refresh(struct ui *ui, void *state)
{
	(void)ui;
	rank((struct calllist *)state);
}

static int calllist_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	(void)x;
	struct calllist *cl = state;
	list_select_visible(&cl->list, y - 2);
	return UI_REDRAW;
}

static int64_t calllist_customer(struct ui *ui, void *state)
{
	(void)ui;
	const struct list_row *row = list_selected(&((struct calllist *)state)->list);
	return row ? row->customer_id : 0;
}

/* The key of a customer's row (its rank); false when not listed. */
static bool rank_of(struct ui *ui, int64_t customer_id, struct list_key *key)
{
	static const char *const sql = "SELECT rank FROM temp.ui_calllist WHERE customer_id = ?1";
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, customer_id);
	*key = (struct list_key){0};
	bool found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		key->num = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return found;
}

static bool calllist_show_customer(struct ui *ui, void *state, int64_t customer_id, const char *code)
{
	(void)code;
	struct calllist *cl = state;
	struct list_key key;
	bool found = rank_of(ui, customer_id, &key);
	if (found)
		list_seek(&cl->list, &key);
	return found;
}

/* '/' walks the list in rank order, as it shows: a match just below the
 * selection comes before one far down in code order. */
static struct list *calllist_search_list(struct ui *ui, void *state, int64_t customer_id, struct list_key *key)
{
	struct calllist *cl = state;
	if (key != NULL && !rank_of(ui, customer_id, key))
		*key = (struct list_key){.edge = -1};
	return &cl->list;
}

const struct view_ops view_calllist = {
	.number = 1,
	.name = "calllist",
	.title = "1 Call list",
	.help = "customers to call today by priority: overdue weighted by risk, promises and call steps due",
	.open = calllist_open,
	.close = calllist_close,
	.draw = calllist_draw,
	.key = calllist_key,
	.changed = calllist_refresh,
	.click = calllist_click,
	.customer = calllist_customer,
	.show_customer = calllist_show_customer,
	.search_list = calllist_search_list,
};
