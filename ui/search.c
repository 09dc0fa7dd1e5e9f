/* The scan runs in phases over keyset pages: customers from the starting
 * code to the end, then from the beginning back to it (wrap), then (going
 * forwards) every invoice number. A view whose list has an order of its
 * own (the call list's rank) is walked first in that order, from the
 * starting customer's row and wrapping, then every customer by code (those
 * it does not list). Each slice stops after a time budget. */
#include "search.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ledger.h"
#include "list.h"
#include "user_regex.h"
#include "xalloc.h"

#define SEARCH_SLICE_MS 15
#define SEARCH_PAGE 256

enum phase { PHASE_IDLE, PHASE_LIST, PHASE_LIST_WRAP, PHASE_CUSTOMERS, PHASE_WRAP, PHASE_INVOICES };

struct search {
	struct user_regex *regex;
	enum phase phase;
	bool backward;
	char start[LIST_KEY_TEXT];  /* where the scan began */
	char at[LIST_KEY_TEXT];     /* last key read in this phase */
	bool at_inclusive;
	struct list_key list_start; /* the same in the view's list order */
	struct list_key list_at;
	unsigned generation;        /* the view whose list it is */
	char *literal;              /* the pattern when it has no special character */
	struct timespec told;       /* when the scan last said where it was */
};

static void release(struct search *s)
{
	user_regex_free(s->regex);
	s->regex = NULL;
	free(s->literal);
	s->literal = NULL;
	s->phase = PHASE_IDLE;
}

void search_free(struct ui *ui)
{
	if (ui->search != NULL)
		release(ui->search);
	free(ui->search);
	ui->search = NULL;
}

/* The view's list, while the view that gave it is still open. */
static struct list *view_list(struct ui *ui)
{
	const struct view_ops *v = ui->view;
	if (v == NULL || v->search_list == NULL || ui->view_generation != ui->search->generation)
		return NULL;
	return v->search_list(ui, ui->view_state, 0, NULL);
}

/* Starts with the view's list when it has an order of its own: from the
 * start customer's row, or from its end when that one is not listed. A
 * backward scan from a row that counts is read from the row after it. */
static void start_in_view_list(struct ui *ui, struct search *s)
{
	const struct view_ops *v = ui->view;
	if (v == NULL || v->search_list == NULL || ui->store == NULL)
		return;
	struct list_key key = {.edge = -1};
	int64_t from = s->start[0] ? ledger_customer_id(ui->store, s->start) : 0;
	struct list *l = v->search_list(ui, ui->view_state, from, &key);
	if (l == NULL)
		return;
	if (key.edge != 0) {
		key.edge = s->backward ? 1 : -1;
		s->at_inclusive = true;
	}
	s->list_start = s->list_at = key;
	if (s->backward && s->at_inclusive && key.edge == 0) {
		struct list_row next = {0};
		s->list_at = (struct list_key){.edge = 1};
		if (list_fetch(l, LIST_AFTER, &key, 1, &next) == 1)
			s->list_at = next.key;
		list_row_clear(&next);
	}
	s->generation = ui->view_generation;
	s->phase = PHASE_LIST;
}

bool search_start(struct ui *ui, const char *pattern, const char *from, bool skip_from,
    bool backward, char *why, int size)
{
	if (ui->search == NULL)
		ui->search = xcalloc(1, sizeof *ui->search);
	struct search *s = ui->search;
	release(s);
	s->regex = user_regex_compile(pattern, why, (size_t)size);
	if (s->regex == NULL)
		return false;
	if (strpbrk(pattern, "\\^$.|?*+()[]{}") == NULL)
		s->literal = xstrdup(pattern);
	snprintf(s->start, sizeof s->start, "%s", from ? from : "");
	snprintf(s->at, sizeof s->at, "%s", s->start);
	s->at_inclusive = !skip_from;
	s->backward = backward;
	s->phase = PHASE_CUSTOMERS;
	start_in_view_list(ui, s);
	return true;
}

static bool matches(struct search *s, const char *text)
{
	return user_regex_match(s->regex, text, strlen(text));
}

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void found(struct ui *ui, int64_t customer_id, const char *code, const char *invoice)
{
	struct search *s = ui->search;
	s->phase = PHASE_IDLE;
	if (ui->view->show_customer == NULL || !ui->view->show_customer(ui, ui->view_state, customer_id, code))
		ui_show_customer(ui, customer_id, code);
	/* a customer the filter hides stays hidden, and the view said so */
	if (invoice != NULL && ui_customer(ui) == customer_id)
		ui_message(ui, false, "invoice %s of %s", invoice, code);
	ui->dirty |= UI_REDRAW;
}

/* Whether a customer's code or name matches; on a match, shows it. */
static bool customer_matches(struct ui *ui, int64_t customer_id)
{
	static const char *const sql = "SELECT code, name FROM customer WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, customer_id);
	bool match = sqlite3_step(st) == SQLITE_ROW &&
	    (matches(ui->search, store_column_text(st, 0)) || matches(ui->search, store_column_text(st, 1)));
	char *code = match ? xstrdup(store_column_text(st, 0)) : NULL;
	sqlite3_reset(st);
	if (match)
		found(ui, customer_id, code, NULL);
	free(code);
	return match;
}

/* One page of the view's list in the phase's direction; the wrap ends at
 * the row the scan began from. Returns true when the phase is over. */
