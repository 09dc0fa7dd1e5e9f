/* Aging (SPEC §6): open amounts by bucket of days past due (or since
 * issue), as of a true point in time, per customer, segment, collector or
 * for the whole ledger, in the base currency or one currency. */
#ifndef DUN_AGING_H
#define DUN_AGING_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"
#include "fx.h"
#include "money.h"
#include "store.h"

#define AGING_MAX_EDGES 8
#define AGING_MAX_BUCKETS (AGING_MAX_EDGES + 2) /* current .. edge_n+ */

enum aging_by { AGING_BY_CUSTOMER, AGING_BY_SEGMENT, AGING_BY_COLLECTOR, AGING_BY_TOTAL };

struct aging_options {
	day_t as_of;
	int edges[AGING_MAX_EDGES];
	int nedges;               /* default 30,60,90,120 */
	bool basis_invoice;       /* days since issue instead of past due */
	const char *currency;     /* only this currency, unconverted; NULL: all, in base */
	const char *base_currency;
	enum aging_by by;
	int64_t customer_id;      /* one customer only, or 0 */
};

struct aging_row {
	int64_t customer_id;      /* AGING_BY_CUSTOMER only */
	char *key;                /* code, segment, collector, or "" for total */
	char *name;               /* customer name (by customer), else "" */
	char currency[4];
	money_t bucket[AGING_MAX_BUCKETS]; /* nedges + 2 used */
	money_t unapplied;        /* unapplied payments and open credits, <= 0 */
	money_t total;            /* buckets + unapplied */
	money_t disputed;         /* the part of total under open dispute */
};

/* Fills default options (as_of must still be set). */
void aging_options_default(struct aging_options *o);
/* Bucket index of an item days past due (or old): 0 current, 1..nedges+1. */
int aging_bucket_for(int days, const int *edges, int nedges);
/* "current", "1-30", "31-60", ..., "121+" into buf. */
void aging_bucket_name(int index, const int *edges, int nedges, char *buf, int size);
/* Computes the rows ordered by key. The caller frees with aging_free. A
 * missing FX rate is DUN_EDATA naming the currency and date. */
int aging_compute(struct store *s, const struct aging_options *o,
    struct aging_row **rows, int *nrows, char **cause);
void aging_free(struct aging_row *rows, int nrows);

/* The buckets and unapplied of every row merged before rounding (scaled,
 * fx.h), for callers that combine them and must still round each result
 * once (kpi.c). */
struct aging_sums {
	fx_value bucket[AGING_MAX_BUCKETS];
	fx_value unapplied;
};
/* The sums of what aging_compute would report for o (o->by aside). */
int aging_compute_sums(struct store *s, const struct aging_options *o, struct aging_sums *sums, char **cause);
#endif
