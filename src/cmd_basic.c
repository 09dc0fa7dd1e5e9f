/* The ledger's basic commands: init, and the customer and invoice lists. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "ledger.h"
#include "promise.h"
#include "scenario.h"
#include "status.h"
#include "text.h"
#include "xalloc.h"

int cmd_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(ctx, "init");
	struct store *s;
	int rc = cmd_store(ctx, STORE_CREATE, &s);
	if (rc != DUN_OK)
		return rc;
	char *cause = NULL;
	if ((rc = scenario_install_defaults(s, &cause)) != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	fprintf(ctx->out, "ledger ready: %s\n", store_path(s));
	return DUN_OK;
}

/* An item's open amount as of ?1: today's open amount with the allocations
 * dated after ?1 added back (positive for invoices, negative for credits). */
#define SQL_OPEN_AS_OF \
	"i.open_amount + CASE WHEN i.kind = 'invoice'" \
	" THEN (SELECT coalesce(sum(a.amount), 0) FROM allocation a WHERE a.invoice_id = i.id AND a.date > ?1)" \
	" ELSE -(SELECT coalesce(sum(a.amount), 0) FROM allocation a WHERE a.credit_id = i.id AND a.date > ?1) END"

static const struct report_column customer_columns[] = {
	{"code", REPORT_TEXT}, {"name", REPORT_TEXT}, {"segment", REPORT_TEXT},
	{"collector", REPORT_TEXT}, {"terms", REPORT_TEXT}, {"credit_limit", REPORT_NUMBER},
	{"currency", REPORT_TEXT}, {"email", REPORT_TEXT}, {"phone", REPORT_TEXT},
	{"language", REPORT_TEXT}, {"balance", REPORT_NUMBER}, {"overdue", REPORT_NUMBER},
	{"risk_class", REPORT_TEXT},
};

/* Balance = items issued minus payments received up to ?1 (so it needs no
 * allocation); overdue = open amount past due at ?1. Both in the
 * customer's currency, each summed over the settled and the open half of
 * the invoices apart: a sum over invoice_any would not search either
 * half's customer index for the customer of the outer row. */
#define CUSTOMER_SUM(expr, half, cond) \
	"(SELECT coalesce(sum(" expr "), 0) FROM invoice i WHERE i.open_amount " half \
	" AND i.customer_id = c.id AND i.currency = c.currency AND " cond ")"
#define ISSUED "i.issue_date <= ?1"
#define OVERDUE "i.kind = 'invoice' AND i.due_date < ?1 AND i.issue_date <= ?1"
static const char sql_customers[] =
	"SELECT c.code, c.name, c.segment, c.collector, c.terms, c.credit_limit, c.currency,"
	" c.email, c.phone, c.language,"
	" " CUSTOMER_SUM("i.amount", "= 0", ISSUED) " + " CUSTOMER_SUM("i.amount", "<> 0", ISSUED)
	" - (SELECT coalesce(sum(p.amount), 0) FROM payment p"
	"   WHERE p.customer_id = c.id AND p.date <= ?1 AND p.currency = c.currency),"
	" " CUSTOMER_SUM(SQL_OPEN_AS_OF, "= 0", OVERDUE " AND i.paid_date > ?1")
	" + " CUSTOMER_SUM(SQL_OPEN_AS_OF, "<> 0", OVERDUE) ","
	" coalesce(r.class, '')"
	" FROM customer c LEFT JOIN risk r ON r.customer_id = c.id ORDER BY c.code";