static bool view_list_page(struct ui *ui)
{
	struct search *s = ui->search;
	struct list *l = view_list(ui);
	if (l == NULL)
		return true;
	struct list_row *rows = xcalloc(SEARCH_PAGE, sizeof *rows);
	enum list_fetch how = s->backward ? LIST_BEFORE : s->at_inclusive ? LIST_FROM : LIST_AFTER;
	int n = list_fetch(l, how, &s->list_at, SEARCH_PAGE, rows);
	bool done = n < SEARCH_PAGE;
	for (int i = 0; i < n; i++) {
		if (s->phase == PHASE_LIST_WRAP && list_key_equal(&rows[i].key, &s->list_start)) {
			done = true;
			break;
		}
		s->list_at = rows[i].key;
		s->at_inclusive = false;
		if (customer_matches(ui, rows[i].customer_id)) {
			done = true;
			break;
		}
	}
	for (int i = 0; i < n; i++)
		list_row_clear(&rows[i]);
	free(rows);
	return done;
}

/* One page of customers in the phase's direction and bounds; returns
 * true when the phase is over (end reached or match found). */
static bool customers_page(struct ui *ui)
{
	static const char *const sql_fwd =
	    "SELECT id, code, name FROM customer WHERE code >= ?1 AND (?3 = '' OR code < ?3) "
	    "ORDER BY code LIMIT ?4";
	static const char *const sql_back =
	    "SELECT id, code, name FROM customer WHERE code <= ?1 AND (?3 = '' OR code > ?3) "
	    "ORDER BY code DESC LIMIT ?4";
	struct search *s = ui->search;
	sqlite3_stmt *st = store_stmt(ui->store, s->backward ? sql_back : sql_fwd);
	bool wrap = s->phase == PHASE_WRAP;
	if (wrap && s->at[0] == '\0' && s->at_inclusive && s->backward)
		sqlite3_bind_blob(st, 1, "\xff", 1, SQLITE_STATIC); /* after every code */
	else
		sqlite3_bind_text(st, 1, s->at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, wrap ? s->start : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, SEARCH_PAGE);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		const char *code = store_column_text(st, 1);
		if (!s->at_inclusive && strcmp(code, s->at) == 0)
			continue;
		snprintf(s->at, sizeof s->at, "%s", code);
		s->at_inclusive = false;
		if (matches(s, code) || matches(s, store_column_text(st, 2))) {
			int64_t id = sqlite3_column_int64(st, 0);
			char *c = xstrdup(code);
			sqlite3_reset(st);
			found(ui, id, c, NULL);
			free(c);
			return true;
		}
	}
	sqlite3_reset(st);
	return n < SEARCH_PAGE;
}

/* An invoice the scan finds: the columns found_invoice reads. */
#define SELECT_INVOICE_HIT "SELECT i.number, c.id, c.code FROM invoice i JOIN customer c ON c.id = i.customer_id "

/* Shows the invoice of st's row (SELECT_INVOICE_HIT) and resets st:
 * found() runs SQL of its own. */
static void found_invoice(struct ui *ui, sqlite3_stmt *st)
{
	char *num = xstrdup(store_column_text(st, 0)), *code = xstrdup(store_column_text(st, 2));
	int64_t id = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	found(ui, id, code, num);
	free(num);
	free(code);
}

/* A pattern that is a whole invoice number (as typed, or in capitals)
 * finds it by the number's index before the scan reads millions. */
static bool invoice_exact(struct ui *ui)
{
	static const char *const sql = SELECT_INVOICE_HIT "WHERE i.number IN (?1, upper(?1))";
	struct search *s = ui->search;
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_text(st, 1, s->literal, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return false;
	}
	found_invoice(ui, st);
	return true;
}

static bool invoices_page(struct ui *ui)
{
	static const char *const sql = SELECT_INVOICE_HIT "WHERE i.number > ?1 ORDER BY i.number LIMIT ?2";
	struct search *s = ui->search;
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_text(st, 1, s->at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, SEARCH_PAGE * 4);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		const char *number = store_column_text(st, 0);
		snprintf(s->at, sizeof s->at, "%s", number);
		if (matches(s, number)) {
			found_invoice(ui, st);
			return true;
		}
	}
	sqlite3_reset(st);
	return n < SEARCH_PAGE * 4;
}

bool search_idle(struct ui *ui)
{
	struct search *s = ui->search;
	if (s == NULL || s->phase == PHASE_IDLE || ui->store == NULL)
		return false;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (s->phase != PHASE_IDLE && elapsed_ms(&t0) < SEARCH_SLICE_MS) {
		enum phase phase = s->phase;
		bool done = phase == PHASE_INVOICES ? invoices_page(ui)
		    : phase == PHASE_LIST || phase == PHASE_LIST_WRAP ? view_list_page(ui) : customers_page(ui);
		if (!done || s->phase == PHASE_IDLE)
			continue;
		s->at[0] = '\0';
		s->at_inclusive = true;
		if (phase == PHASE_LIST && s->list_start.edge == 0) {
			s->phase = PHASE_LIST_WRAP;
			s->list_at = (struct list_key){.edge = s->backward ? 1 : -1};
		} else if (phase == PHASE_LIST || phase == PHASE_LIST_WRAP) {
			/* then the customers the list does not show, by code */
			s->start[0] = '\0';
			s->phase = PHASE_WRAP;
		} else if (phase == PHASE_CUSTOMERS && s->start[0] != '\0') {
			s->phase = PHASE_WRAP;
		} else if (phase != PHASE_INVOICES && !s->backward) {
			s->phase = PHASE_INVOICES;
			if (s->literal != NULL && invoice_exact(ui))
				break;
		} else {
			s->phase = PHASE_IDLE;
			ui_message(ui, true, "no match");
		}
	}
	/* a long scan says where it is, a few times a second */
	if (s->phase == PHASE_INVOICES && elapsed_ms(&s->told) > 250) {
		clock_gettime(CLOCK_MONOTONIC, &s->told);
		ui_message(ui, false, "searching invoice numbers… %s", s->at);
	}
	return s->phase != PHASE_IDLE;
}
