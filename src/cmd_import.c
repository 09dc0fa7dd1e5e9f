/* `dun import customers|invoices|payments|rates FILE`: options to
 * import_options, bad rows to stderr, the summary line to stdout. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "import.h"
#include "status.h"

int cmd_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"map", required_argument, NULL, 'm'},
		{"decimal", required_argument, NULL, 'd'},
		{"date-format", required_argument, NULL, 'f'},
		{"encoding", required_argument, NULL, 'e'},
		{"skip-bad", required_argument, NULL, 's'},
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct import_options o = {
		.mark = MONEY_MARK_AUTO, .base_currency = ctx->config.base_currency,
		.notice = cmd_notice, .notice_arg = ctx,
	};
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		switch (opt) {
		case 'm': o.map_path = optarg; break;
		case 'f':
			if (!date_format_valid(optarg))
				return cmd_error(ctx, DUN_EUSAGE, "date format \"%s\": use %%d, %%m and %%Y (or %%y),"
				    " e.g. %%d/%%m/%%Y", optarg);
			o.date_format = optarg;
			break;
		case 'e': o.encoding = optarg; break;
		case 's': o.skip_bad_path = optarg; break;
		case 'n': o.dry_run = true; break;
		case 'd':
			if (strcmp(optarg, ",") == 0)
				o.mark = MONEY_MARK_COMMA;
			else if (strcmp(optarg, ".") == 0)
				o.mark = MONEY_MARK_DOT;
			else
				return cmd_error(ctx, DUN_EUSAGE, "--decimal \"%s\": expected , or .", optarg);
			break;
		default:
			return cmd_usage(ctx, "import");
		}
	}
	if (argc - optind != 2)
		return cmd_usage(ctx, "import");
	o.path = argv[optind + 1];
	/* A bank statement reads a CSV export with the same options. */
	if (strcmp(argv[optind], "bank") == 0)
		return cmd_import_bank(ctx, &o);
	if (!import_kind_parse(argv[optind], &o.kind))
		return cmd_error(ctx, DUN_EUSAGE, "import \"%s\": expected customers, invoices, payments, rates or bank",
		    argv[optind]);
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct import_result r;
	char *cause = NULL;
	rc = import_run(s, &o, &r, &cause);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	long total = r.inserted + r.updated + r.unchanged;
	fprintf(ctx->out, "%s %ld %s (%ld new, %ld updated, %ld unchanged",
	    o.dry_run ? "would import" : "imported", total,
	    total == 1 ? import_kind_singular(o.kind) : import_kind_name(o.kind), r.inserted, r.updated, r.unchanged);
	if (r.allocations > 0)
		fprintf(ctx->out, "; %ld allocation%s", r.allocations, r.allocations == 1 ? "" : "s");
	if (o.skip_bad_path != NULL)
		fprintf(ctx->out, "; %ld bad row%s %s %s", r.rejected, r.rejected == 1 ? "" : "s",
		    o.dry_run ? "not written to" : "written to", o.skip_bad_path);
	fputs(o.dry_run ? "), nothing written (dry run)\n" : ")\n", ctx->out);
	return DUN_OK;
}
