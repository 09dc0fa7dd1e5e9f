/* Payment matching (SPEC §9): for each unapplied payment, find the
 * invoices its remittance names (PCRE2 patterns derived from the ledger's
 * own invoice-number shapes, the user's extra patterns, ISO 11649 RF
 * creditor references), identify the customer (reference, learned payer
 * account, normalised payer name), then propose allocations: the referenced
 * invoices; one open invoice of that amount; a combination of the
 * customer's open invoices summing to the amount (bounded search, oldest
 * first); else a partial allocation oldest first. A remittance naming only
 * invoices already paid still names their customer: the payment becomes
 * that customer's unapplied cash. Each proposal has a confidence in
 * hundredths and a reason.
 *
 * A matcher reads the open invoices, customers and payer accounts once
 * (memory grows with the open items, not the history) and keeps them in
 * step with what it applies. */
#ifndef DUN_MATCH_H
#define DUN_MATCH_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "store.h"

/* The default threshold of --apply, in hundredths (0.90). */
#define MATCH_DEFAULT_THRESHOLD 90
/* Invoices one proposal allocates to, at most. */
#define MATCH_MAX_INVOICES 16

struct match_allocation {
	int64_t invoice_id;
	int index;                 /* the invoice in the matcher */
	const char *number;        /* owned by the matcher */
	money_t amount;
};

struct match_proposal {
	int64_t payment_id;
	int64_t customer_id;       /* 0 when unknown */
	const char *customer_code; /* "" when unknown; owned by the matcher */
	int nallocations;
	struct match_allocation allocations[MATCH_MAX_INVOICES];
	money_t unapplied;         /* what stays unapplied after the allocations */
	int confidence;            /* 0-100 */
	char reason[96];           /* "reference", "amount (payer account)"... */
};

/* A payment as the matcher sees it. */
struct match_payment {
	int64_t id;
	const char *reference;     /* the bank's end-to-end id, entry ref or FITID */
	day_t date;
	int64_t customer_id;       /* 0 when not known yet */
	money_t unapplied;         /* > 0 */
	char currency[4];
	const char *remittance;    /* with the structured reference appended */
	const char *payer_name;
	const char *payer_account;
};

struct matcher;

/* Builds a matcher over the ledger: extra_patterns is the [match] patterns
 * configuration (PCRE2 patterns, one per line; the digits of the capture
 * groups, or of the whole match when it has none, are a reference's digit
 * groups), NULL for none. A bad pattern is
 * DUN_EUSAGE naming it. */
int matcher_new(struct store *s, const char *extra_patterns, struct matcher **out, char **cause);
void matcher_free(struct matcher *m);
/* Proposes allocations for one payment (never fails: a payment nothing
 * fits gets a proposal with no allocation and confidence 0). */
void matcher_propose(struct matcher *m, const struct match_payment *p, struct match_proposal *out);
/* Whether a proposal gives the payment to its customer with nothing
 * allocated (the remittance names an invoice of the customer already
 * paid): all of the money becomes the customer's unapplied cash. */
bool match_assigns(const struct match_proposal *p);
/* Takes a proposal's amounts from the matcher's open amounts and, with
 * write, allocates them as rule-based allocations, or gives the payment
 * to the customer when the proposal assigns it (inside the caller's
 * transaction). */
int matcher_apply(struct matcher *m, const struct match_proposal *p, bool write, char **cause);

/* Runs over every unapplied payment (positive, not reversed), oldest
 * first: each proposal at or above threshold is taken (one that assigns
 * a payment with no customer yet included), so that later
 * payments see what earlier ones took, and with apply written, all in one
 * transaction; without apply the same proposals are computed and nothing
 * is written. row is called for each payment with whether it was
 * applied. */
int match_run(struct store *s, const char *extra_patterns, int threshold, bool apply,
    void (*row)(void *arg, const struct match_payment *p, const struct match_proposal *proposal, bool applied),
    void *arg, char **cause);

/* A person's match (the TUI's matching view): gives the payment to
 * customer_id first unless it is 0 (with no invoice, all of it stays that
 * customer's unapplied cash), allocates the amounts to the invoices (as
 * "manual"), in its own transaction, and teaches the payer account so
 * that the next payment from it finds its customer. */
int match_apply_manual(struct store *s, int64_t payment_id, int64_t customer_id, const int64_t *invoice_ids,
    const money_t *amounts, int n, day_t today, char **cause);

/* Reads a person's own choice for a payment (the matching view's pick and
 * split): invoice numbers separated by spaces, each optionally followed by
 * "=AMOUNT" in the payment's currency; an invoice without an amount takes
 * what is left of the payment, up to its open amount. What is not picked
 * stays unapplied. Fills ids and amounts (room for MATCH_MAX_INVOICES) and
 * *n; DUN_EDATA with the reason in *cause (caller frees) when an invoice is
 * unknown, settled, in another currency, picked twice, or the amounts
 * exceed its open amount or the payment's unapplied cash. */
int match_pick_parse(struct store *s, int64_t payment_id, const char *text,
    int64_t *ids, money_t *amounts, int *n, char **cause);

/* Normalises a company name for comparison: lower case, accents removed,
 * punctuation to spaces, legal forms (SA, SAS, SARL, GmbH, Ltd, Inc...)
 * dropped, spaces collapsed. The caller frees the result. */
char *match_name_normalise(const char *name);
/* The reference key of a text: its digit groups without leading zeros,
 * joined by '.' ("INV-2024-000123" and "inv 2024/123" both "2024.123").
 * The caller frees the result. */
char *match_reference_key(const char *text, size_t len);
/* True when text is an ISO 11649 creditor reference ("RF18 5390 0754
 * 7034"): RF, two check digits, up to 21 letters or digits, mod 97 = 1. */
bool match_rf_valid(const char *text);
/* True when pattern compiles as a [match] pattern (PCRE2, caseless);
 * else false with "MESSAGE at offset N" in why (size bytes). */
bool match_pattern_check(const char *pattern, char *why, size_t size);
#endif
