/* `dun aging`: the aging report of SPEC §6 through report.h. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "aging.h"
#include "cmd.h"
#include "status.h"
#include "xalloc.h"

static int parse_by(const char *text, enum aging_by *by)
{
	static const char *const names[] = {
		[AGING_BY_CUSTOMER] = "customer", [AGING_BY_SEGMENT] = "segment",
		[AGING_BY_COLLECTOR] = "collector", [AGING_BY_TOTAL] = "total",
	};
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
		if (strcmp(text, names[i]) == 0) {
			*by = (enum aging_by)i;
			return DUN_OK;
		}
	}
	return DUN_EUSAGE;
}

/* The columns of SPEC §6 for o; the caller frees names from index
 * first_bucket on, and the array. */
static struct report_column *aging_columns(const struct aging_options *o, int *ncolumns, int *first_bucket)
{
	struct report_column *c = xcalloc((size_t)o->nedges + 8, sizeof *c);
	int n = 0;
	if (o->by == AGING_BY_CUSTOMER) {
		c[n++] = (struct report_column){"customer", REPORT_TEXT};
		c[n++] = (struct report_column){"name", REPORT_TEXT};
	} else if (o->by != AGING_BY_TOTAL) {
		c[n++] = (struct report_column){o->by == AGING_BY_SEGMENT ? "segment" : "collector", REPORT_TEXT};
	}
	c[n++] = (struct report_column){"currency", REPORT_TEXT};
	*first_bucket = n;
	for (int i = 0; i < o->nedges + 2; i++) {
		char name[32];
		aging_bucket_name(i, o->edges, o->nedges, name, sizeof name);
		c[n++] = (struct report_column){xstrdup(name), REPORT_NUMBER};
	}
	c[n++] = (struct report_column){"unapplied", REPORT_NUMBER};
	c[n++] = (struct report_column){"total", REPORT_NUMBER};
	c[n++] = (struct report_column){"disputed", REPORT_NUMBER};
	*ncolumns = n;
	return c;
}

static void print_row(struct report *r, const struct aging_options *o, const struct aging_row *row,
    const char *key, const char *name)
{
	int exponent = money_exponent(row->currency);
	if (o->by == AGING_BY_CUSTOMER) {
		report_text(r, key);
		report_text(r, name);
	} else if (o->by != AGING_BY_TOTAL) {
		report_text(r, key);
	}
	report_text(r, row->currency);
	for (int i = 0; i < o->nedges + 2; i++)
		report_money(r, row->bucket[i], exponent);
	report_money(r, row->unapplied, exponent);
	report_money(r, row->total, exponent);
	report_money(r, row->disputed, exponent);
	report_row_end(r);
}

int cmd_aging(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"by", required_argument, NULL, 'b'},
		{"basis", required_argument, NULL, 'B'},
		{"buckets", required_argument, NULL, 'k'},
		{"currency", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	struct aging_options o;
	aging_options_default(&o);
	o.as_of = ctx->as_of;
	o.base_currency = ctx->config.base_currency;
	o.basis_invoice = ctx->config.aging_basis_invoice;
	if (ctx->config.aging_bucket_count > 0) {
		o.nedges = ctx->config.aging_bucket_count;
		memcpy(o.edges, ctx->config.aging_buckets, sizeof o.edges[0] * (size_t)o.nedges);
	}
	char *cause = NULL;
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		switch (opt) {
		case 'b':
			if (parse_by(optarg, &o.by) != DUN_OK)
				return cmd_error(ctx, DUN_EUSAGE, "--by \"%s\": expected customer, segment, collector or total", optarg);
			break;
		case 'B':
			if (strcmp(optarg, "due") != 0 && strcmp(optarg, "invoice") != 0)
				return cmd_error(ctx, DUN_EUSAGE, "--basis \"%s\": expected due or invoice", optarg);
			o.basis_invoice = strcmp(optarg, "invoice") == 0;
			break;
		case 'k':
			if (config_parse_buckets(optarg, o.edges, &o.nedges, &cause) != DUN_OK)
				return cmd_fail(ctx, DUN_EUSAGE, cause);
			break;
		case 'c':
			if (!money_currency_valid(optarg))
				return cmd_error(ctx, DUN_EUSAGE, "--currency \"%s\": not an ISO 4217 currency code", optarg);
			o.currency = optarg;
			break;
		default:
			return cmd_usage(ctx, "aging");
		}
	}
	if (optind != argc)
		return cmd_usage(ctx, "aging");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct aging_row *rows;
	int nrows;
	if ((rc = aging_compute(s, &o, &rows, &nrows, &cause)) != DUN_OK)
		return cmd_fail(ctx, rc, cause);

	int ncolumns, first_bucket;
	struct report_column *columns = aging_columns(&o, &ncolumns, &first_bucket);
	struct report *r = report_begin(ctx->out, ctx->format, columns, ncolumns);
	struct aging_row total = {0};
	snprintf(total.currency, sizeof total.currency, "%s", o.currency ? o.currency : o.base_currency);
	for (int i = 0; i < nrows; i++) {
		print_row(r, &o, &rows[i], rows[i].key, rows[i].name);
		for (int b = 0; b < o.nedges + 2; b++)
			total.bucket[b] += rows[i].bucket[b];
		total.unapplied += rows[i].unapplied;
		total.total += rows[i].total;
		total.disputed += rows[i].disputed;
	}
	/* The table's total row; CSV and JSON leave it to their readers. */
	if (o.by != AGING_BY_TOTAL) {
		report_total_next(r);
		print_row(r, &o, &total, "total", "");
	}
	rc = report_end(r) == 0 ? DUN_OK : cmd_error(ctx, DUN_EDATA, "aging: cannot write the report");
	for (int i = first_bucket; i < first_bucket + o.nedges + 2; i++)
		free((char *)columns[i].name);
	free(columns);
	aging_free(rows, nrows);
	return rc;
}
