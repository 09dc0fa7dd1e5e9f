/* View 2, customers: the four panes of SPEC §11. The customer selected in
 * the first pane (narrowed by the customer filter, ui->filter) drives the
 * other three: its aging, its invoices (open items, or all with o) and its
 * activity, newest first. Enter on an invoice turns the third pane into
 * that invoice's detail (invoice.h) until Enter, q or Esc. */
#include <curses.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "aging.h"
#include "invoice.h"
#include "list.h"
#include "money.h"
#include "pager.h"
#include "screen.h"
#include "status.h"
#include "text.h"
#include "view.h"
#include "worker.h"
#include "xalloc.h"

enum pane { PANE_CUSTOMERS, PANE_AGING, PANE_INVOICES, PANE_ACTIVITY, PANE_COUNT };

struct customers {
	struct ui *ui;
	struct list customers, invoices, activity;
	enum pane focus;
	int64_t shown;              /* the customer the other panes show */
	bool all_invoices;          /* o: paid invoices too */
	bool portfolio;             /* Enter on the aging pane: the whole ledger's aging */
	struct aging_row *aging;    /* the shown customer's aging, one row */
	int naging;
	char *aging_error;
	int64_t aging_customer;     /* whose aging cv->aging holds */
	bool wide;                  /* the customers pane has room for the payer profile */
	bool invoices_narrow;       /* the invoices pane shows the status as a mark */
	int64_t detail_id;          /* the invoice the third pane details, 0: the list */
	char *detail_number;
	struct text_view detail;
	int detail_height;          /* lines the detail shows, for paging */
	int box_y[PANE_COUNT], box_x[PANE_COUNT], box_h[PANE_COUNT], box_w[PANE_COUNT];
};

/* ---- customers pane: keyset on code ---- */

/* The risk column names the payer profile too ("E risky") when the pane
 * is this wide inside; narrower, the class alone leaves the name room. */
#define CUSTOMERS_WIDE 60
#define FILTER_NOTHING "no customer passes; :filter clears it"

static const struct list_column customer_columns[] = {
	{"code", 8, 0, false},
	{"name", 10, 4, false},
	{"risk", 4, 0, false},
	{"overdue", 12, 1, true},
};

static const struct list_column customer_columns_wide[] = {
	{"code", 8, 0, false},
	{"name", 10, 4, false},
	{"risk", 15, 0, false},
	{"overdue", 12, 1, true},
};

#define SELECT_CUSTOMERS \
	"SELECT c.code, c.id, c.name, coalesce(r.class, ''), " \
	"(SELECT coalesce(sum(i.open_amount), 0) FROM invoice i WHERE i.customer_id = c.id AND i.open_amount <> 0 " \
	"AND i.due_date < ?2 AND i.kind = 'invoice' AND i.currency = c.currency), c.currency, coalesce(r.profile, ''), " \
	"c.on_hold FROM customer c LEFT JOIN risk r ON r.customer_id = c.id "

/* The filter's terms, each NULL (or 0) when not given: ?3 profile,
 * ?4 class, ?5 collector, ?6 segment, ?7 overdue, ?8 pattern. The scan
 * stays in code order (keyset), each row tested on its way. */
#define CUSTOMER_FILTER \
	"(?3 IS NULL OR r.profile = ?3) AND (?4 IS NULL OR r.class = ?4) " \
	"AND (?5 IS NULL OR c.collector = ?5) AND (?6 IS NULL OR c.segment = ?6) " \
	"AND (?7 = 0 OR EXISTS (SELECT 1 FROM invoice i WHERE i.customer_id = c.id AND i.open_amount <> 0 " \
	"AND i.open_amount > 0 AND i.due_date < ?2 AND i.kind = 'invoice' AND i.currency = c.currency)) " \
	"AND (?8 IS NULL OR c.code REGEXP ?8 OR c.name REGEXP ?8) "

static void customers_bind(struct list *l, sqlite3_stmt *st, const struct list_key *key)
{
	struct customers *cv = l->data;
	const struct customer_filter *f = &cv->ui->filter;
	list_bind_text_key(st, 1, key);
	store_bind_date(st, 2, cv->ui->aging.as_of);
	store_bind_text(st, 3, f->profile);
	store_bind_text(st, 4, f->class);
	store_bind_text(st, 5, f->collector);
	store_bind_text(st, 6, f->segment);
	sqlite3_bind_int(st, 7, f->overdue);
	store_bind_text(st, 8, f->pattern);
}

