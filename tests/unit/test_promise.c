/* Promises kept, broken and open at any date, with grace days; disputes
 * opened and resolved; what pauses dunning at a date. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dispute.h"
#include "ledger.h"
#include "ledger_fixture.h"
#include "promise.h"
#include "status.h"


static day_t day(int y, int m, int d) { return date_from_ymd(y, m, d); }

static enum promise_status status_at(struct fixture *f, int64_t id, day_t d, day_t *settled)
{
	enum promise_status st;
	char *cause = NULL;
	if (promise_status_at(f->store, id, d, 2, &st, settled, &cause) != DUN_OK)
		fail_msg("%s", cause);
	return st;
}

static bool paused_at(struct fixture *f, int64_t invoice, day_t d)
{
	bool paused;
	char *cause = NULL;
	if (promise_invoice_paused(f->store, invoice, d, 2, &paused, &cause) != DUN_OK)
		fail_msg("%s", cause);
	return paused;
}

/* 500.00 promised on 03-31 for F1 and F2 by 04-10 (grace to 04-12):
 * 300.00 paid on 04-05 and 200.00 on 04-12 keep it on 04-12. */
static void test_kept_within_grace(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "A", "", "");
	int64_t inv[] = {
		fixture_invoice(f, c, "F1", "2026-01-01", "2026-01-31", "EUR", 40000),
		fixture_invoice(f, c, "F2", "2026-02-01", "2026-03-03", "EUR", 40000),
	};
	int64_t other = fixture_invoice(f, c, "F3", "2026-02-01", "2026-03-03", "EUR", 10000);
	struct promise_new p = {.customer_id = c, .amount = 50000, .made = day(2026, 3, 31),
	    .promised = day(2026, 4, 10), .invoice_ids = inv, .ninvoices = 2};
	int64_t id;
	char *cause = NULL;
	assert_int_equal(promise_add(f->store, &p, &id, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'promise' AND amount = 50000"
	    " AND text = 'promise to pay by 2026-04-10' AND who = 'tester'"), 1);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM promise_invoice"), 2);

	int64_t p1 = fixture_payment(f, c, "P1", "2026-04-05", "EUR", 30000);
	int64_t p2 = fixture_payment(f, c, "P2", "2026-04-12", "EUR", 20000);
	assert_int_equal(ledger_allocate_payment(f->store, p1, inv[0], 30000, LEDGER_IMPORT, NULL, &cause), DUN_OK);
	assert_int_equal(ledger_allocate_payment(f->store, p2, inv[1], 20000, LEDGER_IMPORT, NULL, &cause), DUN_OK);

	day_t settled;
	assert_int_equal(status_at(f, id, day(2026, 3, 30), &settled), PROMISE_OPEN); /* not made yet */
	assert_int_equal(status_at(f, id, day(2026, 4, 5), &settled), PROMISE_OPEN);
	assert_int_equal(settled, DATE_NONE);
	assert_int_equal(status_at(f, id, day(2026, 4, 11), NULL), PROMISE_OPEN);
	assert_int_equal(status_at(f, id, day(2026, 4, 12), &settled), PROMISE_KEPT);
	assert_int_equal(settled, day(2026, 4, 12));
	assert_int_equal(status_at(f, id, day(2027, 1, 1), NULL), PROMISE_KEPT);

	/* Covered invoices pause while the promise is open; others do not. */
	assert_false(paused_at(f, inv[0], day(2026, 3, 30)));
	assert_true(paused_at(f, inv[0], day(2026, 4, 1)));
	assert_true(paused_at(f, inv[1], day(2026, 4, 11)));
	assert_false(paused_at(f, other, day(2026, 4, 1)));
	assert_false(paused_at(f, inv[0], day(2026, 4, 12)));

	/* The stored status follows only once refreshed. */
	assert_int_equal(promise_refresh(f->store, day(2026, 4, 11), 2, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT status = 'open' AND settled_date IS NULL FROM promise"), 1);
	assert_int_equal(promise_refresh(f->store, day(2026, 4, 20), 2, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT status = 'kept' AND settled_date = '2026-04-12' FROM promise"), 1);
}

/* A promise on the account (no invoice): the customer's payments count;
 * 99.99 of 100.00 by 04-12 breaks it on 04-13. */
static void test_broken_account_promise(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "A", "", "");
	int64_t f1 = fixture_invoice(f, c, "F1", "2026-01-01", "2026-01-31", "EUR", 40000);
	struct promise_new p = {.customer_id = c, .amount = 10000, .made = day(2026, 3, 31),
	    .promised = day(2026, 4, 10)};
	int64_t id;
	char *cause = NULL;
	assert_int_equal(promise_add(f->store, &p, &id, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT currency = 'EUR' FROM promise"), 1);
	fixture_payment(f, c, "OLD", "2026-03-30", "EUR", 50000); /* before the promise: not towards it */
	fixture_payment(f, c, "P1", "2026-04-02", "EUR", 9999);
	fixture_payment(f, c, "LATE", "2026-04-13", "EUR", 1);
	day_t settled;
	assert_int_equal(status_at(f, id, day(2026, 4, 12), &settled), PROMISE_OPEN);
	assert_true(paused_at(f, f1, day(2026, 4, 12))); /* an account promise covers every invoice */
	assert_int_equal(status_at(f, id, day(2026, 4, 13), &settled), PROMISE_BROKEN);
	assert_int_equal(settled, day(2026, 4, 13));
	assert_false(paused_at(f, f1, day(2026, 4, 13)));
}

static void test_promise_refusals(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "A", "", "");
	int64_t d = fixture_customer(f, "B", "", "");
	int64_t f1 = fixture_invoice(f, c, "F1", "2026-01-01", NULL, "EUR", 10000);
	int64_t usd = fixture_invoice(f, c, "U1", "2026-01-01", NULL, "USD", 10000);
	int64_t theirs = fixture_invoice(f, d, "G1", "2026-01-01", NULL, "EUR", 10000);
	int64_t cn = fixture_invoice(f, c, "C1", "2026-01-01", NULL, "EUR", -100);
	struct {
		int64_t ids[2];
		int n;
		money_t amount;
		day_t promised;
		const char *why;
	} bad[] = {
		{{0}, 0, 100, day(2026, 3, 30), "in the past"},
		{{0}, 0, 0, day(2026, 4, 1), "positive amount"},
		{{f1, usd}, 2, 100, day(2026, 4, 1), "one promise per currency"},
		{{theirs}, 1, 100, day(2026, 4, 1), "belongs to customer \"B\""},
		{{cn}, 1, 100, day(2026, 4, 1), "credit note"},
		{{f1}, 1, 10001, day(2026, 4, 1), "more than the 100.00 EUR"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct promise_new p = {.customer_id = c, .amount = bad[i].amount, .made = day(2026, 3, 31),
		    .promised = bad[i].promised, .invoice_ids = bad[i].ids, .ninvoices = bad[i].n};
		char *cause = NULL;
		assert_int_equal(promise_add(f->store, &p, NULL, &cause), DUN_EDATA);
		if (strstr(cause, bad[i].why) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, cause, bad[i].why);
		free(cause);
	}
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM promise"), 0);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity"), 0);
}

static void test_disputes(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "A", "", "");
	int64_t f1 = fixture_invoice(f, c, "F1", "2026-01-01", NULL, "EUR", 10000);
	int64_t paid = fixture_invoice(f, c, "F2", "2026-01-01", NULL, "EUR", 5000);
	int64_t p = fixture_payment(f, c, "P", "2026-01-05", "EUR", 5000);
	char *cause = NULL;
	assert_int_equal(ledger_allocate_payment(f->store, p, paid, 5000, LEDGER_IMPORT, NULL, &cause), DUN_OK);

	assert_int_equal(dispute_open(f->store, f1, "delivery", "bob", 2500, day(2026, 2, 1), NULL, NULL, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'dispute' AND amount = 2500"), 1);
	assert_false(dispute_open_at(f->store, f1, day(2026, 1, 31)));
	assert_true(dispute_open_at(f->store, f1, day(2026, 2, 1)));
	assert_true(paused_at(f, f1, day(2026, 2, 10)));

	assert_int_equal(dispute_open(f->store, f1, "billing", NULL, 0, day(2026, 2, 2), NULL, NULL, &cause), DUN_EDATA);
	assert_non_null(strstr(cause, "already under dispute since 2026-02-01"));
	free(cause), cause = NULL;
	assert_int_equal(dispute_open(f->store, paid, "billing", NULL, 0, day(2026, 2, 2), NULL, NULL, &cause), DUN_EDATA);
	assert_non_null(strstr(cause, "already paid"));
	free(cause), cause = NULL;
	assert_int_equal(dispute_open(f->store, f1, "weather", NULL, 0, day(2026, 2, 2), NULL, NULL, &cause), DUN_EDATA);
	free(cause), cause = NULL;

	assert_int_equal(dispute_resolve(f->store, f1, "credit note issued", day(2026, 2, 20), "carol", &cause), DUN_OK);
	assert_true(dispute_open_at(f->store, f1, day(2026, 2, 19)));
	assert_false(dispute_open_at(f->store, f1, day(2026, 2, 20)));
	assert_false(paused_at(f, f1, day(2026, 2, 20)));
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'resolve' AND who = 'carol'"
	    " AND text = 'credit note issued'"), 1);
	assert_int_equal(dispute_resolve(f->store, f1, "again", day(2026, 2, 21), NULL, &cause), DUN_EDATA);
	assert_non_null(strstr(cause, "no open dispute"));
	free(cause), cause = NULL;
	/* A resolved dispute leaves room for a new one. */
	assert_int_equal(dispute_open(f->store, f1, "quality", NULL, 0, day(2026, 3, 1), NULL, NULL, &cause), DUN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kept_within_grace, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_broken_account_promise, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_promise_refusals, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_disputes, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
