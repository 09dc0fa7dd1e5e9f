/* `dun score`: rescore every customer (the background thread's code, in
 * batch), or with --evaluate measure the model on a time-based hold-out. */
#include <getopt.h>
#include <stdio.h>
#include "cmd.h"
#include "risk.h"
#include "status.h"

static const struct report_column class_columns[] = {
	{"class", REPORT_TEXT}, {"customers", REPORT_NUMBER},
};
static const struct report_column metric_columns[] = {
	{"metric", REPORT_TEXT}, {"value", REPORT_NUMBER},
};

static void metric_row(struct report *r, const char *name, const char *fmt, double value)
{
	char text[64];
	snprintf(text, sizeof text, fmt, value);
	report_text(r, name);
	report_number(r, text);
	report_row_end(r);
}

static int score_evaluate(struct cmd_ctx *ctx, struct store *s)
{
	struct risk_evaluation e;
	char *cause = NULL;
	int rc = risk_evaluate(s, ctx->as_of, &e, &cause);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	struct report *r = report_begin(ctx->out, ctx->format, metric_columns, 2);
	/* the hold-out: invoices issued in the last holdout_days days */
	metric_row(r, "holdout_days", "%.0f", ctx->as_of - e.cutoff);
	metric_row(r, "train_invoices", "%.0f", e.train);
	metric_row(r, "test_invoices", "%.0f", e.test);
	metric_row(r, "test_late30_rate", "%.4f", e.positive_rate);
	metric_row(r, "auc_model", "%.4f", e.auc_model);
	metric_row(r, "auc_baseline", "%.4f", e.auc_baseline);
	metric_row(r, "brier_model", "%.4f", e.brier_model);
	for (int d = 0; d < RISK_DECILES; d++) {
		char name[48];
		snprintf(name, sizeof name, "decile_%d_predicted", d + 1);
		metric_row(r, name, "%.4f", e.decile_predicted[d]);
		snprintf(name, sizeof name, "decile_%d_observed", d + 1);
		metric_row(r, name, "%.4f", e.decile_observed[d]);
	}
	return report_end(r) == 0 ? DUN_OK : cmd_error(ctx, DUN_EDB, "write error");
}

int cmd_score(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"evaluate", no_argument, NULL, 'e'},
		{NULL, 0, NULL, 0},
	};
	int evaluate = 0, opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt == 'e')
			evaluate = 1;
		else
			return cmd_usage(ctx, "score");
	}
	if (optind != argc)
		return cmd_usage(ctx, "score");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	if (evaluate)
		return score_evaluate(ctx, s);
	int counts[5];
	char *cause = NULL;
	rc = risk_score_all(s, ctx->as_of, NULL, NULL, NULL, counts, &cause);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	struct report *r = report_begin(ctx->out, ctx->format, class_columns, 2);
	for (int k = 0; k < 5; k++) {
		char cls[2] = { (char)('A' + k), 0 };
		report_text(r, cls);
		report_int(r, counts[k]);
		report_row_end(r);
	}
	return report_end(r) == 0 ? DUN_OK : cmd_error(ctx, DUN_EDB, "write error");
}