static void customers_read(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	struct customers *cv = l->data;
	list_key_set_text(&row->key, store_column_text(st, 0));
	row->customer_id = sqlite3_column_int64(st, 1);
	row->id = row->customer_id;
	row->cell[0] = xstrdup(store_column_text(st, 0));
	/* on hold first in the name, so that it shows however narrow the pane */
	if (sqlite3_column_int(st, 7))
		row->cell[1] = xasprintf("[hold] %s", store_column_text(st, 2));
	else
		row->cell[1] = xstrdup(store_column_text(st, 2));
	if (cv->wide && *store_column_text(st, 6))
		row->cell[2] = xasprintf("%s %s", store_column_text(st, 3), store_column_text(st, 6));
	else
		row->cell[2] = xstrdup(store_column_text(st, 3));
	money_t overdue = sqlite3_column_int64(st, 4);
	row->cell[3] = overdue ? list_cell_money(overdue, store_column_text(st, 5)) : xstrdup("");
	row->style = overdue > 0 ? STYLE_OVERDUE : STYLE_NORMAL;
}

/* The two sources differ in the risk column's width only: one SQL. */
#define CUSTOMER_SOURCE(cols) \
	.columns = cols, \
	.ncolumns = sizeof cols / sizeof cols[0], \
	.sql_from = customers_sql_from, \
	.sql_after = customers_sql_after, \
	.sql_before = customers_sql_before, \
	.sql_count = customers_sql_count, \
	.sql_position = customers_sql_position, \
	.bind = customers_bind, \
	.read = customers_read

static const char customers_sql_from[] = SELECT_CUSTOMERS "WHERE c.code >= ?1 AND " CUSTOMER_FILTER "ORDER BY c.code LIMIT ?9";
static const char customers_sql_after[] = SELECT_CUSTOMERS "WHERE c.code > ?1 AND " CUSTOMER_FILTER "ORDER BY c.code LIMIT ?9";
static const char customers_sql_before[] =
	SELECT_CUSTOMERS "WHERE c.code < ?1 AND " CUSTOMER_FILTER "ORDER BY c.code DESC LIMIT ?9";
static const char customers_sql_count[] =
	"SELECT count(*) FROM customer c LEFT JOIN risk r ON r.customer_id = c.id WHERE " CUSTOMER_FILTER;
static const char customers_sql_position[] =
	"SELECT count(*) FROM customer c LEFT JOIN risk r ON r.customer_id = c.id WHERE c.code < ?1 AND " CUSTOMER_FILTER;

static const struct list_source customer_source = {CUSTOMER_SOURCE(customer_columns)};
static const struct list_source customer_source_wide = {CUSTOMER_SOURCE(customer_columns_wide)};

/* ---- invoices pane: keyset on (due_date, number) of one customer ---- */

static const struct list_column invoice_columns[] = {
	{"number", 14, 1, false},
	{"due", 10, 0, false},
	{"days", 4, 0, true},
	{"open", 11, 1, true},
	{"status", 8, 0, false},
};

/* Where the status word does not fit (80 columns), the status shrinks to
 * its initial, D disputed, P paid, C credit note, blank when open: the
 * colour alone said it, and without colour (NO_COLOR) nothing did. The
 * number gives up the two columns: it is cut on the left, where numbers
 * are alike. */
static const struct list_column invoice_columns_narrow[] = {
	{"number", 12, 1, false},
	{"due", 10, 0, false},
	{"days", 4, 0, true},
	{"open", 11, 1, true},
	{"!", 1, 0, false},
};

#define SELECT_INVOICES \
	"SELECT i.due_date, i.number, i.id, i.currency, i.open_amount, i.amount, i.kind, " \
	"max(0, julianday(?4) - julianday(i.due_date)), " \
	"EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.resolved IS NULL) " \
	"FROM invoice_any i WHERE i.customer_id = ?3 AND (?5 OR i.open_amount <> 0) "

