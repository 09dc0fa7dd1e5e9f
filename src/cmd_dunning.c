/* The dunning commands: `dunning run [--dry-run]`, `dunning escalations`,
 * `dunning snooze CODE UNTIL|off [REASON]`,
 * `scenarios load FILE` and `scenarios export`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "dunning.h"
#include "scenario.h"
#include "status.h"
#include "xalloc.h"

static const struct report_column plan_columns[] = {
	{"customer", REPORT_TEXT}, {"invoice", REPORT_TEXT}, {"scenario", REPORT_TEXT}, {"step", REPORT_NUMBER},
	{"channel", REPORT_TEXT}, {"template", REPORT_TEXT}, {"days_overdue", REPORT_NUMBER}, {"open", REPORT_NUMBER},
};

static void plan_rows_print(struct report *r, const struct dunning_plan *plan, const struct dunning_action *a)
{
	for (int i = 0; i < a->nrows; i++) {
		const struct dunning_row *row = &plan->rows[a->first_row + i];
		report_text(r, a->code);
		report_text(r, row->number);
		report_text(r, a->scenario->code);
		report_int(r, row->step->position);
		report_text(r, scenario_channel_name(row->step->channel));
		report_text(r, row->step->name);
		report_int(r, row->days_overdue);
		report_money(r, row->open, money_exponent(row->currency));
		report_row_end(r);
	}
}

/* Opens the store and computes the plan as of D; a failure is reported. */
static int plan_load(struct cmd_ctx *ctx, struct store **s, struct dunning_plan *plan)
{
	int status = cmd_store(ctx, 0, s);
	if (status != DUN_OK)
		return status;
	char *cause = NULL;
	status = dunning_plan_compute(*s, &ctx->config, ctx->as_of, 0, plan, &cause);
	return status == DUN_OK ? DUN_OK : cmd_fail(ctx, status, cause);
}

static int cmd_dunning_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	bool dry_run = false;
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt == 'n')
			dry_run = true;
		else
			return cmd_usage(ctx, "dunning");
	}
	if (optind != argc)
		return cmd_usage(ctx, "dunning");
	struct store *s;
	struct dunning_plan plan;
	char *cause = NULL;
	int status;
	if (dry_run) {
		status = plan_load(ctx, &s, &plan);
		if (status != DUN_OK)
			return status;
	} else {
		status = cmd_store(ctx, 0, &s);
		if (status != DUN_OK)
			return status;
		/* Printed after the commit: the rows are what was written. */
		status = dunning_run(s, &ctx->config, ctx->as_of, &plan, &cause);
		if (status != DUN_OK) {
			dunning_plan_free(&plan);
			return cmd_fail(ctx, status, cause);
		}
	}
	struct report *r = report_begin(ctx->out, ctx->format, plan_columns,
	    (int)(sizeof plan_columns / sizeof plan_columns[0]));
	for (int i = 0; i < plan.nactions; i++)
		plan_rows_print(r, &plan, &plan.actions[i]);
	report_end(r);
	dunning_plan_free(&plan);
	return DUN_OK;
}

static const struct report_column escalation_columns[] = {
	{"customer", REPORT_TEXT}, {"invoice", REPORT_TEXT}, {"scenario", REPORT_TEXT},
	{"days_overdue", REPORT_NUMBER}, {"open", REPORT_NUMBER},
};

static int dunning_escalations(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(ctx, "dunning");
	struct store *s;
	struct dunning_plan plan;
	int status = plan_load(ctx, &s, &plan);
	if (status != DUN_OK)
		return status;
	struct report *r = report_begin(ctx->out, ctx->format, escalation_columns,
	    (int)(sizeof escalation_columns / sizeof escalation_columns[0]));
	for (int i = 0; i < plan.nescalations; i++) {
		const struct dunning_escalation *e = &plan.escalations[i];
		report_text(r, e->customer);
		report_text(r, e->number);
		report_text(r, e->scenario);
		report_int(r, e->days_overdue);
		report_money(r, e->open, money_exponent(e->currency));
		report_row_end(r);
	}
	report_end(r);
	dunning_plan_free(&plan);
	return DUN_OK;
}

