/* Matching: reference keys, RF check digits, name normalisation, the
 * proposals' order on a small ledger, a reference to an invoice already
 * paid, and a manual match teaching the payer account. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "ledger.h"
#include "ledger_fixture.h"
#include "match.h"
#include "status.h"

static void assert_key(const char *text, const char *want)
{
	char *key = match_reference_key(text, strlen(text));
	assert_string_equal(key, want);
	free(key);
}

static void test_reference_keys(void **state)
{
	(void)state;
	assert_key("INV-2024-000123", "2024.123");
	assert_key("inv 2024/123", "2024.123");
	assert_key("INV2024-0123", "2024.123");
	assert_key("F 0007", "7");
	assert_key("000", "0");
	assert_key("no digits", "");
}

static void test_rf(void **state)
{
	(void)state;
	assert_true(match_rf_valid("RF18539007547034"));
	assert_true(match_rf_valid("RF18 5390 0754 7034"));
	assert_true(match_rf_valid("rf4520260040"));
	assert_false(match_rf_valid("RF19539007547034"));  /* check digits off by one */
	assert_false(match_rf_valid("RF18539007547035"));  /* a typo in the reference */
	assert_false(match_rf_valid("RF18"));
	assert_false(match_rf_valid("XX18539007547034"));
}

static void assert_name(const char *name, const char *want)
{
	char *n = match_name_normalise(name);
	assert_string_equal(n, want);
	free(n);
}

static void test_names(void **state)
{
	(void)state;
	assert_name("Société Générale d'Équipement SARL", "societe generale d equipement");
	assert_name("SOCIETE GENERALE D EQUIPEMENT", "societe generale d equipement");
	assert_name("Müller GmbH", "muller");
	assert_name("Straße & Co. KG", "strasse");
	assert_name("ACME, Inc.", "acme");
	assert_name("The Acme Corporation Ltd", "acme");
	assert_name("", "");
}

struct rows {
	int n;
	char text[8][160];
};

static void collect(void *arg, const struct match_payment *p, const struct match_proposal *m, bool applied)
{
	struct rows *r = arg;
	char *s = r->text[r->n++];
	int len = snprintf(s, 160, "%s %s %d %s [%s]:", p->reference, m->customer_code, m->confidence,
	    applied ? "yes" : "no", m->reason);
	for (int i = 0; i < m->nallocations; i++)
		len += snprintf(s + len, (size_t)(160 - len), " %s=%lld", m->allocations[i].number,
		    (long long)m->allocations[i].amount);
}

static void test_proposals(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t acme = fixture_customer(&f, "ACME", "", "");
	int64_t other = fixture_customer(&f, "OTHER", "", "");
	fixture_exec(&f, "UPDATE customer SET name = 'Acme SAS' WHERE code = 'ACME'");
	fixture_invoice(&f, acme, "INV-2026-000001", "2026-01-01", NULL, "EUR", 10000);
	fixture_invoice(&f, acme, "INV-2026-000002", "2026-02-01", NULL, "EUR", 20000);
	fixture_invoice(&f, acme, "INV-2026-000003", "2026-03-01", NULL, "EUR", 40000);
	fixture_invoice(&f, other, "INV-2026-000004", "2026-03-01", NULL, "EUR", 55500);
	int64_t p1 = fixture_payment(&f, 0, "P1", "2026-04-01", "EUR", 30000);
	int64_t p2 = fixture_payment(&f, 0, "P2", "2026-04-02", "EUR", 50000);
	int64_t p3 = fixture_payment(&f, 0, "P3", "2026-04-03", "EUR", 55500);
	fixture_exec(&f, "UPDATE payment SET remittance = 'inv 2026/1 + 2' WHERE reference = 'P1'");
	fixture_exec(&f, "UPDATE payment SET payer_name = 'ACME S.A.S.', payer_account = 'FR76X' WHERE reference = 'P2'");
	struct rows rows = { 0 };
	char *cause = NULL;
	assert_int_equal(match_run(f.store, NULL, MATCH_DEFAULT_THRESHOLD, false, collect, &rows, &cause), DUN_OK);
	assert_int_equal(rows.n, 3);
	/* "inv 2026/1 + 2": a reference and its continuation. */
	assert_string_equal(rows.text[0], "P1 ACME 99 no [reference]: INV-2026-000001=10000 INV-2026-000002=20000");
	/* By name: P1 took 001 and 002 in this run (not written): 500.00
	 * then pays 003 and leaves 100.00 unapplied, a guess. */
	assert_string_equal(rows.text[1], "P2 ACME 50 no [all open invoices, overpayment left unapplied (payer name)]: INV-2026-000003=40000");
	/* Unknown payer, one open invoice of that amount: never automatic. */
	assert_string_equal(rows.text[2], "P3 OTHER 60 no [amount only, payer unknown]: INV-2026-000004=55500");
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM allocation"), 0);
	(void)p1;
	(void)p3;

	/* A person matches P2; its payer account then names the customer. */
	int64_t inv3 = fixture_int(&f, "SELECT id FROM invoice WHERE number = 'INV-2026-000003'");
	money_t amount = 40000;
	assert_int_equal(match_apply_manual(f.store, p2, 0, &inv3, &amount, 1, date_from_ymd(2026, 4, 5), &cause), DUN_OK);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM payer_account WHERE account = 'FR76X' AND customer_id = 1"), 1);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM allocation WHERE how = 'manual'"), 1);
	fixture_payment(&f, 0, "P4", "2026-04-06", "EUR", 20000);
	fixture_exec(&f, "UPDATE payment SET payer_account = 'FR76X' WHERE reference = 'P4'");
	rows.n = 0;
	assert_int_equal(match_run(f.store, NULL, MATCH_DEFAULT_THRESHOLD, true, collect, &rows, &cause), DUN_OK);
	assert_string_equal(rows.text[0], "P1 ACME 99 yes [reference]: INV-2026-000001=10000 INV-2026-000002=20000");
	/* P1 took 001 and 002, the person 003: nothing open is left. */
	assert_string_equal(rows.text[3], "P4 ACME 0 no [no open invoice (payer account)]:");
	fixture_close(&f);
}