static void key_pair_bind(sqlite3_stmt *st, const struct list_key *key)
{
	if (key == NULL || key->edge < 0) {
		sqlite3_bind_text(st, 1, "", 0, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
	} else if (key->edge > 0) {
		sqlite3_bind_blob(st, 1, "\xff", 1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, "\xff", 1, SQLITE_STATIC);
	} else {
		/* text holds "date number": the date is 10 characters */
		sqlite3_bind_text(st, 1, key->text, 10, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, key->text + 11, -1, SQLITE_TRANSIENT);
	}
}

static void invoices_bind(struct list *l, sqlite3_stmt *st, const struct list_key *key)
{
	struct customers *cv = l->data;
	key_pair_bind(st, key);
	sqlite3_bind_int64(st, 3, cv->shown);
	store_bind_date(st, 4, cv->ui->aging.as_of);
	sqlite3_bind_int(st, 5, cv->all_invoices);
}

static void invoices_read(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	struct customers *cv = l->data;
	const char *due = store_column_text(st, 0), *number = store_column_text(st, 1);
	snprintf(row->key.text, sizeof row->key.text, "%.10s %s", due, number);
	row->id = sqlite3_column_int64(st, 2);
	row->customer_id = cv->shown;
	const char *currency = store_column_text(st, 3);
	money_t open = sqlite3_column_int64(st, 4);
	bool credit = strcmp(store_column_text(st, 6), "credit_note") == 0;
	int days = sqlite3_column_int(st, 7);
	bool disputed = sqlite3_column_int(st, 8) != 0;
	/* the status as a word, or narrow as its initial (none when open) */
	static const char *const words[] = {"open", "disputed", "paid", "credit"}, *const marks[] = {"", "D", "P", "C"};
	int status = credit ? 3 : open == 0 ? 2 : disputed ? 1 : 0;
	row->cell[0] = xstrdup(number);
	row->cell[1] = xstrdup(due);
	row->cell[2] = open && !credit ? list_cell("%d", days) : xstrdup("");
	row->cell[3] = list_cell_money(open, currency);
	row->cell[4] = xstrdup(cv->invoices_narrow ? marks[status] : words[status]);
	row->style = open > 0 && days > 0 && !disputed ? STYLE_OVERDUE : open == 0 ? STYLE_DIM : STYLE_NORMAL;
}

/* The two sources differ in the status column only: one SQL. */
#define INVOICE_SOURCE(cols) \
	.columns = cols, \
	.ncolumns = sizeof cols / sizeof cols[0], \
	.cut_left = 1u << 0, \
	.sql_from = invoices_sql_from, \
	.sql_after = invoices_sql_after, \
	.sql_before = invoices_sql_before, \
	.sql_count = invoices_sql_count, \
	.bind = invoices_bind, \
	.read = invoices_read

static const char invoices_sql_from[] =
	SELECT_INVOICES "AND (i.due_date, i.number) >= (?1, ?2) ORDER BY i.due_date, i.number LIMIT ?9";
static const char invoices_sql_after[] =
	SELECT_INVOICES "AND (i.due_date, i.number) > (?1, ?2) ORDER BY i.due_date, i.number LIMIT ?9";
static const char invoices_sql_before[] =
	SELECT_INVOICES "AND (i.due_date, i.number) < (?1, ?2) ORDER BY i.due_date DESC, i.number DESC LIMIT ?9";
static const char invoices_sql_count[] =
	"SELECT count(*) FROM invoice_any i WHERE i.customer_id = ?3 AND (?5 OR i.open_amount <> 0)";

static const struct list_source invoice_source = {INVOICE_SOURCE(invoice_columns)};
static const struct list_source invoice_source_narrow = {INVOICE_SOURCE(invoice_columns_narrow)};

/* ---- activity pane: keyset on (date, id), newest first ---- */

static const struct list_column activity_columns[] = {
	{"date", 10, 0, false},
	{"kind", 8, 0, false},
	{"what", 12, 1, false},
};

#define SELECT_ACTIVITY \
	"SELECT a.date, a.id, a.kind, a.who, a.text, a.outcome, a.amount, a.currency " \
	"FROM activity a WHERE a.customer_id = ?3 "

static void activity_bind(struct list *l, sqlite3_stmt *st, const struct list_key *key)
{
	struct customers *cv = l->data;
	/* newest first: "before the first row" is after every date */
	if (key == NULL || key->edge < 0) {
		sqlite3_bind_blob(st, 1, "\xff", 1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, INT64_MAX);
	} else if (key->edge > 0) {
		sqlite3_bind_text(st, 1, "", 0, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, INT64_MIN);
	} else {
		sqlite3_bind_text(st, 1, key->text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, key->id);
	}
	sqlite3_bind_int64(st, 3, cv->shown);
}

static void activity_read(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	struct customers *cv = l->data;
	list_key_set_text(&row->key, store_column_text(st, 0));
	row->key.id = row->id = sqlite3_column_int64(st, 1);
	row->customer_id = cv->shown;
	row->cell[0] = xstrdup(store_column_text(st, 0));
	row->cell[1] = xstrdup(store_column_text(st, 2));
	struct buf what = {0};
	const char *who = store_column_text(st, 3), *text = store_column_text(st, 4), *outcome = store_column_text(st, 5);
	if (*outcome)
		buf_printf(&what, "[%s] ", outcome);
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		char *amount = list_cell_money(sqlite3_column_int64(st, 6), store_column_text(st, 7));
		buf_printf(&what, "%s %s ", amount, store_column_text(st, 7));
		free(amount);
	}
	buf_puts(&what, text);
	if (*who)
		buf_printf(&what, " (%s)", who);
	row->cell[2] = buf_take(&what);
}

