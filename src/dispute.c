/* Disputes: checked here, one open per invoice also by a unique index. */
#include "dispute.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ledger.h"
#include "status.h"
#include "xalloc.h"

bool dispute_reason_valid(const char *reason)
{
	static const char *const reasons[] = {"billing", "delivery", "quality", "pricing", "other"};
	for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
		if (strcmp(reason, reasons[i]) == 0)
			return true;
	return false;
}

struct invoice_info {
	int64_t customer_id;
	char number[64];
	char currency[4];
	bool credit;
	money_t open;
};

static int read_invoice(struct store *s, int64_t id, struct invoice_info *out, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT customer_id, number, currency, kind = 'credit_note', open_amount FROM invoice WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->customer_id = sqlite3_column_int64(st, 0);
		snprintf(out->number, sizeof out->number, "%s", store_column_text(st, 1));
		snprintf(out->currency, sizeof out->currency, "%s", store_column_text(st, 2));
		out->credit = sqlite3_column_int(st, 3);
		out->open = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return DUN_OK;
	if (rc != SQLITE_DONE)
		return store_error(s, "read an invoice", cause);
	return dun_fail(cause, DUN_EDATA, "invoice #%lld: no such invoice", (long long)id);
}

/* The open dispute's id and opening date, or 0. */
static int64_t open_dispute(struct store *s, int64_t invoice_id, char opened[DATE_TEXT_MAX])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, opened FROM dispute WHERE invoice_id = ?1 AND resolved IS NULL");
	sqlite3_bind_int64(st, 1, invoice_id);
	int64_t id = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(opened, DATE_TEXT_MAX, "%s", store_column_text(st, 1));
	}
	sqlite3_reset(st);
	return id;
}

static int record(struct store *s, const struct invoice_info *inv, int64_t invoice_id, const char *kind,
    const char *text, money_t amount, day_t today, const char *who, char **cause)
{
	struct ledger_activity a = {
		.customer_id = inv->customer_id, .date = today, .kind = kind,
		.who = who ? who : ledger_user(), .text = text,
		.amount = amount, .currency = amount ? inv->currency : NULL,
		.invoice_ids = &invoice_id, .ninvoices = 1,
	};
	return ledger_activity_add(s, &a, NULL, cause);
}

int dispute_open(struct store *s, int64_t invoice_id, const char *reason, const char *owner, money_t amount,
    day_t today, const char *who, int64_t *dispute_id, char **cause)
{
	struct invoice_info inv;
	char opened[DATE_TEXT_MAX], a[MONEY_TEXT_MAX], b[MONEY_TEXT_MAX];
	int rc = read_invoice(s, invoice_id, &inv, cause);
	if (rc != DUN_OK)
		return rc;
	int exponent = money_exponent(inv.currency);
	if (!dispute_reason_valid(reason))
		return dun_fail(cause, DUN_EDATA,
		    "reason \"%s\": expected billing, delivery, quality, pricing or other", reason);
	if (inv.credit)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": a credit note cannot be disputed", inv.number);
	if (inv.open <= 0)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": already paid, nothing to dispute", inv.number);
	if (amount < 0 || amount > inv.open)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": disputed amount %s must be between 0 and the open %s",
		    inv.number, money_format(amount, exponent, a), money_format(inv.open, exponent, b));
	if (open_dispute(s, invoice_id, opened))
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": already under dispute since %s (resolve it first)",
		    inv.number, opened);
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO dispute(invoice_id, amount, reason, owner, opened) VALUES (?1, ?2, ?3, ?4, ?5)");
	sqlite3_bind_int64(st, 1, invoice_id);
	if (amount)
		sqlite3_bind_int64(st, 2, amount);
	store_bind_text(st, 3, reason);
	store_bind_text(st, 4, owner ? owner : "");
	store_bind_date(st, 5, today);
	rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "open a dispute", cause);
	if (dispute_id)
		*dispute_id = sqlite3_last_insert_rowid(store_db(s));
	char *text = owner && *owner ? xasprintf("dispute (%s), owner %s", reason, owner) : xasprintf("dispute (%s)", reason);
	rc = record(s, &inv, invoice_id, "dispute", text, amount ? amount : inv.open, today, who, cause);
	free(text);
	return rc;
}

int dispute_resolve(struct store *s, int64_t invoice_id, const char *resolution, day_t today, const char *who,
    char **cause)
{
	struct invoice_info inv;
	char opened[DATE_TEXT_MAX];
	int rc = read_invoice(s, invoice_id, &inv, cause);
	if (rc != DUN_OK)
		return rc;
	int64_t id = open_dispute(s, invoice_id, opened);
	if (id == 0)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": no open dispute to resolve", inv.number);
	day_t opened_day;
	if (date_parse_iso(opened, &opened_day) && today < opened_day)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": the dispute opens on %s, after today", inv.number, opened);
	sqlite3_stmt *st = store_stmt(s, "UPDATE dispute SET resolved = ?2, resolution = ?3 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, today);
	store_bind_text(st, 3, resolution);
	rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "resolve a dispute", cause);
	return record(s, &inv, invoice_id, "resolve", resolution, 0, today, who, cause);
}

bool dispute_open_at(struct store *s, int64_t invoice_id, day_t d)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT 1 FROM dispute WHERE invoice_id = ?1 AND opened <= ?2 AND (resolved IS NULL OR resolved > ?2)");
	sqlite3_bind_int64(st, 1, invoice_id);
	store_bind_date(st, 2, d);
	bool open = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return open;
}
