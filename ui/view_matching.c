/* View 6, matching: the unapplied payments, oldest first, each with the
 * matcher's best proposal (invoices, confidence, reason). `a` (or Enter)
 * accepts the proposal as a person's match, which also teaches the payer
 * account (a proposal with a customer and no invoice, the remittance
 * naming one already paid, keeps the payment as the customer's unapplied
 * cash); `n` leaves the payment unapplied and moves on; `o` opens the
 * proposal's customer. The matcher (the open invoices in memory) is built
 * when the view opens and again after a change. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "action.h"
#include "form.h"
#include "list.h"
#include "match.h"
#include "screen.h"
#include "status.h"
#include "view.h"
#include "xalloc.h"

struct matching {
	struct ui *ui;
	struct list list;
	struct matcher *matcher;  /* NULL when it could not be built */
};

static const struct list_column columns[] = {
	{"date", 10, 0, false},
	{"payment", 14, 1, false},
	{"unapplied", 11, 0, true},
	{"conf", 4, 0, true},
	{"customer", 8, 0, false},
	{"proposal", 27, 1, false},
	{"payer", 10, 1, false},
	{"remittance", 12, 1, false},
	{"reason", 10, 1, false},
};

#define SELECT_PAYMENTS \
	"SELECT p.date, p.id, p.reference, p.unapplied, p.currency, coalesce(p.customer_id, 0), p.remittance, " \
	"p.structured_ref, p.payer_name, p.payer_account FROM payment p " \
	"WHERE p.unapplied <> 0 AND p.unapplied > 0 " \
	"AND p.id NOT IN (SELECT reversal_of FROM payment WHERE reversal_of IS NOT NULL) "

static void bind(struct list *l, sqlite3_stmt *st, const struct list_key *key)
{
	(void)l;
	list_bind_text_key(st, 1, key);
	if (key == NULL || key->edge != 0)
		sqlite3_bind_int64(st, 2, key && key->edge > 0 ? INT64_MAX : INT64_MIN);
	else
		sqlite3_bind_int64(st, 2, key->id);
}

/* The payment of the current result row, as the matcher reads it; the
 * strings live in remittance (freed by the caller) and the statement. */
static void payment_of(sqlite3_stmt *st, struct match_payment *p, char **remittance)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 1);
	p->reference = store_column_text(st, 2);
	p->date = store_column_date(st, 0);
	p->unapplied = sqlite3_column_int64(st, 3);
	snprintf(p->currency, sizeof p->currency, "%s", store_column_text(st, 4));
	p->customer_id = sqlite3_column_int64(st, 5);
	const char *strd = store_column_text(st, 7);
	*remittance = xasprintf("%s%s%s", store_column_text(st, 6), *strd != '\0' ? " " : "", strd);
	p->remittance = *remittance;
	p->payer_name = store_column_text(st, 8);
	p->payer_account = store_column_text(st, 9);
}

static void read_row(struct list *l, sqlite3_stmt *st, struct list_row *row)
{
	struct matching *mv = l->data;
	struct match_payment p;
	char *remittance;
	payment_of(st, &p, &remittance);
	list_key_set_text(&row->key, store_column_text(st, 0));
	row->key.id = row->id = p.id;
	row->cell[0] = xstrdup(store_column_text(st, 0));
	row->cell[1] = xstrdup(p.reference);
	row->cell[2] = list_cell_money(p.unapplied, p.currency);
	row->cell[6] = xstrdup(p.payer_name);
	row->cell[7] = xstrdup(remittance);
	if (mv->matcher != NULL) {
		struct match_proposal m;
		matcher_propose(mv->matcher, &p, &m);
		struct buf invoices = { 0 };
		for (int i = 0; i < m.nallocations; i++)
			buf_printf(&invoices, "%s%s", i > 0 ? " " : "", m.allocations[i].number);
		row->customer_id = m.customer_id;
		row->cell[3] = list_cell("%d.%02d", m.confidence / 100, m.confidence % 100);
		row->cell[4] = xstrdup(m.customer_code);
		row->cell[5] = invoices.data != NULL ? buf_take(&invoices) : xstrdup(match_assigns(&m) ? "unapplied cash" : "");
		row->cell[8] = xstrdup(m.reason);
		/* Nothing proposed stands out; a payment kept as a customer's
		 * unapplied cash is a proposal like any other. */
		row->style = m.nallocations == 0 && !match_assigns(&m) ? STYLE_OVERDUE : STYLE_NORMAL;
	} else {
		for (int i = 3; i <= 8; i++)
			if (i != 6 && i != 7)
				row->cell[i] = xstrdup(i == 8 ? "matcher unavailable" : "");
	}
	free(remittance);
}

