/* The command table and what every command shares: dispatch, help, the
 * ledger opened on demand, error printing and ':' line splitting. */
#include "cmd.h"
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"
#include "xalloc.h"

/* One entry per command, in the order `dun help` lists them. */
const struct cmd_entry cmd_table[] = {
	{"init", "", "Create the ledger (idempotent) and load the default dunning scenarios.", cmd_init},
	{"demo", "[--customers N] [--seed S] [--open]", "Build a realistic synthetic ledger, the same for the same seed (default 2000 customers, seed 1), in --db PATH or else the demo file beside the ledger, replacing an earlier demo but never a real ledger; --open then shows it.", cmd_demo},
	{"import", "customers|invoices|payments|rates|bank FILE [--map FILE] [--decimal ,|.] [--date-format FMT] [--encoding ENC] [--skip-bad OUT.csv] [--dry-run]",
	    "Import a CSV file: delimiter , ; TAB or | and decimal mark detected, headers matched case-insensitively (--map FILE renames: `number = N° facture`), dates ISO or --date-format %d/%m/%Y, UTF-8 or --encoding cp1252. All or nothing: every bad row is named (FILE:LINE: FIELD \"VALUE\": reason) and nothing is written, unless --skip-bad OUT.csv writes the bad rows there with a reason column and imports the rest. Rows already in the ledger are updated or left unchanged, so a file imports twice safely. Prints one line to stdout: `imported N KIND (N new, N updated, N unchanged[; N allocations][; N bad rows written to OUT])`. `import bank FILE [--map FILE] [--dry-run]` reads a bank statement, camt.053, MT940, OFX or CSV (columns date, value_date, amount or credit and debit, currency, reference, remittance, payer, payer_account; --map FILE renames them: `date = Buchungstag`; --encoding, --decimal and --date-format as above), detected from its content: credits become payments to match (`dun match`), debits are skipped and counted, reversed credits undo their payment's allocations, lines already imported (same account, date, amount, reference) are skipped; a statement whose balances do not add up is a warning. Prints `imported N bank lines from FILE: N skipped as debits, N skipped as already imported`.", cmd_import},
	{"customers", "", "List customers with their receivable balance, overdue amount and risk class.", cmd_customers},
	{"invoices", "[--customer CODE] [--open]", "List invoices and credit notes with their open amount and status, as of the as-of date.", cmd_invoices},
	{"show", "CODE", "Show one customer's whole story: details, open items, disputes, promises and recent activity (text sections; --format json: one object with a member per section).", cmd_show},
	{"aging", "[--by customer|segment|collector|total] [--basis due|invoice] [--buckets 30,60,90,120] [--currency XXX]",
	    "Aging report as of the as-of date: each open invoice's open amount in a bucket by days past due (--basis due, the default) or since issue (--basis invoice); unapplied cash and open credits in `unapplied`; `total` the receivable balance; `disputed` the part under open dispute; cash not yet matched to any customer is on a row with an empty customer (by customer) or in the empty group. Converted to the base currency at the latest rate on or before the as-of date, unless --currency keeps only that currency's items.", cmd_aging},
	{"kpi", "[--period DAYS]",
	    "Collection KPIs as of the as-of date over the last DAYS days (default 90): ar, ar_current, ar_overdue, overdue_ratio, sales, dso, bpdso, add, countback_dso, cei, adp, avg_days_late, ar_average, in the base currency (the period's flows at the rates of the as-of date); n/a where a denominator is zero.", cmd_kpi},
	{"log", "CODE --call TEXT | --note TEXT | --promise DATE AMOUNT [INVOICE...] | --dispute INVOICE REASON [--owner NAME] | --resolve INVOICE TEXT",
	    "Record a call, a note, a promise to pay (by DATE, for the invoices named or for the account), a dispute on an invoice (REASON billing, delivery, quality, pricing or other) or its resolution, dated today, as an activity of the customer. Refuses an unknown customer or invoice, a promise in the past, a dispute on a paid invoice or a second open dispute, writing nothing.", cmd_log},
	{"dunning", "run [--dry-run] | escalations | snooze CODE UNTIL|off [REASON]",
	    "`run`: take the dunning steps due as of the as-of date (SPEC §7): one action per customer, at the most advanced step due among its invoices, each invoice moving one step; e-mails and letters go to the outbox, calls and tasks to the call list, every step to the activity log, one transaction per customer. Prints one row per invoice that takes a step: customer,invoice,scenario,step,channel,template,days_overdue,open. --dry-run prints the same plan and changes nothing. A customer on hold (the customers CSV's on_hold, or the workstation's edit form) takes no step; its invoices resume at the step they reached once the hold is lifted. `escalations`: invoices past their scenario's max_amicable_days. `snooze`: no dunning for the customer until that date included (`off` lifts it), recorded in its history.", cmd_dunning},
	{"match", "[--apply] [--min-confidence X]",
	    "Propose allocations for every unapplied payment (SPEC §9): invoice references found in the remittance text (patterns from the ledger's invoice-number shapes, tolerant of spaces, dashes, slashes, leading zeros and case, plus [match] patterns; RF creditor references checked), the customer from the references, the payer account learned from manual matches or the payer's name; then the referenced invoices, one open invoice of the amount, the oldest invoices or a combination summing to it, else oldest first. Prints payment,date,amount,customer,invoices,confidence,reason,applied; --apply allocates, in one transaction, the proposals at or above --min-confidence (default [match] min_confidence, 0.90); an over-payment leaves unapplied cash, and so does a payment whose remittance names only invoices already paid (given to their customer).", cmd_match},
	{"outbox", "list | send | export DIR | show ID | hold ID | release ID",
	    "`list` the queued and sent messages; `send` the queued e-mails through [mail] transport (a sendmail command, run without a shell, or an smtp:// / smtps:// URL), a failed one staying queued with its error; `export DIR` writes each queued message to DIR as an .eml file, letters too (marked X-Dun-Channel: letter, for printing; send leaves them queued); `show` prints one message as it goes out; `hold` keeps a queued message from going out until `release`.", cmd_outbox},
	{"scenarios", "load FILE | export",
	    "`load` replaces the whole dunning configuration with an INI file (SPEC §7), checked first: nothing changes on an error; `export` prints the configuration as INI.", cmd_scenarios},
	{"score", "[--evaluate]", "Recompute every customer's risk score, class, profile and learned payment delay (the code the workstation runs in the background); --evaluate fits on older invoices and reports AUC and calibration on the latest quarter against the customer's past average days late.", cmd_score},
	{"calllist", "[--collector NAME] [--limit N]", "Today's prioritised call list: overdue amount weighted by risk, call steps due, promises falling due or broken, risky customers with large invoices falling due, over-limit customers; each row says why. Customers on hold are left out.", cmd_calllist},
	{"forecast", "[--weeks N] [--backtest DATE]", "Expected receipts per week from each customer's learned payment delay (promised dates override; disputed and escalated amounts apart); --backtest DATE forecasts from that date with what was known then and compares with the receipts, against the naive due-date forecast.", cmd_forecast},
	{"statement", "CODE [-o FILE.xlsx]", "Write the customer's statement of account as of the as-of date to an Excel file (default CODE.xlsx, the code made safe for a file name), in the customer's language, one sheet per currency. Prints the file's name.", cmd_statement},
	{"statements", "--overdue [--segment S] [--collector C] [--dir DIR]", "Write one statement of account per customer with overdue items into DIR (default the current directory), then say how many.", cmd_statements},
	{"export", "aging|calllist -o FILE.xlsx [--currency XXX] [--collector NAME]", "Write an Excel workbook: `aging` (summary by segment and collector, the grid by customer, every open item; --currency keeps one currency unconverted) or `calllist` (today's call list; --collector keeps one collector's).", cmd_export},
	{"help", "[COMMAND]", "List the commands, or explain one.", cmd_help},
	{NULL, NULL, NULL, NULL},
};

