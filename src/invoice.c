/* An invoice's story in six reads: the invoice, then its allocations,
 * disputes, promises, dunning steps and activities, each by an index. */
#include "invoice.h"
#include <stdlib.h>
#include <string.h>
#include "dispute.h"
#include "status.h"
#include "xalloc.h"

const char *invoice_status_name(enum invoice_status status)
{
	static const char *const names[] = {
		[INVOICE_OPEN] = "open", [INVOICE_PAID] = "paid", [INVOICE_DISPUTED] = "disputed", [INVOICE_CREDIT] = "credit",
	};
	return names[status];
}

static const char sql_invoice[] =
	"SELECT i.number, i.customer_id, c.code, i.kind, i.currency, i.po, i.issue_date, i.due_date, i.paid_date,"
	" i.amount, i.open_amount"
	" FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.id = ?1";

/* An invoice's allocations name their payment or credit note; a credit
 * note's name the invoices it settled. */
static const char sql_allocations[] =
	"SELECT a.date, a.credit_id IS NOT NULL, coalesce(p.reference, CASE WHEN a.credit_id = ?1 THEN inv.number"
	" ELSE cn.number END, ''), a.amount, a.how"
	" FROM allocation a LEFT JOIN payment p ON p.id = a.payment_id LEFT JOIN invoice cn ON cn.id = a.credit_id"
	" LEFT JOIN invoice inv ON inv.id = a.invoice_id"
	" WHERE a.invoice_id = ?1 OR a.credit_id = ?1 ORDER BY a.date, a.id";

static const char sql_disputes[] =
	"SELECT reason, owner, resolution, coalesce(amount, 0), opened, resolved"
	" FROM dispute WHERE invoice_id = ?1 ORDER BY opened, id";

/* Promises naming the invoice, and those of its customer naming none
 * (which cover every invoice of the customer, as promise.h says). */
static const char sql_promises[] =
	"SELECT p.id, p.made_date, p.promised_date, p.amount, p.currency,"
	" NOT EXISTS (SELECT 1 FROM promise_invoice pi WHERE pi.promise_id = p.id)"
	" FROM promise p WHERE p.id IN (SELECT promise_id FROM promise_invoice WHERE invoice_id = ?1)"
	" OR (p.customer_id = ?2 AND NOT EXISTS (SELECT 1 FROM promise_invoice pi WHERE pi.promise_id = p.id))"
	" ORDER BY p.made_date DESC, p.id DESC";

static const char sql_dunning[] =
	"SELECT d.date, d.scenario, d.step, d.channel, d.name, coalesce(o.state, '')"
	" FROM dunning_log d LEFT JOIN outbox o ON o.id = d.outbox_id"
	" WHERE d.invoice_id = ?1 ORDER BY d.date, d.step";

/* The customer's history (activity_customer) tested against the link's
 * primary key: activity_invoice has no index by invoice, and an
 * invoice's activities are always its customer's. The dunning steps are
 * their own section. */
static const char sql_history[] =
	"SELECT a.date, a.kind, a.who, a.text, a.outcome FROM activity a"
	" WHERE a.customer_id = ?2 AND a.kind <> 'dunning'"
	" AND EXISTS (SELECT 1 FROM activity_invoice ai WHERE ai.activity_id = a.id AND ai.invoice_id = ?1)"
	" ORDER BY a.date, a.id";

static int read_invoice(struct store *s, int64_t id, day_t as_of, struct invoice_story *out, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql_invoice);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read the invoice", cause);
		*cause = xasprintf("invoice %lld: no such invoice", (long long)id);
		return DUN_EDATA;
	}
	out->id = id;
	out->number = xstrdup(store_column_text(st, 0));
	out->customer_id = sqlite3_column_int64(st, 1);
	out->customer_code = xstrdup(store_column_text(st, 2));
	out->kind = xstrdup(store_column_text(st, 3));
	out->currency = xstrdup(store_column_text(st, 4));
	out->po = xstrdup(store_column_text(st, 5));
	out->issued = store_column_date(st, 6);
	out->due = store_column_date(st, 7);
	out->paid = store_column_date(st, 8);
	out->amount = sqlite3_column_int64(st, 9);
	out->open = sqlite3_column_int64(st, 10);
	sqlite3_reset(st);
	bool credit = strcmp(out->kind, "credit_note") == 0;
	out->days_overdue = !credit && out->open > 0 && out->due < as_of ? as_of - out->due : 0;
	out->status = credit ? INVOICE_CREDIT : out->open == 0 ? INVOICE_PAID
	    : dispute_open_at(s, id, as_of) ? INVOICE_DISPUTED : INVOICE_OPEN;
	return DUN_OK;
}

/* Steps a statement to its end, growing *items by one element of size
 * bytes per row and letting fill read the row into it. */
static int read_rows(struct store *s, sqlite3_stmt *st, void **items, int *n, size_t size,
    void (*fill)(sqlite3_stmt *st, void *item), const char *what, char **cause)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*items = xreallocarray(*items, (size_t)*n + 1, size);
		void *item = (char *)*items + size * (size_t)*n;
		memset(item, 0, size);
		fill(st, item);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(s, what, cause);
}

