/* `dun log`: one call, note, promise, dispute or resolution recorded from
 * a script, as an activity, in one transaction: all of it or nothing. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "dispute.h"
#include "ledger.h"
#include "promise.h"
#include "status.h"
#include "xalloc.h"

enum log_action { LOG_NONE, LOG_CALL, LOG_NOTE, LOG_PROMISE, LOG_DISPUTE, LOG_RESOLVE };

struct log_request {
	enum log_action action;
	const char *code;
	const char *value;   /* call or note text, promise date, invoice number */
	char **rest;         /* the words after CODE */
	int nrest;
	const char *owner;
};

/* The invoice's id when it exists and is the customer's. */
static int customer_invoice(struct store *s, int64_t customer_id, const char *code, const char *number,
    int64_t *id, char **cause)
{
	*id = ledger_invoice_id(s, number);
	if (*id == 0)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": no such invoice", number);
	sqlite3_stmt *st = store_stmt(s, "SELECT customer_id FROM invoice WHERE id = ?1");
	sqlite3_bind_int64(st, 1, *id);
	int64_t owner = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (owner != customer_id)
		return dun_fail(cause, DUN_EDATA, "invoice \"%s\": not an invoice of customer \"%s\"", number, code);
	return DUN_OK;
}

static int log_promise(struct cmd_ctx *ctx, struct store *s, int64_t customer_id, const struct log_request *q,
    char **message, char **cause)
{
	day_t promised;
	if (!date_parse_iso(q->value, &promised))
		return dun_fail(cause, DUN_EUSAGE, "--promise \"%s\": expected a date YYYY-MM-DD", q->value);
	if (promised < ctx->today) {
		char today[DATE_TEXT_MAX];
		return dun_fail(cause, DUN_EDATA, "--promise \"%s\": a promise cannot be in the past (today is %s)",
		    q->value, date_format_iso(ctx->today, today));
	}
	int64_t *ids = xcalloc((size_t)q->nrest, sizeof *ids);
	int rc = DUN_OK;
	for (int i = 1; i < q->nrest && rc == DUN_OK; i++)
		rc = customer_invoice(s, customer_id, q->code, q->rest[i], &ids[i - 1], cause);
	/* The amount is in the invoices' currency, else the customer's. */
	char currency[4] = "";
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT coalesce((SELECT currency FROM invoice WHERE id = ?2), currency) FROM customer WHERE id = ?1");
	sqlite3_bind_int64(st, 1, customer_id);
	sqlite3_bind_int64(st, 2, q->nrest > 1 ? ids[0] : 0);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(currency, sizeof currency, "%s", store_column_text(st, 0));
	sqlite3_reset(st);
	money_t amount = 0;
	const char *why;
	int exponent = money_exponent(currency);
	if (rc == DUN_OK && !money_parse_row(q->rest[0], exponent < 0 ? 2 : exponent, MONEY_MARK_AUTO, &amount, &why))
		rc = dun_fail(cause, DUN_EDATA, "amount \"%s\": %s", q->rest[0], why);
	if (rc == DUN_OK) {
		struct promise_new p = {
			.customer_id = customer_id, .amount = amount, .made = ctx->today, .promised = promised,
			.invoice_ids = ids, .ninvoices = q->nrest - 1,
		};
		rc = promise_add(s, &p, NULL, cause);
	}
	if (rc == DUN_OK) {
		char text[MONEY_TEXT_MAX];
		*message = xasprintf("%s: promise to pay %s %s by %s recorded", q->code,
		    money_format(amount, exponent, text), currency, q->value);
	}
	free(ids);
	return rc;
}

/* Does the request inside the caller's transaction; *message says what
 * was done. */
