/* Payment terms (SPEC §5): the text a customer or an invoice carries and
 * the due date (and early-payment discount date) it gives an issue date.
 *   net N       N days
 *   N eom       N days, then the end of that month
 *   eom N       the end of the issue month, then N days
 *   due         on receipt
 *   D/N net M   D % discount if paid within N days, due in M days
 * Words are case-insensitive and spaces between tokens optional ("Net30",
 * "2/10 NET 30"); anything else is an error. */
#ifndef DUN_TERMS_H
#define DUN_TERMS_H
#include <stdbool.h>
#include "date.h"

#define TERMS_MAX_DAYS 3650
#define TERMS_TEXT_MAX 32

enum terms_kind { TERMS_NET, TERMS_DAYS_EOM, TERMS_EOM_DAYS, TERMS_DUE, TERMS_DISCOUNT };

struct terms {
	enum terms_kind kind;
	int days;                  /* N (net N, N eom, eom N) or M (D/N net M) */
	int discount_days;         /* N of D/N net M */
	int discount_hundredths;   /* D in hundredths of a percent: 2 -> 200, 1.5 -> 150 */
};

/* Parses text; on failure returns false with *why set to a static reason. */
bool terms_parse(const char *text, struct terms *out, const char **why);
/* The canonical text ("net 30", "2/10 net 30", "1.5/10 net 30") into buf
 * of TERMS_TEXT_MAX bytes; returns buf. */
char *terms_format(const struct terms *t, char *buf);
day_t terms_due_date(const struct terms *t, day_t issue);
/* The last day the discount applies, or DATE_NONE (store.h) without one. */
day_t terms_discount_date(const struct terms *t, day_t issue);
#endif