static const struct list_source activity_source = {
	.columns = activity_columns,
	.ncolumns = sizeof activity_columns / sizeof activity_columns[0],
	.sql_from = SELECT_ACTIVITY "AND (a.date, a.id) <= (?1, ?2) ORDER BY a.date DESC, a.id DESC LIMIT ?9",
	.sql_after = SELECT_ACTIVITY "AND (a.date, a.id) < (?1, ?2) ORDER BY a.date DESC, a.id DESC LIMIT ?9",
	.sql_before = SELECT_ACTIVITY "AND (a.date, a.id) > (?1, ?2) ORDER BY a.date, a.id LIMIT ?9",
	.sql_count = "SELECT count(*) FROM activity a WHERE a.customer_id = ?3",
	.bind = activity_bind,
	.read = activity_read,
};

/* ---- the view ---- */

/* The selection's aging is computed on the worker: aging_compute reads
 * ledger-wide history, so on a large ledger it would slow every key. Keys
 * that move faster than the worker only leave the last customer to do:
 * a queued job for a customer no longer wanted does nothing. */
/* What the aging pane shows: the selected customer, or -1 for the
 * portfolio (asked for, or when no customer is selected). */
static int64_t aging_target(const struct customers *cv)
{
	return cv->portfolio || cv->shown == 0 ? -1 : cv->shown;
}

struct aging_job {
	struct worker_job job;
	struct customers *cv;
	_Atomic int64_t *wanted;
	int64_t customer_id;
	struct aging_options options;
	struct aging_row *rows;
	int nrows;
	int status;
	char *cause;
};

static void aging_run(struct worker_job *job, struct store *s)
{
	struct aging_job *a = (struct aging_job *)job;
	if (atomic_load(a->wanted) != a->customer_id || s == NULL) {
		a->status = -1;
		return;
	}
	a->status = aging_compute(s, &a->options, &a->rows, &a->nrows, &a->cause);
}

static void aging_done(struct worker_job *job, struct ui *ui)
{
	struct aging_job *a = (struct aging_job *)job;
	if (ui != NULL && job->generation == ui->view_generation && a->status >= 0 &&
	    aging_target(a->cv) == a->customer_id) {
		struct customers *cv = a->cv;
		aging_free(cv->aging, cv->naging);
		free(cv->aging_error);
		cv->aging = a->rows;
		cv->naging = a->nrows;
		cv->aging_error = a->cause;
		if (a->status != DUN_OK) {
			aging_free(cv->aging, cv->naging);
			cv->aging = NULL;
			cv->naging = 0;
		}
		cv->aging_customer = a->customer_id;
		a->rows = NULL;
		a->nrows = 0;
		a->cause = NULL;
		ui->dirty |= UI_REDRAW;
	}
	aging_free(a->rows, a->nrows);
	free(a->cause);
	free(a);
}

static void load_aging(struct customers *cv)
{
	int64_t target = aging_target(cv);
	atomic_store(&cv->ui->aging_wanted, target);
	struct aging_job *a = xcalloc(1, sizeof *a);
	a->job.run = aging_run;
	a->job.done = aging_done;
	a->cv = cv;
	a->wanted = &cv->ui->aging_wanted;
	a->customer_id = target;
	a->options = cv->ui->aging;
	a->options.by = target < 0 ? AGING_BY_TOTAL : AGING_BY_CUSTOMER;
	a->options.customer_id = target < 0 ? 0 : target;
	a->options.currency = NULL;
	ui_job(cv->ui, &a->job);
}

/* ---- the invoice detail in the third pane ---- */

static void detail_close(struct customers *cv)
{
	cv->detail_id = 0;
	free(cv->detail_number);
	cv->detail_number = NULL;
	text_view_clear(&cv->detail);
}

static void detail_money_line(struct text_view *t, const char *label, money_t amount, const char *currency)
{
	char *v = list_cell_money(amount, currency);
	text_view_addf(t, STYLE_NORMAL, "%-10s%s %s", label, v, currency);
	free(v);
}

/* A section's heading, or a dim "none" line when it has no rows. */
static void detail_section(struct text_view *t, const char *name, int n)
{
	if (n == 0)
		text_view_addf(t, STYLE_DIM, "%s: none", name);
	else
		text_view_addf(t, STYLE_TITLE, "%s (%d)", name, n);
}

