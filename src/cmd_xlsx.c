/* The Excel commands: one statement, statements for every overdue
 * customer, and the aging workbook. The workbooks themselves are xlsx.c's. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "calllist.h"
#include "cmd.h"
#include "ledger.h"
#include "status.h"
#include "xalloc.h"
#include "xlsx.h"

int cmd_statement(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL;
	int c;
	cmd_options_reset();
	while ((c = cmd_getopt(ctx, argc, argv, "o:", options)) != -1) {
		if (c != 'o')
			return cmd_usage(ctx, "statement");
		output = optarg;
	}
	if (argc - optind != 1)
		return cmd_usage(ctx, "statement");
	const char *code = argv[optind];
	struct store *s;
	int rc = cmd_store(ctx, STORE_READONLY, &s);
	if (rc != DUN_OK)
		return rc;
	int64_t id = ledger_customer_id(s, code);
	if (id == 0)
		return cmd_error(ctx, DUN_EDATA, "customer \"%s\": no such customer", code);
	char *path = output ? xstrdup(output) : xlsx_file_name(code, id);
	char *cause = NULL;
	rc = xlsx_statement_write(s, &ctx->config, id, ctx->as_of, path, &cause);
	if (rc == DUN_OK)
		fprintf(ctx->out, "%s\n", path);
	free(path);
	return rc == DUN_OK ? DUN_OK : cmd_fail(ctx, rc, cause);
}

struct batch_customer {
	int64_t id;
	char *code;
};

/* Customers with an invoice past due and still open at as_of, by code. */
static int overdue_customers(struct store *s, day_t as_of, const char *segment, const char *collector,
    struct batch_customer **out, int *count, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT c.id, c.code FROM customer c"
	    " WHERE (?2 IS NULL OR c.segment = ?2) AND (?3 IS NULL OR c.collector = ?3)"
	    " AND EXISTS (SELECT 1 FROM invoice_any i WHERE i.customer_id = c.id AND i.kind = 'invoice'"
	    "   AND i.due_date < ?1 AND i.issue_date <= ?1 AND (i.open_amount <> 0 OR i.paid_date > ?1)"
	    "   AND i.open_amount + (SELECT coalesce(sum(a.amount), 0) FROM allocation a"
	    "     WHERE a.invoice_id = i.id AND a.date > ?1) > 0)"
	    " ORDER BY c.code");
	store_bind_date(st, 1, as_of);
	store_bind_text(st, 2, segment);
	store_bind_text(st, 3, collector);
	struct batch_customer *list = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			list = xreallocarray(list, (size_t)(cap = cap ? 2 * cap : 64), sizeof *list);
		list[n].id = sqlite3_column_int64(st, 0);
		list[n++].code = xstrdup(store_column_text(st, 1));
	}
	if (rc != SQLITE_DONE) {
		for (int i = 0; i < n; i++)
			free(list[i].code);
		free(list);
		return store_error(s, "find the overdue customers", cause);
	}
	*out = list;
	*count = n;
	return DUN_OK;
}

/* "[#####     ] 12/40" on one line of a terminal. */
static void progress(FILE *err, int done, int total)
{
	enum { bar = 30 };
	int filled = total ? done * bar / total : bar;
	fprintf(err, "\r[%.*s%*s] %d/%d", filled, "##############################", bar - filled, "", done, total);
	if (done == total)
		fputc('\n', err);
	fflush(err);
}

int cmd_statements(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"overdue", no_argument, NULL, 'v'},
		{"segment", required_argument, NULL, 's'},
		{"collector", required_argument, NULL, 'c'},
		{"dir", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *segment = NULL, *collector = NULL, *dir = ".";
	bool overdue = false;
	int c;
	cmd_options_reset();
	while ((c = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		switch (c) {
		case 'v': overdue = true; break;
		case 's': segment = optarg; break;
		case 'c': collector = optarg; break;
		case 'd': dir = optarg; break;
		default: return cmd_usage(ctx, "statements");
		}
	}
	/* --overdue is the only selection today; asking for it keeps the
	 * command line honest when others come. */
	if (!overdue || optind != argc)
		return cmd_usage(ctx, "statements");
	struct stat sb;
	if (stat(dir, &sb) != 0 && mkdir(dir, 0777) != 0)
		return cmd_error(ctx, DUN_EDATA, "%s: cannot create the directory: %s", dir, strerror(errno));
	if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return cmd_error(ctx, DUN_EDATA, "%s: not a directory", dir);
	struct store *s;
	int rc = cmd_store(ctx, STORE_READONLY, &s);
	if (rc != DUN_OK)
		return rc;
	struct batch_customer *list = NULL;
	int n = 0;
	char *cause = NULL;
	rc = overdue_customers(s, ctx->as_of, segment, collector, &list, &n, &cause);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	bool bar = !ctx->in_tui && isatty(fileno(ctx->err));
	int written = 0, failed = 0;
	struct xlsx_statements *x = xlsx_statements_new(s, &ctx->config, ctx->as_of);
	for (int i = 0; i < n; i++) {
		char *name = xlsx_file_name(list[i].code, list[i].id);
		char *path = xasprintf("%s/%s", dir, name);
		cause = NULL;
		int one = xlsx_statements_write(x, list[i].id, path, &cause);
		if (one == DUN_OK) {
			written++;
		} else {
			if (bar)
				fputc('\n', ctx->err);
			cmd_fail(ctx, one, cause);
			failed++;
			if (rc == DUN_OK)
				rc = one;
		}
		free(name);
		free(path);
		free(list[i].code);
		if (bar)
			progress(ctx->err, i + 1, n);
	}
	xlsx_statements_free(x);
	free(list);
	fprintf(ctx->out, "%d statement%s written to %s", written, written == 1 ? "" : "s", dir);
	if (failed > 0)
		fprintf(ctx->out, ", %d failed", failed);
	fputc('\n', ctx->out);
	return rc;
}

int cmd_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"currency", required_argument, NULL, 'C'},
		{"collector", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	const char *output = NULL, *currency = NULL, *collector = NULL;
	int c;
	cmd_options_reset();
	while ((c = cmd_getopt(ctx, argc, argv, "o:", options)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'C': currency = optarg; break;
		case 'c': collector = optarg; break;
		default: return cmd_usage(ctx, "export");
		}
	}
	if (argc - optind != 1 || output == NULL)
		return cmd_usage(ctx, "export");
	const char *what = argv[optind];
	bool aging = strcmp(what, "aging") == 0;
	if (!aging && strcmp(what, "calllist") != 0)
		return cmd_error(ctx, DUN_EUSAGE, "export \"%s\": expected aging or calllist", what);
	if (currency != NULL && (!aging || !money_currency_valid(currency)))
		return cmd_error(ctx, DUN_EUSAGE, "--currency \"%s\": expected an ISO 4217 code, for aging", currency);
	if (collector != NULL && aging)
		return cmd_error(ctx, DUN_EUSAGE, "--collector \"%s\": for the call list", collector);
	struct store *s;
	int rc = cmd_store(ctx, STORE_READONLY, &s);
	if (rc != DUN_OK)
		return rc;
	char *cause = NULL;
	if (aging) {
		struct xlsx_aging_options o = {.as_of = ctx->as_of, .currency = currency};
		rc = xlsx_aging_write(s, &ctx->config, &o, output, &cause);
	} else {
		struct calllist_options o = {.today = ctx->as_of, .collector = collector};
		rc = xlsx_calllist_write(s, &ctx->config, &o, output, &cause);
	}
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	fprintf(ctx->out, "%s\n", output);
	return DUN_OK;
}
