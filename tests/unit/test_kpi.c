/* Every KPI of SPEC §6 on small ledgers worked out by hand; the arithmetic
 * is in the comments. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kpi.h"
#include "ledger.h"
#include "ledger_fixture.h"
#include "status.h"

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	fixture_open(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_close(*state);
	free(*state);
	return 0;
}

static void allocate(struct fixture *f, int64_t payment, int64_t invoice, money_t amount)
{
	char *cause = NULL;
	if (ledger_allocate_payment(f->store, payment, invoice, amount, LEDGER_IMPORT, NULL, &cause) != DUN_OK)
		fail_msg("allocate: %s", cause);
}

/* Computes the KPIs at date over period and compares each formatted value
 * (NULL: n/a) in the order of KPI_LIST. */
static void expect_kpis(struct fixture *f, day_t as_of, int period, const char *const want[KPI_COUNT])
{
	struct kpi_options o = {.as_of = as_of, .period = period, .base_currency = "EUR"};
	struct kpi_result r;
	char *cause = NULL;
	if (kpi_compute(f->store, &o, &r, &cause) != DUN_OK)
		fail_msg("kpi_compute: %s", cause);
	for (int i = 0; i < KPI_COUNT; i++) {
		char buf[64];
		const char *got = kpi_format(&r, (enum kpi_id)i, buf, sizeof buf);
		if ((got == NULL) != (want[i] == NULL) || (got && strcmp(got, want[i]) != 0))
			fail_msg("%s: got %s, want %s", kpi_name((enum kpi_id)i), got ? got : "n/a", want[i] ? want[i] : "n/a");
	}
}

/* One customer across a leap-year February:
 *   I1 2023-12-15 due 2024-01-14   600.00, paid by P1 2024-01-10
 *   I2 2024-01-20 due 2024-02-19  1000.00, 400.00 paid by P2 2024-03-05
 *   I3 2024-02-29 due 2024-03-30   580.00
 *   I4 2024-03-10 due 2024-04-09   310.00
 *   C1 2024-03-15 credit note      -10.00 (unapplied) */
static void leap_ledger(struct fixture *f)
{
	int64_t c = fixture_customer(f, "A", "", "");
	int64_t i1 = fixture_invoice(f, c, "I1", "2023-12-15", "2024-01-14", "EUR", 60000);
	int64_t i2 = fixture_invoice(f, c, "I2", "2024-01-20", "2024-02-19", "EUR", 100000);
	fixture_invoice(f, c, "I3", "2024-02-29", "2024-03-30", "EUR", 58000);
	fixture_invoice(f, c, "I4", "2024-03-10", "2024-04-09", "EUR", 31000);
	fixture_invoice(f, c, "C1", "2024-03-15", "2024-03-15", "EUR", -1000);
	allocate(f, fixture_payment(f, c, "P1", "2024-01-10", "EUR", 60000), i1, 60000);
	allocate(f, fixture_payment(f, c, "P2", "2024-03-05", "EUR", 40000), i2, 40000);
}

static void test_leap_february(void **state)
{
	struct fixture *f = *state;
	leap_ledger(f);
	/* D = 2024-03-31, P = 90: the period is (2024-01-01, 2024-03-31].
	 * ar = 600 + 580 + 310 - 10 = 1480.00 (I2's 600 left, I3, I4, C1);
	 * current = I4 310.00; overdue = I2 600 + I3 580 = 1180.00;
	 * overdue_ratio = 1180 / 1490 = 0.79195 -> 0.7919;
	 * sales = 1000 + 580 + 310 - 10 = 1880.00;
	 * dso = 1480 * 90 / 1880 = 70.85 -> 70.9; bpdso = 310 * 90 / 1880 =
	 * 14.84 -> 14.8; add = 1170 * 90 / 1880 = 56.01 -> 56.0;
	 * countback, windows ending 03-31, 02-29, 01-31:
	 *   (02-29, 03-31] 31 days, sales 300: 1480 - 300 = 1180, 31 days;
	 *   (01-31, 02-29] 29 days, sales 580 (I3 on the 29th): 600 left, 60 days;
	 *   (12-31, 01-31] 31 days, sales 1000 > 600: 60 + 600/1000 * 31 = 78.6;
	 * cei: ar at 2024-01-01 = 600 (I1); (600 + 1880 - 1480) /
	 * (600 + 1880 - 310) = 1000 / 2170 = 46.08% -> 46.1;
	 * adp: I1 paid 2024-01-10, 26 days after issue, 4 days before due:
	 * 26.0 and -4.0;
	 * ar_average: 8 days (01-02..01-09) at 600, 10 at 0, 40 (01-20..02-28)
	 * at 1000, 5 at 1580, 5 at 1180, 5 at 1490, 17 (03-15..03-31) at 1480:
	 * (4800 + 40000 + 7900 + 5900 + 7450 + 25160) / 90 = 91210 / 90 =
	 * 1013.444 -> 1013.44. */
	static const char *const want[KPI_COUNT] = {
		"1480.00", "310.00", "1180.00", "0.7919", "1880.00", "70.9", "14.8", "56.0",
		"78.6", "46.1", "26.0", "-4.0", "1013.44",
	};
	expect_kpis(f, date_from_ymd(2024, 3, 31), 90, want);
}

