/* `dun calllist`: today's prioritised call list (calllist.h). */
#include <getopt.h>
#include <stdlib.h>
#include "calllist.h"
#include "cmd.h"
#include "status.h"

static const struct report_column columns[] = {
	{"rank", REPORT_NUMBER}, {"customer", REPORT_TEXT}, {"name", REPORT_TEXT},
	{"collector", REPORT_TEXT}, {"priority", REPORT_NUMBER}, {"reasons", REPORT_TEXT},
	{"overdue", REPORT_NUMBER}, {"risk_class", REPORT_TEXT}, {"next_step", REPORT_TEXT},
	{"phone", REPORT_TEXT},
};

int cmd_calllist(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"collector", required_argument, NULL, 'c'},
		{"limit", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	/* the TUI opens on its user's own list; the CLI lists everyone's */
	struct calllist_options o = { .today = ctx->as_of };
	if (ctx->in_tui && ctx->config.ui_collector && *ctx->config.ui_collector)
		o.collector = ctx->config.ui_collector;
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt == 'c') {
			o.collector = optarg;
		} else if (opt == 'l') {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 || n > 1000000)
				return cmd_error(ctx, DUN_EUSAGE, "--limit \"%s\": expected a count from 1", optarg);
			o.limit = (int)n;
		} else {
			return cmd_usage(ctx, "calllist");
		}
	}
	if (optind != argc)
		return cmd_usage(ctx, "calllist");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct calllist_row *rows;
	int n;
	char *cause = NULL;
	rc = calllist_build(s, &ctx->config, &o, &rows, &n, &cause);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	struct report *r = report_begin(ctx->out, ctx->format, columns,
	    (int)(sizeof columns / sizeof columns[0]));
	for (int i = 0; i < n; i++) {
		const struct calllist_row *w = &rows[i];
		report_int(r, w->rank);
		report_text(r, w->code);
		report_text(r, w->name);
		report_text(r, w->collector);
		report_int(r, w->priority);
		report_text(r, w->reasons);
		report_money(r, w->overdue, w->exponent);
		report_text(r, w->risk_class);
		report_text(r, w->next_step);
		report_text(r, w->phone);
		report_row_end(r);
	}
	calllist_free(rows, n);
	return report_end(r) == 0 ? DUN_OK : cmd_error(ctx, DUN_EDB, "write error");
}