static const struct list_source source = {
	.columns = columns,
	.ncolumns = sizeof columns / sizeof columns[0],
	.frozen = 2,
	.sql_from = SELECT_PAYMENTS "AND (p.date, p.id) >= (?1, ?2) ORDER BY p.date, p.id LIMIT ?9",
	.sql_after = SELECT_PAYMENTS "AND (p.date, p.id) > (?1, ?2) ORDER BY p.date, p.id LIMIT ?9",
	.sql_before = SELECT_PAYMENTS "AND (p.date, p.id) < (?1, ?2) ORDER BY p.date DESC, p.id DESC LIMIT ?9",
	.sql_count = "SELECT count(*) FROM payment p WHERE p.unapplied <> 0 AND p.unapplied > 0"
	    " AND p.id NOT IN (SELECT reversal_of FROM payment WHERE reversal_of IS NOT NULL)",
	.bind = bind,
	.read = read_row,
};

static void matcher_rebuild(struct matching *mv)
{
	char *cause = NULL;
	matcher_free(mv->matcher);
	mv->matcher = NULL;
	if (matcher_new(mv->ui->store, mv->ui->ctx->config.match_patterns, &mv->matcher, &cause) != DUN_OK) {
		ui_message(mv->ui, true, "%s", cause);
		free(cause);
	}
}

static void *matching_open(struct ui *ui)
{
	struct matching *mv = xcalloc(1, sizeof *mv);
	mv->ui = ui;
	matcher_rebuild(mv);
	list_init(&mv->list, &source, ui->store, mv);
	list_reload(&mv->list);
	return mv;
}

static void matching_close(struct ui *ui, void *state)
{
	(void)ui;
	struct matching *mv = state;
	list_free(&mv->list);
	matcher_free(mv->matcher);
	free(mv);
}

static void matching_draw(struct ui *ui, void *state, int y, int height, int width)
{
	view_draw_list(ui, &((struct matching *)state)->list, "Unapplied payments", y, 0, height, width, true);
}

static const char sql_payment[] = SELECT_PAYMENTS "AND p.id = ?1";

/* A person accepts the proposal: allocated as a manual match, which
 * teaches the payer account. */
static int accept(struct ui *ui, struct matching *mv)
{
	const struct list_row *row = list_selected(&mv->list);
	if (row == NULL || mv->matcher == NULL)
		return UI_HANDLED;
	sqlite3_stmt *st = store_stmt(ui->store, sql_payment);
	sqlite3_bind_int64(st, 1, row->id);
	struct match_proposal m = { .nallocations = 0 };
	char *remittance = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		struct match_payment p;
		payment_of(st, &p, &remittance);
		matcher_propose(mv->matcher, &p, &m);
	}
	sqlite3_reset(st);
	free(remittance);
	bool assigns = match_assigns(&m);
	if (m.nallocations == 0 && !assigns) {
		ui_message(ui, true, "nothing to accept: %s", row->cell[1]);
		return UI_REDRAW;
	}
	int64_t ids[MATCH_MAX_INVOICES];
	money_t amounts[MATCH_MAX_INVOICES];
	for (int i = 0; i < m.nallocations; i++) {
		ids[i] = m.allocations[i].invoice_id;
		amounts[i] = m.allocations[i].amount;
	}
	char *cause = NULL;
	if (match_apply_manual(ui->store, m.payment_id, assigns ? m.customer_id : 0, ids, amounts, m.nallocations,
	    ui->ctx->today, &cause) != DUN_OK) {
		ui_message(ui, true, "%s", cause);
		free(cause);
		return UI_REDRAW;
	}
	if (assigns)
		ui_message(ui, false, "%s kept as unapplied cash of %s", row->cell[1], m.customer_code);
	else
		ui_message(ui, false, "%s matched to %d invoice%s of %s", row->cell[1], m.nallocations,
		    m.nallocations > 1 ? "s" : "", m.customer_code);
	action_undo_forget(ui);
	return UI_REDRAW | UI_RELOAD;
}

