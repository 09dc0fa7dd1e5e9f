/* View 5, the outbox and the dunning plan. The top pane is what dunning
 * will do as of today and each of the next 7 days (the core's plan, one
 * row per customer action, at the first date it falls due), by date and
 * channel; the bottom pane is the outbox's messages. Enter previews a
 * message, h holds or releases a queued one, z snoozes the selected
 * customer's dunning: each one call into the core, one transaction.
 * Eight plans read the whole ledger, so they run on the worker and come
 * back into a temporary table that the pane pages by key. */
#include <curses.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "dunning.h"
#include "form.h"
#include "list.h"
#include "money.h"
#include "outbox.h"
#include "screen.h"
#include "status.h"
#include "view.h"
#include "worker.h"
#include "xalloc.h"

#define PLAN_DAYS 8   /* today and the next 7 days */

struct outbox_view {
	struct ui *ui;
	struct list plan, messages;
	bool focus_messages;
	bool planning;           /* the worker is computing the plan */
	bool replan;             /* the ledger changed meanwhile: plan again after it */
};

static const struct list_column plan_columns[] = {
	{"date", 10, 0, false},
	{"channel", 8, 0, false},
	{"customer", 8, 0, false},
	{"name", 10, 2, false},
	{"step", 10, 0, false},
	{"template", 13, 1, false},
	{"amount", 12, 0, true},
};

#define SELECT_PLAN \
	"SELECT rank, customer_id, date, channel, code, name, step, template, amount, currency FROM temp.ui_plan "

static void plan_read(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	(void)l;
	row->key.num = sqlite3_column_int64(st, 0);
	row->customer_id = sqlite3_column_int64(st, 1);
	for (int i = 0; i < 6; i++)
		row->cell[i] = xstrdup(store_column_text(st, i + 2));
	row->cell[6] = list_cell_money(sqlite3_column_int64(st, 8), store_column_text(st, 9));
}

static const struct list_source plan_source = {
	.columns = plan_columns,
	.ncolumns = sizeof plan_columns / sizeof plan_columns[0],
	.sql_from = SELECT_PLAN "WHERE rank >= ?1 ORDER BY rank LIMIT ?9",
	.sql_after = SELECT_PLAN "WHERE rank > ?1 ORDER BY rank LIMIT ?9",
	.sql_before = SELECT_PLAN "WHERE rank < ?1 ORDER BY rank DESC LIMIT ?9",
	.sql_count = "SELECT coalesce(max(rank), 0) FROM temp.ui_plan",
	.sql_position = "SELECT ?1 - 1",
	.bind = list_bind_int_first,
	.read = plan_read,
};

static const struct list_column message_columns[] = {
	{"#", 4, 0, true},
	{"date", 10, 0, false},
	{"customer", 8, 0, false},
	{"channel", 7, 0, false},
	{"template", 13, 0, false},
	{"state", 7, 0, false},
	{"subject", 12, 2, false},
	{"recipient", 10, 1, false},
	{"error", 6, 1, false},
};

#define SELECT_MESSAGES \
	"SELECT o.id, o.customer_id, o.date, c.code, o.channel, o.template, o.state, o.subject, o.recipient, o.error " \
	"FROM outbox o JOIN customer c ON c.id = o.customer_id "

static void message_read(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	(void)l;
	row->key.num = row->id = sqlite3_column_int64(st, 0);
	row->customer_id = sqlite3_column_int64(st, 1);
	row->cell[0] = list_cell("%lld", (long long)row->id);
	for (int i = 1; i < 9; i++)
		row->cell[i] = xstrdup(store_column_text(st, i + 1));
	const char *state = store_column_text(st, 6);
	row->style = strcmp(state, "sent") == 0 ? STYLE_DIM : *store_column_text(st, 9) != '\0' ? STYLE_ERROR : STYLE_NORMAL;
}

static const struct list_source message_source = {
	.columns = message_columns,
	.ncolumns = sizeof message_columns / sizeof message_columns[0],
	.frozen = 3,
	.sql_from = SELECT_MESSAGES "WHERE o.id >= ?1 ORDER BY o.id LIMIT ?9",
	.sql_after = SELECT_MESSAGES "WHERE o.id > ?1 ORDER BY o.id LIMIT ?9",
	.sql_before = SELECT_MESSAGES "WHERE o.id < ?1 ORDER BY o.id DESC LIMIT ?9",
	.sql_count = "SELECT count(*) FROM outbox",
	.sql_position = "SELECT count(*) FROM outbox WHERE id < ?1",
	.bind = list_bind_int_first,
	.read = message_read,
};

