/* `dun demo [--customers N] [--seed S] [--open]`: builds the demo ledger
 * (SPEC §4, §11) in --db PATH or the demo file, never over a real
 * ledger, and with --open opens the workstation on it. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "demo.h"
#include "status.h"

static bool parse_count(const char *text, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 1 || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_seed(const char *text, uint64_t *out)
{
	char *end;
	errno = 0;
	if (text[0] < '0' || text[0] > '9')
		return false;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

/* A large demo takes minutes: say how far it is when someone watches. */
static void show_progress(void *arg, int done, int total)
{
	FILE *err = arg;
	fprintf(err, "\rdun: demo: %d of %d customers written", done, total);
	fflush(err);
}

int cmd_demo(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"customers", required_argument, NULL, 'c'},
		{"seed", required_argument, NULL, 's'},
		{"open", no_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	struct demo_options o = {
		.customers = DEMO_DEFAULT_CUSTOMERS,
		.seed = DEMO_DEFAULT_SEED,
		.today = ctx->today,
		.base_currency = ctx->config.base_currency ? ctx->config.base_currency : "EUR",
	};
	bool open = false;
	long customers;
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		switch (opt) {
		case 'c':
			if (!parse_count(optarg, DEMO_MAX_CUSTOMERS, &customers))
				return cmd_error(ctx, DUN_EUSAGE, "--customers \"%s\": expected a whole number from 1 to %d",
				    optarg, DEMO_MAX_CUSTOMERS);
			o.customers = (int)customers;
			break;
		case 's':
			if (!parse_seed(optarg, &o.seed))
				return cmd_error(ctx, DUN_EUSAGE, "--seed \"%s\": expected a whole number from 0 to %" PRIu64,
				    optarg, UINT64_MAX);
			break;
		case 'o':
			open = true;
			break;
		default:
			return cmd_usage(ctx, "demo");
		}
	}
	if (optind != argc)
		return cmd_usage(ctx, "demo");
	if (ctx->store != NULL)
		return cmd_error(ctx, DUN_EUSAGE, "demo: cannot replace a ledger while it is open; run it from the shell");

	bool watched = isatty(fileno(ctx->err));
	if (watched) {
		o.progress = show_progress;
		o.progress_arg = ctx->err;
	}
	char *path = store_path_resolve(ctx->db_option, true);
	struct demo_counts n;
	char *cause = NULL;
	int rc = demo_build(path, &o, &n, &cause);
	if (watched && o.customers > 1000)
		fputs("\r\033[K", ctx->err); /* clear the progress line */
	if (rc != DUN_OK) {
		free(path);
		return cmd_fail(ctx, rc, cause);
	}
	fprintf(ctx->out, "demo ledger %s (seed %" PRIu64 "): %ld customers, %ld invoices, %ld credit notes,"
	    " %ld payments, %ld allocations, %ld disputes, %ld promises, %ld activities, %ld rates\n",
	    path, o.seed, n.customers, n.invoices, n.credit_notes, n.payments, n.allocations,
	    n.disputes, n.promises, n.activities, n.rates);
	if (open) {
		const char *db_option = ctx->db_option;
		ctx->db_option = path;
		if (ctx->workstation != NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			rc = ctx->workstation(ctx);
		} else {
			/* No terminal (or no workstation in this program): show
			 * the customer list, through the same code as `dun
			 * customers`. */
			char name[] = "customers";
			char *customers_argv[] = { name, NULL };
			rc = cmd_customers(ctx, 1, customers_argv);
		}
		ctx->db_option = db_option;
	}
	free(path);
	return rc;
}