/* The story as lines: the invoice's fields, then what happened to it. */
static void detail_format(struct text_view *t, const struct invoice_story *st)
{
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];
	bool credit = st->status == INVOICE_CREDIT;
	text_view_addf(t, STYLE_NORMAL, "%-10s%s (%s)", "number", st->number, credit ? "credit note" : "invoice");
	if (st->days_overdue > 0)
		text_view_addf(t, st->status == INVOICE_DISPUTED ? STYLE_NORMAL : STYLE_OVERDUE,
		    "%-10s%s, %d days overdue", "status", invoice_status_name(st->status), st->days_overdue);
	else
		text_view_addf(t, STYLE_NORMAL, "%-10s%s", "status", invoice_status_name(st->status));
	text_view_addf(t, STYLE_NORMAL, "%-10s%s", "issued", date_format_iso(st->issued, d1));
	text_view_addf(t, STYLE_NORMAL, "%-10s%s", "due", date_format_iso(st->due, d1));
	detail_money_line(t, "amount", st->amount, st->currency);
	detail_money_line(t, "open", st->open, st->currency);
	text_view_addf(t, STYLE_NORMAL, "%-10s%s", "PO", *st->po ? st->po : "-");
	text_view_addf(t, STYLE_NORMAL, "%-10s%s", "paid", st->paid != DATE_NONE ? date_format_iso(st->paid, d1) : "-");

	detail_section(t, "Allocations", st->nallocations);
	for (int i = 0; i < st->nallocations; i++) {
		const struct invoice_allocation *a = &st->allocations[i];
		char *v = list_cell_money(a->amount, st->currency);
		text_view_addf(t, STYLE_NORMAL, "%s  %s  %s %s (%s)", date_format_iso(a->date, d1), v,
		    credit ? "to invoice" : a->credit ? "credit note" : "payment", a->source, a->how);
		free(v);
	}
	detail_section(t, "Disputes", st->ndisputes);
	for (int i = 0; i < st->ndisputes; i++) {
		const struct invoice_dispute *d = &st->disputes[i];
		bool open = d->resolved == DATE_NONE;
		text_view_addf(t, open ? STYLE_NORMAL : STYLE_DIM, "%s  %-8s owner %s  %s%s", date_format_iso(d->opened, d1),
		    d->reason, *d->owner ? d->owner : "-", open ? "open" : "resolved ",
		    open ? "" : date_format_iso(d->resolved, d2));
		if (!open && *d->resolution)
			text_view_addf(t, STYLE_DIM, "            %s", d->resolution);
	}
	detail_section(t, "Promises", st->npromises);
	for (int i = 0; i < st->npromises; i++) {
		const struct invoice_promise *p = &st->promises[i];
		char *v = list_cell_money(p->amount, p->currency);
		text_view_addf(t, p->status == PROMISE_BROKEN ? STYLE_OVERDUE : STYLE_NORMAL, "%s  %s %s by %s  %s%s",
		    date_format_iso(p->made, d1), v, p->currency, date_format_iso(p->promised, d2),
		    promise_status_name(p->status), p->whole_account ? " (whole account)" : "");
		free(v);
	}
	detail_section(t, "Dunning", st->ndunning);
	for (int i = 0; i < st->ndunning; i++) {
		const struct invoice_dunning *d = &st->dunning[i];
		text_view_addf(t, STYLE_NORMAL, "%s  %s step %d %s %s%s%s", date_format_iso(d->date, d1), d->scenario, d->step,
		    d->channel, d->name, *d->outbox_state ? ", " : "", d->outbox_state);
	}
	detail_section(t, "History", st->nhistory);
	for (int i = 0; i < st->nhistory; i++) {
		const struct invoice_activity *a = &st->history[i];
		text_view_addf(t, STYLE_NORMAL, "%s  %-8s %s%s%s%s%s%s%s", date_format_iso(a->date, d1), a->kind,
		    *a->outcome ? "[" : "", a->outcome, *a->outcome ? "] " : "", a->text, *a->who ? " (" : "", a->who,
		    *a->who ? ")" : "");
	}
}

/* (Re)reads the story of the selected invoice into the third pane. */
static void detail_load(struct customers *cv)
{
	const struct list_row *row = list_selected(&cv->invoices);
	int64_t id = row ? row->id : 0;
	int top = id == cv->detail_id ? cv->detail.top : 0;
	detail_close(cv);
	if (id == 0)
		return;
	struct invoice_story st;
	char *cause = NULL;
	struct ui *ui = cv->ui;
	cv->detail_id = id;
	if (invoice_story_load(ui->store, id, ui->aging.as_of, ui->ctx->config.promise_grace_days, &st, &cause) != DUN_OK) {
		cv->detail_number = xstrdup(row->cell[0]);
		text_view_add(&cv->detail, STYLE_ERROR, cause ? cause : "cannot read the invoice");
		free(cause);
	} else {
		cv->detail_number = xstrdup(st.number);
		detail_format(&cv->detail, &st);
	}
	invoice_story_free(&st);
	cv->detail.top = screen_clamp(top, 0, cv->detail.nlines - 1);
}

