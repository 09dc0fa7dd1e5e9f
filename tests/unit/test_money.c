/* Money: parsing every shape SPEC §5 lists, formatting, rounding half away
 * from zero, and overflow refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "money.h"

static money_t parse(const char *text, int exp, enum money_mark mark)
{
	money_t v = -999;
	const char *why = NULL;
	assert_true(money_parse(text, exp, mark, &v, &why));
	return v;
}

static void refuse(const char *text, int exp, enum money_mark mark)
{
	money_t v;
	const char *why = NULL;
	assert_false(money_parse(text, exp, mark, &v, &why));
	assert_non_null(why);
}

static void test_exponents(void **state)
{
	(void)state;
	assert_int_equal(money_exponent("EUR"), 2);
	assert_int_equal(money_exponent("JPY"), 0);
	assert_int_equal(money_exponent("KWD"), 3);
	assert_int_equal(money_exponent("XXX"), -1);
	assert_int_equal(money_exponent("eur"), -1);
	assert_int_equal(money_exponent("EURO"), -1);
}

static void test_parse_shapes(void **state)
{
	(void)state;
	assert_int_equal(parse("1234.5", 2, MONEY_MARK_AUTO), 123450);
	assert_int_equal(parse("1,234.50", 2, MONEY_MARK_AUTO), 123450);
	assert_int_equal(parse("1 234,50", 2, MONEY_MARK_AUTO), 123450);
	assert_int_equal(parse("1.234,50", 2, MONEY_MARK_AUTO), 123450);
	assert_int_equal(parse("1\xc2\xa0" "234,50", 2, MONEY_MARK_AUTO), 123450);
	assert_int_equal(parse("-12.30", 2, MONEY_MARK_AUTO), -1230);
	assert_int_equal(parse("+7", 2, MONEY_MARK_AUTO), 700);
	assert_int_equal(parse("1,5", 2, MONEY_MARK_COMMA), 150);
	assert_int_equal(parse("1.234", 2, MONEY_MARK_COMMA), 123400);
	assert_int_equal(parse("1,234", 2, MONEY_MARK_DOT), 123400);
	assert_int_equal(parse("1234", 0, MONEY_MARK_AUTO), 1234);
	assert_int_equal(parse("1.500", 3, MONEY_MARK_DOT), 1500);
	/* blanks around it, as a quoted CSV field keeps them */
	assert_int_equal(parse(" 5 ", 2, MONEY_MARK_AUTO), 500);
	assert_int_equal(parse("1 234,50\t", 2, MONEY_MARK_AUTO), 123450);
}

static void test_parse_refusals(void **state)
{
	(void)state;
	refuse("", 2, MONEY_MARK_AUTO);
	refuse("abc", 2, MONEY_MARK_AUTO);
	refuse("12.345", 2, MONEY_MARK_DOT);
	refuse("1,23,4.00", 2, MONEY_MARK_DOT);
	refuse("12 34", 2, MONEY_MARK_DOT);
	refuse("1e5", 2, MONEY_MARK_AUTO);
	refuse("92233720368547758.08", 2, MONEY_MARK_DOT);
	refuse("99999999999999999999", 0, MONEY_MARK_DOT);
	refuse("2.10", 0, MONEY_MARK_DOT); /* JPY has no decimals */
	refuse("-", 2, MONEY_MARK_AUTO);
	refuse("  ", 2, MONEY_MARK_AUTO);
	refuse("5 x", 2, MONEY_MARK_AUTO);
	refuse("1.50 2", 2, MONEY_MARK_DOT);
}

static void test_detect_mark(void **state)
{
	(void)state;
	assert_int_equal(money_detect_mark("1 234,50"), MONEY_MARK_COMMA);
	assert_int_equal(money_detect_mark("1,234.50"), MONEY_MARK_DOT);
	assert_int_equal(money_detect_mark("1.234,5"), MONEY_MARK_COMMA);
	assert_int_equal(money_detect_mark("12.5"), MONEY_MARK_DOT);
	assert_int_equal(money_detect_mark("1,234"), MONEY_MARK_AUTO);
	assert_int_equal(money_detect_mark("1.234.567"), MONEY_MARK_COMMA);
	assert_int_equal(money_detect_mark("42"), MONEY_MARK_AUTO);
}

static void test_format(void **state)
{
	(void)state;
	char buf[MONEY_TEXT_MAX];
	assert_string_equal(money_format(123450, 2, buf), "1234.50");
	assert_string_equal(money_format(-5, 2, buf), "-0.05");
	assert_string_equal(money_format(0, 2, buf), "0.00");
	assert_string_equal(money_format(1234, 0, buf), "1234");
	assert_string_equal(money_format(1, 3, buf), "0.001");
	assert_string_equal(money_format(INT64_MIN, 2, buf), "-92233720368547758.08");
	assert_string_equal(money_format_grouped(1240000, 2, ',', '.', buf), "12,400.00");
	assert_string_equal(money_format_grouped(-123456789, 2, ' ', ',', buf), "-1 234 567,89");
	assert_string_equal(money_format_grouped(100, 0, ',', '.', buf), "100");
}

static void test_rounding(void **state)
{
	(void)state;
	money_t v;
	assert_true(money_muldiv(5, 1, 2, &v));    /* 2.5 -> 3 */
	assert_int_equal(v, 3);
	assert_true(money_muldiv(-5, 1, 2, &v));   /* -2.5 -> -3 */
	assert_int_equal(v, -3);
	assert_true(money_muldiv(7, 1, 3, &v));    /* 2.33 -> 2 */
	assert_int_equal(v, 2);
	assert_true(money_muldiv(5, -1, 2, &v));   /* negative divisor side */
	assert_int_equal(v, -3);
	/* 1000.00 at 12.15 % for 30 days: 100000 * 1215 * 30 / (10000 * 365) = 998.63.. -> 999 */
	assert_true(money_muldiv(100000, 1215 * 30, 10000 * 365, &v));
	assert_int_equal(v, 999);
	assert_false(money_muldiv(1, 1, 0, &v));
	assert_false(money_muldiv(INT64_MAX, 2, 1, &v));
	assert_true(money_rescale(123, 0, 2, &v));
	assert_int_equal(v, 12300);
	assert_true(money_rescale(12350, 2, 0, &v)); /* 123.50 -> 124 */
	assert_int_equal(v, 124);
}

static void test_overflow(void **state)
{
	(void)state;
	money_t v;
	assert_false(money_add(INT64_MAX, 1, &v));
	assert_false(money_sub(INT64_MIN, 1, &v));
	assert_true(money_add(-1, 1, &v));
	assert_int_equal(v, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exponents),
		cmocka_unit_test(test_parse_shapes),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_detect_mark),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
