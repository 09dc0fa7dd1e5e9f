/* One invoice's story, read whole for the workstation's invoice detail:
 * its terms and amounts, how it was settled (allocations of payments and
 * credit notes), its disputes, the promises covering it, the dunning
 * steps taken for it and the activities that name it (calls, e-mails,
 * letters...). Reading only: the writes are ledger.c, dispute.c,
 * promise.c and dunning.c. */
#ifndef DUN_INVOICE_H
#define DUN_INVOICE_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "money.h"
#include "promise.h"
#include "store.h"

/* The status the invoice lists show: a credit note is "credit", a settled
 * invoice "paid", one under an open dispute "disputed", else "open". */
enum invoice_status { INVOICE_OPEN, INVOICE_PAID, INVOICE_DISPUTED, INVOICE_CREDIT };
const char *invoice_status_name(enum invoice_status status);

struct invoice_allocation {
	day_t date;
	bool credit;              /* from a credit note, else a payment */
	char *source;             /* the payment's reference or the credit note's number; in a
	                           * credit note's story, the invoice it settled */
	money_t amount;
	char *how;                /* import, rule, manual */
};

struct invoice_dispute {
	char *reason, *owner, *resolution;
	money_t amount;           /* 0: the whole open amount */
	day_t opened, resolved;   /* resolved DATE_NONE while open */
};

struct invoice_promise {
	int64_t id;
	day_t made, promised, settled; /* settled DATE_NONE while open */
	money_t amount;
	char *currency;
	bool whole_account;       /* covers no invoice, hence all of the customer's */
	enum promise_status status; /* as of the story's date */
};

struct invoice_dunning {
	day_t date;
	char *scenario, *channel, *name;
	int step;
	char *outbox_state;       /* queued, held, sending, sent; "" without a message */
};

/* An activity of the customer's history that names the invoice. */
struct invoice_activity {
	day_t date;
	char *kind, *who, *text, *outcome;
};

struct invoice_story {
	int64_t id, customer_id;
	char *number, *customer_code, *kind, *currency, *po;
	day_t issued, due, paid;  /* paid DATE_NONE while open */
	money_t amount, open;
	int days_overdue;         /* as of the story's date; 0 unless open and past due */
	enum invoice_status status;
	struct invoice_allocation *allocations; /* oldest first */
	int nallocations;
	struct invoice_dispute *disputes;       /* oldest first */
	int ndisputes;
	struct invoice_promise *promises;       /* newest first */
	int npromises;
	struct invoice_dunning *dunning;        /* oldest first */
	int ndunning;
	struct invoice_activity *history;       /* oldest first, dunning steps apart */
	int nhistory;
};

/* Reads invoice_id's story as of as_of (promise statuses with grace_days
 * of grace) into *out, which the caller frees with invoice_story_free
 * (also after an error). DUN_EDATA when there is no such invoice. */
int invoice_story_load(struct store *s, int64_t invoice_id, day_t as_of, int grace_days,
    struct invoice_story *out, char **cause);
void invoice_story_free(struct invoice_story *story);
#endif