int cmd_customers(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(ctx, "customers");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	sqlite3_stmt *st = store_stmt(s, sql_customers);
	store_bind_date(st, 1, ctx->as_of);
	struct report *r = report_begin(ctx->out, ctx->format, customer_columns,
	    (int)(sizeof customer_columns / sizeof customer_columns[0]));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int exp = money_exponent(store_column_text(st, 6));
		for (int col = 0; col < 5; col++)
			report_text(r, store_column_text(st, col));
		report_money(r, sqlite3_column_int64(st, 5), exp);
		for (int col = 6; col < 10; col++)
			report_text(r, store_column_text(st, col));
		report_money(r, sqlite3_column_int64(st, 10), exp);
		report_money(r, sqlite3_column_int64(st, 11), exp);
		report_text(r, store_column_text(st, 12));
		report_row_end(r);
	}
	sqlite3_reset(st);
	report_end(r);
	if (rc != SQLITE_DONE) {
		char *cause = NULL;
		return cmd_fail(ctx, store_error(s, "list customers", &cause), cause);
	}
	return DUN_OK;
}

static const struct report_column invoice_columns[] = {
	{"number", REPORT_TEXT}, {"customer", REPORT_TEXT}, {"kind", REPORT_TEXT},
	{"issue_date", REPORT_DATE}, {"due_date", REPORT_DATE}, {"currency", REPORT_TEXT},
	{"amount", REPORT_NUMBER}, {"open", REPORT_NUMBER}, {"status", REPORT_TEXT},
	{"days_overdue", REPORT_NUMBER},
};

/* Every invoice from the table; one customer's (?2, its id) through
 * invoice_any, so that each half's customer index is searched. */
#define SQL_INVOICES(from, where) \
	"SELECT * FROM (SELECT i.number, c.code, i.kind, i.issue_date, i.due_date, i.currency, i.amount," \
	" " SQL_OPEN_AS_OF " AS open," \
	" EXISTS (SELECT 1 FROM dispute d WHERE d.invoice_id = i.id AND d.opened <= ?1" \
	"   AND (d.resolved IS NULL OR d.resolved > ?1))" \
	" FROM " from " i JOIN customer c ON c.id = i.customer_id" \
	" WHERE i.issue_date <= ?1" where \
	" ORDER BY c.code, i.due_date, i.number)" \
	" WHERE ?3 = 0 OR open <> 0"
static const char sql_invoices_all[] = SQL_INVOICES("invoice", "");
static const char sql_invoices_one[] = SQL_INVOICES("invoice_any", " AND i.customer_id = ?2");

int cmd_invoices(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"customer", required_argument, NULL, 'c'},
		{"open", no_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *customer = NULL;
	int only_open = 0, opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt == 'c')
			customer = optarg;
		else if (opt == 'o')
			only_open = 1;
		else
			return cmd_usage(ctx, "invoices");
	}
	if (optind != argc)
		return cmd_usage(ctx, "invoices");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	int64_t customer_id = customer != NULL ? ledger_customer_id(s, customer) : 0;
	if (customer != NULL && customer_id == 0)
		return cmd_error(ctx, DUN_EDATA, "customer \"%s\": no such customer", customer);
	sqlite3_stmt *st = store_stmt(s, customer != NULL ? sql_invoices_one : sql_invoices_all);
	store_bind_date(st, 1, ctx->as_of);
	if (customer != NULL)
		sqlite3_bind_int64(st, 2, customer_id);
	sqlite3_bind_int(st, 3, only_open);
	struct report *r = report_begin(ctx->out, ctx->format, invoice_columns,
	    (int)(sizeof invoice_columns / sizeof invoice_columns[0]));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int exp = money_exponent(store_column_text(st, 5));
		bool credit = strcmp(store_column_text(st, 2), "credit_note") == 0;
		money_t open = sqlite3_column_int64(st, 7);
		day_t due = store_column_date(st, 4);
		for (int col = 0; col < 3; col++)
			report_text(r, store_column_text(st, col));
		report_date(r, store_column_date(st, 3));
		report_date(r, due);
		report_text(r, store_column_text(st, 5));
		report_money(r, sqlite3_column_int64(st, 6), exp);
		report_money(r, open, exp);
		report_text(r, credit ? "credit" : open == 0 ? "paid" : sqlite3_column_int(st, 8) ? "disputed" : "open");
		report_int(r, !credit && open > 0 && due < ctx->as_of ? ctx->as_of - due : 0);
		report_row_end(r);
	}
	sqlite3_reset(st);
	report_end(r);
	if (rc != SQLITE_DONE) {
		char *cause = NULL;
		return cmd_fail(ctx, store_error(s, "list invoices", &cause), cause);
	}
	return DUN_OK;
}

