/* Cash-receipt forecast (SPEC §8): each invoice open at the start date is
 * expected on its due date plus its customer's learned delay (risk.h;
 * the segment's for a new customer), or on the promised date of an open
 * promise that covers it; amounts summed per week in the base currency.
 * Disputed and escalated invoices are kept apart: they are not expected
 * cash. A backtest forecasts from a past date with only what was known
 * then and compares with what was received, against the naive forecast
 * (every open invoice paid on its due date, overdue ones in week 1). */
#ifndef DUN_FORECAST_H
#define DUN_FORECAST_H
#include <stdbool.h>
#include "date.h"
#include "money.h"
#include "store.h"

/* Week k covers the days from + 1 + 7k .. from + 7 + 7k: the start date
 * itself is history (receipts of that day are known). */
struct forecast_week {
	day_t first, last;
	money_t expected;   /* the learned forecast */
	money_t disputed;   /* disputed invoices, at their learned date */
	money_t escalated;  /* invoices escalated by dunning, idem */
	money_t naive;      /* every open invoice at its due date */
	money_t actual;     /* receipts on those invoices (backtest only) */
};

struct forecast {
	day_t from;
	char currency[4];   /* the base currency every amount is in */
	int exponent;
	int nweeks;
	struct forecast_week *week;
	money_t later;      /* learned forecast beyond the last week */
	/* backtest only: mean absolute error per week over the weeks that
	 * ended by today, in minor units, and how many weeks that is */
	bool backtest;
	int scored_weeks;
	money_t mae_learned, mae_naive;
};

/* Forecasts from `from` (today, or a past date for a backtest, which then
 * fills the actual receipts and the errors; weeks ending after today do
 * not count in the errors). Amounts are converted into base_currency at
 * the rates of `from`: a missing rate is DUN_EDATA naming it. The caller
 * frees with forecast_free. */
int forecast_compute(struct store *s, day_t today, day_t from, int weeks, bool backtest,
    const char *base_currency, struct forecast *out, char **cause);
void forecast_free(struct forecast *f);
#endif
