/* CSV imports of customers, invoices, payments and FX rates (SPEC §5).
 * An import is one transaction: every row is checked, every bad row is
 * reported (up to a limit), and one bad row rejects the file unless the
 * caller asked to skip bad rows into a file of their own. Re-importing a
 * file changes nothing; a changed row updates what may change and refuses
 * what would break history. The file streams: memory does not grow with
 * the number of rows. */
#ifndef DUN_IMPORT_H
#define DUN_IMPORT_H
#include <stdbool.h>
#include "date.h"
#include "money.h"
#include "store.h"

#define IMPORT_KIND_LIST(X) \
	X(IMPORT_CUSTOMERS, "customers") \
	X(IMPORT_INVOICES, "invoices") \
	X(IMPORT_PAYMENTS, "payments") \
	X(IMPORT_RATES, "rates")

enum import_kind {
#define X(name, text) name,
	IMPORT_KIND_LIST(X)
#undef X
};

/* Bad rows named in the error before "and N more". */
#define IMPORT_MAX_REPORTED 20

struct import_options {
	enum import_kind kind;
	const char *path;
	const char *encoding;      /* NULL: UTF-8 (BOM allowed) */
	const char *map_path;      /* --map FILE: "column = header in the file" lines, or NULL */
	enum money_mark mark;      /* MONEY_MARK_AUTO: detected once per file */
	const char *date_format;   /* %d %m %Y or %y (date_format_valid), NULL: ISO */
	const char *skip_bad_path; /* write rejected rows here and import the rest, or NULL */
	bool dry_run;              /* check everything, write nothing */
	const char *base_currency; /* default currency of new customers and of payments without one */
	/* Called for each message the user should see besides the result:
	 * unknown columns (once each) and bad rows ("FILE:LINE: FIELD
	 * "VALUE": reason"). Not called for the final error. */
	void (*notice)(void *arg, const char *message);
	void *notice_arg;
};

struct import_result {
	long rows;                 /* data rows read */
	long inserted, updated, unchanged;
	long rejected;             /* bad rows (written to skip_bad_path, or the reason of failure) */
	long allocations;          /* allocations made (payments' invoices, credit notes' applies_to) */
};

/* Parses "customers", "invoices", "payments" or "rates". */
bool import_kind_parse(const char *text, enum import_kind *out);
const char *import_kind_name(enum import_kind kind);
/* "customer", "invoice"... for messages about one row. */
const char *import_kind_singular(enum import_kind kind);

/* Runs the import. Returns DUN_OK; DUN_EDATA when rows are bad (each was
 * passed to notice; *cause sums up: "FILE: 3 bad rows, nothing imported")
 * or the file is unreadable; DUN_EUSAGE for a bad option (encoding, map,
 * date format); DUN_EDB when the ledger fails. The caller frees *cause. */
int import_run(struct store *s, const struct import_options *o, struct import_result *result, char **cause);
#endif