static const char sql_show_customer[] =
	"SELECT c.id, c.code, c.name, c.segment, c.collector, c.terms, c.credit_limit, c.currency,"
	" c.email, c.phone, c.language, c.scenario, c.on_hold, c.notes,"
	" coalesce(r.score, -1), coalesce(r.class, ''), coalesce(r.profile, ''), coalesce(r.factors, '')"
	" FROM customer c LEFT JOIN risk r ON r.customer_id = c.id WHERE c.code = ?1";

static const char sql_show_activity[] =
	"SELECT a.date, a.kind, a.who, a.text, a.outcome, a.amount, a.currency,"
	" (SELECT group_concat(i.number, ' ') FROM activity_invoice ai JOIN invoice i ON i.id = ai.invoice_id"
	"   WHERE ai.activity_id = a.id)"
	" FROM activity a WHERE a.customer_id = ?1 AND a.date <= ?2 ORDER BY a.date DESC, a.id DESC LIMIT 20";

static const char sql_show_disputes[] =
	"SELECT i.number, d.reason, d.owner, d.opened, d.resolved, d.resolution"
	" FROM dispute d JOIN invoice_any i ON i.id = d.invoice_id"
	" WHERE i.customer_id = ?1 AND d.opened <= ?2 ORDER BY d.opened DESC, d.id DESC";

static const char sql_show_promises[] =
	"SELECT p.made_date, p.promised_date, p.amount, p.currency, p.id,"
	" (SELECT group_concat(i.number, ' ') FROM promise_invoice pi JOIN invoice i ON i.id = pi.invoice_id"
	"   WHERE pi.promise_id = p.id)"
	" FROM promise p WHERE p.customer_id = ?1 AND p.made_date <= ?2 ORDER BY p.made_date DESC, p.id DESC";

/* The scenario dunning uses for the customer in row st, and the rule
 * that chose it ("" for the customer's own, "default", "segment public"). */
static const char *show_scenario(const struct scenario_set *set, sqlite3_stmt *st, char *why, size_t size)
{
	const struct scenario_rule *rule;
	const struct scenario *sc = scenario_for(set, store_column_text(st, 11), store_column_text(st, 3),
	    store_column_text(st, 16), &rule);
	if (rule != NULL)
		snprintf(why, size, "%s %s", rule->kind == SCENARIO_BY_SEGMENT ? "segment" : "profile", rule->match);
	else
		snprintf(why, size, "%s", sc && strcmp(store_column_text(st, 11), sc->code) == 0 ? "" : "default");
	return sc ? sc->code : "";
}

static const struct report_column show_customer_columns[] = {
	{"code", REPORT_TEXT}, {"name", REPORT_TEXT}, {"segment", REPORT_TEXT}, {"collector", REPORT_TEXT},
	{"terms", REPORT_TEXT}, {"credit_limit", REPORT_NUMBER}, {"currency", REPORT_TEXT}, {"email", REPORT_TEXT},
	{"phone", REPORT_TEXT}, {"language", REPORT_TEXT}, {"scenario", REPORT_TEXT}, {"scenario_rule", REPORT_TEXT},
	{"on_hold", REPORT_NUMBER}, {"notes", REPORT_TEXT}, {"risk_score", REPORT_NUMBER}, {"risk_class", REPORT_TEXT},
	{"profile", REPORT_TEXT}, {"risk_factors", REPORT_TEXT},
};