static int log_run(struct cmd_ctx *ctx, struct store *s, const struct log_request *q, char **message, char **cause)
{
	int64_t customer_id = ledger_customer_id(s, q->code);
	if (customer_id == 0)
		return dun_fail(cause, DUN_EDATA, "customer \"%s\": no such customer", q->code);
	int64_t invoice_id;
	int rc;
	switch (q->action) {
	case LOG_CALL:
	case LOG_NOTE: {
		bool call = q->action == LOG_CALL;
		struct ledger_activity a = {
			.customer_id = customer_id, .date = ctx->today, .kind = call ? "call" : "note",
			.who = ledger_user(), .text = q->value,
		};
		if ((rc = ledger_activity_add(s, &a, NULL, cause)) == DUN_OK)
			*message = xasprintf("%s: %s logged", q->code, a.kind);
		return rc;
	}
	case LOG_PROMISE:
		return log_promise(ctx, s, customer_id, q, message, cause);
	case LOG_DISPUTE:
		if ((rc = customer_invoice(s, customer_id, q->code, q->value, &invoice_id, cause)) != DUN_OK ||
		    (rc = dispute_open(s, invoice_id, q->rest[0], q->owner, 0, ctx->today, ledger_user(), NULL, cause)) != DUN_OK)
			return rc;
		*message = xasprintf("%s: dispute opened on %s (%s)", q->code, q->value, q->rest[0]);
		return DUN_OK;
	case LOG_RESOLVE:
		if ((rc = customer_invoice(s, customer_id, q->code, q->value, &invoice_id, cause)) != DUN_OK ||
		    (rc = dispute_resolve(s, invoice_id, q->rest[0], ctx->today, ledger_user(), cause)) != DUN_OK)
			return rc;
		*message = xasprintf("%s: dispute on %s resolved", q->code, q->value);
		return DUN_OK;
	case LOG_NONE:
		break;
	}
	return dun_fail(cause, DUN_EUSAGE, "log: nothing to record");
}

int cmd_log(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"call", required_argument, NULL, LOG_CALL},
		{"note", required_argument, NULL, LOG_NOTE},
		{"promise", required_argument, NULL, LOG_PROMISE},
		{"dispute", required_argument, NULL, LOG_DISPUTE},
		{"resolve", required_argument, NULL, LOG_RESOLVE},
		{"owner", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	struct log_request q = {.action = LOG_NONE};
	int opt;
	cmd_options_reset();
	while ((opt = cmd_getopt(ctx, argc, argv, "", options)) != -1) {
		if (opt == 'o') {
			q.owner = optarg;
		} else if (opt >= LOG_CALL && opt <= LOG_RESOLVE && q.action == LOG_NONE) {
			q.action = (enum log_action)opt;
			q.value = optarg;
		} else {
			return cmd_usage(ctx, "log");
		}
	}
	/* CODE, then what the action takes: AMOUNT [INVOICE...], REASON or TEXT. */
	if (optind >= argc || q.action == LOG_NONE)
		return cmd_usage(ctx, "log");
	q.code = argv[optind];
	q.rest = argv + optind + 1;
	q.nrest = argc - optind - 1;
	bool shape_ok = q.action == LOG_PROMISE ? q.nrest >= 1
	    : q.action == LOG_DISPUTE || q.action == LOG_RESOLVE ? q.nrest == 1 : q.nrest == 0;
	if (!shape_ok || (q.owner != NULL && q.action != LOG_DISPUTE))
		return cmd_usage(ctx, "log");

	struct store *s;
	int rc = cmd_store(ctx, 0, &s);
	if (rc != DUN_OK)
		return rc;
	char *cause = NULL, *message = NULL;
	if ((rc = store_begin(s, &cause)) != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	if ((rc = log_run(ctx, s, &q, &message, &cause)) == DUN_OK)
		rc = promise_refresh(s, ctx->today, ctx->config.promise_grace_days, &cause);
	if (rc == DUN_OK)
		rc = store_commit(s, &cause);
	else
		store_rollback(s);
	if (rc != DUN_OK) {
		free(message);
		return cmd_fail(ctx, rc, cause);
	}
	fprintf(ctx->out, "%s\n", message);
	free(message);
	return DUN_OK;
}
