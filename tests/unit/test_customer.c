/* Customer edits: what changed is written with an "edit" activity naming
 * each field, and an edit made on a version someone else has since
 * changed is refused and writes nothing. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "customer.h"
#include "date.h"
#include "ledger_fixture.h"
#include "status.h"

static int setup(void **state)
{
	fixture_setup(state);
	fixture_customer(*state, "ACME", "smb", "alice");
	return 0;
}


static void load(struct fixture *f, struct customer_edit *e)
{
	char *cause = NULL;
	assert_int_equal(customer_edit_load(f->store, 1, e, &cause), DUN_OK);
	e->today = date_from_ymd(2026, 3, 1);
	e->who = "tester";
}

static void test_edit_written_with_activity(void **state)
{
	struct fixture *f = *state;
	struct customer_edit e;
	char *cause = NULL;
	load(f, &e);
	assert_int_equal(e.version, 1);
	char *old_phone = (char *)e.phone, *old_terms = (char *)e.terms;
	e.phone = "+33 1 00 00 00 00";
	e.terms = "NET45";
	e.credit_limit = 500000;
	assert_int_equal(customer_update(f->store, &e, &cause), DUN_OK);
	e.phone = old_phone;
	e.terms = old_terms;
	customer_edit_free(&e);
	assert_int_equal(fixture_int(f, "SELECT version FROM customer WHERE id = 1"), 2);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM customer WHERE terms = 'net 45' AND phone = '+33 1 00 00 00 00'"), 1);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'edit' AND who = 'tester' "
	    "AND text LIKE 'phone: % → +33 1 00 00 00 00; terms: net 30 → net 45; credit_limit: % → 500000'"), 1);
}

static void test_stale_version_refused(void **state)
{
	struct fixture *f = *state;
	struct customer_edit mine, theirs;
	char *cause = NULL;
	load(f, &mine);
	load(f, &theirs);
	char *phone = (char *)theirs.phone;
	theirs.phone = "0102030405";
	assert_int_equal(customer_update(f->store, &theirs, &cause), DUN_OK);
	theirs.phone = phone;
	customer_edit_free(&theirs);
	char *collector = (char *)mine.collector;
	mine.collector = "bob";
	assert_int_equal(customer_update(f->store, &mine, &cause), DUN_EDATA);
	assert_non_null(strstr(cause, "changed by someone else"));
	free(cause);
	mine.collector = collector;
	customer_edit_free(&mine);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM customer WHERE collector = 'alice' AND phone = '0102030405'"), 1);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'edit'"), 1);
}

static void test_bad_terms_refused(void **state)
{
	struct fixture *f = *state;
	struct customer_edit e;
	char *cause = NULL;
	load(f, &e);
	char *terms = (char *)e.terms;
	e.terms = "whenever";
	assert_int_equal(customer_update(f->store, &e, &cause), DUN_EDATA);
	assert_non_null(strstr(cause, "terms \"whenever\""));
	free(cause);
	e.terms = terms;
	customer_edit_free(&e);
	assert_int_equal(fixture_int(f, "SELECT version FROM customer WHERE id = 1"), 1);
}

/* The hold is a field like the others: read, written, named in the
 * activity, and put back by writing the state read before (the TUI's u). */
static void test_hold_set_and_lifted(void **state)
{
	struct fixture *f = *state;
	struct customer_edit before, e;
	char *cause = NULL;
	load(f, &before);
	assert_false(before.on_hold);
	load(f, &e);
	e.on_hold = true;
	assert_int_equal(customer_update(f->store, &e, &cause), DUN_OK);
	customer_edit_free(&e);
	assert_int_equal(fixture_int(f, "SELECT on_hold FROM customer WHERE id = 1"), 1);
	load(f, &e);
	assert_true(e.on_hold);
	customer_edit_free(&e);
	before.version = 2;
	assert_int_equal(customer_update(f->store, &before, &cause), DUN_OK);
	customer_edit_free(&before);
	assert_int_equal(fixture_int(f, "SELECT on_hold FROM customer WHERE id = 1"), 0);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'edit' AND text = 'on_hold: no → yes'"), 1);
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity WHERE kind = 'edit' AND text = 'on_hold: yes → no'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_edit_written_with_activity, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_stale_version_refused, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_terms_refused, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_hold_set_and_lifted, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
