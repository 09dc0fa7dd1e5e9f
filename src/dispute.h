/* Disputes (SPEC §2): an invoice, or part of it, contested for a reason,
 * owned by someone, opened and later resolved. An open dispute pauses the
 * dunning of its invoice; the ledger keeps at most one open per invoice.
 * Every change is also an activity. Callers hold the transaction. */
#ifndef DUN_DISPUTE_H
#define DUN_DISPUTE_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

/* "billing", "delivery", "quality", "pricing" or "other". */
bool dispute_reason_valid(const char *reason);

/* Opens a dispute on invoice_id on date today for amount (0: the whole
 * open amount). Refuses (DUN_EDATA, saying why) a credit note, an invoice
 * with nothing open, an amount above what is open, or a second open
 * dispute. who and owner may be NULL. */
int dispute_open(struct store *s, int64_t invoice_id, const char *reason, const char *owner, money_t amount,
    day_t today, const char *who, int64_t *dispute_id, char **cause);
/* Resolves the invoice's open dispute on today with a resolution text;
 * DUN_EDATA when it has none. */
int dispute_resolve(struct store *s, int64_t invoice_id, const char *resolution, day_t today, const char *who,
    char **cause);
/* Whether the invoice is under a dispute opened on or before d and not
 * resolved by d. */
bool dispute_open_at(struct store *s, int64_t invoice_id, day_t d);
#endif
