/* View 7, the cash forecast of the core's forecast module: expected
 * receipts per week for the next 13 weeks in the base currency, with
 * disputed and escalated amounts apart (they are not expected cash), the
 * amount expected later, and totals. The forecast reads every open
 * invoice, so it runs on the worker; its weeks come back into a temporary
 * table that the pane pages by key like every list. */
#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include "config.h"
#include "forecast.h"
#include "list.h"
#include "money.h"
#include "screen.h"
#include "status.h"
#include "view.h"
#include "worker.h"
#include "xalloc.h"

#define FORECAST_WEEKS 13

struct forecast_view {
	struct ui *ui;
	struct list list;
	bool computing;
	char *totals[LIST_MAX_COLUMNS];  /* the total row, NULL before the first result */
};

static const struct list_column columns[] = {
	{"week", 4, 0, true},
	{"from", 10, 0, false},
	{"to", 10, 0, false},
	{"expected", 14, 1, true},
	{"disputed", 13, 1, true},
	{"escalated", 13, 1, true},
};

#define SELECT_WEEKS "SELECT week, first, last, expected, disputed, escalated, currency FROM temp.ui_forecast "

static void read_row(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	(void)l;
	row->key.num = sqlite3_column_int64(st, 0);
	const char *currency = store_column_text(st, 6);
	row->cell[0] = row->key.num > FORECAST_WEEKS ? xstrdup("") : list_cell("%lld", (long long)row->key.num);
	row->cell[1] = xstrdup(store_column_text(st, 1));
	row->cell[2] = xstrdup(store_column_text(st, 2));
	for (int i = 3; i < 6; i++)
		row->cell[i] = list_cell_money(sqlite3_column_int64(st, i), currency);
	row->style = row->key.num > FORECAST_WEEKS ? STYLE_DIM : STYLE_NORMAL;
}

static const struct list_source source = {
	.columns = columns,
	.ncolumns = sizeof columns / sizeof columns[0],
	.sql_from = SELECT_WEEKS "WHERE week >= ?1 ORDER BY week LIMIT ?9",
	.sql_after = SELECT_WEEKS "WHERE week > ?1 ORDER BY week LIMIT ?9",
	.sql_before = SELECT_WEEKS "WHERE week < ?1 ORDER BY week DESC LIMIT ?9",
	.sql_count = "SELECT count(*) FROM temp.ui_forecast",
	.sql_position = "SELECT ?1 - 1",
	.bind = list_bind_int_first,
	.read = read_row,
};

struct forecast_job {
	struct worker_job job;
	struct forecast_view *fv;
	day_t today, from;
	const char *base_currency;
	struct forecast forecast;
	int status;
	char *cause;
};

static void forecast_run(struct worker_job *job, struct store *s)
{
	struct forecast_job *j = (struct forecast_job *)job;
	j->status = s ? forecast_compute(s, j->today, j->from, FORECAST_WEEKS, false, j->base_currency, &j->forecast, &j->cause)
	              : DUN_EDB;
}

static void totals_free(struct forecast_view *fv)
{
	for (int i = 0; i < LIST_MAX_COLUMNS; i++) {
		free(fv->totals[i]);
		fv->totals[i] = NULL;
	}
}

/* The weeks, then the amount expected after them as a last row. */
static void forecast_store(struct forecast_view *fv, const struct forecast *f)
{
	static const char *const sql_insert =
	    "INSERT INTO temp.ui_forecast(week, first, last, expected, disputed, escalated, currency) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	struct store *s = fv->ui->store;
	money_t total[3] = {f->later, 0, 0};
	sqlite3_exec(store_db(s), "SAVEPOINT ui_forecast; DELETE FROM temp.ui_forecast", NULL, NULL, NULL);
	for (int k = 0; k <= f->nweeks; k++) {
		const struct forecast_week *w = k < f->nweeks ? &f->week[k] : NULL;
		sqlite3_stmt *st = store_stmt(s, sql_insert);
		sqlite3_bind_int(st, 1, k + 1);
		if (w != NULL) {
			store_bind_date(st, 2, w->first);
			store_bind_date(st, 3, w->last);
			sqlite3_bind_int64(st, 4, w->expected);
			sqlite3_bind_int64(st, 5, w->disputed);
			sqlite3_bind_int64(st, 6, w->escalated);
			total[0] += w->expected;
			total[1] += w->disputed;
			total[2] += w->escalated;
		} else {
			store_bind_text(st, 2, "later");
			store_bind_text(st, 3, "");
			sqlite3_bind_int64(st, 4, f->later);
			sqlite3_bind_int64(st, 5, 0);
			sqlite3_bind_int64(st, 6, 0);
		}
		store_bind_text(st, 7, f->currency);
		store_step_done(st);
		sqlite3_reset(st);
	}
	sqlite3_exec(store_db(s), "RELEASE ui_forecast", NULL, NULL, NULL);
	totals_free(fv);
	fv->totals[0] = xstrdup("");
	fv->totals[1] = xstrdup("total");
	fv->totals[2] = xstrdup("");
	for (int i = 0; i < 3; i++)
		fv->totals[3 + i] = list_cell_money(total[i], f->currency);
}

