/* Promises to pay (SPEC §2): a customer promises an amount by a date,
 * for some invoices or for its account as a whole. A promise is kept when
 * the covered invoices receive the amount (with none covered: when the
 * customer pays it) between the day it was made and the promised date plus
 * the grace days; broken once that date passes short of it. Status is a
 * function of the date (promise_status_at); the stored status is a cache
 * that promise_refresh brings up to a date for the call list and the TUI. */
#ifndef DUN_PROMISE_H
#define DUN_PROMISE_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

enum promise_status { PROMISE_OPEN, PROMISE_KEPT, PROMISE_BROKEN };
const char *promise_status_name(enum promise_status status); /* "open" "kept" "broken" */

struct promise_new {
	int64_t customer_id;
	money_t amount;              /* > 0, in currency */
	const char *currency;        /* NULL: the covered invoices', else the customer's */
	day_t made, promised;        /* promised >= made */
	const int64_t *invoice_ids;  /* covered invoices, of that customer */
	int ninvoices;
	const char *who;             /* NULL: ledger_user() */
};

/* Records a promise and its activity (inside the caller's transaction).
 * Refuses (DUN_EDATA, saying why) a promised date before the day it is
 * made, a non-positive amount, invoices of another customer, credit notes,
 * invoices with nothing open, mixed currencies, or an amount above what
 * the covered invoices still owe. */
int promise_add(struct store *s, const struct promise_new *p, int64_t *promise_id, char **cause);

/* The promise's status as of d; *settled (may be NULL) gets the day it was
 * kept or broken, DATE_NONE while open. A promise made after d is reported
 * open. */
int promise_status_at(struct store *s, int64_t promise_id, day_t d, int grace_days,
    enum promise_status *status, day_t *settled, char **cause);
/* Brings the stored status and settled_date of every promise still stored
 * as open up to today. */
int promise_refresh(struct store *s, day_t today, int grace_days, char **cause);

/* Whether dunning of the invoice is paused at d: under open dispute, or
 * covered by a promise open at d (a promise covering no invoice covers all
 * of its customer's). *paused is set; the status is for database errors. */
int promise_invoice_paused(struct store *s, int64_t invoice_id, day_t d, int grace_days, bool *paused,
    char **cause);
#endif
