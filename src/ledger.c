/* The ledger's honest write paths: allocations (checked here, kept in step
 * by the schema's triggers) and the append-only activity log. */
#include "ledger.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"
#include "xalloc.h"

static const char *const how_names[] = {
	[LEDGER_IMPORT] = "import", [LEDGER_RULE] = "rule", [LEDGER_MANUAL] = "manual",
};

/* One side of an allocation as read from the store. */
struct side {
	int64_t id;
	int64_t customer_id;  /* 0 when unknown (payments only) */
	char number[64];      /* invoice number or payment reference, for messages */
	char kind[16];        /* invoice, credit_note, payment */
	char date[DATE_TEXT_MAX];
	char currency[4];
	money_t amount;
	money_t open;         /* open amount (invoice), unapplied (payment) */
};

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static int load_invoice(struct store *s, int64_t id, struct side *out, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT customer_id, number, kind, issue_date, currency, amount, open_amount FROM invoice WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read an invoice", cause);
		return dun_fail(cause, DUN_EDATA, "invoice #%lld: no such invoice", (long long)id);
	}
	out->id = id;
	out->customer_id = sqlite3_column_int64(st, 0);
	copy_text(out->number, sizeof out->number, store_column_text(st, 1));
	copy_text(out->kind, sizeof out->kind, store_column_text(st, 2));
	copy_text(out->date, sizeof out->date, store_column_text(st, 3));
	copy_text(out->currency, sizeof out->currency, store_column_text(st, 4));
	out->amount = sqlite3_column_int64(st, 5);
	out->open = sqlite3_column_int64(st, 6);
	sqlite3_reset(st);
	return DUN_OK;
}

static int load_payment(struct store *s, int64_t id, struct side *out, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT coalesce(customer_id, 0), reference, date, currency, amount, unapplied FROM payment WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read a payment", cause);
		return dun_fail(cause, DUN_EDATA, "payment #%lld: no such payment", (long long)id);
	}
	out->id = id;
	out->customer_id = sqlite3_column_int64(st, 0);
	copy_text(out->number, sizeof out->number, store_column_text(st, 1));
	copy_text(out->kind, sizeof out->kind, "payment");
	copy_text(out->date, sizeof out->date, store_column_text(st, 2));
	copy_text(out->currency, sizeof out->currency, store_column_text(st, 3));
	out->amount = sqlite3_column_int64(st, 4);
	out->open = sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return DUN_OK;
}

static char *format_amount(money_t amount, const char *currency, char *buf)
{
	int exponent = money_exponent(currency);
	return money_format(amount, exponent < 0 ? 2 : exponent, buf);
}

/* The checks both kinds of allocation share: a positive amount within what
 * the invoice still owes and what the source still has, same currency. */
static int check_allocation(const struct side *src, const char *src_what, money_t available,
    const struct side *inv, money_t amount, char **cause)
{
	char a[MONEY_TEXT_MAX], b[MONEY_TEXT_MAX];
	if (strcmp(inv->kind, "invoice") != 0)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": a %s cannot receive an allocation",
		    inv->number, inv->kind);
	if (amount <= 0)
		return dun_fail(cause, DUN_EDATA, "%s \"%s\": allocation amount %s must be positive",
		    src_what, src->number, format_amount(amount, inv->currency, a));
	if (strcmp(src->currency, inv->currency) != 0)
		return dun_fail(cause, DUN_EDATA, "%s \"%s\": currency %s does not match invoice \"%s\" in %s",
		    src_what, src->number, src->currency, inv->number, inv->currency);
	if (amount > inv->open)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": allocation %s exceeds its open amount %s",
		    inv->number, format_amount(amount, inv->currency, a), format_amount(inv->open, inv->currency, b));
	if (amount > available)
		return dun_fail(cause, DUN_EDATA, "%s \"%s\": allocation %s exceeds its unapplied amount %s",
		    src_what, src->number, format_amount(amount, inv->currency, a),
		    format_amount(available < 0 ? 0 : available, inv->currency, b));
	return DUN_OK;
}

static int insert_allocation(struct store *s, const struct side *inv, int64_t payment_id, int64_t credit_id,
    money_t amount, const char *date, enum ledger_how how, int64_t *allocation_id, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO allocation(invoice_id, payment_id, credit_id, amount, date, how) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	sqlite3_bind_int64(st, 1, inv->id);
	if (payment_id)
		sqlite3_bind_int64(st, 2, payment_id);
	if (credit_id)
		sqlite3_bind_int64(st, 3, credit_id);
	sqlite3_bind_int64(st, 4, amount);
	store_bind_text(st, 5, date);
	store_bind_text(st, 6, how_names[how]);
	int rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "allocate", cause);
	int64_t id = sqlite3_last_insert_rowid(store_db(s));
	if (allocation_id)
		*allocation_id = id;
	return DUN_OK;
}