/* One customer action of the plan, at the first date it falls due. */
struct plan_item {
	day_t date;
	int64_t customer_id;
	char *code, *name, *step, *template;
	const char *channel;     /* a static name */
	money_t amount;
	char currency[4];
};

struct plan_job {
	struct worker_job job;
	struct outbox_view *ov;
	const struct config *config;
	day_t from;
	struct plan_item *items;
	int nitems;
	int status;
	char *cause;
};

static void items_free(struct plan_item *items, int n)
{
	for (int i = 0; i < n; i++) {
		free(items[i].code);
		free(items[i].name);
		free(items[i].step);
		free(items[i].template);
	}
	free(items);
}

/* The same step of the same customer, earliest first: an action not taken
 * stays due on every later day, and only its first date is news. */
static int compare_action(const void *a, const void *b)
{
	const struct plan_item *x = a, *y = b;
	if (x->customer_id != y->customer_id)
		return x->customer_id < y->customer_id ? -1 : 1;
	int c = strcmp(x->step, y->step);
	if (c != 0)
		return c;
	return (x->date > y->date) - (x->date < y->date);
}

static int compare_shown(const void *a, const void *b)
{
	const struct plan_item *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	int c = strcmp(x->channel, y->channel);
	return c != 0 ? c : strcmp(x->code, y->code);
}

static void plan_run(struct worker_job *job, struct store *s)
{
	struct plan_job *p = (struct plan_job *)job;
	if (s == NULL) {
		p->status = DUN_EDB;
		return;
	}
	int cap = 0;
	for (int d = 0; d < PLAN_DAYS; d++) {
		struct dunning_plan plan;
		p->status = dunning_plan_compute(s, p->config, p->from + d, 0, &plan, &p->cause);
		if (p->status != DUN_OK)
			return;
		for (int i = 0; i < plan.nactions; i++) {
			const struct dunning_action *a = &plan.actions[i];
			if (p->nitems == cap) {
				cap = cap ? 2 * cap : 64;
				p->items = xreallocarray(p->items, cap, sizeof *p->items);
			}
			struct plan_item *it = &p->items[p->nitems++];
			*it = (struct plan_item){
				.date = p->from + d,
				.customer_id = a->customer_id,
				.code = xstrdup(a->code),
				.name = xstrdup(a->name),
				.channel = scenario_channel_name(a->step->channel),
				.step = xasprintf("%s %d", a->scenario->code, a->step->position),
				.template = xstrdup(a->step->name),
				.amount = a->overdue,
			};
			memcpy(it->currency, a->currency, sizeof it->currency);
		}
		dunning_plan_free(&plan);
	}
	if (p->nitems == 0)
		return;
	qsort(p->items, p->nitems, sizeof *p->items, compare_action);
	int kept = 1;
	for (int i = 1; i < p->nitems; i++) {
		struct plan_item *prev = &p->items[kept - 1], *it = &p->items[i];
		if (it->customer_id == prev->customer_id && strcmp(it->step, prev->step) == 0) {
			free(it->code);
			free(it->name);
			free(it->step);
			free(it->template);
			continue;
		}
		p->items[kept++] = *it;
	}
	p->nitems = kept;
	qsort(p->items, p->nitems, sizeof *p->items, compare_shown);
}

static void plan_store(struct outbox_view *ov, const struct plan_item *items, int n)
{
	static const char *const sql_clear = "DELETE FROM temp.ui_plan";
	static const char *const sql_insert =
	    "INSERT INTO temp.ui_plan(rank, customer_id, date, channel, code, name, step, template, amount, currency) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	struct store *s = ov->ui->store;
	sqlite3_exec(store_db(s), "SAVEPOINT ui_plan", NULL, NULL, NULL);
	store_step_done(store_stmt(s, sql_clear));
	for (int i = 0; i < n; i++) {
		const struct plan_item *it = &items[i];
		sqlite3_stmt *st = store_stmt(s, sql_insert);
		sqlite3_bind_int(st, 1, i + 1);
		sqlite3_bind_int64(st, 2, it->customer_id);
		store_bind_date(st, 3, it->date);
		store_bind_text(st, 4, it->channel);
		store_bind_text(st, 5, it->code);
		store_bind_text(st, 6, it->name);
		store_bind_text(st, 7, it->step);
		store_bind_text(st, 8, it->template);
		sqlite3_bind_int64(st, 9, it->amount);
		store_bind_text(st, 10, it->currency);
		store_step_done(st);
		sqlite3_reset(st);
	}
	sqlite3_exec(store_db(s), "RELEASE ui_plan", NULL, NULL, NULL);
}