/* The other panes follow the customer selected in the first. */
static void follow(struct customers *cv, bool force)
{
	const struct list_row *row = list_selected(&cv->customers);
	int64_t id = row ? row->customer_id : 0;
	if (id == cv->shown && !force)
		return;
	cv->shown = id;
	detail_close(cv);
	list_reload(&cv->invoices);
	list_reload(&cv->activity);
	if (!cv->portfolio || force)
		load_aging(cv);
}

static void *customers_open(struct ui *ui)
{
	struct customers *cv = xcalloc(1, sizeof *cv);
	cv->ui = ui;
	list_init(&cv->customers, &customer_source, ui->store, cv);
	list_init(&cv->invoices, &invoice_source, ui->store, cv);
	list_init(&cv->activity, &activity_source, ui->store, cv);
	cv->customers.empty = ui->filter.text ? FILTER_NOTHING : NULL;
	list_reload(&cv->customers);
	follow(cv, true);
	return cv;
}

static void customers_close(struct ui *ui, void *state)
{
	(void)ui;
	struct customers *cv = state;
	list_free(&cv->customers);
	list_free(&cv->invoices);
	list_free(&cv->activity);
	aging_free(cv->aging, cv->naging);
	free(cv->aging_error);
	detail_close(cv);
	free(cv);
}

static void draw_aging(struct customers *cv, int y, int x, int height, int width, bool focused)
{
	const struct list_row *row = list_selected(&cv->customers);
	char *title = aging_target(cv) < 0 ? xstrdup("Aging — portfolio")
	    : xasprintf("Aging %s", row ? row->cell[0] : "");
	screen_box(y, x, height, width, title, focused);
	free(title);
	int inner = width - 2, line = y + 1, bottom = y + height - 1;
	if (cv->aging_customer != aging_target(cv)) {
		screen_text(line, x + 1, inner, "computing…", false, STYLE_DIM);
		return;
	}
	if (cv->aging_error != NULL) {
		screen_text(line, x + 1, inner, cv->aging_error, false, STYLE_ERROR);
		return;
	}
	if (cv->naging == 0) {
		screen_text(line, x + 1, inner, "nothing open", false, STYLE_DIM);
		return;
	}
	const struct aging_options *o = &cv->ui->aging;
	const struct aging_row *a = &cv->aging[0];
	int label = screen_clamp(inner / 2, 0, 10), amount = screen_clamp(inner - label - 1, 0, 16);
	for (int b = 0; b < o->nedges + 2 && line < bottom; b++, line++) {
		char name[32];
		aging_bucket_name(b, o->edges, o->nedges, name, sizeof name);
		char *v = list_cell_money(a->bucket[b], a->currency);
		screen_text(line, x + 1, label, name, false, STYLE_NORMAL);
		screen_text(line, x + 2 + label, amount, v, true, b > 0 && a->bucket[b] > 0 ? STYLE_OVERDUE : STYLE_NORMAL);
		free(v);
	}
	const struct {
		const char *name;
		money_t value;
	} totals[] = {{"unapplied", a->unapplied}, {"total", a->total}, {"disputed", a->disputed}};
	for (size_t i = 0; i < sizeof totals / sizeof totals[0] && line < bottom; i++, line++) {
		char *v = list_cell_money(totals[i].value, a->currency);
		screen_text(line, x + 1, label, totals[i].name, false, i == 1 ? STYLE_TITLE : STYLE_NORMAL);
		screen_text(line, x + 2 + label, amount, v, true, i == 1 ? STYLE_TITLE : STYLE_NORMAL);
		free(v);
	}
}

/* "Customers", and the filter's terms cut to leave the position room. */
static char *customers_title(struct customers *cv, int width)
{
	const char *filter = cv->ui->filter.text;
	if (filter == NULL)
		return xstrdup("Customers");
	char pos[48];
	snprintf(pos, sizeof pos, " %lld/%lld", (long long)list_position(&cv->customers) + 1,
	    (long long)cv->customers.count);
	int room = width - 3 - 2 - text_width("Customers ") - text_width(pos);
	struct buf b = {0};
	buf_puts(&b, "Customers ");
	text_fit(&b, filter, screen_clamp(text_width(filter), 0, room), false);
	return buf_take(&b);
}

