/* Bank statements (SPEC §5): camt.053 XML, MT940, OFX 1.x/2.x and CSV
 * exports, each parsed into the same structure of statements and lines so
 * that the importer and the matcher never see a bank's file format. A file
 * parses whole or not at all: the first error names the file and position
 * ("FILE:LINE: FIELD "VALUE": reason") and nothing is returned (a CSV
 * export can name every bad row first: bank_csv_map.notice). */
#ifndef DUN_BANK_H
#define DUN_BANK_H
#include <stdbool.h>
#include <stddef.h>
#include "date.h"
#include "money.h"

enum bank_format { BANK_CAMT, BANK_MT940, BANK_OFX, BANK_CSV };

/* One transaction: an entry, or one transaction of a batch entry. Strings
 * are never NULL ("" when absent) and owned by the line. */
struct bank_line {
	day_t booking_date;       /* DATE_NONE when the file gives none */
	day_t value_date;         /* DATE_NONE when the file gives none */
	money_t amount;           /* > 0 or 0, minor units of currency */
	bool credit;              /* money in (a receipt); false for a debit */
	bool reversal;            /* cancels an earlier line of the other sign */
	char currency[4];         /* "" when the file does not say */
#define BANK_LINE_STRINGS(X) \
	X(end_to_end_id)  /* camt EndToEndId, MT940 EREF+, OFX (none) */ \
	X(entry_ref)      /* camt NtryRef, MT940 :61: customer ref, OFX FITID */ \
	X(bank_ref)       /* camt AcctSvcrRef, MT940 :61: //bank ref, OFX REFNUM */ \
	X(remittance)     /* unstructured remittance text */ \
	X(structured_ref) /* creditor reference (RF..., SCOR) */ \
	X(payer_name) \
	X(payer_account)  /* IBAN or other account id */ \
	X(type)           /* bank transaction code / TRNTYPE / :61: type */ \
	X(reference)      /* end-to-end id, else entry ref, else bank ref, else
	                     "STATEMENT/N": the key of duplicates */
#define X(name) char *name;
	BANK_LINE_STRINGS(X)
#undef X
	long position;            /* line in the file where the line starts */
};

struct bank_statement {
	char *id;                 /* statement id, "" when absent */
	char *account;            /* our account (IBAN or bank's id), "" when absent */
	char currency[4];
	bool has_opening, has_closing;
	money_t opening, closing; /* signed: negative when debit */
	struct bank_line *lines;
	size_t nlines, cap;
};

struct bank_file {
	enum bank_format format;
	struct bank_statement *statements;
	size_t nstatements, cap;
	/* What was tolerated ("FILE:LINE: FIELD "VALUE": why"), for the user. */
	char **warnings;
	size_t nwarnings;
};

/* How a CSV bank export names its columns (header names, matched
 * case-insensitively); NULL for the defaults: date, value_date, amount
 * (signed) or credit/debit, currency, reference, remittance, payer,
 * account. Then how it is read, as the other CSV imports (SPEC §5):
 * encoding NULL for UTF-8; date_format NULL for ISO, DD/MM/YYYY or
 * DD.MM.YYYY; mark MONEY_MARK_AUTO to detect it from the first amount. */
struct bank_csv_map {
	const char *date, *value_date, *amount, *credit, *debit, *currency;
	const char *reference, *remittance, *payer, *payer_account;
	const char *encoding, *date_format;
	enum money_mark mark;
	/* Called with each bad row ("FILE:LINE: FIELD "VALUE": why), the
	 * first IMPORT_MAX_REPORTED of them then "FILE: and N more bad rows"
	 * as the other imports do, before the parse fails with their count;
	 * NULL: the parse fails at the first. */
	void (*notice)(void *arg, const char *message);
	void *notice_arg;
};

/* Detects the format from the content (never the file name). Returns
 * false when the content is none of the four. */
bool bank_detect(const char *data, size_t size, enum bank_format *out);
/* Parses data (size bytes, read from path) in the detected format; map
 * (NULL for the defaults) names a CSV export's columns. On failure *cause
 * says where and why and *out is left empty. The caller frees out with
 * bank_file_free. */
int bank_parse(const char *path, const char *data, size_t size, const struct bank_csv_map *map,
    struct bank_file *out, char **cause);
/* Reads and parses a file. */
int bank_parse_file(const char *path, const struct bank_csv_map *map, struct bank_file *out, char **cause);
void bank_file_free(struct bank_file *f);
const char *bank_format_name(enum bank_format f); /* "camt" "mt940" "ofx" "bankcsv" */

/* The parsers, one per format (bank_*.c), for bank_parse and the fuzzers. */
int bank_camt_parse(const char *path, const char *data, size_t size, struct bank_file *out, char **cause);
int bank_mt940_parse(const char *path, const char *data, size_t size, struct bank_file *out, char **cause);
int bank_ofx_parse(const char *path, const char *data, size_t size, struct bank_file *out, char **cause);
/* CSV streams from the file itself (csv_reader.h). */
int bank_csv_parse(const char *path, const struct bank_csv_map *map, struct bank_file *out, char **cause);

/* Helpers the parsers share. */
void bank_warn(struct bank_file *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct bank_statement *bank_statement_add(struct bank_file *f);
/* A new zeroed line with every string "" at the end of st. */
struct bank_line *bank_line_add(struct bank_statement *st, long position);
/* Replaces *field with a copy of n bytes of text, trimmed of surrounding
 * white space. */
void bank_set(char **field, const char *text, size_t n);
/* Appends text to *field, separated by sep when both are non-empty. */
void bank_append(char **field, const char *text, size_t n, const char *sep);
/* Parses an amount in the statement currency (2 decimals when unknown);
 * mark is '.' or ','. Only digits, one mark and an optional leading '-'
 * are accepted. */
bool bank_amount_parse(const char *text, const char *currency, char mark, money_t *out, const char **why);
/* Fills every line's reference (end-to-end id, else entry ref, else
 * "STATEMENT/N") once a statement is complete. */
void bank_statement_finish(struct bank_statement *st);
#endif