/* The business date of an activity the caller did not date: today. */
static day_t activity_today(const char *fallback)
{
	day_t d;
	if (date_today(&d))
		return d;
	return date_parse_iso(fallback, &d) ? d : 0;
}

static int record_allocation(struct store *s, const struct side *inv, const char *kind, const char *text,
    money_t amount, const char *date, char **cause)
{
	struct ledger_activity a = {
		.customer_id = inv->customer_id,
		.date = activity_today(date),
		.kind = kind,
		.who = ledger_user(),
		.text = text,
		.amount = amount,
		.currency = inv->currency,
		.invoice_ids = &inv->id,
		.ninvoices = 1,
	};
	return ledger_activity_add(s, &a, NULL, cause);
}

/* Allocations are dated the later of both sides' dates, so that as of any
 * date an allocation never exists without both of its sides. */
static const char *later_date(const char *a, const char *b)
{
	return strcmp(a, b) >= 0 ? a : b;
}

static int set_payment_customer(struct store *s, int64_t payment_id, int64_t customer_id, const char *what,
    char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE payment SET customer_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, payment_id);
	sqlite3_bind_int64(st, 2, customer_id);
	int rc = store_step_done(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(s, what, cause);
}

int ledger_assign_payment(struct store *s, int64_t payment_id, int64_t customer_id, enum ledger_how how,
    char **cause)
{
	struct side pay;
	int rc = load_payment(s, payment_id, &pay, cause);
	if (rc != DUN_OK)
		return rc;
	if (pay.amount < 0)
		return dun_fail(cause, DUN_EDATA, "payment \"%s\": a reversal or refund is no customer's cash", pay.number);
	if (pay.customer_id == customer_id)
		return DUN_OK;
	if (pay.customer_id != 0)
		return dun_fail(cause, DUN_EDATA, "payment \"%s\": belongs to another customer", pay.number);
	if ((rc = set_payment_customer(s, payment_id, customer_id, "assign a payment", cause)) != DUN_OK
	    || how == LEDGER_IMPORT)
		return rc;
	char amount[MONEY_TEXT_MAX];
	char *text = xasprintf("payment %s assigned, %s %s unapplied (%s)", pay.number,
	    format_amount(pay.open, pay.currency, amount), pay.currency, how_names[how]);
	struct ledger_activity a = {
		.customer_id = customer_id,
		.date = activity_today(pay.date),
		.kind = "payment",
		.who = ledger_user(),
		.text = text,
		.amount = pay.open,
		.currency = pay.currency,
	};
	rc = ledger_activity_add(s, &a, NULL, cause);
	free(text);
	return rc;
}

int ledger_allocate_payment(struct store *s, int64_t payment_id, int64_t invoice_id,
    money_t amount, enum ledger_how how, int64_t *allocation_id, char **cause)
{
	struct side pay, inv;
	int rc;
	if ((rc = load_payment(s, payment_id, &pay, cause)) != DUN_OK ||
	    (rc = load_invoice(s, invoice_id, &inv, cause)) != DUN_OK)
		return rc;
	if (pay.amount < 0)
		return dun_fail(cause, DUN_EDATA, "payment \"%s\": a reversal or refund cannot be allocated", pay.number);
	if ((rc = check_allocation(&pay, "payment", pay.open, &inv, amount, cause)) != DUN_OK)
		return rc;
	if (pay.customer_id != 0 && pay.customer_id != inv.customer_id)
		return dun_fail(cause, DUN_EDATA, "payment \"%s\": belongs to another customer than invoice \"%s\"",
		    pay.number, inv.number);
	if (pay.customer_id == 0 && (rc = set_payment_customer(s, payment_id, inv.customer_id, "allocate", cause)) != DUN_OK)
		return rc;
	const char *date = later_date(pay.date, inv.date);
	if ((rc = insert_allocation(s, &inv, payment_id, 0, amount, date, how, allocation_id, cause)) != DUN_OK)
		return rc;
	if (how == LEDGER_IMPORT)
		return DUN_OK;
	char *text = xasprintf("payment %s allocated to %s (%s)", pay.number, inv.number, how_names[how]);
	rc = record_allocation(s, &inv, "allocation", text, amount, date, cause);
	free(text);
	return rc;
}