static void draw_detail(struct customers *cv, int y, int x, int height, int width, bool focused)
{
	char *title = xasprintf("Invoice %s", cv->detail_number);
	screen_box(y, x, height, width, title, focused);
	free(title);
	cv->detail_height = screen_clamp(height - 2, 1, height);
	cv->detail.top = screen_clamp(cv->detail.top, 0, cv->detail.nlines - cv->detail_height);
	text_view_draw(&cv->detail, y + 1, x + 1, height - 2, width - 2);
}

static void customers_draw(struct ui *ui, void *state, int y, int height, int width)
{
	struct customers *cv = state;
	/* the left panes carry the wider tables */
	int left = screen_clamp(width * 11 / 20, 0, width), right = width - left;
	int top = screen_clamp(height / 2, 0, height), bottom = height - top;
	int ys[PANE_COUNT] = {y, y, y + top, y + top}, xs[PANE_COUNT] = {0, left, 0, left};
	int hs[PANE_COUNT] = {top, top, bottom, bottom}, ws[PANE_COUNT] = {left, right, left, right};
	for (int p = 0; p < PANE_COUNT; p++) {
		cv->box_y[p] = ys[p];
		cv->box_x[p] = xs[p];
		cv->box_h[p] = hs[p];
		cv->box_w[p] = ws[p];
	}
	bool wide = ws[0] - 2 >= CUSTOMERS_WIDE;
	if (wide != cv->wide) {
		cv->wide = wide;
		cv->customers.src = wide ? &customer_source_wide : &customer_source;
		list_refresh(&cv->customers);
	}
	bool narrow = ws[2] - 2 < list_min_width(&invoice_source);
	if (narrow != cv->invoices_narrow) {
		cv->invoices_narrow = narrow;
		cv->invoices.src = narrow ? &invoice_source_narrow : &invoice_source;
		list_refresh(&cv->invoices);
	}
	char *title = customers_title(cv, ws[0]);
	view_draw_list(ui, &cv->customers, title, ys[0], xs[0], hs[0], ws[0], cv->focus == PANE_CUSTOMERS);
	free(title);
	follow(cv, false);
	draw_aging(cv, ys[1], xs[1], hs[1], ws[1], cv->focus == PANE_AGING);
	if (cv->detail_id != 0)
		draw_detail(cv, ys[2], xs[2], hs[2], ws[2], cv->focus == PANE_INVOICES);
	else
		view_draw_list(ui, &cv->invoices, cv->all_invoices ? "Invoices (all)" : "Invoices (open)", ys[2], xs[2], hs[2],
		    ws[2], cv->focus == PANE_INVOICES);
	view_draw_list(ui, &cv->activity, "Activity", ys[3], xs[3], hs[3], ws[3], cv->focus == PANE_ACTIVITY);
}

static struct list *focused_list(struct customers *cv)
{
	switch (cv->focus) {
	case PANE_CUSTOMERS:
		return &cv->customers;
	case PANE_INVOICES:
		return &cv->invoices;
	case PANE_ACTIVITY:
		return &cv->activity;
	default:
		return NULL;
	}
}

/* Keys on the invoice detail: scrolling, and back to the list. */
static int detail_key(struct customers *cv, int key)
{
	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
	case 'q':
	case 27:
		detail_close(cv);
		return UI_REDRAW;
	}
	if (!text_view_key(&cv->detail, key, cv->detail_height))
		return UI_IGNORED;
	cv->detail.top = screen_clamp(cv->detail.top, 0, cv->detail.nlines - cv->detail_height);
	return UI_REDRAW;
}

/* Enter on the activity pane: the whole entry, wrapped to the screen,
 * which the pane's one line cuts. */
static void show_activity(struct customers *cv)
{
	const struct list_row *row = list_selected(&cv->activity), *customer = list_selected(&cv->customers);
	if (row == NULL)
		return;
	char *title = xasprintf("%s %s %s", customer ? customer->cell[0] : "", row->cell[0], row->cell[1]);
	char *text = screen_wrap_lines(row->cell[2], getmaxx(stdscr) - 2);
	ui_pager(cv->ui, title, text);
	free(text);
	free(title);
}