static void show_customer(struct cmd_ctx *ctx, sqlite3_stmt *st, const struct scenario_set *set)
{
	char why[128], limit[MONEY_TEXT_MAX];
	const char *scenario = show_scenario(set, st, why, sizeof why);
	int exp = money_exponent(store_column_text(st, 7));
	FILE *out = ctx->out;
	if (ctx->format == REPORT_JSON) {
		struct report *r = report_begin_object(out, REPORT_JSON, show_customer_columns,
		    (int)(sizeof show_customer_columns / sizeof show_customer_columns[0]));
		for (int col = 1; col <= 5; col++)
			report_text(r, store_column_text(st, col));
		report_money(r, sqlite3_column_int64(st, 6), exp);
		for (int col = 7; col <= 10; col++)
			report_text(r, store_column_text(st, col));
		report_text(r, scenario);
		report_text(r, why);
		report_int(r, sqlite3_column_int(st, 12));
		report_text(r, store_column_text(st, 13));
		if (sqlite3_column_int(st, 14) >= 0)
			report_int(r, sqlite3_column_int(st, 14));
		else
			report_na(r);
		for (int col = 15; col <= 17; col++)
			report_text(r, store_column_text(st, col));
		report_row_end(r);
		report_end(r);
		return;
	}
	fprintf(out, "%s  %s\n", store_column_text(st, 1), store_column_text(st, 2));
	fprintf(out, "segment: %s  collector: %s  terms: %s  credit limit: %s %s\n",
	    store_column_text(st, 3), store_column_text(st, 4), store_column_text(st, 5),
	    money_format(sqlite3_column_int64(st, 6), exp, limit), store_column_text(st, 7));
	fprintf(out, "email: %s  phone: %s  language: %s  scenario: %s", store_column_text(st, 8),
	    store_column_text(st, 9), store_column_text(st, 10), *scenario ? scenario : "(none)");
	if (*why)
		fprintf(out, " (%s)", why);
	fputs(sqlite3_column_int(st, 12) ? "  ON HOLD\n" : "\n", out);
	if (sqlite3_column_int(st, 14) >= 0)
		fprintf(out, "risk: %d (%s) %s  why: %s\n", sqlite3_column_int(st, 14), store_column_text(st, 15),
		    store_column_text(st, 16), store_column_text(st, 17));
	if (*store_column_text(st, 13))
		fprintf(out, "notes: %s\n", store_column_text(st, 13));
}

static const struct report_column show_dispute_columns[] = {
	{"invoice", REPORT_TEXT}, {"reason", REPORT_TEXT}, {"owner", REPORT_TEXT}, {"opened", REPORT_DATE},
	{"resolved", REPORT_DATE}, {"resolution", REPORT_TEXT},
};

/* A section of the story: in JSON an array under its name, in text a
 * heading over its lines (none when empty, unless always). */
struct section {
	struct cmd_ctx *ctx;
	const char *heading;
	struct report *json;
	int rows;
};

static void section_begin(struct section *sec, struct cmd_ctx *ctx, const char *name, const char *heading,
    const struct report_column *columns, int ncolumns)
{
	*sec = (struct section){ .ctx = ctx, .heading = heading };
	if (ctx->format == REPORT_JSON) {
		fprintf(ctx->out, ",\"%s\":", name);
		sec->json = report_begin(ctx->out, REPORT_JSON, columns, ncolumns);
	}
}

/* The next row: true when it is to be written as text. */
static bool section_row(struct section *sec)
{
	if (sec->json == NULL && sec->rows == 0 && sec->heading)
		fprintf(sec->ctx->out, "\n%s\n", sec->heading);
	sec->rows++;
	return sec->json == NULL;
}

static void section_end(struct section *sec)
{
	if (sec->json != NULL)
		report_end(sec->json);
}

