/* `dun import bank FILE`: a bank statement's credits become payments
 * waiting to be matched (SPEC §5, §9). One transaction: the whole file or
 * nothing. Debits are not receipts and are only counted; a reversed credit
 * (a returned payment) takes back its payment's allocations and enters as
 * a negative payment; a line already imported (same account, date, amount,
 * reference) is skipped, so statements that overlap import safely. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bank.h"
#include "cmd.h"
#include "config.h"
#include "import.h"
#include "ledger.h"
#include "status.h"
#include "xalloc.h"

struct counts {
	long imported, debits, duplicates, reversals;
};

static const char sql_exists[] =
	"SELECT 1 FROM payment WHERE account = ?1 AND date = ?2 AND amount = ?3 AND reference = ?4";
static const char sql_insert[] =
	"INSERT INTO payment (reference, date, value_date, amount, currency, method, account, payer_name,"
	" payer_account, remittance, structured_ref, end_to_end_id, entry_ref, source, customer_id,"
	" unapplied, reversal_of)"
	" VALUES (?1, ?2, ?3, ?4, ?5, 'transfer', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?4, ?15)";
/* The payment a reversal cancels: same account and amount, the same
 * reference or else the same payer account, not reversed yet, latest
 * first. */
static const char sql_reversed[] =
	"SELECT p.id, p.customer_id FROM payment p WHERE p.account = ?1 AND p.amount = ?2"
	" AND (p.reference = ?3 OR (?4 <> '' AND p.payer_account = ?4)) AND p.date <= ?5"
	" AND p.id NOT IN (SELECT reversal_of FROM payment WHERE reversal_of IS NOT NULL)"
	" ORDER BY p.reference = ?3 DESC, p.date DESC, p.id DESC LIMIT 1";
static const char sql_allocations[] = "SELECT id FROM allocation WHERE payment_id = ?1 ORDER BY id";

