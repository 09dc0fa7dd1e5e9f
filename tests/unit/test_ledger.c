/* Allocations keep open amounts, unapplied cash and paid dates honest, and
 * refuse what would break them; the activity log only grows. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ledger.h"
#include "ledger_fixture.h"
#include "status.h"

static int setup(void **state)
{
	setenv("DUN_TODAY", "2026-03-01", 1);
	return fixture_setup(state);
}


/* Expects a refusal whose message contains want, and no row written. */
static void expect_refusal(struct fixture *f, int rc, char **cause, const char *want, int64_t allocations)
{
	assert_int_equal(rc, DUN_EDATA);
	assert_non_null(*cause);
	if (strstr(*cause, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", *cause, want);
	free(*cause);
	*cause = NULL;
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM allocation"), allocations);
}

static void test_payment_allocation(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "ACME", NULL, NULL);
	int64_t i1 = fixture_invoice(f, c, "F1", "2026-01-10", NULL, "EUR", 10000);
	int64_t p = fixture_payment(f, 0, "BANK1", "2026-01-05", "EUR", 15000);
	char *cause = NULL;
	int64_t a1 = 0;

	assert_int_equal(ledger_allocate_payment(f->store, p, i1, 4000, LEDGER_IMPORT, &a1, &cause), DUN_OK);
	assert_true(a1 > 0);
	/* Dated the invoice's issue date: the payment came in before it. */
	assert_int_equal(fixture_int(f, "SELECT date = '2026-01-10' FROM allocation"), 1);
	assert_int_equal(fixture_int(f, "SELECT open_amount FROM invoice WHERE number = 'F1'"), 6000);
	assert_int_equal(fixture_int(f, "SELECT unapplied FROM payment"), 11000);
	/* An unknown payer becomes the invoice's customer. */
	assert_int_equal(fixture_int(f, "SELECT customer_id FROM payment"), c);
	assert_int_equal(fixture_int(f, "SELECT paid_date IS NULL FROM invoice WHERE number = 'F1'"), 1);
	/* Imports are not activities. */
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity"), 0);

	assert_int_equal(ledger_allocate_payment(f->store, p, i1, 6000, LEDGER_MANUAL, NULL, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT open_amount FROM invoice WHERE number = 'F1'"), 0);
	assert_int_equal(fixture_int(f, "SELECT paid_date = '2026-01-10' FROM invoice WHERE number = 'F1'"), 1);
	assert_int_equal(fixture_int(f, "SELECT unapplied FROM payment"), 5000);
	assert_int_equal(fixture_int(f,
	    "SELECT count(*) FROM activity a JOIN activity_invoice ai ON ai.activity_id = a.id"
	    " WHERE a.kind = 'allocation' AND a.amount = 6000 AND a.who = 'tester' AND a.date = '2026-03-01'"
	    " AND ai.invoice_id = (SELECT id FROM invoice WHERE number = 'F1')"), 1);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "ACME", NULL, NULL);
	int64_t d = fixture_customer(f, "BETA", NULL, NULL);
	int64_t i1 = fixture_invoice(f, c, "F1", "2026-01-10", NULL, "EUR", 10000);
	int64_t usd = fixture_invoice(f, c, "F2", "2026-01-10", NULL, "USD", 10000);
	int64_t other = fixture_invoice(f, d, "F3", "2026-01-10", NULL, "EUR", 10000);
	int64_t cn = fixture_invoice(f, c, "C1", "2026-01-12", NULL, "EUR", -3000);
	int64_t p = fixture_payment(f, c, "BANK1", "2026-01-15", "EUR", 5000);
	int64_t refund = fixture_payment(f, c, "BANK2", "2026-01-15", "EUR", -500);
	char *cause = NULL;

	expect_refusal(f, ledger_allocate_payment(f->store, p, i1, 6000, LEDGER_MANUAL, NULL, &cause), &cause,
	    "exceeds its unapplied amount 50.00", 0);
	expect_refusal(f, ledger_allocate_payment(f->store, p, usd, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "currency EUR does not match", 0);
	expect_refusal(f, ledger_allocate_payment(f->store, p, other, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "another customer", 0);
	expect_refusal(f, ledger_allocate_payment(f->store, p, i1, 0, LEDGER_MANUAL, NULL, &cause), &cause,
	    "must be positive", 0);
	expect_refusal(f, ledger_allocate_payment(f->store, p, cn, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "cannot receive an allocation", 0);
	expect_refusal(f, ledger_allocate_payment(f->store, refund, i1, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "reversal or refund", 0);
	expect_refusal(f, ledger_allocate_payment(f->store, p, 999, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "no such invoice", 0);
	expect_refusal(f, ledger_allocate_credit(f->store, cn, i1, 3001, LEDGER_MANUAL, NULL, &cause), &cause,
	    "exceeds its unapplied amount 30.00", 0);
	expect_refusal(f, ledger_allocate_credit(f->store, i1, cn, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "not a credit note", 0);
	expect_refusal(f, ledger_allocate_credit(f->store, cn, other, 100, LEDGER_MANUAL, NULL, &cause), &cause,
	    "another customer", 0);

	/* Above the invoice's open amount, once part of it is paid. */
	cause = NULL;
	assert_int_equal(ledger_allocate_credit(f->store, cn, i1, 3000, LEDGER_RULE, NULL, &cause), DUN_OK);
	int64_t big = fixture_payment(f, c, "BANK3", "2026-01-20", "EUR", 50000);
	expect_refusal(f, ledger_allocate_payment(f->store, big, i1, 7001, LEDGER_MANUAL, NULL, &cause), &cause,
	    "exceeds its open amount 70.00", 1);
}

static void test_credit_and_undo(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "ACME", NULL, NULL);
	int64_t i1 = fixture_invoice(f, c, "F1", "2026-01-10", NULL, "EUR", 3000);
	int64_t cn = fixture_invoice(f, c, "C1", "2026-01-12", NULL, "EUR", -3000);
	char *cause = NULL;
	int64_t a = 0;

	assert_int_equal(ledger_allocate_credit(f->store, cn, i1, 3000, LEDGER_MANUAL, &a, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM invoice WHERE open_amount = 0"
	    " AND paid_date = '2026-01-12'"), 2);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'allocation'"), 1);

	assert_int_equal(ledger_unallocate(f->store, a, "alice", date_from_ymd(2026, 3, 2), &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM allocation"), 0);
	assert_int_equal(fixture_int(f, "SELECT open_amount FROM invoice WHERE number = 'F1'"), 3000);
	assert_int_equal(fixture_int(f, "SELECT open_amount FROM invoice WHERE number = 'C1'"), -3000);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM invoice WHERE paid_date IS NOT NULL"), 0);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'unallocation'"
	    " AND who = 'alice' AND date = '2026-03-02' AND text = 'C1 unallocated from F1'"), 1);

	assert_int_equal(ledger_unallocate(f->store, a, NULL, 0, &cause), DUN_EDATA);
	assert_non_null(strstr(cause, "no such allocation"));
	free(cause);
}

static void test_activity_append_only(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "ACME", NULL, NULL);
	int64_t ids[] = {
		fixture_invoice(f, c, "F1", "2026-01-10", NULL, "EUR", 3000),
		fixture_invoice(f, c, "F2", "2026-01-11", NULL, "EUR", 4000),
	};
	struct ledger_activity a = {
		.customer_id = c, .date = date_from_ymd(2026, 3, 1), .kind = "call",
		.who = "bob", .text = "left a message", .invoice_ids = ids, .ninvoices = 2,
	};
	int64_t id = 0;
	char *cause = NULL;
	assert_int_equal(ledger_activity_add(f->store, &a, &id, &cause), DUN_OK);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity_invoice"), 2);
	assert_int_equal(fixture_int(f, "SELECT amount IS NULL AND currency IS NULL FROM activity"), 1);
	assert_int_not_equal(sqlite3_exec(store_db(f->store), "UPDATE activity SET text = 'x'", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(f->store), "DELETE FROM activity", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(f->store), "DELETE FROM activity_invoice", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity"), 1);
}

static void test_lookups(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "ACME", NULL, NULL);
	int64_t i = fixture_invoice(f, c, "F-1", "2026-01-10", NULL, "EUR", 3000);
	assert_int_equal(ledger_customer_id(f->store, "ACME"), c);
	assert_int_equal(ledger_customer_id(f->store, "acme"), 0);
	assert_int_equal(ledger_invoice_id(f->store, "F-1"), i);
	assert_int_equal(ledger_invoice_id(f->store, "F-2"), 0);
	setenv("DUN_USER", "", 1);
	setenv("USER", "carol", 1);
	assert_string_equal(ledger_user(), "carol");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_payment_allocation, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_credit_and_undo, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_activity_append_only, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lookups, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