/* References whatever the blanks around their dashes and slashes and
 * the leading zeros of any digit group (SPEC §9). */
static void test_reference_spellings(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t acme = fixture_customer(&f, "ACME", "", "");
	static const char *const numbers[] = { "INV-2026-000101", "INV-2026-000102", "FA-07-000123", "FA-07-000124" };
	static const char *const texts[] = { "inv - 2026 - 101", "INV 2026 / 0102", "fa 7 123", "FA / 007 / 124" };
	for (int i = 0; i < 4; i++) {
		fixture_invoice(&f, acme, numbers[i], "2026-01-01", NULL, "EUR", 10000 * (i + 1));
		char reference[8], *sql;
		snprintf(reference, sizeof reference, "P%d", i + 1);
		fixture_payment(&f, 0, reference, "2026-04-01", "EUR", 500);
		sql = sqlite3_mprintf("UPDATE payment SET remittance = %Q WHERE reference = %Q", texts[i], reference);
		fixture_exec(&f, sql);
		sqlite3_free(sql);
	}
	struct rows rows = { 0 };
	char *cause = NULL;
	assert_int_equal(match_run(f.store, NULL, MATCH_DEFAULT_THRESHOLD, false, collect, &rows, &cause), DUN_OK);
	assert_int_equal(rows.n, 4);
	for (int i = 0; i < 4; i++) {
		char want[160];
		snprintf(want, sizeof want, "P%d ACME 80 no [reference, partial payment]: %s=500", i + 1, numbers[i]);
		assert_string_equal(rows.text[i], want);
	}
	fixture_close(&f);
}

/* A date is no reference, whichever way it is written: neither its day
 * nor its month names invoice F000005, F000006 or F000011. */
static void test_dates_are_no_references(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t acme = fixture_customer(&f, "ACME", "", "");
	fixture_invoice(&f, acme, "F000005", "2026-01-01", NULL, "EUR", 10000);
	fixture_invoice(&f, acme, "F000006", "2026-01-01", NULL, "EUR", 20000);
	fixture_invoice(&f, acme, "F000011", "2026-01-01", NULL, "EUR", 30000);
	fixture_payment(&f, 0, "P1", "2026-11-06", "EUR", 500);
	fixture_payment(&f, 0, "P2", "2026-11-06", "EUR", 500);
	fixture_payment(&f, 0, "P3", "2026-11-06", "EUR", 500);
	fixture_exec(&f, "UPDATE payment SET remittance = CASE reference WHEN 'P1' THEN 'virement du 2026-11-05'"
	    " WHEN 'P2' THEN 'paid 2026.11.06, thanks' ELSE 'le 05/11/2026' END");
	struct rows rows = { 0 };
	char *cause = NULL;
	assert_int_equal(match_run(f.store, NULL, MATCH_DEFAULT_THRESHOLD, false, collect, &rows, &cause), DUN_OK);
	assert_int_equal(rows.n, 3);
	for (int i = 0; i < 3; i++) {
		char want[64];
		snprintf(want, sizeof want, "P%d  0 no [no reference, payer unknown]:", i + 1);
		assert_string_equal(rows.text[i], want);
	}
	fixture_close(&f);
}