const struct cmd_entry *cmd_find(const char *name)
{
	for (const struct cmd_entry *c = cmd_table; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void print_entry(FILE *out, const struct cmd_entry *c)
{
	fprintf(out, "usage: dun %s%s%s\n\n%s\n", c->name, *c->usage ? " " : "", c->usage, c->help);
}

int cmd_help(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc > 2)
		return cmd_usage(ctx, "help");
	if (argc == 2) {
		const struct cmd_entry *c = cmd_find(argv[1]);
		if (c == NULL)
			return cmd_error(ctx, DUN_EUSAGE, "unknown command \"%s\" (see `dun help`)", argv[1]);
		print_entry(ctx->out, c);
		return DUN_OK;
	}
	fputs("usage: dun [--db PATH] [--config FILE] [--as-of YYYY-MM-DD] [--format table|csv|json] COMMAND [ARGS]\n"
	    "       dun            open the workstation\n\ncommands:\n", ctx->out);
	for (const struct cmd_entry *c = cmd_table; c->name; c++)
		fprintf(ctx->out, "  %-10s %s\n", c->name, c->usage);
	fputs("\n`dun help COMMAND` or `dun COMMAND --help` explains one.\n", ctx->out);
	return DUN_OK;
}

int cmd_dispatch(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 1)
		return cmd_usage(ctx, "help");
	const struct cmd_entry *c = cmd_find(argv[0]);
	if (c == NULL)
		return cmd_error(ctx, DUN_EUSAGE, "unknown command \"%s\" (see `dun help`)", argv[0]);
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_entry(ctx->out, c);
			return DUN_OK;
		}
	}
	return c->handler(ctx, argc, argv);
}