int ledger_allocate_credit(struct store *s, int64_t credit_id, int64_t invoice_id,
    money_t amount, enum ledger_how how, int64_t *allocation_id, char **cause)
{
	struct side cred, inv;
	int rc;
	if ((rc = load_invoice(s, credit_id, &cred, cause)) != DUN_OK ||
	    (rc = load_invoice(s, invoice_id, &inv, cause)) != DUN_OK)
		return rc;
	if (strcmp(cred.kind, "credit_note") != 0)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": not a credit note", cred.number);
	if ((rc = check_allocation(&cred, "credit note", -cred.open, &inv, amount, cause)) != DUN_OK)
		return rc;
	if (cred.customer_id != inv.customer_id)
		return dun_fail(cause, DUN_EDATA, "credit note \"%s\": belongs to another customer than invoice \"%s\"",
		    cred.number, inv.number);
	const char *date = later_date(cred.date, inv.date);
	if ((rc = insert_allocation(s, &inv, 0, credit_id, amount, date, how, allocation_id, cause)) != DUN_OK)
		return rc;
	if (how == LEDGER_IMPORT)
		return DUN_OK;
	char *text = xasprintf("credit note %s applied to %s (%s)", cred.number, inv.number, how_names[how]);
	rc = record_allocation(s, &inv, "allocation", text, amount, date, cause);
	free(text);
	return rc;
}

int ledger_unallocate(struct store *s, int64_t allocation_id, const char *who, day_t today, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT a.invoice_id, a.amount, coalesce(p.reference, c.number) FROM allocation a"
	    " LEFT JOIN payment p ON p.id = a.payment_id LEFT JOIN invoice c ON c.id = a.credit_id WHERE a.id = ?1");
	sqlite3_bind_int64(st, 1, allocation_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read an allocation", cause);
		return dun_fail(cause, DUN_EDATA, "allocation #%lld: no such allocation", (long long)allocation_id);
	}
	int64_t invoice_id = sqlite3_column_int64(st, 0);
	money_t amount = sqlite3_column_int64(st, 1);
	char source[64];
	copy_text(source, sizeof source, store_column_text(st, 2));
	sqlite3_reset(st);

	struct side inv;
	if ((rc = load_invoice(s, invoice_id, &inv, cause)) != DUN_OK)
		return rc;
	st = store_stmt(s, "DELETE FROM allocation WHERE id = ?1");
	sqlite3_bind_int64(st, 1, allocation_id);
	rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "undo an allocation", cause);

	char *text = xasprintf("%s unallocated from %s", source, inv.number);
	struct ledger_activity a = {
		.customer_id = inv.customer_id,
		.date = today,
		.kind = "unallocation",
		.who = who ? who : ledger_user(),
		.text = text,
		.amount = amount,
		.currency = inv.currency,
		.invoice_ids = &inv.id,
		.ninvoices = 1,
	};
	rc = ledger_activity_add(s, &a, NULL, cause);
	free(text);
	return rc;
}

int ledger_activity_add(struct store *s, const struct ledger_activity *a, int64_t *activity_id, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO activity(customer_id, date, kind, who, text, outcome, amount, currency)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	sqlite3_bind_int64(st, 1, a->customer_id);
	store_bind_date(st, 2, a->date);
	store_bind_text(st, 3, a->kind);
	store_bind_text(st, 4, a->who ? a->who : "");
	store_bind_text(st, 5, a->text ? a->text : "");
	store_bind_text(st, 6, a->outcome ? a->outcome : "");
	if (a->currency != NULL) {
		sqlite3_bind_int64(st, 7, a->amount);
		store_bind_text(st, 8, a->currency);
	}
	int rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "record an activity", cause);
	int64_t id = sqlite3_last_insert_rowid(store_db(s));
	st = store_stmt(s, "INSERT OR IGNORE INTO activity_invoice(activity_id, invoice_id) VALUES (?1, ?2)");
	for (int i = 0; i < a->ninvoices; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, a->invoice_ids[i]);
		rc = store_step_done(st);
		if (rc != SQLITE_DONE) {
			sqlite3_reset(st);
			return store_error(s, "record an activity", cause);
		}
	}
	sqlite3_reset(st);
	if (activity_id)
		*activity_id = id;
	return DUN_OK;
}

static int64_t lookup_id(sqlite3_stmt *st, const char *key)
{
	store_bind_text(st, 1, key);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

int64_t ledger_customer_id(struct store *s, const char *code)
{
	return lookup_id(store_stmt(s, "SELECT id FROM customer WHERE code = ?1"), code);
}

int64_t ledger_invoice_id(struct store *s, const char *number)
{
	return lookup_id(store_stmt(s, "SELECT id FROM invoice WHERE number = ?1"), number);
}

const char *ledger_user(void)
{
	const char *user = getenv("DUN_USER");
	if (user == NULL || *user == '\0')
		user = getenv("USER");
	return user != NULL && *user != '\0' ? user : "dun";
}