static void show_disputes(struct cmd_ctx *ctx, struct store *s, int64_t id)
{
	struct section sec;
	section_begin(&sec, ctx, "disputes", "Disputes", show_dispute_columns,
	    (int)(sizeof show_dispute_columns / sizeof show_dispute_columns[0]));
	sqlite3_stmt *st = store_stmt(s, sql_show_disputes);
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, ctx->as_of);
	FILE *out = ctx->out;
	while (sqlite3_step(st) == SQLITE_ROW) {
		bool resolved = sqlite3_column_type(st, 4) != SQLITE_NULL && strcmp(store_column_text(st, 4),
		    store_column_text(st, 3)) >= 0 && store_column_date(st, 4) <= ctx->as_of;
		if (!section_row(&sec)) {
			for (int col = 0; col < 3; col++)
				report_text(sec.json, store_column_text(st, col));
			report_date(sec.json, store_column_date(st, 3));
			report_date(sec.json, resolved ? store_column_date(st, 4) : DATE_NONE);
			report_text(sec.json, resolved ? store_column_text(st, 5) : "");
			report_row_end(sec.json);
			continue;
		}
		fprintf(out, "%s  %s  owner %s  opened %s", store_column_text(st, 0), store_column_text(st, 1),
		    *store_column_text(st, 2) ? store_column_text(st, 2) : "-", store_column_text(st, 3));
		if (resolved)
			fprintf(out, "  resolved %s: %s", store_column_text(st, 4), store_column_text(st, 5));
		else
			fputs("  open", out);
		fputc('\n', out);
	}
	sqlite3_reset(st);
	section_end(&sec);
}

static const struct report_column show_promise_columns[] = {
	{"made", REPORT_DATE}, {"promised", REPORT_DATE}, {"amount", REPORT_NUMBER}, {"currency", REPORT_TEXT},
	{"status", REPORT_TEXT}, {"settled", REPORT_DATE}, {"invoices", REPORT_TEXT},
};

static int show_promises(struct cmd_ctx *ctx, struct store *s, int64_t id)
{
	struct section sec;
	section_begin(&sec, ctx, "promises", "Promises", show_promise_columns,
	    (int)(sizeof show_promise_columns / sizeof show_promise_columns[0]));
	sqlite3_stmt *st = store_stmt(s, sql_show_promises);
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, ctx->as_of);
	FILE *out = ctx->out;
	int rc = DUN_OK;
	char *cause = NULL;
	while (rc == DUN_OK && sqlite3_step(st) == SQLITE_ROW) {
		/* The status as of the as-of date, not the stored cache. */
		enum promise_status status;
		day_t settled;
		if ((rc = promise_status_at(s, sqlite3_column_int64(st, 4), ctx->as_of, ctx->config.promise_grace_days,
		    &status, &settled, &cause)) != DUN_OK)
			break;
		int exp = money_exponent(store_column_text(st, 3));
		if (!section_row(&sec)) {
			report_date(sec.json, store_column_date(st, 0));
			report_date(sec.json, store_column_date(st, 1));
			report_money(sec.json, sqlite3_column_int64(st, 2), exp);
			report_text(sec.json, store_column_text(st, 3));
			report_text(sec.json, promise_status_name(status));
			report_date(sec.json, settled);
			report_text(sec.json, store_column_text(st, 5));
			report_row_end(sec.json);
			continue;
		}
		char amount[MONEY_TEXT_MAX], when[DATE_TEXT_MAX];
		fprintf(out, "made %s  for %s  %s %s  %s", store_column_text(st, 0), store_column_text(st, 1),
		    money_format(sqlite3_column_int64(st, 2), exp, amount), store_column_text(st, 3),
		    promise_status_name(status));
		if (settled != DATE_NONE)
			fprintf(out, " %s", date_format_iso(settled, when));
		if (*store_column_text(st, 5))
			fprintf(out, "  %s", store_column_text(st, 5));
		fputc('\n', out);
	}
	sqlite3_reset(st);
	section_end(&sec);
	return rc == DUN_OK ? DUN_OK : cmd_fail(ctx, rc, cause);
}

static const struct report_column show_activity_columns[] = {
	{"date", REPORT_DATE}, {"kind", REPORT_TEXT}, {"who", REPORT_TEXT}, {"text", REPORT_TEXT},
	{"outcome", REPORT_TEXT}, {"amount", REPORT_NUMBER}, {"currency", REPORT_TEXT}, {"invoices", REPORT_TEXT},
};