static void test_zero_sales(void **state)
{
	struct fixture *f = *state;
	leap_ledger(f);
	/* D = 2024-06-30, P = 30: nothing invoiced, paid or received in June.
	 * ar = 1480.00, all overdue: current 0, overdue 1490, ratio 1.0000;
	 * sales 0: dso, bpdso and add are n/a;
	 * cei: ar 30 days ago is the same 1480: (1480 + 0 - 1480) / (1480 + 0
	 * - 0) = 0.0;
	 * countback from 06-30 (windows end 06-30, 05-30, 04-30, 03-30, 02-29,
	 * 01-30): three empty months of 31 + 30 + 31 = 92 days; (02-29, 03-30]
	 * 30 days sales 300 -> 1180 left, 122 days; (01-30, 02-29] 30 days
	 * sales 580 -> 600 left, 152 days; (12-30, 01-30] 31 days sales 1000:
	 * 152 + 0.6 * 31 = 170.6;
	 * adp and avg_days_late: nothing paid in June, n/a;
	 * ar_average: 1480.00 every day. */
	static const char *const want[KPI_COUNT] = {
		"1480.00", "0.00", "1490.00", "1.0000", "0.00", NULL, NULL, NULL,
		"170.6", "0.0", NULL, NULL, "1480.00",
	};
	expect_kpis(f, date_from_ymd(2024, 6, 30), 30, want);
}

/* Windows ending on the 31st of a common year: 03-31, 02-28, 01-31. */
static void test_countback_31st(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "B", "", "");
	/* 100.00 invoiced on the 15th of Dec, Jan, Feb and Mar (due 30 days
	 * later), 50.00 of December's paid: as of 2023-03-31 ar = 350.00.
	 * Countback, windows ending 03-31, 02-28, 01-31, 12-31:
	 *   (02-28, 03-31] 31 days, sales 100: 250 left, 31 days;
	 *   (01-31, 02-28] 28 days, sales 100: 150 left, 59 days;
	 *   (12-31, 01-31] 31 days, sales 100: 50 left, 90 days;
	 *   (11-30, 12-31] 31 days, sales 100 > 50: 90 + 50/100 * 31 = 105.5. */
	fixture_invoice(f, c, "N1", "2022-12-15", NULL, "EUR", 10000);
	fixture_invoice(f, c, "N2", "2023-01-15", NULL, "EUR", 10000);
	fixture_invoice(f, c, "N3", "2023-02-15", NULL, "EUR", 10000);
	fixture_invoice(f, c, "N4", "2023-03-15", NULL, "EUR", 10000);
	/* P = 31, the period (02-28, 03-31]: sales 100, dso = 350 * 31 / 100 =
	 * 108.5; bpdso: current = N4 due 04-14, 100 -> 31.0; add 77.5; ar at
	 * 02-28 = 250: cei = (250 + 100 - 350) / (250 + 100 - 100) = 0.0;
	 * ar_average = 250 for 14 days (03-01..03-14) + 350 for 17 days = (3500
	 * + 5950) / 31 = 304.84; overdue 250 (N1 50, N2, N3) of 350 open: 0.7143. */
	int64_t p = fixture_payment(f, c, "P", "2022-12-20", "EUR", 5000);
	allocate(f, p, ledger_invoice_id(f->store, "N1"), 5000);
	static const char *const want[KPI_COUNT] = {
		"350.00", "100.00", "250.00", "0.7143", "100.00", "108.5", "31.0", "77.5",
		"105.5", "0.0", NULL, NULL, "304.84",
	};
	expect_kpis(f, date_from_ymd(2023, 3, 31), 31, want);
}

/* Flows over the period are converted at the rates of D: USD 100.00
 * invoiced 2026-01-10 and USD 40.00 received 2026-02-10, at 0.90 on D
 * (0.80 before): sales 90.00, ar (100 - 40) * 0.9 = 54.00, dso = 54 * 90 /
 * 90 = 54.0; ar at D - P = 54 - 90 + 36 = 0, so cei = (0 + 90 - 54) /
 * (0 + 90 - 0) = 40.0 (nothing is current: due 2026-02-09);
 * countback: March and February have no sales (31 + 28 days), January's
 * 90 > 54: 59 + 54 / 90 * 31 = 77.6; ar_average: 9 days (01-01..01-09) at
 * 0, 31 (01-10..02-09) at 90, 50 (02-10..03-31) at 54 = (2790 + 2700) / 90
 * = 61.00. */
static void test_converted_at_d(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "U", "", "");
	int64_t u1 = fixture_invoice(f, c, "U1", "2026-01-10", "2026-02-09", "USD", 10000);
	allocate(f, fixture_payment(f, c, "P", "2026-02-10", "USD", 4000), u1, 4000);
	fixture_exec(f, "INSERT INTO rate VALUES ('USD', '2025-12-01', '0.8', 800000000), ('USD', '2026-03-01', '0.9', 900000000)");
	static const char *const want[KPI_COUNT] = {
		"54.00", "0.00", "54.00", "1.0000", "90.00", "54.0", "0.0", "54.0",
		"77.6", "40.0", NULL, NULL, "61.00",
	};
	expect_kpis(f, date_from_ymd(2026, 3, 31), 90, want);
}

