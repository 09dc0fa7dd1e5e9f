/* The user's configuration (SPEC §12): an INI file read with libinih. Every
 * key is optional; a bad value is an error naming the file and line. */
#ifndef DUN_CONFIG_H
#define DUN_CONFIG_H
#include <stdio.h>
#include "money.h"

struct config {
	char *path;                /* the file read, or NULL when none */
	char *company_name;
	char *company_address;
	char *base_currency;       /* default "EUR" */
	char *payment_link;        /* pattern with {invoice}, {customer}, {amount} */
	char *mail_from;
	char *mail_transport;      /* "sendmail ARGS..." or smtp:// or smtps:// URL */
	char *late_interest_rate;  /* annual %, decimal text, default "12.15" */
	money_t recovery_indemnity;/* per invoice, base currency minor units, default 40.00 */
	int promise_grace_days;    /* default 2 */
	int aging_buckets[8];      /* upper edges in days, default 30,60,90,120 */
	int aging_bucket_count;
	int aging_basis_invoice;   /* 0 due (default), 1 invoice */
	char *ui_collector;
	char *match_patterns;      /* [match] patterns: extra PCRE2 patterns, one per line */
	double match_min_confidence; /* [match] min_confidence, default 0.90 (not money) */
};

/* The payment link of a pattern ([company] payment_link) with {invoice},
 * {customer} and {amount} replaced, each percent-encoded (RFC 3986
 * unreserved bytes kept) so imported text cannot change the link's meaning.
 * invoice and amount may be NULL (replaced by nothing). "" for an empty
 * pattern. Caller frees. */
char *config_payment_link(const char *pattern, const char *customer, const char *invoice, const char *amount);
/* Fills cfg with defaults. */
void config_defaults(struct config *cfg);
/* Reads path (or, when NULL, $DUN_CONFIG else $XDG_CONFIG_HOME/dun/dun.ini
 * else ~/.config/dun/dun.ini; a missing default file is not an error, a
 * missing explicit one is). */
int config_load(const char *path, struct config *cfg, char **cause);
/* Reads INI text from f into cfg; cfg->path names it in messages. */
int config_read(FILE *f, struct config *cfg, char **cause);
void config_free(struct config *cfg);
/* Parses INI text from f with libinih (Debian builds it without line
 * numbers in handlers), keeping the line being handled in *line so that
 * handlers can name it in messages. Returns inih's result (0 or the first
 * error's line). For a string, use fmemopen. */
int config_ini_parse(FILE *f, int (*handler)(void *user, const char *section,
    const char *key, const char *value), void *user, int *line);
/* Parses "30,60,90,120" (strictly increasing positive days, at most 8). */
int config_parse_buckets(const char *text, int *edges, int *count, char **cause);
#endif
