#include "ledger_fixture.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

void fixture_open(struct fixture *f)
{
	snprintf(f->dir, sizeof f->dir, "/tmp/dun-test-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/ledger.db", f->dir);
	char *cause = NULL;
	int rc = store_open(f->path, STORE_CREATE, &f->store, &cause);
	if (rc != 0)
		fail_msg("store_open: %s", cause);
	/* Tests need no durability; this keeps thousands of cases fast. */
	fixture_exec(f, "PRAGMA synchronous = OFF");
}

void fixture_close(struct fixture *f)
{
	store_close(f->store);
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s%s", f->path, suffixes[i]);
		unlink(path);
	}
	rmdir(f->dir);
}

int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	fixture_open(f);
	setenv("DUN_USER", "tester", 1);
	*state = f;
	return 0;
}

int fixture_teardown(void **state)
{
	fixture_close(*state);
	free(*state);
	return 0;
}

void fixture_exec(struct fixture *f, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(store_db(f->store), sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

void fixture_clear(struct fixture *f)
{
	fixture_exec(f,
	    "DROP TRIGGER activity_no_delete; DROP TRIGGER activity_invoice_no_delete;"
	    "DELETE FROM activity_invoice; DELETE FROM activity; DELETE FROM promise_invoice; DELETE FROM promise;"
	    "DELETE FROM dispute; DELETE FROM allocation; DELETE FROM payment; DELETE FROM invoice;"
	    "DELETE FROM rate; DELETE FROM customer;"
	    "CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN"
	    " SELECT RAISE(ABORT, 'the activity log is append-only'); END;"
	    "CREATE TRIGGER activity_invoice_no_delete BEFORE DELETE ON activity_invoice BEGIN"
	    " SELECT RAISE(ABORT, 'the activity log is append-only'); END;");
}

static int64_t insert(struct fixture *f, const char *sql, int n, const char **text, const int64_t *ints)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), SQLITE_OK);
	for (int i = 0; i < n; i++) {
		if (text[i])
			sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(st, i + 1, ints[i]);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(f->store)));
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(store_db(f->store));
}

int64_t fixture_customer(struct fixture *f, const char *code, const char *segment, const char *collector)
{
	const char *text[] = {code, code, segment ? segment : "", collector ? collector : ""};
	return insert(f, "INSERT INTO customer(code, name, segment, collector) VALUES (?1, ?2 || ' Ltd', ?3, ?4)",
	    4, text, NULL);
}

int64_t fixture_invoice(struct fixture *f, int64_t customer, const char *number, const char *issue,
    const char *due, const char *currency, int64_t amount)
{
	const char *text[] = {NULL, number, issue, due ? due : "", currency, NULL};
	int64_t ints[] = {customer, 0, 0, 0, 0, amount};
	return insert(f,
	    "INSERT INTO invoice(customer_id, number, kind, issue_date, due_date, currency, amount, open_amount)"
	    " VALUES (?1, ?2, CASE WHEN ?6 < 0 THEN 'credit_note' ELSE 'invoice' END, ?3,"
	    " CASE WHEN ?4 = '' THEN date(?3, '+30 days') ELSE ?4 END, ?5, ?6, ?6)", 6, text, ints);
}

int64_t fixture_payment(struct fixture *f, int64_t customer, const char *reference, const char *date,
    const char *currency, int64_t amount)
{
	const char *text[] = {NULL, reference, date, currency, NULL};
	int64_t ints[] = {customer, 0, 0, 0, amount};
	return insert(f,
	    "INSERT INTO payment(customer_id, reference, date, currency, amount, unapplied)"
	    " VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5, ?5)", 5, text, ints);
}

int64_t fixture_int(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->store), sql, -1, &st, NULL), SQLITE_OK);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(f->store)));
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}
