/* Promises to pay, evaluated as of any date from the allocations (or,
 * for a promise on the whole account, the payments) dated between the day
 * it was made and the promised date plus grace. */
#include "promise.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dispute.h"
#include "ledger.h"
#include "status.h"
#include "xalloc.h"

const char *promise_status_name(enum promise_status status)
{
	static const char *const names[] = {[PROMISE_OPEN] = "open", [PROMISE_KEPT] = "kept", [PROMISE_BROKEN] = "broken"};
	return names[status];
}

/* Checks the covered invoices; sets the promise's currency from them. */
static int check_invoices(struct store *s, const struct promise_new *p, char currency[4], money_t *open_sum,
    char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT i.number, i.customer_id, i.currency, i.kind, i.open_amount, c.code"
	    " FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE i.id = ?1");
	*open_sum = 0;
	for (int k = 0; k < p->ninvoices; k++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, p->invoice_ids[k]);
		int rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(st);
			if (rc != SQLITE_DONE)
				return store_error(s, "read an invoice", cause);
			return dun_fail(cause, DUN_EDATA, "invoice #%lld: no such invoice", (long long)p->invoice_ids[k]);
		}
		const char *number = store_column_text(st, 0);
		int rc2 = DUN_OK;
		if (sqlite3_column_int64(st, 1) != p->customer_id)
			rc2 = dun_fail(cause, DUN_EDATA, "invoice \"%s\": belongs to customer \"%s\"", number,
			    store_column_text(st, 5));
		else if (strcmp(store_column_text(st, 3), "invoice") != 0)
			rc2 = dun_fail(cause, DUN_EDATA, "invoice \"%s\": a credit note cannot be promised", number);
		else if (sqlite3_column_int64(st, 4) <= 0)
			rc2 = dun_fail(cause, DUN_EDATA, "invoice \"%s\": already paid", number);
		else if (k > 0 && strcmp(currency, store_column_text(st, 2)) != 0)
			rc2 = dun_fail(cause, DUN_EDATA, "invoice \"%s\": in %s, the other invoices in %s: one promise per currency",
			    number, store_column_text(st, 2), currency);
		if (rc2 != DUN_OK) {
			sqlite3_reset(st);
			return rc2;
		}
		snprintf(currency, 4, "%s", store_column_text(st, 2));
		*open_sum += sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return DUN_OK;
}

int promise_add(struct store *s, const struct promise_new *p, int64_t *promise_id, char **cause)
{
	char currency[4] = "", a[MONEY_TEXT_MAX], b[MONEY_TEXT_MAX], made[DATE_TEXT_MAX], promised[DATE_TEXT_MAX];
	money_t open_sum = 0;
	int rc;
	date_format_iso(p->made, made);
	date_format_iso(p->promised, promised);
	if (p->promised < p->made)
		return dun_fail(cause, DUN_EDATA, "promised date \"%s\": in the past (today is %s)", promised, made);
	if (p->ninvoices > 0) {
		if ((rc = check_invoices(s, p, currency, &open_sum, cause)) != DUN_OK)
			return rc;
	} else if (p->currency == NULL) {
		sqlite3_stmt *st = store_stmt(s, "SELECT currency FROM customer WHERE id = ?1");
		sqlite3_bind_int64(st, 1, p->customer_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(currency, sizeof currency, "%s", store_column_text(st, 0));
		sqlite3_reset(st);
	}
	if (p->currency != NULL) {
		if (p->ninvoices > 0 && strcmp(p->currency, currency) != 0)
			return dun_fail(cause, DUN_EDATA, "currency \"%s\": the invoices are in %s", p->currency, currency);
		snprintf(currency, sizeof currency, "%s", p->currency);
	}
	int exponent = money_exponent(currency);
	if (exponent < 0)
		return dun_fail(cause, DUN_EDATA, "currency \"%s\": not an ISO 4217 currency", currency);
	if (p->amount <= 0)
		return dun_fail(cause, DUN_EDATA, "amount \"%s\": a promise is of a positive amount",
		    money_format(p->amount, exponent, a));
	if (p->ninvoices > 0 && p->amount > open_sum)
		return dun_fail(cause, DUN_EDATA, "amount \"%s\": more than the %s %s the invoices still owe",
		    money_format(p->amount, exponent, a), money_format(open_sum, exponent, b), currency);

	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO promise(customer_id, amount, currency, made_date, promised_date) VALUES (?1, ?2, ?3, ?4, ?5)");
	sqlite3_bind_int64(st, 1, p->customer_id);
	sqlite3_bind_int64(st, 2, p->amount);
	store_bind_text(st, 3, currency);
	store_bind_text(st, 4, made);
	store_bind_text(st, 5, promised);
	rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "record a promise", cause);
	int64_t id = sqlite3_last_insert_rowid(store_db(s));
	st = store_stmt(s, "INSERT OR IGNORE INTO promise_invoice(promise_id, invoice_id) VALUES (?1, ?2)");
	for (int k = 0; k < p->ninvoices; k++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, p->invoice_ids[k]);
		if (store_step_done(st) != SQLITE_DONE) {
			sqlite3_reset(st);
			return store_error(s, "record a promise", cause);
		}
	}
	sqlite3_reset(st);
	if (promise_id)
		*promise_id = id;
	char *text = xasprintf("promise to pay by %s", promised);
	struct ledger_activity act = {
		.customer_id = p->customer_id, .date = p->made, .kind = "promise",
		.who = p->who ? p->who : ledger_user(), .text = text,
		.amount = p->amount, .currency = currency,
		.invoice_ids = p->invoice_ids, .ninvoices = p->ninvoices,
	};
	rc = ledger_activity_add(s, &act, NULL, cause);
	free(text);
	return rc;
}