/* A person's own pick (and split) of a payment, for when the proposal is
 * wrong or missing; the form's data. */
struct pick {
	struct store *store;
	int64_t payment_id;
};

static const char *check_pick(struct form *f, int field, const char *text)
{
	struct pick *p = f->data;
	int64_t ids[MATCH_MAX_INVOICES];
	money_t amounts[MATCH_MAX_INVOICES];
	int n;
	char *cause = NULL;
	(void)field;
	if (match_pick_parse(p->store, p->payment_id, text, ids, amounts, &n, &cause) == DUN_OK)
		return NULL;
	snprintf(f->check_why, sizeof f->check_why, "%s", cause);
	free(cause);
	return f->check_why;
}

static int submit_pick(struct ui *ui, struct form *f)
{
	struct pick *p = f->data;
	int64_t ids[MATCH_MAX_INVOICES];
	money_t amounts[MATCH_MAX_INVOICES];
	int n;
	char *cause = NULL;
	int rc = match_pick_parse(p->store, p->payment_id, form_value(f, 0), ids, amounts, &n, &cause);
	if (rc == DUN_OK)
		rc = match_apply_manual(ui->store, p->payment_id, 0, ids, amounts, n, ui->ctx->today, &cause);
	if (rc != DUN_OK) {
		snprintf(f->why, sizeof f->why, "%s", cause);
		free(cause);
		return rc;
	}
	ui_message(ui, false, "matched by hand to %d invoice%s", n, n > 1 ? "s" : "");
	action_undo_forget(ui);
	ui_changed(ui);
	return DUN_OK;
}

static int pick(struct ui *ui, struct matching *mv)
{
	const struct list_row *row = list_selected(&mv->list);
	if (row == NULL)
		return UI_HANDLED;
	struct pick *p = xmalloc(sizeof *p);
	*p = (struct pick){ .store = ui->store, .payment_id = row->id };
	char *title = xasprintf("Pick invoices for %s (NUMBER or NUMBER=AMOUNT, spaces between)", row->cell[1]);
	struct form *f = form_new(title, submit_pick, p);
	free(title);
	form_add(f, "invoices", "", check_pick, NULL);
	form_open(ui, f);
	return UI_REDRAW;
}

static int matching_key(struct ui *ui, void *state, int key)
{
	struct matching *mv = state;
	const struct list_row *row = list_selected(&mv->list);
	switch (key) {
	case 'a':
	case '\r':
	case '\n':
	case KEY_ENTER:
		return accept(ui, mv);
	case 'p':
		return pick(ui, mv);
	case 'n':
		/* Leave it unapplied: it waits here for the next statement. */
		list_move(&mv->list, 1);
		return UI_REDRAW;
	case 'o':
		if (row != NULL && row->customer_id != 0)
			ui_show_customer(ui, row->customer_id, row->cell[4]);
		return UI_REDRAW;
	default:
		return view_list_key(&mv->list, key);
	}
}

static void matching_changed(struct ui *ui, void *state)
{
	(void)ui;
	struct matching *mv = state;
	matcher_rebuild(mv);
	list_refresh(&mv->list);
}

static int matching_click(struct ui *ui, void *state, int y, int x)
{
	(void)ui;
	(void)x;
	list_select_visible(&((struct matching *)state)->list, y - 2);
	return UI_REDRAW;
}

static int64_t matching_customer(struct ui *ui, void *state)
{
	(void)ui;
	const struct list_row *row = list_selected(&((struct matching *)state)->list);
	return row ? row->customer_id : 0;
}

const struct view_ops view_matching = {
	.number = 6,
	.name = "matching",
	.title = "6 Matching",
	.help = "unapplied payments with the best proposal: a or Enter accepts, p picks invoices by hand (NUMBER=AMOUNT splits), n leaves it, o opens the customer",
	.open = matching_open,
	.close = matching_close,
	.draw = matching_draw,
	.key = matching_key,
	.changed = matching_changed,
	.click = matching_click,
	.customer = matching_customer,
};
