/* The demo ledger (SPEC §11): a realistic synthetic ledger, deterministic
 * for a seed. Customers of five segments and several countries and
 * currencies, two years and more of seasonal invoicing, and payers who pay
 * promptly, slowly, erratically, later and later, or stop paying; with
 * partial, grouped and over-payments, unapplied cash, credit notes,
 * disputes, promises kept and broken, and the collectors' calls, e-mails,
 * letters and notes. Nothing stored names a payer's behaviour: it shows
 * only in the payments, as in a real ledger (and to o->behaviour). */
#ifndef DUN_DEMO_H
#define DUN_DEMO_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"

#define DEMO_DEFAULT_CUSTOMERS 2000
#define DEMO_MAX_CUSTOMERS 1000000
#define DEMO_DEFAULT_SEED 1
/* The setting that marks a demo ledger; its value is the seed. */
#define DEMO_SETTING "demo"

struct demo_options {
	int customers;             /* 1 .. DEMO_MAX_CUSTOMERS */
	uint64_t seed;
	day_t today;               /* history ends here */
	const char *base_currency; /* the rates are written in it: EUR, USD, GBP or CHF */
	/* Called now and then while customers are written, or NULL. */
	void (*progress)(void *arg, int done, int total);
	void *progress_arg;
	/* Called with each customer's code and the behaviour it was simulated
	 * with (prompt, slow, erratic, deteriorating or defaulting), or NULL:
	 * the truth what the risk module learns is checked against. */
	void (*behaviour)(void *arg, const char *code, const char *behaviour);
	void *behaviour_arg;
};

struct demo_counts {
	long customers, invoices, credit_notes, payments, allocations;
	long disputes, promises, activities, rates;
};

/* Builds a fresh demo ledger at path. An existing file there is replaced
 * only when it is a demo ledger (with its -wal and -shm files); anything
 * else is refused with DUN_EDATA, so a real ledger is never touched. The
 * ledger is built in a temporary file beside path and renamed over it at
 * the end: a failure leaves what was there before. */
int demo_build(const char *path, const struct demo_options *o, struct demo_counts *counts, char **cause);
#endif
