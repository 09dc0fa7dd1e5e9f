/* The customer filter's terms: what each sets, and the clear refusal of
 * an unknown, repeated or bad term; the REGEXP operator that runs its
 * pattern in SQL. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "customer_filter.h"
#include "ledger_fixture.h"
#include "status.h"
#include "user_regex.h"

static void test_terms(void **state)
{
	(void)state;
	struct customer_filter f;
	char *cause = NULL;
	assert_int_equal(customer_filter_parse("  profile=risky class=e\tcollector=alice segment=smb overdue ^AC ", &f, &cause),
	    DUN_OK);
	assert_string_equal(f.profile, "risky");
	assert_string_equal(f.class, "E");
	assert_string_equal(f.collector, "alice");
	assert_string_equal(f.segment, "smb");
	assert_true(f.overdue);
	assert_string_equal(f.pattern, "^AC");
	assert_string_equal(f.text, "profile=risky class=e collector=alice segment=smb overdue ^AC");
	customer_filter_free(&f);

	/* a pattern with '=' in it is still a pattern */
	assert_int_equal(customer_filter_parse("(?=A)", &f, &cause), DUN_OK);
	assert_string_equal(f.pattern, "(?=A)");
	assert_null(f.profile);
	assert_false(f.overdue);
	customer_filter_free(&f);

	assert_int_equal(customer_filter_parse("   ", &f, &cause), DUN_OK);
	assert_null(f.text);
	customer_filter_free(&f);

	/* a pattern keeps its backslashes; in double quotes, its blanks */
	assert_int_equal(customer_filter_parse("\"Acme In\" class=e", &f, &cause), DUN_OK);
	assert_string_equal(f.pattern, "Acme In");
	assert_string_equal(f.text, "\"Acme In\" class=e");
	customer_filter_free(&f);
	assert_int_equal(customer_filter_parse("^C\\d+\\s", &f, &cause), DUN_OK);
	assert_string_equal(f.pattern, "^C\\d+\\s");
	customer_filter_free(&f);
}

static void refused(const char *expr, const char *why)
{
	struct customer_filter f;
	char *cause = NULL;
	assert_int_equal(customer_filter_parse(expr, &f, &cause), DUN_EUSAGE);
	if (strstr(cause, why) == NULL)
		fail_msg("\"%s\": %s", expr, cause);
	free(cause);
	assert_null(f.text);
	assert_null(f.profile);
}

static void test_refused(void **state)
{
	(void)state;
	refused("foo=bar", "filter: unknown term \"foo=bar\" (profile=, class=, collector=, segment=, overdue or a pattern)");
	refused("profile=lazy", "profile \"lazy\": prompt, slow, erratic, deteriorating or risky");
	refused("class=F", "class \"F\": one of A, B, C, D, E");
	refused("class=AB", "class \"AB\"");
	refused("collector=", "\"collector=\" needs a value");
	refused("profile=risky profile=slow", "\"profile\" given twice");
	refused("overdue overdue", "\"overdue\" given twice");
	refused("ACME BRUN", "one pattern only");
	refused("\"Acme In", "filter: a quote is not closed (\"Acme In)");
	refused("overdue (x", "pattern \"(x\" at 2: missing closing parenthesis");
}

static void test_sql_regexp(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	fixture_customer(&f, "ACME", "", "");
	fixture_customer(&f, "BRUN", "", "");
	fixture_exec(&f, "UPDATE customer SET name = 'Café Crème' WHERE code = 'BRUN'");
	assert_int_equal(user_regex_sql_register(store_db(f.store)), SQLITE_OK);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM customer WHERE code REGEXP '^ac'"), 1);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM customer WHERE name REGEXP 'CRÈME$'"), 1);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM customer WHERE code REGEXP '.'"), 2);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM customer WHERE (NULL IS NULL OR code REGEXP NULL)"), 2);
	/* a catastrophic pattern stops at the match limit: no match, no hang */
	assert_int_equal(fixture_int(&f, "SELECT 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab' "
	    "REGEXP '(a+)+$x'"), 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f.store), "SELECT code REGEXP '(x' FROM customer", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
	sqlite3_finalize(st);
	assert_non_null(strstr(sqlite3_errmsg(store_db(f.store)), "missing closing parenthesis"));
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_sql_regexp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