/* Each figure is rounded once from exact converted sums (SPEC §5): USD
 * 0.01 overdue (U1, issued 01-10) and USD 0.01 current (U2, issued 03-10)
 * at 0.5 are EUR 0.005 each, so ar is 0.01, not the buckets' 0.01 + 0.01.
 * current and overdue are 0.01 each (half away from zero): ratio 0.5000;
 * sales 0.01; dso = bpdso = 1 * 90 / 1 = 90.0, add 0.0; countback: March's
 * 0.01 uses up ar, 31.0; ar at D - P = 0: cei (0 + 1 - 1) / (0 + 1 - 1) is
 * n/a; ar_average = (59 * 0.005 + 22 * 0.01) / 90 = 0.0057 -> 0.01. */
static void test_rounded_once(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "U", "", "");
	fixture_invoice(f, c, "U1", "2026-01-10", "2026-02-09", "USD", 1);
	fixture_invoice(f, c, "U2", "2026-03-10", "2026-04-09", "USD", 1);
	fixture_exec(f, "INSERT INTO rate VALUES ('USD', '2025-12-01', '0.5', 500000000)");
	static const char *const want[KPI_COUNT] = {
		"0.01", "0.01", "0.01", "0.5000", "0.01", "90.0", "90.0", "0.0", "31.0", NULL, NULL, NULL, "0.01",
	};
	expect_kpis(f, date_from_ymd(2026, 3, 31), 90, want);
}

/* A credit balance: F1 100.00 issued 03-10 (due 04-09), P1 300.00
 * received 03-20 unapplied; D = 2026-03-31, P = 31: ar = -200.00, all of
 * F1 current: ratio 0.0000; sales 100.00; dso = -200 * 31 / 100 = -62.0,
 * bpdso 31.0, add -93.0; countback, as SPEC words it: March's sales 100
 * exceed the remainder -200, so -200 / 100 * 31 = -62.0 (as the DSO);
 * cei: ar at 02-28 = 0, (0 + 100 - 100) = 0 is n/a; ar_average = (10 * 100
 * - 12 * 200) / 31 = -45.16. A month later no window has sales before the
 * remainder: -200 / 0 is n/a. */
static void test_countback_credit_balance(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "A", "", "");
	fixture_invoice(f, c, "F1", "2026-03-10", "2026-04-09", "EUR", 10000);
	fixture_payment(f, c, "P1", "2026-03-20", "EUR", 30000);
	static const char *const want[KPI_COUNT] = {
		"-200.00", "100.00", "0.00", "0.0000", "100.00", "-62.0", "31.0", "-93.0", "-62.0", NULL, NULL, NULL,
		"-45.16",
	};
	expect_kpis(f, date_from_ymd(2026, 3, 31), 31, want);
	/* D = 2026-04-30, P = 30: F1 overdue by 21 days, nothing issued in
	 * April; cei = (-200 + 0 + 200) / (-200 + 0 - 0) = 0.0. */
	static const char *const later[KPI_COUNT] = {
		"-200.00", "0.00", "100.00", "1.0000", "0.00", NULL, NULL, NULL, NULL, "0.0", NULL, NULL, "-200.00",
	};
	expect_kpis(f, date_from_ymd(2026, 4, 30), 30, later);
}

/* Nothing to measure: zero amounts, n/a ratios, countback 0.0. Then one
 * invoice of exactly one window's sales: countback stops when nothing is
 * left, at that window's 31 days, not at 24 months. */
static void test_empty_and_exact(void **state)
{
	struct fixture *f = *state;
	static const char *const empty[KPI_COUNT] = {
		"0.00", "0.00", "0.00", NULL, "0.00", NULL, NULL, NULL, "0.0", NULL, NULL, NULL, "0.00",
	};
	expect_kpis(f, date_from_ymd(2026, 3, 31), 90, empty);
	/* 100.00 issued 03-10, due 04-09: all current; sales 100 over P = 31;
	 * dso = 100 * 31 / 100 = 31.0; cei: ar at 02-28 = 0: (0 + 100 - 100) /
	 * (0 + 100 - 100) is n/a; ar_average: 9 days at 0, 22 at 100 = 70.97. */
	fixture_invoice(f, fixture_customer(f, "A", "", ""), "F1", "2026-03-10", "2026-04-09", "EUR", 10000);
	static const char *const exact[KPI_COUNT] = {
		"100.00", "100.00", "0.00", "0.0000", "100.00", "31.0", "31.0", "0.0", "31.0", NULL, NULL, NULL, "70.97",
	};
	expect_kpis(f, date_from_ymd(2026, 3, 31), 31, exact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_leap_february, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_sales, setup, teardown),
		cmocka_unit_test_setup_teardown(test_countback_31st, setup, teardown),
		cmocka_unit_test_setup_teardown(test_converted_at_d, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rounded_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_countback_credit_balance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_exact, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
