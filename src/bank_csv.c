/* CSV exports of bank lines (online banking "download as CSV"): a header
 * row names the columns, which a column map (bank.h) ties to our fields.
 * The amount is one signed column or a credit and a debit column; the
 * decimal mark is decided once per file from the first amount that shows
 * it; dates are ISO, DD/MM/YYYY or DD.MM.YYYY. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bank.h"
#include "csv_reader.h"
#include "import.h"
#include "status.h"
#include "xalloc.h"

enum column { C_DATE, C_VALUE_DATE, C_AMOUNT, C_CREDIT, C_DEBIT, C_CURRENCY, C_REFERENCE,
	C_REMITTANCE, C_PAYER, C_PAYER_ACCOUNT, C_COUNT };

/* Default header names, tried in order when the map does not say. */
static const char *const defaults[C_COUNT][4] = {
	[C_DATE] = { "date", "booking date", "booking_date", NULL },
	[C_VALUE_DATE] = { "value_date", "value date", NULL },
	[C_AMOUNT] = { "amount", NULL },
	[C_CREDIT] = { "credit", NULL },
	[C_DEBIT] = { "debit", NULL },
	[C_CURRENCY] = { "currency", NULL },
	[C_REFERENCE] = { "reference", "end_to_end_id", NULL },
	[C_REMITTANCE] = { "remittance", "description", "details", NULL },
	[C_PAYER] = { "payer", "payer_name", "name", NULL },
	[C_PAYER_ACCOUNT] = { "account", "payer_account", "iban", NULL },
};

static const char *mapped(const struct bank_csv_map *map, enum column c)
{
	if (map == NULL)
		return NULL;
	const char *const names[C_COUNT] = { map->date, map->value_date, map->amount, map->credit, map->debit,
		map->currency, map->reference, map->remittance, map->payer, map->payer_account };
	return names[c];
}

static bool parse_date(const char *text, const char *format, day_t *out)
{
	if (format != NULL)
		return date_parse_format(text, format, out);
	return date_parse_iso(text, out) || date_parse_format(text, "%d/%m/%Y", out)
	    || date_parse_format(text, "%d.%m.%Y", out);
}

static int fail(const char *path, long line, const char *field, const char *value, const char *why, char **cause)
{
	return dun_fail(cause, DUN_EDATA, "%s:%ld: %s \"%.40s\": %s", path, line, field, value, why);
}

static int parse_amount(const char *path, long line, const char *field, const char *text, const char *currency,
    enum money_mark *mark, money_t *out, char **cause)
{
	const char *why;
	int exponent = money_exponent(currency);
	if (*mark == MONEY_MARK_AUTO)
		*mark = money_detect_mark(text);
	if (!money_parse_row(text, exponent < 0 ? 2 : exponent, *mark, out, &why))
		return fail(path, line, field, text, why, cause);
	return DUN_OK;
}

/* Checks one row and adds its line to st; a bad row adds nothing and
 * *cause names it. */
static int parse_row(const char *path, const struct csv_record *rec, const int col[C_COUNT], const char *format,
    enum money_mark *mark, struct bank_statement *st, char **cause)
{
	const char *f[C_COUNT];
	for (int c = 0; c < C_COUNT; c++)
		f[c] = col[c] >= 0 && col[c] < rec->nfields ? rec->fields[col[c]] : "";
	day_t date, value = DATE_NONE;
	if (!parse_date(f[C_DATE], format, &date))
		return fail(path, rec->line, "date", f[C_DATE], format != NULL ? "not a date in the --date-format"
		    : "not a date (YYYY-MM-DD, DD/MM/YYYY, DD.MM.YYYY)", cause);
	if (*f[C_VALUE_DATE] != '\0' && !parse_date(f[C_VALUE_DATE], format, &value))
		return fail(path, rec->line, "value_date", f[C_VALUE_DATE], "not a date", cause);
	int rc = DUN_OK;
	money_t amount = 0, debit = 0;
	if (col[C_AMOUNT] >= 0)
		rc = parse_amount(path, rec->line, "amount", f[C_AMOUNT], f[C_CURRENCY], mark, &amount, cause);
	else {
		if (*f[C_CREDIT] != '\0')
			rc = parse_amount(path, rec->line, "credit", f[C_CREDIT], f[C_CURRENCY], mark, &amount, cause);
		if (rc == DUN_OK && *f[C_DEBIT] != '\0')
			rc = parse_amount(path, rec->line, "debit", f[C_DEBIT], f[C_CURRENCY], mark, &debit, cause);
		amount = amount - (debit < 0 ? -debit : debit);
	}
	if (rc != DUN_OK)
		return rc;
	if (*f[C_CURRENCY] != '\0' && !money_currency_valid(f[C_CURRENCY]))
		return fail(path, rec->line, "currency", f[C_CURRENCY], "not an ISO 4217 currency", cause);
	struct bank_line *l = bank_line_add(st, rec->line);
	snprintf(l->currency, sizeof l->currency, "%s", f[C_CURRENCY]);
	l->credit = amount >= 0;
	l->amount = amount < 0 ? -amount : amount;
	l->booking_date = date;
	l->value_date = value != DATE_NONE ? value : date;
	bank_set(&l->entry_ref, f[C_REFERENCE], strlen(f[C_REFERENCE]));
	bank_set(&l->remittance, f[C_REMITTANCE], strlen(f[C_REMITTANCE]));
	bank_set(&l->payer_name, f[C_PAYER], strlen(f[C_PAYER]));
	bank_set(&l->payer_account, f[C_PAYER_ACCOUNT], strlen(f[C_PAYER_ACCOUNT]));
	return DUN_OK;
}

