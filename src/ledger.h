/* The ledger's write paths that keep history honest: allocations of
 * payments and credit notes to invoices, and the append-only activity log.
 * Callers hold the transaction (store_begin/commit); these functions only
 * add their rows inside it. Open amounts follow by the schema's triggers. */
#ifndef DUN_LEDGER_H
#define DUN_LEDGER_H
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

enum ledger_how { LEDGER_IMPORT, LEDGER_RULE, LEDGER_MANUAL };

/* Allocates amount of payment_id to invoice_id. The allocation is dated the
 * later of the payment's date and the invoice's issue date. Refuses (with
 * DUN_EDATA and a reason) an amount above the invoice's open amount or the
 * payment's unapplied amount, a currency mismatch, or a payment of another
 * customer; a payment with no customer yet takes the invoice's. Writes an
 * activity of kind "allocation" when how is LEDGER_MANUAL or LEDGER_RULE.
 * *allocation_id (if not NULL) gets the new row's id. */
int ledger_allocate_payment(struct store *s, int64_t payment_id, int64_t invoice_id,
    money_t amount, enum ledger_how how, int64_t *allocation_id, char **cause);
/* Gives a payment with no customer yet to customer_id, all of its
 * unapplied amount staying that customer's unapplied cash (a payment
 * naming an invoice already paid). Nothing to do when it is that
 * customer's already; refuses (DUN_EDATA) another customer's payment or a
 * reversal. Writes an activity of kind "payment" when how is LEDGER_MANUAL
 * or LEDGER_RULE. */
int ledger_assign_payment(struct store *s, int64_t payment_id, int64_t customer_id, enum ledger_how how,
    char **cause);
/* The same for a credit note (an invoice of kind credit_note) applied to an
 * invoice of the same customer and currency. */
int ledger_allocate_credit(struct store *s, int64_t credit_id, int64_t invoice_id,
    money_t amount, enum ledger_how how, int64_t *allocation_id, char **cause);
/* Undoes an allocation, recording an "unallocation" activity. */
int ledger_unallocate(struct store *s, int64_t allocation_id, const char *who, day_t today, char **cause);

/* Appends an activity; invoice_ids (count n, may be 0) are linked to it.
 * amount may be 0 with currency NULL when it has none. */
struct ledger_activity {
	int64_t customer_id;
	day_t date;
	const char *kind;    /* call email letter note promise dispute resolve payment allocation unallocation dunning edit sent undo */
	const char *who;     /* may be NULL */
	const char *text;    /* may be NULL */
	const char *outcome; /* may be NULL */
	money_t amount;
	const char *currency;
	const int64_t *invoice_ids;
	int ninvoices;
};
int ledger_activity_add(struct store *s, const struct ledger_activity *a, int64_t *activity_id, char **cause);

/* Looks up a customer by code / an invoice by number; 0 when absent. */
int64_t ledger_customer_id(struct store *s, const char *code);
int64_t ledger_invoice_id(struct store *s, const char *number);
/* The user name recorded in activities: $DUN_USER, else $USER, else "dun". */
const char *ledger_user(void);
#endif