int cmd_store(struct cmd_ctx *ctx, int flags, struct store **out)
{
	if (ctx->store == NULL) {
		char *path = store_path_resolve(ctx->db_option, false);
		char *cause = NULL;
		int rc = store_open(path, flags, &ctx->store, &cause);
		free(path);
		if (rc != DUN_OK)
			return cmd_fail(ctx, rc, cause);
	}
	*out = ctx->store;
	return DUN_OK;
}

int cmd_error(struct cmd_ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("dun: ", ctx->err);
	vfprintf(ctx->err, fmt, ap);
	fputc('\n', ctx->err);
	va_end(ap);
	return status;
}

int cmd_fail(struct cmd_ctx *ctx, int status, char *cause)
{
	cmd_error(ctx, status, "%s", cause ? cause : "failed");
	free(cause);
	return status;
}

void cmd_notice(void *ctx, const char *message)
{
	cmd_error(ctx, DUN_OK, "%s", message);
}

int cmd_usage(struct cmd_ctx *ctx, const char *name)
{
	const struct cmd_entry *c = cmd_find(name);
	if (c != NULL)
		fprintf(ctx->err, "usage: dun %s%s%s\n", c->name, *c->usage ? " " : "", c->usage);
	return DUN_EUSAGE;
}

void cmd_options_reset(void)
{
	optind = 0; /* GNU getopt: 0 re-initialises its whole state */
	opterr = 0;
}

int cmd_getopt(struct cmd_ctx *ctx, int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char spec[16];
	snprintf(spec, sizeof spec, ":%s", shortopts); /* ':' first: a missing value is told apart */
	int opt = getopt_long(argc, argv, spec, longopts, NULL);
	if (opt == ':' || opt == '?') {
		/* a long option is its word; a short one may sit inside a word
		 * (-xy) that getopt has not stepped past yet */
		const char *word = argv[optind - 1];
		char letter[3] = {'-', (char)optopt, '\0'};
		const char *name = strncmp(word, "--", 2) == 0 || optopt == 0 ? word : letter;
		if (opt == ':')
			cmd_error(ctx, DUN_EUSAGE, "%s: %s needs a value", argv[0], name);
		else
			cmd_error(ctx, DUN_EUSAGE, "%s: unknown option %s", argv[0], name);
		return '?';
	}
	return opt;
}

int cmd_parse_date(struct cmd_ctx *ctx, const char *option, const char *text, day_t *out)
{
	if (!date_parse_iso(text, out))
		return cmd_error(ctx, DUN_EUSAGE, "%s \"%s\": expected a date YYYY-MM-DD", option, text);
	return DUN_OK;
}

int cmd_split(const char *line, int *argc, char ***argv, char **cause)
{
	char **words = NULL;
	int n = 0;
	const char *s = line;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		struct buf w = {0};
		char quote = 0;
		buf_puts(&w, "");
		while (*s != '\0' && (quote || (*s != ' ' && *s != '\t'))) {
			if (quote && *s == quote) {
				quote = 0;
			} else if (!quote && (*s == '"' || *s == '\'')) {
				quote = *s;
			} else if (*s == '\\' && quote != '\'' && s[1] != '\0') {
				buf_putc(&w, *++s);
			} else {
				buf_putc(&w, *s);
			}
			s++;
		}
		if (quote) {
			buf_free(&w);
			cmd_words_free(n, words);
			return dun_fail(cause, DUN_EUSAGE, "unterminated quote");
		}
		words = xreallocarray(words, (size_t)n + 2, sizeof *words);
		words[n++] = buf_take(&w);
		words[n] = NULL;
	}
	*argc = n;
	*argv = words;
	return DUN_OK;
}

void cmd_words_free(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}
