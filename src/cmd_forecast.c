/* `dun forecast`: expected receipts per week (forecast.h), or with
 * --backtest DATE the same from a past date against what came in. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "forecast.h"
#include "status.h"

static const struct report_column forecast_columns[] = {
	{"week", REPORT_NUMBER}, {"start", REPORT_DATE}, {"end", REPORT_DATE},
	{"expected", REPORT_NUMBER}, {"disputed", REPORT_NUMBER}, {"escalated", REPORT_NUMBER},
};
/* The last row, week "mae", holds each forecast's mean absolute error per
 * week against the actual receipts. */
static const struct report_column backtest_columns[] = {
	{"week", REPORT_TEXT}, {"start", REPORT_DATE}, {"end", REPORT_DATE},
	{"forecast", REPORT_NUMBER}, {"naive", REPORT_NUMBER}, {"actual", REPORT_NUMBER},
};

static void print_forecast(const struct forecast *f, struct report *r)
{
	money_t expected = 0, disputed = 0, escalated = 0;
	for (int k = 0; k < f->nweeks; k++) {
		const struct forecast_week *w = &f->week[k];
		report_int(r, k + 1);
		report_date(r, w->first);
		report_date(r, w->last);
		report_money(r, w->expected, f->exponent);
		report_money(r, w->disputed, f->exponent);
		report_money(r, w->escalated, f->exponent);
		report_row_end(r);
		expected += w->expected;
		disputed += w->disputed;
		escalated += w->escalated;
	}
	report_total_next(r);
	report_text(r, NULL);
	report_date(r, DATE_NONE);
	report_date(r, DATE_NONE);
	report_money(r, expected, f->exponent);
	report_money(r, disputed, f->exponent);
	report_money(r, escalated, f->exponent);
	report_row_end(r);
}

static void print_backtest(const struct forecast *f, struct report *r)
{
	for (int k = 0; k < f->nweeks; k++) {
		const struct forecast_week *w = &f->week[k];
		char week[16];
		snprintf(week, sizeof week, "%d", k + 1);
		report_text(r, week);
		report_date(r, w->first);
		report_date(r, w->last);
		report_money(r, w->expected, f->exponent);
		report_money(r, w->naive, f->exponent);
		report_money(r, w->actual, f->exponent);
		report_row_end(r);
	}
	report_text(r, "mae");
	report_date(r, DATE_NONE);
	report_date(r, DATE_NONE);
	report_money(r, f->mae_learned, f->exponent);
	report_money(r, f->mae_naive, f->exponent);
	report_text(r, NULL);
	report_row_end(r);
}

int cmd_forecast(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"weeks", required_argument, NULL, 'w'},
		{"backtest", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	int weeks = 13, opt;
	day_t from = ctx->as_of;
	bool backtest = false;
	const char *backtest_text = NULL;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt == 'w') {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 || n > 520)
				return cmd_error(ctx, DUN_EUSAGE, "--weeks \"%s\": expected 1 to 520", optarg);
			weeks = (int)n;
		} else if (opt == 'b') {
			int rc = cmd_parse_date(ctx, "--backtest", optarg, &from);
			if (rc != DUN_OK)
				return rc;
			backtest = true;
			backtest_text = optarg;
		} else {
			return cmd_usage(ctx, "forecast");
		}
	}
	if (optind != argc)
		return cmd_usage(ctx, "forecast");
	if (backtest && from >= ctx->today)
		return cmd_error(ctx, DUN_EUSAGE, "--backtest \"%s\": must be before today", backtest_text);
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct forecast f;
	char *cause = NULL;
	rc = forecast_compute(s, ctx->today, from, weeks, backtest, ctx->config.base_currency, &f, &cause);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	struct report *r;
	if (backtest) {
		r = report_begin(ctx->out, ctx->format, backtest_columns,
		    (int)(sizeof backtest_columns / sizeof backtest_columns[0]));
		print_backtest(&f, r);
	} else {
		r = report_begin(ctx->out, ctx->format, forecast_columns,
		    (int)(sizeof forecast_columns / sizeof forecast_columns[0]));
		print_forecast(&f, r);
	}
	forecast_free(&f);
	return report_end(r) == 0 ? DUN_OK : cmd_error(ctx, DUN_EDB, "write error");
}