int bank_csv_parse(const char *path, const struct bank_csv_map *map, struct bank_file *out, char **cause)
{
	struct csv_reader *r;
	struct csv_record *rec;
	const char *format = map != NULL ? map->date_format : NULL;
	int rc = csv_reader_open(path, map != NULL ? map->encoding : NULL, &r, cause);
	if (rc != DUN_OK)
		return rc;
	int col[C_COUNT];
	rc = csv_reader_next(r, &rec, cause);
	if (rc == DUN_OK && rec == NULL)
		rc = fail(path, 1, "header", "", "empty file", cause);
	if (rc != DUN_OK) {
		csv_reader_close(r);
		return rc;
	}
	for (int c = 0; c < C_COUNT; c++) {
		col[c] = -1;
		const char *want = mapped(map, c);
		for (int i = 0; col[c] < 0 && i < rec->nfields; i++) {
			if (want != NULL) {
				if (strcasecmp(rec->fields[i], want) == 0)
					col[c] = i;
				continue;
			}
			for (int k = 0; defaults[c][k] != NULL; k++)
				if (strcasecmp(rec->fields[i], defaults[c][k]) == 0)
					col[c] = i;
		}
	}
	if (col[C_DATE] < 0)
		rc = fail(path, rec->line, "date", "", "no date column in the header", cause);
	else if (col[C_AMOUNT] < 0 && (col[C_CREDIT] < 0 || col[C_DEBIT] < 0))
		rc = fail(path, rec->line, "amount", "", "no amount column (nor credit and debit) in the header", cause);
	struct bank_statement *st = rc == DUN_OK ? bank_statement_add(out) : NULL;
	enum money_mark mark = map != NULL ? map->mark : MONEY_MARK_AUTO;
	void (*notice)(void *, const char *) = map != NULL ? map->notice : NULL;
	long bad = 0;
	while (rc == DUN_OK && (rc = csv_reader_next(r, &rec, cause)) == DUN_OK && rec != NULL) {
		if (rec->nfields == 1 && *rec->fields[0] == '\0')
			continue; /* a blank line */
		char *why = NULL;
		if (parse_row(path, rec, col, format, &mark, st, &why) == DUN_OK)
			continue;
		if (notice == NULL) {
			rc = dun_fail(cause, DUN_EDATA, "%s", why);
			free(why);
			break;
		}
		if (++bad <= IMPORT_MAX_REPORTED)
			notice(map->notice_arg, why);
		free(why);
	}
	if (rc == DUN_OK && bad > IMPORT_MAX_REPORTED) {
		char *more = xasprintf("%s: and %ld more bad rows", path, bad - IMPORT_MAX_REPORTED);
		notice(map->notice_arg, more);
		free(more);
	}
	if (rc == DUN_OK && bad > 0)
		rc = dun_fail(cause, DUN_EDATA, "%s: %ld bad row%s, nothing imported", path, bad, bad == 1 ? "" : "s");
	csv_reader_close(r);
	return rc;
}
