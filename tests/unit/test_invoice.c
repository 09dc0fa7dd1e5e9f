/* An invoice's story: its fields and status as of a date, the payments
 * and credit notes allocated to it, its disputes, the promises covering it
 * (by name or as the customer's whole account), its dunning steps and the
 * activities that name it. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dispute.h"
#include "invoice.h"
#include "ledger.h"
#include "ledger_fixture.h"
#include "promise.h"
#include "status.h"


static day_t day(int y, int m, int d) { return date_from_ymd(y, m, d); }

static void load(struct fixture *f, int64_t id, day_t as_of, struct invoice_story *st)
{
	char *cause = NULL;
	if (invoice_story_load(f->store, id, as_of, 2, st, &cause) != DUN_OK)
		fail_msg("%s", cause);
}

/* F1 (1,000.00, due 01-31): 300.00 paid by P1, 200.00 by credit note C1,
 * a resolved and an open dispute, a promise for it and one for the whole
 * account, a reminder e-mail; F2 stays apart. */
static void test_whole_story(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL;
	int64_t c = fixture_customer(f, "ACME", "smb", "alice");
	int64_t f1 = fixture_invoice(f, c, "F1", "2026-01-01", "2026-01-31", "EUR", 100000);
	int64_t f2 = fixture_invoice(f, c, "F2", "2026-01-05", "2026-02-04", "EUR", 5000);
	int64_t c1 = fixture_invoice(f, c, "C1", "2026-02-10", "2026-02-10", "EUR", -20000);
	int64_t p1 = fixture_payment(f, c, "P1", "2026-02-15", "EUR", 30000);
	fixture_exec(f, "UPDATE invoice SET po = 'PO-7' WHERE number = 'F1'");
	assert_int_equal(ledger_allocate_payment(f->store, p1, f1, 30000, LEDGER_IMPORT, NULL, &cause), DUN_OK);
	assert_int_equal(ledger_allocate_credit(f->store, c1, f1, 20000, LEDGER_MANUAL, NULL, &cause), DUN_OK);
	assert_int_equal(dispute_open(f->store, f1, "pricing", "carol", 0, day(2026, 2, 20), NULL, NULL, &cause), DUN_OK);
	assert_int_equal(dispute_resolve(f->store, f1, "credit note C1", day(2026, 2, 25), NULL, &cause), DUN_OK);
	assert_int_equal(dispute_open(f->store, f1, "delivery", NULL, 10000, day(2026, 3, 1), NULL, NULL, &cause), DUN_OK);
	struct promise_new named = {.customer_id = c, .amount = 10000, .made = day(2026, 3, 2),
	    .promised = day(2026, 3, 10), .invoice_ids = &f1, .ninvoices = 1};
	struct promise_new whole = {.customer_id = c, .amount = 5000, .made = day(2026, 3, 3),
	    .promised = day(2026, 4, 30)};
	struct promise_new other = {.customer_id = c, .amount = 5000, .made = day(2026, 3, 4),
	    .promised = day(2026, 4, 30), .invoice_ids = &f2, .ninvoices = 1};
	assert_int_equal(promise_add(f->store, &named, NULL, &cause), DUN_OK);
	assert_int_equal(promise_add(f->store, &whole, NULL, &cause), DUN_OK);
	assert_int_equal(promise_add(f->store, &other, NULL, &cause), DUN_OK);
	fixture_exec(f, "INSERT INTO outbox (customer_id, date, channel, template, language, message_id, state)"
	    " VALUES (1, '2026-02-07', 'email', 'reminder-1', 'en', 'm1@x', 'sent')");
	fixture_exec(f, "INSERT INTO dunning_log (customer_id, invoice_id, date, scenario, step, channel, name, outbox_id)"
	    " VALUES (1, 1, '2026-02-07', 'standard', 2, 'email', 'reminder-1', 1),"
	    " (1, 2, '2026-02-11', 'standard', 2, 'email', 'reminder-1', NULL),"
	    " (1, 1, '2026-02-14', 'standard', 3, 'call', 'first call', NULL)");

	/* a call about F1 and F2, a note about F2, a dunning step of F1 */
	int64_t both[] = {f1, f2};
	struct ledger_activity call = {.customer_id = c, .date = day(2026, 3, 5), .kind = "call", .who = "bob",
	    .text = "called about F1 and F2", .outcome = "promise", .invoice_ids = both, .ninvoices = 2};
	struct ledger_activity note = {.customer_id = c, .date = day(2026, 3, 6), .kind = "note", .text = "F2 only",
	    .invoice_ids = &f2, .ninvoices = 1};
	struct ledger_activity step = {.customer_id = c, .date = day(2026, 2, 7), .kind = "dunning",
	    .text = "standard step 2", .invoice_ids = &f1, .ninvoices = 1};
	assert_int_equal(ledger_activity_add(f->store, &call, NULL, &cause), DUN_OK);
	assert_int_equal(ledger_activity_add(f->store, &note, NULL, &cause), DUN_OK);
	assert_int_equal(ledger_activity_add(f->store, &step, NULL, &cause), DUN_OK);

	struct invoice_story st;
	load(f, f1, day(2026, 3, 20), &st);
	assert_string_equal(st.number, "F1");
	assert_string_equal(st.customer_code, "ACME");
	assert_string_equal(st.kind, "invoice");
	assert_string_equal(st.currency, "EUR");
	assert_string_equal(st.po, "PO-7");
	assert_int_equal(st.issued, day(2026, 1, 1));
	assert_int_equal(st.due, day(2026, 1, 31));
	assert_int_equal(st.paid, DATE_NONE);
	assert_int_equal(st.amount, 100000);
	assert_int_equal(st.open, 50000);
	assert_int_equal(st.days_overdue, 48);
	assert_int_equal(st.status, INVOICE_DISPUTED);
	assert_string_equal(invoice_status_name(st.status), "disputed");

	assert_int_equal(st.nallocations, 2);
	assert_int_equal(st.allocations[0].date, day(2026, 2, 10));
	assert_true(st.allocations[0].credit);
	assert_string_equal(st.allocations[0].source, "C1");
	assert_int_equal(st.allocations[0].amount, 20000);
	assert_string_equal(st.allocations[0].how, "manual");
	assert_false(st.allocations[1].credit);
	assert_string_equal(st.allocations[1].source, "P1");
	assert_string_equal(st.allocations[1].how, "import");

	assert_int_equal(st.ndisputes, 2);
	assert_string_equal(st.disputes[0].reason, "pricing");
	assert_string_equal(st.disputes[0].owner, "carol");
	assert_int_equal(st.disputes[0].resolved, day(2026, 2, 25));
	assert_string_equal(st.disputes[0].resolution, "credit note C1");
	assert_int_equal(st.disputes[1].amount, 10000);
	assert_int_equal(st.disputes[1].resolved, DATE_NONE);

	/* newest first; F2's own promise is not F1's */
	assert_int_equal(st.npromises, 2);
	assert_true(st.promises[0].whole_account);
	assert_int_equal(st.promises[0].status, PROMISE_OPEN);
	assert_false(st.promises[1].whole_account);
	assert_int_equal(st.promises[1].made, day(2026, 3, 2));
	assert_int_equal(st.promises[1].promised, day(2026, 3, 10));
	assert_int_equal(st.promises[1].amount, 10000);
	assert_string_equal(st.promises[1].currency, "EUR");
	assert_int_equal(st.promises[1].status, PROMISE_BROKEN);
	assert_int_equal(st.promises[1].settled, day(2026, 3, 13));

	assert_int_equal(st.ndunning, 2);
	assert_int_equal(st.dunning[0].date, day(2026, 2, 7));
	assert_string_equal(st.dunning[0].scenario, "standard");
	assert_int_equal(st.dunning[0].step, 2);
	assert_string_equal(st.dunning[0].channel, "email");
	assert_string_equal(st.dunning[0].name, "reminder-1");
	assert_string_equal(st.dunning[0].outbox_state, "sent");
	assert_string_equal(st.dunning[1].channel, "call");
	assert_string_equal(st.dunning[1].outbox_state, "");

	/* what the ledger's writers linked to F1, oldest first, the dunning
	 * step apart: the disputes, the promise, the call, and the allocation
	 * by hand (an activity of the day it was made: the clock's) */
	assert_int_equal(fixture_int(f, "SELECT count(*) FROM activity_invoice WHERE invoice_id = 1"), 7);
	assert_int_equal(st.nhistory, 6);
	assert_int_equal(st.history[0].date, day(2026, 2, 20));
	assert_string_equal(st.history[0].kind, "dispute");
	assert_string_equal(st.history[1].kind, "resolve");
	assert_string_equal(st.history[3].kind, "promise");
	assert_string_equal(st.history[4].kind, "call");
	assert_int_equal(st.history[4].date, day(2026, 3, 5));
	assert_string_equal(st.history[4].who, "bob");
	assert_string_equal(st.history[4].text, "called about F1 and F2");
	assert_string_equal(st.history[4].outcome, "promise");
	assert_string_equal(st.history[5].kind, "allocation");
	invoice_story_free(&st);

	/* before the dispute: open, and not overdue before its due date */
	load(f, f1, day(2026, 1, 20), &st);
	assert_int_equal(st.status, INVOICE_OPEN);
	assert_int_equal(st.days_overdue, 0);
	invoice_story_free(&st);

	load(f, c1, day(2026, 3, 20), &st);
	assert_int_equal(st.status, INVOICE_CREDIT);
	assert_int_equal(st.days_overdue, 0);
	/* a credit note's allocations name the invoices it settled */
	assert_int_equal(st.nallocations, 1);
	assert_string_equal(st.allocations[0].source, "F1");
	assert_true(st.allocations[0].credit);
	assert_int_equal(st.allocations[0].amount, 20000);
	assert_int_equal(st.paid, day(2026, 2, 10));
	invoice_story_free(&st);
}

static void test_paid_and_missing(void **state)
{
	struct fixture *f = *state;
	char *cause = NULL;
	int64_t c = fixture_customer(f, "B", "", "");
	int64_t inv = fixture_invoice(f, c, "F9", "2026-01-01", "2026-01-31", "EUR", 5000);
	int64_t p = fixture_payment(f, c, "P9", "2026-02-03", "EUR", 5000);
	assert_int_equal(ledger_allocate_payment(f->store, p, inv, 5000, LEDGER_IMPORT, NULL, &cause), DUN_OK);
	struct invoice_story st;
	load(f, inv, day(2026, 3, 1), &st);
	assert_int_equal(st.status, INVOICE_PAID);
	assert_int_equal(st.paid, day(2026, 2, 3));
	assert_int_equal(st.days_overdue, 0);
	assert_int_equal(st.ndisputes + st.npromises + st.ndunning, 0);
	invoice_story_free(&st);

	assert_int_equal(invoice_story_load(f->store, 999, day(2026, 3, 1), 2, &st, &cause), DUN_EDATA);
	assert_string_equal(cause, "invoice 999: no such invoice");
	free(cause);
	invoice_story_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_story, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_paid_and_missing, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