static int customers_key(struct ui *ui, void *state, int key)
{
	struct customers *cv = state;
	if (cv->detail_id != 0 && cv->focus == PANE_INVOICES) {
		int r = detail_key(cv, key);
		if (r != UI_IGNORED)
			return r;
	}
	switch (key) {
	case '\t':
		cv->focus = (cv->focus + 1) % PANE_COUNT;
		return UI_REDRAW;
	case KEY_BTAB:
		cv->focus = (cv->focus + PANE_COUNT - 1) % PANE_COUNT;
		return UI_REDRAW;
	case 'h':
	case KEY_LEFT:
		if (cv->focus == PANE_AGING || cv->focus == PANE_ACTIVITY) {
			cv->focus--;
			return UI_REDRAW;
		}
		return UI_HANDLED;
	case 'l':
	case KEY_RIGHT:
		if (cv->focus == PANE_CUSTOMERS || cv->focus == PANE_INVOICES) {
			cv->focus++;
			return UI_REDRAW;
		}
		return UI_HANDLED;
	case 'o':
		cv->all_invoices = !cv->all_invoices;
		detail_close(cv);
		list_reload(&cv->invoices);
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (cv->focus == PANE_CUSTOMERS) {
			const struct list_row *row = list_selected(&cv->customers);
			if (row != NULL) {
				char *words[] = {"show", row->cell[0], NULL};
				char *title = xasprintf("show %s", row->cell[0]);
				ui_run_cli(ui, title, 2, words);
				free(title);
			}
			return UI_REDRAW;
		}
		if (cv->focus == PANE_INVOICES) {
			detail_load(cv);
			return UI_REDRAW;
		}
		if (cv->focus == PANE_AGING) {
			cv->portfolio = !cv->portfolio;
			load_aging(cv);
			return UI_REDRAW;
		}
		show_activity(cv);
		return UI_REDRAW;
	}
	struct list *l = focused_list(cv);
	if (l == NULL)
		return UI_IGNORED;
	int r = view_list_key(l, key);
	if (l == &cv->customers)
		follow(cv, false);
	return r;
}

static void customers_refresh(struct ui *ui, void *state)
{
	(void)ui;
	struct customers *cv = state;
	list_refresh(&cv->customers);
	list_refresh(&cv->invoices);
	list_refresh(&cv->activity);
	follow(cv, false);
	load_aging(cv);
	/* the detail follows the ledger while its invoice is still listed */
	const struct list_row *row = list_selected(&cv->invoices);
	if (cv->detail_id != 0 && row != NULL && row->id == cv->detail_id)
		detail_load(cv);
	else
		detail_close(cv);
}

/* The customer filter (ui->filter) changed: the list starts again from
 * its first customer that passes. */
static void customers_filtered(struct ui *ui, void *state)
{
	struct customers *cv = state;
	cv->customers.empty = ui->filter.text ? FILTER_NOTHING : NULL;
	list_reload(&cv->customers);
	follow(cv, false);
}

static int customers_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	struct customers *cv = state;
	for (int p = 0; p < PANE_COUNT; p++) {
		if (y < cv->box_y[p] || y >= cv->box_y[p] + cv->box_h[p] || x < cv->box_x[p] || x >= cv->box_x[p] + cv->box_w[p])
			continue;
		cv->focus = p;
		struct list *l = focused_list(cv);
		if (l != NULL && !(p == PANE_INVOICES && cv->detail_id != 0))
			list_select_visible(l, y - cv->box_y[p] - 2);
		follow(cv, false);
		return UI_REDRAW;
	}
	return UI_IGNORED;
}

static int64_t customers_customer(struct ui *ui, void *state)
{
	(void)ui;
	return ((struct customers *)state)->shown;
}

static int64_t customers_invoice(struct ui *ui, void *state)
{
	(void)ui;
	const struct list_row *row = list_selected(&((struct customers *)state)->invoices);
	return row ? row->id : 0;
}

static bool customers_show(struct ui *ui, void *state, int64_t customer_id, const char *code)
{
	struct customers *cv = state;
	struct list_key key = {0};
	list_key_set_text(&key, code);
	list_seek(&cv->customers, &key);
	cv->focus = PANE_CUSTOMERS;
	follow(cv, false);
	const struct list_row *row = list_selected(&cv->customers);
	if ((row == NULL || row->customer_id != customer_id) && ui->filter.text != NULL) {
		ui_message(ui, true, "%s does not pass the filter %s (:filter clears it)", code, ui->filter.text);
		return true;
	}
	return row != NULL && row->customer_id == customer_id;
}

const struct view_ops view_customers = {
	.number = 2,
	.name = "customers",
	.title = "2 Customers",
	.help = "customers, the selection's aging, invoices and history",
	.open = customers_open,
	.close = customers_close,
	.draw = customers_draw,
	.key = customers_key,
	.changed = customers_refresh,
	.click = customers_click,
	.customer = customers_customer,
	.invoice = customers_invoice,
	.show_customer = customers_show,
	.filtered = customers_filtered,
};
