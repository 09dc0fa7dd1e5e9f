/* `dun match [--apply] [--min-confidence X]`: one row per unapplied
 * payment with its best proposal (SPEC §9). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "match.h"
#include "status.h"
#include "xalloc.h"

static const struct report_column columns[] = {
	{"payment", REPORT_TEXT}, {"date", REPORT_DATE}, {"amount", REPORT_NUMBER}, {"customer", REPORT_TEXT},
	{"invoices", REPORT_TEXT}, {"confidence", REPORT_NUMBER}, {"reason", REPORT_TEXT}, {"applied", REPORT_TEXT},
};

/* The report begins with the first row, so that an error before it (a bad
 * [match] pattern) prints no header. */
struct output {
	struct cmd_ctx *ctx;
	struct report *r;
};

static struct report *output_report(struct output *o)
{
	if (o->r == NULL)
		o->r = report_begin(o->ctx->out, o->ctx->format, columns, sizeof columns / sizeof columns[0]);
	return o->r;
}

static void print_row(void *arg, const struct match_payment *p, const struct match_proposal *m, bool applied)
{
	struct report *r = output_report(arg);
	int e = money_exponent(p->currency);
	struct buf invoices = { 0 };
	for (int i = 0; i < m->nallocations; i++)
		buf_printf(&invoices, "%s%s", i > 0 ? ";" : "", m->allocations[i].number);
	char confidence[16];
	snprintf(confidence, sizeof confidence, "%d.%02d", m->confidence / 100, m->confidence % 100);
	report_text(r, p->reference);
	report_date(r, p->date);
	report_money(r, p->unapplied, e < 0 ? 2 : e);
	report_text(r, m->customer_code);
	report_text(r, invoices.data != NULL ? invoices.data : "");
	report_number(r, confidence);
	report_text(r, m->reason);
	report_text(r, applied ? "yes" : "no");
	report_row_end(r);
	buf_free(&invoices);
}

/* "0.9", "0.85", "1": hundredths, exactly (no floating point). */
static bool parse_confidence(const char *text, int *out)
{
	int units = 0, hundredths = 0, digits = 0;
	const char *s = text;
	if (*s == '0' || *s == '1')
		units = *s++ - '0';
	else if (*s != '.')
		return false;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9' && digits < 2) {
			hundredths = hundredths * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0)
			return false;
		if (digits == 1)
			hundredths *= 10;
	}
	if (*s != '\0' || units * 100 + hundredths > 100)
		return false;
	*out = units * 100 + hundredths;
	return true;
}

int cmd_match(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"apply", no_argument, NULL, 'a'},
		{"min-confidence", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	bool apply = false;
	/* The configuration's threshold, to the hundredth. */
	int threshold = (int)(ctx->config.match_min_confidence * 100 + 0.5);
	int c;
	cmd_options_reset();
	while ((c = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (c == 'a')
			apply = true;
		else if (c == 'c' && parse_confidence(optarg, &threshold))
			continue;
		else if (c == 'c')
			return cmd_error(ctx, DUN_EUSAGE, "--min-confidence \"%s\": expected a number from 0 to 1 (two decimals)", optarg);
		else
			return cmd_usage(ctx, "match");
	}
	if (optind != argc)
		return cmd_usage(ctx, "match");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct output o = { .ctx = ctx };
	char *cause = NULL;
	rc = match_run(s, ctx->config.match_patterns, threshold, apply, print_row, &o, &cause);
	if (rc == DUN_OK)
		output_report(&o);
	if (o.r != NULL)
		report_end(o.r);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	return DUN_OK;
}