static bool already_imported(struct store *s, const char *account, day_t date, money_t amount, const char *reference)
{
	sqlite3_stmt *st = store_stmt(s, sql_exists);
	store_bind_text(st, 1, account);
	store_bind_date(st, 2, date);
	sqlite3_bind_int64(st, 3, amount);
	store_bind_text(st, 4, reference);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* Undoes the allocations of the payment a reversal cancels, so that its
 * invoices are open again. *id and *customer are 0 when none is found. */
static int reverse_payment(struct cmd_ctx *ctx, struct store *s, const char *account, const struct bank_line *l,
    int64_t *id, int64_t *customer, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql_reversed);
	store_bind_text(st, 1, account);
	sqlite3_bind_int64(st, 2, l->amount);
	store_bind_text(st, 3, l->reference);
	store_bind_text(st, 4, l->payer_account);
	store_bind_date(st, 5, l->booking_date);
	*id = *customer = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*customer = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (*id == 0)
		return DUN_OK;
	int64_t allocations[64];
	int n;
	/* Read a batch, undo it, read again: ledger_unallocate writes. */
	do {
		st = store_stmt(s, sql_allocations);
		sqlite3_bind_int64(st, 1, *id);
		n = 0;
		while (n < 64 && sqlite3_step(st) == SQLITE_ROW)
			allocations[n++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (int i = 0; i < n; i++) {
			int rc = ledger_unallocate(s, allocations[i], ledger_user(), ctx->today, cause);
			if (rc != DUN_OK)
				return rc;
		}
	} while (n == 64);
	return DUN_OK;
}

static int insert_line(struct cmd_ctx *ctx, struct store *s, const struct bank_file *f, const char *path,
    const struct bank_statement *stmt, const struct bank_line *l, struct counts *n, char **cause)
{
	const char *currency = l->currency[0] != '\0' ? l->currency
	    : stmt->currency[0] != '\0' ? stmt->currency : ctx->config.base_currency;
	if (!money_currency_valid(currency))
		return dun_fail(cause, DUN_EDATA, "%s:%ld: currency \"%s\": not an ISO 4217 currency", path, l->position, currency);
	/* A reversed debit gives back money we paid: not a receipt either. */
	if (!l->credit && !l->reversal) {
		n->debits++;
		return DUN_OK;
	}
	if (l->credit && l->reversal) {
		n->debits++;
		return DUN_OK;
	}
	money_t amount = l->credit ? l->amount : -l->amount;
	if (already_imported(s, stmt->account, l->booking_date, amount, l->reference)) {
		n->duplicates++;
		return DUN_OK;
	}
	int64_t reversed = 0, customer = 0;
	if (!l->credit) {
		int rc = reverse_payment(ctx, s, stmt->account, l, &reversed, &customer, cause);
		if (rc != DUN_OK)
			return rc;
		n->reversals++;
	}
	sqlite3_stmt *st = store_stmt(s, sql_insert);
	store_bind_text(st, 1, l->reference);
	store_bind_date(st, 2, l->booking_date);
	store_bind_date(st, 3, l->value_date);
	sqlite3_bind_int64(st, 4, amount);
	store_bind_text(st, 5, currency);
	store_bind_text(st, 6, stmt->account);
	store_bind_text(st, 7, l->payer_name);
	store_bind_text(st, 8, l->payer_account);
	store_bind_text(st, 9, l->remittance);
	store_bind_text(st, 10, l->structured_ref);
	store_bind_text(st, 11, l->end_to_end_id);
	store_bind_text(st, 12, l->entry_ref);
	store_bind_text(st, 13, bank_format_name(f->format));
	if (customer != 0)
		sqlite3_bind_int64(st, 14, customer);
	else
		sqlite3_bind_null(st, 14);
	if (reversed != 0)
		sqlite3_bind_int64(st, 15, reversed);
	else
		sqlite3_bind_null(st, 15);
	if (store_step_done(st) != SQLITE_DONE)
		return store_error(s, "import bank", cause);
	n->imported++;
	return DUN_OK;
}

/* Opening balance + lines = closing balance, or a warning: banks do send
 * statements that do not add up, and the lines are still real. */
static void check_balance(struct cmd_ctx *ctx, const char *path, const struct bank_statement *st)
{
	if (!st->has_opening || !st->has_closing)
		return;
	money_t sum = st->opening;
	for (size_t i = 0; i < st->nlines; i++) {
		const struct bank_line *l = &st->lines[i];
		if (!money_add(sum, l->credit ? l->amount : -l->amount, &sum))
			return;
	}
	if (sum == st->closing)
		return;
	int e = money_exponent(st->currency);
	char a[MONEY_TEXT_MAX], b[MONEY_TEXT_MAX], c[MONEY_TEXT_MAX];
	e = e < 0 ? 2 : e;
	fprintf(ctx->err, "dun: %s: warning: statement \"%s\": opening balance %s + lines = %s, not the closing balance %s\n",
	    path, st->id, money_format(st->opening, e, a), money_format(sum, e, b), money_format(st->closing, e, c));
}

/* --map FILE for CSV exports: "our column = the file's header" lines. */
#define MAP_COLUMNS(X) X(date) X(value_date) X(amount) X(credit) X(debit) X(currency) \
	X(reference) X(remittance) X(payer) X(payer_account)

struct map_reader {
	struct bank_csv_map map;
	const char *path;
	int line;
	char *cause;
};

static int map_key(void *user, const char *section, const char *key, const char *value)
{
	struct map_reader *r = user;
	(void)section;
#define X(name) \
	if (strcasecmp(key, #name) == 0) { \
		free((char *)r->map.name); \
		r->map.name = xstrdup(value); \
		return 1; \
	}
	MAP_COLUMNS(X)
#undef X
	dun_fail(&r->cause, DUN_EUSAGE, "%s:%d: column \"%s\": not one of date, value_date, amount, credit, debit,"
	    " currency, reference, remittance, payer, payer_account", r->path, r->line, key);
	return 0;
}

static void map_free(struct bank_csv_map *map)
{
#define X(name) free((char *)map->name);
	MAP_COLUMNS(X)
#undef X
}

static int map_read(const char *path, struct map_reader *r)
{
	FILE *fp = fopen(path, "r");
	r->path = path;
	if (fp == NULL)
		return dun_fail(&r->cause, DUN_EUSAGE, "--map %s: cannot read it", path);
	int failed = config_ini_parse(fp, map_key, r, &r->line);
	fclose(fp);
	if (failed != 0 && r->cause == NULL)
		dun_fail(&r->cause, DUN_EUSAGE, "%s:%d: not a \"column = header\" line", path, failed);
	return r->cause != NULL ? DUN_EUSAGE : DUN_OK;
}

int cmd_import_bank(struct cmd_ctx *ctx, const struct import_options *o)
{
	if (o->skip_bad_path != NULL)
		return cmd_error(ctx, DUN_EUSAGE, "--skip-bad: a bank statement is imported whole or not at all");
	bool dry_run = o->dry_run;
	const char *path = o->path;
	struct map_reader map = { .map = { .encoding = o->encoding, .date_format = o->date_format, .mark = o->mark,
		.notice = cmd_notice, .notice_arg = ctx } };
	if (o->map_path != NULL && map_read(o->map_path, &map) != DUN_OK) {
		map_free(&map.map);
		return cmd_fail(ctx, DUN_EUSAGE, map.cause);
	}
	struct bank_file f;
	char *cause = NULL;
	int rc = bank_parse_file(path, &map.map, &f, &cause);
	map_free(&map.map);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	struct store *s;
	if ((rc = cmd_store(ctx, 0, &s)) != DUN_OK) {
		bank_file_free(&f);
		return rc;
	}
	for (size_t i = 0; i < f.nwarnings; i++)
		fprintf(ctx->err, "dun: warning: %s\n", f.warnings[i]);
	struct counts n = { 0 };
	if ((rc = store_begin(s, &cause)) != DUN_OK) {
		bank_file_free(&f);
		return cmd_fail(ctx, rc, cause);
	}
	for (size_t i = 0; i < f.nstatements && rc == DUN_OK; i++) {
		const struct bank_statement *st = &f.statements[i];
		check_balance(ctx, path, st);
		for (size_t j = 0; j < st->nlines && rc == DUN_OK; j++)
			rc = insert_line(ctx, s, &f, path, st, &st->lines[j], &n, &cause);
	}
	if (rc == DUN_OK && dry_run)
		store_rollback(s);
	else if (rc == DUN_OK)
		rc = store_commit(s, &cause);
	else
		store_rollback(s);
	bank_file_free(&f);
	if (rc != DUN_OK)
		return cmd_fail(ctx, rc, cause);
	fprintf(ctx->out, "%s %ld bank line%s from %s: %ld skipped as debits, %ld skipped as already imported",
	    dry_run ? "would import" : "imported", n.imported, n.imported == 1 ? "" : "s", path, n.debits, n.duplicates);
	if (n.reversals > 0)
		fprintf(ctx->out, ", %ld reversal%s", n.reversals, n.reversals == 1 ? "" : "s");
	fputc('\n', ctx->out);
	return DUN_OK;
}
