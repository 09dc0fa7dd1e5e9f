/* `dun kpi`: the KPIs of SPEC §6 as metric,value rows (one object in JSON). */
#include <getopt.h>
#include <stdlib.h>
#include "cmd.h"
#include "kpi.h"
#include "status.h"

static const struct report_column row_columns[] = {
	{"metric", REPORT_TEXT}, {"value", REPORT_NUMBER},
};

static const struct report_column object_columns[] = {
#define X(id, name, kind) {name, REPORT_NUMBER},
	KPI_LIST(X)
#undef X
};

static void print_value(struct report *r, const struct kpi_result *k, enum kpi_id id)
{
	char buf[64];
	const char *text = kpi_format(k, id, buf, sizeof buf);
	if (text == NULL)
		report_na(r);
	else
		report_number(r, text);
}

int cmd_kpi(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"period", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	struct kpi_options o = {.as_of = ctx->as_of, .period = 90, .base_currency = ctx->config.base_currency};
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt != 'p')
			return cmd_usage(ctx, "kpi");
		char *end;
		long days = strtol(optarg, &end, 10);
		if (*optarg == '\0' || *end != '\0' || days < 1 || days > 3660)
			return cmd_error(ctx, DUN_EUSAGE, "--period \"%s\": expected a number of days from 1 to 3660", optarg);
		o.period = (int)days;
	}
	if (optind != argc)
		return cmd_usage(ctx, "kpi");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct kpi_result k;
	char *cause = NULL;
	if ((rc = kpi_compute(s, &o, &k, &cause)) != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	struct report *r;
	if (ctx->format == REPORT_JSON) {
		r = report_begin_object(ctx->out, ctx->format, object_columns, KPI_COUNT);
		for (int i = 0; i < KPI_COUNT; i++)
			print_value(r, &k, (enum kpi_id)i);
		report_row_end(r);
	} else {
		r = report_begin(ctx->out, ctx->format, row_columns, 2);
		for (int i = 0; i < KPI_COUNT; i++) {
			report_text(r, kpi_name((enum kpi_id)i));
			print_value(r, &k, (enum kpi_id)i);
			report_row_end(r);
		}
	}
	return report_end(r) == 0 ? DUN_OK : cmd_error(ctx, DUN_EDATA, "kpi: cannot write the report");
}