static void plan_compute(struct outbox_view *ov);

static void plan_done(struct worker_job *job, struct ui *ui)
{
	struct plan_job *p = (struct plan_job *)job;
	if (ui != NULL && job->generation == ui->view_generation) {
		struct outbox_view *ov = p->ov;
		ov->planning = false;
		free(ov->plan.error);
		ov->plan.error = NULL;
		if (p->status != DUN_OK) {
			ov->plan.error = p->cause;
			p->cause = NULL;
		} else {
			plan_store(ov, p->items, p->nitems);
		}
		list_refresh(&ov->plan);
		ui->dirty |= UI_REDRAW;
		if (ov->replan) {
			ov->replan = false;
			plan_compute(ov);
		}
	}
	items_free(p->items, p->nitems);
	free(p->cause);
	free(p);
}

static void plan_compute(struct outbox_view *ov)
{
	struct plan_job *p = xcalloc(1, sizeof *p);
	p->job.run = plan_run;
	p->job.done = plan_done;
	p->ov = ov;
	p->config = &ov->ui->ctx->config;
	p->from = ov->ui->aging.as_of;
	ov->planning = true;
	ui_job(ov->ui, &p->job);
}

static void *outbox_open(struct ui *ui)
{
	struct outbox_view *ov = xcalloc(1, sizeof *ov);
	ov->ui = ui;
	sqlite3_exec(store_db(ui->store),
	    "CREATE TEMP TABLE IF NOT EXISTS ui_plan (rank INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, "
	    "date TEXT, channel TEXT, code TEXT, name TEXT, step TEXT, template TEXT, amount INTEGER, currency TEXT); "
	    "DELETE FROM temp.ui_plan", NULL, NULL, NULL);
	list_init(&ov->plan, &plan_source, ui->store, ov);
	list_init(&ov->messages, &message_source, ui->store, ov);
	list_reload(&ov->plan);
	list_reload(&ov->messages);
	plan_compute(ov);
	return ov;
}

static void outbox_close(struct ui *ui, void *state)
{
	(void)ui;
	struct outbox_view *ov = state;
	list_free(&ov->plan);
	list_free(&ov->messages);
	free(ov);
}

static void outbox_draw(struct ui *ui, void *state, int y, int height, int width)
{
	struct outbox_view *ov = state;
	int top = height / 2;
	char *title = xasprintf("Dunning plan, %s and 7 days%s", ui_as_of_text(ui), ov->planning ? " (planning…)" : "");
	ov->plan.empty = ov->planning ? "planning…" : "nothing due in the next 7 days";
	ov->messages.empty = "the outbox is empty";
	view_draw_list(ui, &ov->plan, title, y, 0, top, width, !ov->focus_messages);
	view_draw_list(ui, &ov->messages, "Outbox", y + top, 0, height - top, width, ov->focus_messages);
	free(title);
}

/* Enter: the message as stored (subject and body) in the pager. */
static int preview(struct ui *ui, const struct list_row *row)
{
	static const char *const sql = "SELECT subject, body, recipient, state FROM outbox WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, row->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char *title = xasprintf("message %lld to %s (%s)", (long long)row->id, row->cell[2], store_column_text(st, 3));
		char *text = xasprintf("To: %s\nSubject: %s\n\n%s", store_column_text(st, 2), store_column_text(st, 0),
		    store_column_text(st, 1));
		sqlite3_reset(st);
		ui_pager(ui, title, text);
		free(title);
		free(text);
	} else {
		sqlite3_reset(st);
	}
	return UI_REDRAW;
}

/* h: holds a queued message, releases a held one. */
static int hold(struct ui *ui, const struct list_row *row)
{
	bool held = strcmp(row->cell[5], "held") == 0;
	char *cause = NULL;
	if (outbox_hold(ui->store, row->id, !held, &cause) != DUN_OK) {
		ui_message(ui, true, "%s", cause ? cause : "not changed");
		free(cause);
		return UI_REDRAW;
	}
	ui_message(ui, false, "message %lld %s", (long long)row->id, held ? "released" : "held");
	ui_changed(ui);
	return UI_REDRAW;
}

