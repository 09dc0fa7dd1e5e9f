/* Excel workbooks (SPEC §10) written with libxlsxwriter: a customer's
 * statement of account and the portfolio aging workbook. Every file is
 * written under a temporary name in its target directory and renamed when
 * whole, so a failure or a killed process never leaves a half file under
 * the final name. Text from the ledger is always written as a string cell,
 * never as a formula, whatever its first character. */
#ifndef DUN_XLSX_H
#define DUN_XLSX_H
#include <stdint.h>
#include "config.h"
#include "date.h"
#include "store.h"

/* Writes the statement of account of customer_id as of as_of to path: the
 * items open at as_of (issued on or before it, allocations dated on or
 * before it), credit notes and unapplied cash as negative lines, totals as
 * SUM formulas with their values, the aging summary and the payment
 * instructions of cfg; one sheet per currency the customer owes in;
 * labels in the customer's language. Used by `dun statement(s)` and by the
 * outbox to attach a statement. An unknown customer is DUN_EDATA; a file
 * that cannot be written is DUN_EDATA naming the path and the reason. */
int xlsx_statement_write(struct store *s, const struct config *cfg, int64_t customer_id,
    day_t as_of, const char *path, char **cause);

/* Statements of many customers as of one date: their aging summaries come
 * from one aging pass per currency instead of one per customer. store and
 * cfg must outlive it. */
struct xlsx_statements;
struct xlsx_statements *xlsx_statements_new(struct store *s, const struct config *cfg, day_t as_of);
/* As xlsx_statement_write, for one customer of the batch. */
int xlsx_statements_write(struct xlsx_statements *x, int64_t customer_id, const char *path, char **cause);
void xlsx_statements_free(struct xlsx_statements *x);

struct xlsx_aging_options {
	day_t as_of;
	const char *currency;   /* only this currency, unconverted; NULL: base */
	uint32_t rows_per_sheet;/* open items rows per sheet; 0: Excel's limit */
};

/* Writes the aging workbook: Summary (buckets by segment and by collector,
 * with totals), By customer (the aging grid) and Open items (every
 * invoice, credit note and payment open at as_of, customer by customer,
 * so that they add up to the grid; continued on further sheets past
 * rows_per_sheet), in
 * libxlsxwriter's constant-memory mode. Buckets and basis come from cfg. */
int xlsx_aging_write(struct store *s, const struct config *cfg,
    const struct xlsx_aging_options *o, const char *path, char **cause);

struct calllist_options;
/* Writes today's call list (calllist.h) as one sheet: the rows of `dun
 * calllist` with overdue amounts as numbers in their currency. */
int xlsx_calllist_write(struct store *s, const struct config *cfg,
    const struct calllist_options *o, const char *path, char **cause);

/* A file name for a customer code that stays inside its directory:
 * letters, digits, '_' and '-' are kept, every other byte (and a leading
 * '-') becomes %XX, so distinct codes give distinct names; very long codes
 * are cut and end with the customer id. Appends ".xlsx". Caller frees. */
char *xlsx_file_name(const char *code, int64_t customer_id);
#endif
