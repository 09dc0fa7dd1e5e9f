/* Customer edits: one UPDATE guarded by the version read, so a stale edit
 * changes no row and is reported instead of overwriting. */
#include "customer.h"
#include <stdlib.h>
#include <string.h>
#include "ledger.h"
#include "status.h"
#include "terms.h"
#include "xalloc.h"

int customer_edit_load(struct store *s, int64_t customer_id, struct customer_edit *e, char **cause)
{
	static const char *const sql =
	    "SELECT version, email, phone, collector, segment, terms, credit_limit, on_hold FROM customer WHERE id = ?1";
	memset(e, 0, sizeof *e);
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, customer_id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read the customer", cause);
		return dun_fail(cause, DUN_EDATA, "customer %lld: no such customer", (long long)customer_id);
	}
	e->customer_id = customer_id;
	e->version = sqlite3_column_int64(st, 0);
	int col = 1;
#define X(name) e->name = xstrdup(store_column_text(st, col++));
	CUSTOMER_FIELD_LIST(X)
#undef X
	e->credit_limit = sqlite3_column_int64(st, col++);
	e->on_hold = sqlite3_column_int(st, col) != 0;
	sqlite3_reset(st);
	return DUN_OK;
}

void customer_edit_free(struct customer_edit *e)
{
#define X(name) free((char *)e->name);
	CUSTOMER_FIELD_LIST(X)
#undef X
	memset(e, 0, sizeof *e);
}

/* "phone: 01 → 02; terms: net 30 → net 45; on_hold: no → yes" for the
 * activity. */
static char *describe(const struct customer_edit *old, const struct customer_edit *e)
{
	struct buf b = {0};
#define X(name) \
	if (strcmp(old->name, e->name) != 0) \
		buf_printf(&b, "%s%s: %s → %s", b.len ? "; " : "", #name, old->name, e->name);
	CUSTOMER_FIELD_LIST(X)
#undef X
	if (old->credit_limit != e->credit_limit)
		buf_printf(&b, "%scredit_limit: %lld → %lld", b.len ? "; " : "", (long long)old->credit_limit,
		    (long long)e->credit_limit);
	if (old->on_hold != e->on_hold)
		buf_printf(&b, "%son_hold: %s → %s", b.len ? "; " : "", old->on_hold ? "yes" : "no", e->on_hold ? "yes" : "no");
	return b.len ? buf_take(&b) : NULL;
}

int customer_update(struct store *s, const struct customer_edit *e, char **cause)
{
	static const char *const sql =
	    "UPDATE customer SET email = ?3, phone = ?4, collector = ?5, segment = ?6, terms = ?7, credit_limit = ?8, "
	    "on_hold = ?9, version = version + 1 WHERE id = ?1 AND version = ?2";
	struct terms t;
	const char *why;
	char canonical[TERMS_TEXT_MAX];
	if (!terms_parse(e->terms, &t, &why))
		return dun_fail(cause, DUN_EDATA, "terms \"%s\": %s", e->terms, why);
	if (e->credit_limit < 0)
		return dun_fail(cause, DUN_EDATA, "credit_limit: must not be negative");
	terms_format(&t, canonical);
	struct customer_edit old;
	int rc = customer_edit_load(s, e->customer_id, &old, cause);
	if (rc != DUN_OK)
		return rc;
	if ((rc = store_begin(s, cause)) != DUN_OK) {
		customer_edit_free(&old);
		return rc;
	}
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, e->customer_id);
	sqlite3_bind_int64(st, 2, e->version);
	store_bind_text(st, 3, e->email);
	store_bind_text(st, 4, e->phone);
	store_bind_text(st, 5, e->collector);
	store_bind_text(st, 6, e->segment);
	store_bind_text(st, 7, canonical);
	sqlite3_bind_int64(st, 8, e->credit_limit);
	sqlite3_bind_int(st, 9, e->on_hold);
	rc = store_step_done(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = store_error(s, "edit the customer", cause);
		goto fail;
	}
	if (sqlite3_changes(store_db(s)) == 0) {
		rc = dun_fail(cause, DUN_EDATA,
		    "the customer was changed by someone else since you opened it (version %lld, now %lld): "
		    "nothing saved, reopen and edit again", (long long)e->version, (long long)old.version);
		goto fail;
	}
	struct customer_edit now = *e;
	now.terms = canonical;
	char *text = describe(&old, &now);
	struct ledger_activity a = {
		.customer_id = e->customer_id,
		.date = e->today,
		.kind = "edit",
		.who = e->who,
		.text = text ? text : "no change",
	};
	rc = ledger_activity_add(s, &a, NULL, cause);
	free(text);
	if (rc != DUN_OK)
		goto fail;
	customer_edit_free(&old);
	return store_commit(s, cause);
fail:
	store_rollback(s);
	customer_edit_free(&old);
	return rc;
}