struct snooze {
	struct ui *ui;
	char code[64];
};

static const char *check_until(struct form *f, int field, const char *text)
{
	struct snooze *sn = f->data;
	const char *why = form_check_date(f, field, text);
	day_t d;
	if (why != NULL)
		return why;
	date_parse_iso(text, &d);
	return d < sn->ui->ctx->today ? "a snooze ends today or later" : NULL;
}

static int submit_snooze(struct ui *ui, struct form *f)
{
	struct snooze *sn = f->data;
	day_t until;
	date_parse_iso(form_value(f, 0), &until);
	char *cause = NULL;
	int rc = dunning_snooze(ui->store, sn->code, until, form_value(f, 1), ui->ctx->today, &cause);
	if (rc != DUN_OK) {
		snprintf(f->why, sizeof f->why, "%s", cause ? cause : "not saved");
		free(cause);
		return rc;
	}
	ui_changed(ui);
	ui_message(ui, false, "%s: dunning snoozed until %s", sn->code, form_value(f, 0));
	return DUN_OK;
}

/* z: snoozes the selected customer's dunning to a date, with a reason. */
static int snooze(struct ui *ui, const struct list_row *row)
{
	struct snooze *sn = xcalloc(1, sizeof *sn);
	sn->ui = ui;
	snprintf(sn->code, sizeof sn->code, "%s", row->cell[2]);
	char *title = xasprintf("Snooze dunning of %s", sn->code);
	struct form *f = form_new(title, submit_snooze, sn);
	free(title);
	char date[DATE_TEXT_MAX];
	form_add(f, "until", date_format_iso(ui->ctx->today + 7, date), check_until, NULL);
	form_add(f, "reason", "", form_check_required, NULL);
	form_open(ui, f);
	return UI_REDRAW;
}

static int outbox_key(struct ui *ui, void *state, int key)
{
	struct outbox_view *ov = state;
	struct list *l = ov->focus_messages ? &ov->messages : &ov->plan;
	const struct list_row *row = list_selected(l);
	switch (key) {
	case '\t':
	case KEY_BTAB:
		ov->focus_messages = !ov->focus_messages;
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (row == NULL)
			return UI_HANDLED;
		if (ov->focus_messages)
			return preview(ui, row);
		ui_show_customer(ui, row->customer_id, row->cell[2]);
		return UI_REDRAW;
	case 'h':
		if (!ov->focus_messages || row == NULL) {
			ui_message(ui, true, "select a message in the outbox (Tab) to hold or release it");
			return UI_REDRAW;
		}
		return hold(ui, row);
	case 'z':
		if (row == NULL) {
			ui_message(ui, true, "select a customer first");
			return UI_REDRAW;
		}
		return snooze(ui, row);
	default:
		return view_list_key(l, key);
	}
}

static void outbox_changed(struct ui *ui, void *state)
{
	(void)ui;
	struct outbox_view *ov = state;
	list_refresh(&ov->messages);
	/* Eight plans of a large ledger take seconds: changes made while
	 * they run are folded into one more. */
	if (ov->planning)
		ov->replan = true;
	else
		plan_compute(ov);
}

static int outbox_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	(void)x;
	struct outbox_view *ov = state;
	/* the panes as outbox_draw lays them out from row 0 */
	int top = (LINES - 1) / 2;
	ov->focus_messages = y >= top;
	if (ov->focus_messages)
		list_select_visible(&ov->messages, y - top - 2);
	else
		list_select_visible(&ov->plan, y - 2);
	return UI_REDRAW;
}

static int64_t outbox_customer(struct ui *ui, void *state)
{
	(void)ui;
	struct outbox_view *ov = state;
	const struct list_row *row = list_selected(ov->focus_messages ? &ov->messages : &ov->plan);
	return row ? row->customer_id : 0;
}

const struct view_ops view_outbox = {
	.number = 5,
	.name = "outbox",
	.title = "5 Outbox",
	.help = "dunning plan for today and 7 days, and the outbox: Enter previews, h holds/releases, z snoozes",
	.open = outbox_open,
	.close = outbox_close,
	.draw = outbox_draw,
	.key = outbox_key,
	.changed = outbox_changed,
	.click = outbox_click,
	.customer = outbox_customer,
};