/* A payment that already belongs to a customer never gets another's
 * invoice, whatever its text says (the ledger would refuse it). */
static void test_payment_customer_wins(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t acme = fixture_customer(&f, "ACME", "", "");
	int64_t other = fixture_customer(&f, "OTHER", "", "");
	fixture_invoice(&f, acme, "INV-2026-000001", "2026-01-01", NULL, "EUR", 10000);
	fixture_payment(&f, other, "P1", "2026-04-01", "EUR", 10000);
	fixture_exec(&f, "UPDATE payment SET remittance = 'INV-2026-000001' WHERE reference = 'P1'");
	struct rows rows = { 0 };
	char *cause = NULL;
	assert_int_equal(match_run(f.store, NULL, 0, true, collect, &rows, &cause), DUN_OK);
	assert_string_equal(rows.text[0], "P1 OTHER 0 no [reference to another customer's invoice]:");
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM allocation"), 0);
	fixture_close(&f);
}

/* A remittance naming only an invoice already paid (a customer paying it
 * twice) names its customer: nothing allocated, the money that customer's
 * unapplied cash; unless the payer's own open invoice takes it all. */
static void test_paid_twice(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t acme = fixture_customer(&f, "ACME", "", "");
	fixture_exec(&f, "UPDATE customer SET name = 'Acme SAS' WHERE code = 'ACME'");
	int64_t inv1 = fixture_invoice(&f, acme, "INV-2026-000001", "2026-01-01", NULL, "EUR", 10000);
	fixture_invoice(&f, acme, "INV-2026-000002", "2026-02-01", NULL, "EUR", 20000);
	int64_t p0 = fixture_payment(&f, 0, "P0", "2026-03-01", "EUR", 10000);
	char *cause = NULL;
	assert_int_equal(ledger_allocate_payment(f.store, p0, inv1, 10000, LEDGER_IMPORT, NULL, &cause), DUN_OK);
	int64_t p1 = fixture_payment(&f, 0, "P1", "2026-04-01", "EUR", 10000);
	fixture_payment(&f, 0, "P2", "2026-04-02", "EUR", 20000);
	int64_t p3 = fixture_payment(&f, 0, "P3", "2026-04-03", "EUR", 7000);
	fixture_exec(&f, "UPDATE payment SET remittance = 'inv 2026/1' WHERE reference IN ('P1', 'P2', 'P3')");
	fixture_exec(&f, "UPDATE payment SET payer_name = 'ACME' WHERE reference = 'P2'");
	struct rows rows = { 0 };
	assert_int_equal(match_run(f.store, NULL, MATCH_DEFAULT_THRESHOLD, true, collect, &rows, &cause), DUN_OK);
	assert_int_equal(rows.n, 3);
	/* The number rebuilt from the ledger's shape "INV-2026-000002". */
	assert_string_equal(rows.text[0], "P1 ACME 93 yes [reference INV-2026-000001 already paid]:");
	assert_string_equal(rows.text[1], "P2 ACME 90 yes [amount (payer name)]: INV-2026-000002=20000");
	/* Another amount from a stranger: the customer, not sure enough. */
	assert_string_equal(rows.text[2], "P3 ACME 80 no [reference INV-2026-000001 already paid]:");
	assert_int_equal(fixture_int(&f, "SELECT customer_id FROM payment WHERE reference = 'P1'"), acme);
	assert_int_equal(fixture_int(&f, "SELECT unapplied FROM payment WHERE reference = 'P1'"), 10000);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM allocation"), 2);
	/* A person accepts P3 as ACME's unapplied cash (the matching view). */
	assert_int_equal(match_apply_manual(f.store, p3, acme, NULL, NULL, 0, date_from_ymd(2026, 4, 5), &cause), DUN_OK);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM payment WHERE reference = 'P3' AND customer_id = 1 AND unapplied = 7000"), 1);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM activity WHERE kind = 'payment' AND text LIKE '%(manual)'"), 1);
	(void)p1;
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_keys),
		cmocka_unit_test(test_rf),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_proposals),
		cmocka_unit_test(test_reference_spellings),
		cmocka_unit_test(test_dates_are_no_references),
		cmocka_unit_test(test_payment_customer_wins),
		cmocka_unit_test(test_paid_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