/* snooze CODE UNTIL|off [REASON] */
static int dunning_snooze_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 3 || argc > 4)
		return cmd_usage(ctx, "dunning");
	day_t until = DATE_NONE;
	if (strcmp(argv[2], "off") != 0) {
		int status = cmd_parse_date(ctx, "until", argv[2], &until);
		if (status != DUN_OK)
			return status;
	}
	struct store *s;
	int status = cmd_store(ctx, 0, &s);
	if (status != DUN_OK)
		return status;
	char *cause = NULL;
	status = dunning_snooze(s, argv[1], until, argc == 4 ? argv[3] : "", ctx->today, &cause);
	if (status != DUN_OK)
		return cmd_fail(ctx, status, cause);
	char date[DATE_TEXT_MAX];
	if (until == DATE_NONE)
		fprintf(ctx->out, "%s: dunning resumed\n", argv[1]);
	else
		fprintf(ctx->out, "%s: dunning snoozed until %s\n", argv[1], date_format_iso(until, date));
	return DUN_OK;
}

int cmd_dunning(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return cmd_dunning_run(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "escalations") == 0)
		return dunning_escalations(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "snooze") == 0)
		return dunning_snooze_cmd(ctx, argc - 1, argv + 1);
	return cmd_usage(ctx, "dunning");
}

static int file_read(const char *path, char **out, char **cause)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return dun_fail(cause, DUN_EDATA, "%s: cannot open: %m", path);
	struct buf b = { 0 };
	buf_puts(&b, "");
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	bool bad = ferror(f) || memchr(b.data, '\0', b.len) != NULL;
	if (f != stdin)
		fclose(f);
	if (bad) {
		buf_free(&b);
		return dun_fail(cause, DUN_EDATA, "%s: cannot read (or not a text file)", path);
	}
	*out = buf_take(&b);
	return DUN_OK;
}

struct orphan_warning {
	struct cmd_ctx *ctx;
	const char *file;
};

/* A configuration may drop a scenario that customers name: allowed (they
 * fall back), but not silently. */
static void warn_orphans(void *arg, const char *scenario, int customers)
{
	struct orphan_warning *w = arg;
	fprintf(w->ctx->err, "dun: %s: warning: %d customer%s name%s scenario \"%s\", which this file does not define:"
	    " they follow their segment's, profile's or the default scenario\n", w->file, customers,
	    customers == 1 ? "" : "s", customers == 1 ? "s" : "", scenario);
}

int cmd_scenarios(struct cmd_ctx *ctx, int argc, char **argv)
{
	bool load = argc == 3 && strcmp(argv[1], "load") == 0;
	bool export = argc == 2 && strcmp(argv[1], "export") == 0;
	if (!load && !export)
		return cmd_usage(ctx, "scenarios");
	char *cause = NULL, *text = NULL;
	struct scenario_set set;
	int status;
	/* Parse before opening the ledger: a bad file touches nothing. */
	if (load) {
		status = file_read(argv[2], &text, &cause);
		if (status == DUN_OK)
			status = scenario_parse(text, argv[2], &set, &cause);
		free(text);
		if (status != DUN_OK)
			return cmd_fail(ctx, status, cause);
	}
	struct store *s;
	status = cmd_store(ctx, 0, &s);
	if (status != DUN_OK) {
		if (load)
			scenario_set_free(&set);
		return status;
	}
	if (load) {
		status = scenario_save(s, &set, &cause);
		if (status == DUN_OK) {
			int profiles = scenario_rule_count(&set, SCENARIO_BY_PROFILE);
			fprintf(ctx->out, "loaded %d scenarios, %d segment rules", set.nscenarios,
			    scenario_rule_count(&set, SCENARIO_BY_SEGMENT));
			/* the line outside scripts read stays as it was without profile rules */
			if (profiles)
				fprintf(ctx->out, ", %d profile rules", profiles);
			fputc('\n', ctx->out);
			struct orphan_warning w = {ctx, argv[2]};
			status = scenario_orphans(s, warn_orphans, &w, &cause);
		}
	} else {
		status = scenario_load(s, &set, &cause);
		if (status == DUN_OK) {
			struct buf b = { 0 };
			buf_puts(&b, "");
			scenario_export(&set, &b);
			fputs(b.data, ctx->out);
			buf_free(&b);
		}
	}
	scenario_set_free(&set); /* parsed, or read (emptied on a failure) */
	return status == DUN_OK ? DUN_OK : cmd_fail(ctx, status, cause);
}