static void fill_allocation(sqlite3_stmt *st, void *item)
{
	struct invoice_allocation *a = item;
	a->date = store_column_date(st, 0);
	a->credit = sqlite3_column_int(st, 1) != 0;
	a->source = xstrdup(store_column_text(st, 2));
	a->amount = sqlite3_column_int64(st, 3);
	a->how = xstrdup(store_column_text(st, 4));
}

static void fill_dispute(sqlite3_stmt *st, void *item)
{
	struct invoice_dispute *d = item;
	d->reason = xstrdup(store_column_text(st, 0));
	d->owner = xstrdup(store_column_text(st, 1));
	d->resolution = xstrdup(store_column_text(st, 2));
	d->amount = sqlite3_column_int64(st, 3);
	d->opened = store_column_date(st, 4);
	d->resolved = store_column_date(st, 5);
}

static void fill_promise(sqlite3_stmt *st, void *item)
{
	struct invoice_promise *p = item;
	p->id = sqlite3_column_int64(st, 0);
	p->made = store_column_date(st, 1);
	p->promised = store_column_date(st, 2);
	p->amount = sqlite3_column_int64(st, 3);
	p->currency = xstrdup(store_column_text(st, 4));
	p->whole_account = sqlite3_column_int(st, 5) != 0;
}

static void fill_dunning(sqlite3_stmt *st, void *item)
{
	struct invoice_dunning *d = item;
	d->date = store_column_date(st, 0);
	d->scenario = xstrdup(store_column_text(st, 1));
	d->step = sqlite3_column_int(st, 2);
	d->channel = xstrdup(store_column_text(st, 3));
	d->name = xstrdup(store_column_text(st, 4));
	d->outbox_state = xstrdup(store_column_text(st, 5));
}

static void fill_activity(sqlite3_stmt *st, void *item)
{
	struct invoice_activity *a = item;
	a->date = store_column_date(st, 0);
	a->kind = xstrdup(store_column_text(st, 1));
	a->who = xstrdup(store_column_text(st, 2));
	a->text = xstrdup(store_column_text(st, 3));
	a->outcome = xstrdup(store_column_text(st, 4));
}

static sqlite3_stmt *by_invoice(struct store *s, const char *sql, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, id);
	return st;
}

int invoice_story_load(struct store *s, int64_t invoice_id, day_t as_of, int grace_days,
    struct invoice_story *out, char **cause)
{
	memset(out, 0, sizeof *out);
	bool started;
	int rc = store_read_begin(s, &started, cause);
	if (rc != DUN_OK)
		return rc;
	rc = read_invoice(s, invoice_id, as_of, out, cause);
	if (rc == DUN_OK)
		rc = read_rows(s, by_invoice(s, sql_allocations, invoice_id), (void **)&out->allocations,
		    &out->nallocations, sizeof *out->allocations, fill_allocation, "read the allocations", cause);
	if (rc == DUN_OK)
		rc = read_rows(s, by_invoice(s, sql_disputes, invoice_id), (void **)&out->disputes,
		    &out->ndisputes, sizeof *out->disputes, fill_dispute, "read the disputes", cause);
	if (rc == DUN_OK) {
		sqlite3_stmt *st = by_invoice(s, sql_promises, invoice_id);
		sqlite3_bind_int64(st, 2, out->customer_id);
		rc = read_rows(s, st, (void **)&out->promises, &out->npromises, sizeof *out->promises, fill_promise,
		    "read the promises", cause);
	}
	for (int i = 0; rc == DUN_OK && i < out->npromises; i++) {
		struct invoice_promise *p = &out->promises[i];
		rc = promise_status_at(s, p->id, as_of, grace_days, &p->status, &p->settled, cause);
	}
	if (rc == DUN_OK)
		rc = read_rows(s, by_invoice(s, sql_dunning, invoice_id), (void **)&out->dunning,
		    &out->ndunning, sizeof *out->dunning, fill_dunning, "read the dunning steps", cause);
	if (rc == DUN_OK) {
		sqlite3_stmt *st = by_invoice(s, sql_history, invoice_id);
		sqlite3_bind_int64(st, 2, out->customer_id);
		rc = read_rows(s, st, (void **)&out->history, &out->nhistory, sizeof *out->history, fill_activity,
		    "read the invoice's history", cause);
	}
	store_read_end(s, started);
	return rc;
}

void invoice_story_free(struct invoice_story *story)
{
	free(story->number);
	free(story->customer_code);
	free(story->kind);
	free(story->currency);
	free(story->po);
	for (int i = 0; i < story->nallocations; i++) {
		free(story->allocations[i].source);
		free(story->allocations[i].how);
	}
	free(story->allocations);
	for (int i = 0; i < story->ndisputes; i++) {
		free(story->disputes[i].reason);
		free(story->disputes[i].owner);
		free(story->disputes[i].resolution);
	}
	free(story->disputes);
	for (int i = 0; i < story->npromises; i++)
		free(story->promises[i].currency);
	free(story->promises);
	for (int i = 0; i < story->ndunning; i++) {
		free(story->dunning[i].scenario);
		free(story->dunning[i].channel);
		free(story->dunning[i].name);
		free(story->dunning[i].outbox_state);
	}
	free(story->dunning);
	for (int i = 0; i < story->nhistory; i++) {
		free(story->history[i].kind);
		free(story->history[i].who);
		free(story->history[i].text);
		free(story->history[i].outcome);
	}
	free(story->history);
	memset(story, 0, sizeof *story);
}
