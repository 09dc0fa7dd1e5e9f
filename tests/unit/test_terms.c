/* Payment terms: the examples of SPEC §5, the grammar's edges, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "store.h"
#include "terms.h"

static day_t iso(const char *text)
{
	day_t d;
	assert_true(date_parse_iso(text, &d));
	return d;
}

/* Parses terms and checks the due date (and discount date, or "" for
 * none) they give an issue date. */
static void check_terms(const char *text, const char *issue, const char *due, const char *discount)
{
	struct terms t;
	const char *why = NULL;
	char buf[DATE_TEXT_MAX];
	if (!terms_parse(text, &t, &why))
		fail_msg("terms \"%s\" refused: %s", text, why);
	assert_string_equal(date_format_iso(terms_due_date(&t, iso(issue)), buf), due);
	day_t d = terms_discount_date(&t, iso(issue));
	if (*discount == '\0')
		assert_int_equal(d, DATE_NONE);
	else
		assert_string_equal(date_format_iso(d, buf), discount);
}

static void test_spec_examples(void **state)
{
	(void)state;
	check_terms("net 30", "2022-01-31", "2022-03-02", "");
	check_terms("45 eom", "2023-01-15", "2023-03-31", "");
	check_terms("eom 45", "2023-01-15", "2023-03-17", "");
	check_terms("2/10 net 30", "2024-03-01", "2024-03-31", "2024-03-11");
	check_terms("due", "2024-03-01", "2024-03-01", "");
}

static void test_edges(void **state)
{
	(void)state;
	check_terms("net 0", "2024-02-29", "2024-02-29", "");
	check_terms("net 1", "2023-12-31", "2024-01-01", "");
	check_terms("0 eom", "2024-02-01", "2024-02-29", "");         /* leap February */
	check_terms("30 eom", "2023-01-31", "2023-03-31", "");        /* 01-31 + 30 = 03-02 */
	check_terms("eom 0", "2023-02-10", "2023-02-28", "");
	check_terms("eom 30", "2024-12-15", "2025-01-30", "");        /* across the year */
	check_terms("2/10 net 10", "2024-12-25", "2025-01-04", "2025-01-04");
	/* Case and spacing are free. */
	check_terms("NET30", "2022-01-31", "2022-03-02", "");
	check_terms("  Net   30 ", "2022-01-31", "2022-03-02", "");
	check_terms("45EOM", "2023-01-15", "2023-03-31", "");
	check_terms("2/10net30", "2024-03-01", "2024-03-31", "2024-03-11");
	check_terms("Due", "2024-03-01", "2024-03-01", "");
}

static void check_format(const char *text, const char *canonical)
{
	struct terms t;
	const char *why;
	char buf[TERMS_TEXT_MAX];
	assert_true(terms_parse(text, &t, &why));
	assert_string_equal(terms_format(&t, buf), canonical);
}

static void test_canonical_text(void **state)
{
	(void)state;
	check_format("NET 30", "net 30");
	check_format("45EOM", "45 eom");
	check_format("Eom 45", "eom 45");
	check_format("DUE", "due");
	check_format("2/10 NET 30", "2/10 net 30");
	check_format("1.5/10 net 30", "1.5/10 net 30");
	check_format("1,25/10 net 30", "1.25/10 net 30");
	struct terms t;
	const char *why;
	assert_true(terms_parse("1.5/10 net 30", &t, &why));
	assert_int_equal(t.discount_hundredths, 150);
	assert_int_equal(t.discount_days, 10);
	assert_int_equal(t.days, 30);
}

static void test_refusals(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "net", "30", "net -30", "net 30 days", "net 3651", "eom", "eom eom", "30 net",
		"net 30.5", "2/10", "2/10 net", "0/10 net 30", "100/10 net 30", "2/40 net 30",
		"1.555/10 net 30", "net 30 net 30", "immediately", "net 30; eom", "net 99999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct terms t;
		const char *why = NULL;
		if (terms_parse(bad[i], &t, &why))
			fail_msg("terms \"%s\" accepted", bad[i]);
		assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_canonical_text),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
