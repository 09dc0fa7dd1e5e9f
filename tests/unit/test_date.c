/* Dates: day numbers, leap years, month ends, parsing and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include "date.h"

static day_t ymd(int y, int m, int d) { return date_from_ymd(y, m, d); }

static void assert_date(day_t d, const char *iso)
{
	char buf[DATE_TEXT_MAX];
	assert_string_equal(date_format_iso(d, buf), iso);
}

static void test_epoch_and_round_trip(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	for (day_t d = ymd(1899, 12, 25); d < ymd(2101, 1, 5); d++) {
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		assert_true(date_valid_ymd(y, m, dd) || y < 1000);
		assert_int_equal(ymd(y, m, dd), d);
	}
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(date_is_leap(2024));
	assert_true(date_is_leap(2000));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2023));
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(ymd(2024, 3, 1) - ymd(2024, 2, 28), 2);
	assert_false(date_valid_ymd(2023, 2, 29));
	assert_true(date_valid_ymd(2024, 2, 29));
}

static void test_months(void **state)
{
	(void)state;
	assert_date(date_add_months(ymd(2024, 3, 31), -1), "2024-02-29");
	assert_date(date_add_months(ymd(2023, 3, 31), -1), "2023-02-28");
	assert_date(date_add_months(ymd(2024, 1, 31), 1), "2024-02-29");
	assert_date(date_add_months(ymd(2024, 12, 15), 1), "2025-01-15");
	assert_date(date_add_months(ymd(2025, 1, 15), -13), "2023-12-15");
	assert_date(date_add_months(ymd(2024, 3, 31), -24), "2022-03-31");
	assert_date(date_end_of_month(ymd(2024, 2, 10)), "2024-02-29");
	assert_date(date_end_of_month(ymd(2023, 12, 31)), "2023-12-31");
	assert_int_equal(date_weekday(ymd(2026, 11, 22)), 6); /* a Sunday */
	assert_int_equal(date_weekday(ymd(1970, 1, 1)), 3);  /* a Thursday */
}

static void test_parse(void **state)
{
	(void)state;
	day_t d;
	assert_true(date_parse_iso("2024-02-29", &d));
	assert_date(d, "2024-02-29");
	assert_false(date_parse_iso("2023-02-29", &d));
	assert_false(date_parse_iso("2024-13-01", &d));
	assert_false(date_parse_iso("2024-1-01", &d));
	assert_false(date_parse_iso("2024-01-01x", &d));
	assert_false(date_parse_iso("", &d));
	assert_true(date_parse_format("31/01/2024", "%d/%m/%Y", &d));
	assert_date(d, "2024-01-31");
	assert_false(date_parse_format("01/31/2024", "%d/%m/%Y", &d));
	assert_true(date_parse_format("05.03.24", "%d.%m.%y", &d));
	assert_date(d, "2024-03-05");
	assert_true(date_format_valid("%m/%d/%Y"));
	assert_true(date_format_valid("%d.%m.%y"));
	assert_false(date_format_valid("%d/%m"));
	assert_false(date_format_valid("%d/%m/%Q"));
	assert_false(date_format_valid("%d/%m/%Y%"));
}

static void test_today(void **state)
{
	(void)state;
	day_t d;
	setenv("DUN_TODAY", "2026-11-22", 1);
	assert_true(date_today(&d));
	assert_date(d, "2026-11-22");
	setenv("DUN_TODAY", "22/11/2026", 1);
	assert_false(date_today(&d));
	unsetenv("DUN_TODAY");
	assert_true(date_today(&d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_and_round_trip),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_today),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