/* The amounts received towards the promise, oldest first, dated in
 * [made, until]: allocations to its invoices, or with none the customer's
 * payments in its currency. */
static const char sql_paid_invoices[] =
	"SELECT a.date, a.amount FROM promise_invoice pi JOIN allocation a ON a.invoice_id = pi.invoice_id"
	" WHERE pi.promise_id = ?1 AND a.payment_id IS NOT NULL AND a.date >= ?2 AND a.date <= ?3"
	" ORDER BY a.date";
static const char sql_paid_account[] =
	"SELECT p.date, p.amount FROM promise r JOIN payment p ON p.customer_id = r.customer_id"
	" AND p.currency = r.currency WHERE r.id = ?1 AND p.amount > 0 AND p.date >= ?2 AND p.date <= ?3"
	" ORDER BY p.date";

int promise_status_at(struct store *s, int64_t promise_id, day_t d, int grace_days,
    enum promise_status *status, day_t *settled, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT amount, made_date, promised_date, EXISTS (SELECT 1 FROM promise_invoice WHERE promise_id = ?1)"
	    " FROM promise WHERE id = ?1");
	sqlite3_bind_int64(st, 1, promise_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read a promise", cause);
		return dun_fail(cause, DUN_EDATA, "promise #%lld: no such promise", (long long)promise_id);
	}
	money_t amount = sqlite3_column_int64(st, 0);
	day_t made = store_column_date(st, 1);
	day_t deadline = store_column_date(st, 2) + grace_days;
	bool covers = sqlite3_column_int(st, 3);
	sqlite3_reset(st);

	*status = PROMISE_OPEN;
	if (settled)
		*settled = DATE_NONE;
	if (d < made)
		return DUN_OK;
	st = store_stmt(s, covers ? sql_paid_invoices : sql_paid_account);
	sqlite3_bind_int64(st, 1, promise_id);
	store_bind_date(st, 2, made);
	store_bind_date(st, 3, d < deadline ? d : deadline);
	money_t paid = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		paid += sqlite3_column_int64(st, 1);
		if (paid >= amount) {
			*status = PROMISE_KEPT;
			if (settled)
				*settled = store_column_date(st, 0);
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, "read a promise's payments", cause);
	if (*status == PROMISE_OPEN && d > deadline) {
		*status = PROMISE_BROKEN;
		if (settled)
			*settled = deadline + 1;
	}
	return DUN_OK;
}

int promise_refresh(struct store *s, day_t today, int grace_days, char **cause)
{
	/* Ids first: the status query reuses cached statements. */
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM promise WHERE status = 'open' AND made_date <= ?1");
	store_bind_date(st, 1, today);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			ids = xreallocarray(ids, cap = cap ? cap * 2 : 64, sizeof *ids);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_error(s, "read promises", cause);
	}
	rc = DUN_OK;
	for (size_t i = 0; i < n && rc == DUN_OK; i++) {
		enum promise_status status;
		day_t settled;
		if ((rc = promise_status_at(s, ids[i], today, grace_days, &status, &settled, cause)) != DUN_OK ||
		    status == PROMISE_OPEN)
			continue;
		st = store_stmt(s, "UPDATE promise SET status = ?2, settled_date = ?3 WHERE id = ?1");
		sqlite3_bind_int64(st, 1, ids[i]);
		store_bind_text(st, 2, promise_status_name(status));
		store_bind_date(st, 3, settled);
		if (store_step_done(st) != SQLITE_DONE)
			rc = store_error(s, "update a promise", cause);
		sqlite3_reset(st);
	}
	free(ids);
	return rc;
}

int promise_invoice_paused(struct store *s, int64_t invoice_id, day_t d, int grace_days, bool *paused,
    char **cause)
{
	*paused = dispute_open_at(s, invoice_id, d);
	if (*paused)
		return DUN_OK;
	/* Promises made by d that cover the invoice, or its whole account. */
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT p.id FROM promise p JOIN invoice i ON i.customer_id = p.customer_id"
	    " WHERE i.id = ?1 AND p.made_date <= ?2 AND p.promised_date >= date(?2, ?3)"
	    " AND (EXISTS (SELECT 1 FROM promise_invoice pi WHERE pi.promise_id = p.id AND pi.invoice_id = i.id)"
	    "   OR NOT EXISTS (SELECT 1 FROM promise_invoice pi WHERE pi.promise_id = p.id))");
	char grace[32];
	snprintf(grace, sizeof grace, "%+d days", -grace_days);
	sqlite3_bind_int64(st, 1, invoice_id);
	store_bind_date(st, 2, d);
	store_bind_text(st, 3, grace);
	/* The status query uses other cached statements, so it can run while
	 * this one steps. */
	int rc = SQLITE_DONE;
	while (!*paused && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum promise_status status;
		int err = promise_status_at(s, sqlite3_column_int64(st, 0), d, grace_days, &status, NULL, cause);
		if (err != DUN_OK) {
			sqlite3_reset(st);
			return err;
		}
		*paused = status == PROMISE_OPEN;
	}
	sqlite3_reset(st);
	if (!*paused && rc != SQLITE_DONE)
		return store_error(s, "read promises", cause);
	return DUN_OK;
}
