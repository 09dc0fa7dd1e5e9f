/* Today's call list (SPEC §8): the customers with something to do, ordered
 * by priority = expected value at stake x urgency, each with its reasons.
 *
 * At stake: the undisputed overdue amount, less unapplied cash and open
 * credit notes (money the customer already sent), times a risk weight (0.2 + 0.8 x
 * score / 100, 0.5 when not scored yet), plus half the weighted amount of
 * invoices falling due within a week at a risky (class D or E) customer,
 * plus an open promise falling due, plus the excess over the credit limit
 * (all weighted the same way). Urgency: 1, plus 1 for a call or task
 * step due (dunning.h), 1.5 for a broken promise not yet followed by a call,
 * 0.5 for a promise falling due within two days, 0.5 when over the credit
 * limit, plus the oldest overdue age / 60 days (at most 2). Amounts are
 * compared in the base currency at today's rates where a rate is known
 * (the rank is a priority, never an amount: a missing rate leaves the
 * amount unconverted rather than failing the list).
 *
 * A customer on hold (collection paused) is never listed.
 *
 * A customer with a call logged today goes below every other row until
 * tomorrow, unless something new happened after that call (a payment, an
 * allocation, a dispute opened or resolved). */
#ifndef DUN_CALLLIST_H
#define DUN_CALLLIST_H
#include <stdint.h>
#include "config.h"
#include "date.h"
#include "money.h"
#include "store.h"

struct calllist_options {
	day_t today;
	const char *collector;   /* only this collector's customers, or NULL */
	int limit;               /* at most this many rows, 0: all */
};

struct calllist_row {
	int rank;                /* 1-based */
	int64_t customer_id;
	char *code, *name, *collector, *phone;
	int64_t priority;
	char *reasons;           /* "promise broken; call step due; ..." ("task step due" for a task) */
	money_t overdue;         /* in the customer's currency */
	char currency[4];
	int exponent;
	char risk_class[2];      /* "" when not scored */
	char *next_step;         /* the call or task step's label, or "" */
	bool called_today;       /* demoted: called today and nothing new since */
};

/* Builds the list. The caller frees with calllist_free. */
int calllist_build(struct store *s, const struct config *cfg, const struct calllist_options *o,
    struct calllist_row **rows, int *nrows, char **cause);
void calllist_free(struct calllist_row *rows, int nrows);
#endif