static void forecast_done(struct worker_job *job, struct ui *ui)
{
	struct forecast_job *j = (struct forecast_job *)job;
	if (ui != NULL && job->generation == ui->view_generation) {
		struct forecast_view *fv = j->fv;
		fv->computing = false;
		free(fv->list.error);
		fv->list.error = NULL;
		if (j->status != DUN_OK) {
			fv->list.error = j->cause;
			j->cause = NULL;
		} else {
			forecast_store(fv, &j->forecast);
		}
		list_refresh(&fv->list);
		ui->dirty |= UI_REDRAW;
	}
	if (j->status == DUN_OK)
		forecast_free(&j->forecast);
	free(j->cause);
	free(j);
}

static void forecast_start(struct forecast_view *fv)
{
	struct ui *ui = fv->ui;
	struct forecast_job *j = xcalloc(1, sizeof *j);
	j->job.run = forecast_run;
	j->job.done = forecast_done;
	j->fv = fv;
	j->today = ui->ctx->today;
	j->from = ui->aging.as_of;
	j->base_currency = ui->ctx->config.base_currency;
	fv->computing = true;
	ui_job(ui, &j->job);
}

static void *forecast_open(struct ui *ui)
{
	struct forecast_view *fv = xcalloc(1, sizeof *fv);
	fv->ui = ui;
	sqlite3_exec(store_db(ui->store),
	    "CREATE TEMP TABLE IF NOT EXISTS ui_forecast (week INTEGER PRIMARY KEY, first TEXT, last TEXT, "
	    "expected INTEGER, disputed INTEGER, escalated INTEGER, currency TEXT); DELETE FROM temp.ui_forecast",
	    NULL, NULL, NULL);
	list_init(&fv->list, &source, ui->store, fv);
	list_reload(&fv->list);
	forecast_start(fv);
	return fv;
}

static void forecast_close(struct ui *ui, void *state)
{
	(void)ui;
	struct forecast_view *fv = state;
	list_free(&fv->list);
	totals_free(fv);
	free(fv);
}

static void forecast_draw(struct ui *ui, void *state, int y, int height, int width)
{
	struct forecast_view *fv = state;
	if (height < 4 || width < 4)
		return;
	char *title = xasprintf("Cash forecast, %d weeks from %s, disputed and escalated apart%s", FORECAST_WEEKS,
	    ui_as_of_text(ui), fv->computing ? " (computing…)" : "");
	list_set_height(&fv->list, height - 4);
	char *full = fv->list.count > 0 ? xasprintf("%s %lld/%lld", title, (long long)list_position(&fv->list) + 1,
	    (long long)fv->list.count) : xstrdup(title);
	screen_box(y, 0, height, width, full, true);
	free(full);
	free(title);
	fv->list.empty = fv->computing ? "computing…" : "nothing expected";
	list_draw(&fv->list, y + 1, 1, height - 3, width - 2, true);
	if (fv->totals[0] != NULL && fv->list.error == NULL)
		list_draw_cells(&fv->list, y + height - 2, 1, width - 2, fv->totals, STYLE_TITLE);
}

static int forecast_key(struct ui *ui, void *state, int key)
{
	(void)ui;
	return view_list_key(&((struct forecast_view *)state)->list, key);
}

static void forecast_changed(struct ui *ui, void *state)
{
	(void)ui;
	forecast_start((struct forecast_view *)state);
}

static int forecast_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	(void)x;
	list_select_visible(&((struct forecast_view *)state)->list, y - 2);
	return UI_REDRAW;
}

const struct view_ops view_forecast = {
	.number = 7,
	.name = "forecast",
	.title = "7 Forecast",
	.help = "expected receipts per week for 13 weeks, disputed and escalated amounts apart",
	.open = forecast_open,
	.close = forecast_close,
	.draw = forecast_draw,
	.key = forecast_key,
	.changed = forecast_changed,
	.click = forecast_click,
};