static void show_activity(struct cmd_ctx *ctx, struct store *s, int64_t id)
{
	struct section sec;
	section_begin(&sec, ctx, "activity", NULL, show_activity_columns,
	    (int)(sizeof show_activity_columns / sizeof show_activity_columns[0]));
	FILE *out = ctx->out;
	if (sec.json == NULL)
		fputs("\nActivity (newest first)\n", out);
	sqlite3_stmt *st = store_stmt(s, sql_show_activity);
	sqlite3_bind_int64(st, 1, id);
	store_bind_date(st, 2, ctx->as_of);
	while (sqlite3_step(st) == SQLITE_ROW) {
		bool amount = sqlite3_column_type(st, 5) != SQLITE_NULL;
		int exp = money_exponent(store_column_text(st, 6));
		if (!section_row(&sec)) {
			report_date(sec.json, store_column_date(st, 0));
			for (int col = 1; col <= 4; col++)
				report_text(sec.json, store_column_text(st, col));
			if (amount)
				report_money(sec.json, sqlite3_column_int64(st, 5), exp);
			else
				report_na(sec.json);
			report_text(sec.json, store_column_text(st, 6));
			report_text(sec.json, store_column_text(st, 7));
			report_row_end(sec.json);
			continue;
		}
		char *text = text_sanitize(store_column_text(st, 3));
		fprintf(out, "%s  %-12s %-8s %s", store_column_text(st, 0), store_column_text(st, 1),
		    store_column_text(st, 2), text);
		free(text);
		if (*store_column_text(st, 4))
			fprintf(out, " [%s]", store_column_text(st, 4));
		if (amount) {
			char money[MONEY_TEXT_MAX];
			fprintf(out, " %s %s", money_format(sqlite3_column_int64(st, 5), exp, money), store_column_text(st, 6));
		}
		if (*store_column_text(st, 7))
			fprintf(out, " (%s)", store_column_text(st, 7));
		fputc('\n', out);
	}
	if (sec.rows == 0 && sec.json == NULL)
		fputs("(none)\n", out);
	sqlite3_reset(st);
	section_end(&sec);
}

/* One customer's story: its header, open items (the `invoices --open`
 * report), disputes, promises and latest activity; as text sections, or
 * with --format json as one object with a member per section. A story is
 * not one table, so CSV gets the text. */
int cmd_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 2)
		return cmd_usage(ctx, "show");
	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	struct scenario_set scenarios;
	char *cause = NULL;
	if ((rc = scenario_load(s, &scenarios, &cause)) != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	sqlite3_stmt *st = store_stmt(s, sql_show_customer);
	store_bind_text(st, 1, argv[1]);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		scenario_set_free(&scenarios);
		return cmd_error(ctx, DUN_EDATA, "customer \"%s\": no such customer", argv[1]);
	}
	bool json = ctx->format == REPORT_JSON;
	int64_t id = sqlite3_column_int64(st, 0);
	if (json)
		fputs("{\"customer\":", ctx->out);
	show_customer(ctx, st, &scenarios);
	scenario_set_free(&scenarios);
	char *code = xstrdup(store_column_text(st, 1));
	sqlite3_reset(st);

	fputs(json ? ",\"open_items\":" : "\nOpen items\n", ctx->out);
	char *sub[] = {"invoices", "--open", "--customer", code, NULL};
	enum report_format saved = ctx->format;
	if (!json)
		ctx->format = REPORT_TABLE;
	rc = cmd_invoices(ctx, 4, sub);
	ctx->format = saved;
	free(code);
	if (rc != DUN_OK)
		return rc;
	show_disputes(ctx, s, id);
	if ((rc = show_promises(ctx, s, id)) != DUN_OK)
		return rc;
	show_activity(ctx, s, id);
	if (json)
		fputs("}\n", ctx->out);
	return DUN_OK;
}
