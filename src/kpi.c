/* KPIs from the aging at D plus the flows of the period: the receivable
 * at any day d of the period is ar(D) minus what was invoiced and plus what
 * was received in (d, D], so one pass over the period's invoices and
 * payments gives ar(D - P), the daily average and the sales. */
#include "kpi.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aging.h"
#include "fx.h"
#include "report.h"
#include "status.h"
#include "xalloc.h"

#define KPI_COUNTBACK_WINDOWS 24

static const struct {
	const char *name;
	enum kpi_kind kind;
} metrics[] = {
#define X(id, name, kind) {name, kind},
	KPI_LIST(X)
#undef X
};

const char *kpi_name(enum kpi_id id) { return metrics[id].name; }
enum kpi_kind kpi_kind(enum kpi_id id) { return metrics[id].kind; }

const char *kpi_format(const struct kpi_result *r, enum kpi_id id, char *buf, size_t size)
{
	const struct kpi_value *v = &r->value[id];
	switch (metrics[id].kind) {
	case KPI_MONEY:
		return money_format(v->amount, r->exponent, buf);
	case KPI_RATIO:
		return v->den ? report_ratio(v->num, v->den, 4, buf, size) : NULL;
	case KPI_DAYS:
	case KPI_PERCENT:
		return v->den ? report_ratio(v->num, v->den, 1, buf, size) : NULL;
	}
	return NULL;
}

static int step_fail(struct store *s, sqlite3_stmt *st, int rc, char **cause)
{
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(s, "compute the KPIs", cause);
}

/* Scales the row's amount (the column after its currency) into *v; a
 * failure resets st, so the caller can return at once. */
static int row_scale(struct fx *fx, sqlite3_stmt *st, int currency_column, fx_value *v, char **cause)
{
	int rc = fx_scale(fx, store_column_text(st, currency_column), sqlite3_column_int64(st, currency_column + 1), v,
	    cause);
	if (rc != DUN_OK)
		sqlite3_reset(st);
	return rc;
}

/* The period (D - P, D]: what was invoiced and received each day, in the
 * base currency (scaled, fx.h). The sales of the open invoices are also
 * kept on their own from open_first on, for the countback's windows
 * before the period. */
struct period {
	day_t first; /* D - P + 1 */
	int64_t days;
	fx_value *sales, *receipts;
	day_t open_first; /* the earlier of first and the countback's first day */
	fx_value *open_sales;
};

/* Adds each (day, currency, sum) row of st into flow[day - first]. */
static int add_flows(struct store *s, struct fx *fx, sqlite3_stmt *st, day_t first,
    fx_value *flow, char **cause)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fx_value v;
		int err = row_scale(fx, st, 1, &v, cause);
		if (err != DUN_OK)
			return err;
		flow[store_column_date(st, 0) - first] += v;
	}
	return step_fail(s, st, rc, cause);
}

/* Sales come from each half of the invoices apart. The settled half is
 * grouped along invoice_settled_issue, which is in that order, for each
 * range asked. The open half has no index by issue date (invoice_open is
 * by customer), so any range of it reads all of invoice_open: it is read
 * once, for the period and every countback window at once (the open items
 * are a few per customer, mostly recent), row by row, cheaper than sorting
 * them to group. */
#define SETTLED_SALES_BY(keys, range) \
	"SELECT " keys ", sum(amount) FROM invoice WHERE open_amount = 0 AND " range " GROUP BY " keys

/* Invoices minus credit notes issued in (from, to], in the base currency:
 * from the period's days when it covers the window, else the settled from
 * the index and the open from the open sales by day. */
static int window_sales(struct store *s, struct fx *fx, const struct period *p, day_t from, day_t to,
    money_t *out, char **cause)
{
	if (from + 1 >= p->first) {
		fx_value sum = 0;
		for (day_t d = from + 1; d <= to; d++)
			sum += p->sales[d - p->first];
		*out = fx_round(sum, 1);
		return DUN_OK;
	}
	sqlite3_stmt *st = store_stmt(s,
	    SETTLED_SALES_BY("currency", "issue_date > ?1 AND issue_date <= ?2"));
	store_bind_date(st, 1, from);
	store_bind_date(st, 2, to);
	fx_value sum = 0;
	for (day_t d = from + 1; d <= to; d++)
		sum += p->open_sales[d - p->open_first];
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fx_value v;
		int err = row_scale(fx, st, 0, &v, cause);
		if (err != DUN_OK)
			return err;
		sum += v;
	}
	*out = fx_round(sum, 1);
	return step_fail(s, st, rc, cause);
}

/* Countback: consume the receivable month by month, newest first, with
 * windows ending on D's day of the month (clamped to short months). Once
 * nothing is left to consume it stops: months without sales after that
 * are not days the receivable has been outstanding (an empty ledger is
 * 0.0, not 24 months). A credit balance is negative days, as the DSO is
 * (SPEC's remainder / sales of the first window), n/a before any sales. */
static int countback(struct store *s, struct fx *fx, const struct period *p, day_t as_of, money_t ar,
    struct kpi_value *v, char **cause)
{
	money_t remaining = ar;
	int64_t days = 0;
	for (int k = 0; k < KPI_COUNTBACK_WINDOWS && remaining != 0; k++) {
		day_t end = date_add_months(as_of, -k), start = date_add_months(as_of, -(k + 1));
		money_t sales;
		int rc = window_sales(s, fx, p, start, end, &sales, cause);
		if (rc != DUN_OK)
			return rc;
		if (remaining < sales) {
			/* days + remaining / sales * window days, as one fraction */
			v->num = days * sales + remaining * (int64_t)(end - start);
			v->den = sales;
			return DUN_OK;
		}
		remaining -= sales;
		days += end - start;
	}
	v->num = days;
	v->den = 1;
	return DUN_OK;
}

/* Amount-weighted days from issue and from due date to full payment, over
 * the invoices settled in (from, to]. Weights are base-currency amounts. */
static int payment_delays(struct store *s, struct fx *fx, day_t from, day_t to,
    struct kpi_value *adp, struct kpi_value *late, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT currency, amount, issue_date, due_date, paid_date FROM invoice"
	    " WHERE paid_date > ?1 AND paid_date <= ?2 AND kind = 'invoice'");
	store_bind_date(st, 1, from);
	store_bind_date(st, 2, to);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fx_value v;
		int err = row_scale(fx, st, 0, &v, cause);
		if (err != DUN_OK)
			return err;
		money_t w = fx_round(v, 1);
		day_t paid = store_column_date(st, 4);
		adp->num += w * (paid - store_column_date(st, 2));
		late->num += w * (paid - store_column_date(st, 3));
		adp->den += w;
	}
	late->den = adp->den;
	return step_fail(s, st, rc, cause);
}

static void ratio(struct kpi_value *v, int64_t num, int64_t den)
{
	v->num = den ? num : 0;
	v->den = den;
}

/* Every figure, inside the caller's snapshot. */
static int compute(struct store *s, const struct kpi_options *o, struct kpi_result *r, char **cause)
{
	int64_t P = o->period;
	/* The receivable at D, split by due date. */
	struct aging_options ao;
	aging_options_default(&ao);
	ao.as_of = o->as_of;
	ao.base_currency = o->base_currency;
	struct aging_sums sums;
	int rc = aging_compute_sums(s, &ao, &sums, cause);
	if (rc != DUN_OK)
		return rc;
	/* Each figure rounded once from the exact sums (SPEC §5), so ar is not
	 * its buckets' roundings added up. */
	fx_value overdue_sum = 0;
	for (int i = 1; i < ao.nedges + 2; i++)
		overdue_sum += sums.bucket[i];
	fx_value ar_scaled = sums.bucket[0] + overdue_sum + sums.unapplied;
	money_t ar = fx_round(ar_scaled, 1), current = fx_round(sums.bucket[0], 1), overdue = fx_round(overdue_sum, 1);

	/* The period's daily flows: sales in, receipts out. */
	day_t first = o->as_of - (day_t)P + 1;
	day_t open_first = date_add_months(o->as_of, -KPI_COUNTBACK_WINDOWS) + 1;
	if (open_first > first)
		open_first = first;
	struct period per = {first, P, xcalloc((size_t)P, sizeof (fx_value)), xcalloc((size_t)P, sizeof (fx_value)),
		open_first, xcalloc((size_t)(o->as_of - open_first + 1), sizeof (fx_value))};
	struct fx *fx = fx_new(s, o->base_currency, o->as_of);
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT issue_date, currency, amount FROM invoice WHERE open_amount <> 0 AND issue_date >= ?1 AND issue_date <= ?2");
	store_bind_date(st, 1, open_first);
	store_bind_date(st, 2, o->as_of);
	rc = add_flows(s, fx, st, open_first, per.open_sales, cause);
	if (rc == DUN_OK) {
		st = store_stmt(s, SETTLED_SALES_BY("issue_date, currency", "issue_date >= ?1 AND issue_date <= ?2"));
		store_bind_date(st, 1, first);
		store_bind_date(st, 2, o->as_of);
		rc = add_flows(s, fx, st, first, per.sales, cause);
	}
	for (int64_t i = 0; rc == DUN_OK && i < P; i++)
		per.sales[i] += per.open_sales[first - open_first + i];
	if (rc == DUN_OK) {
		st = store_stmt(s,
		    "SELECT date, currency, sum(amount) FROM payment WHERE date >= ?1 AND date <= ?2 GROUP BY date, currency");
		store_bind_date(st, 1, first);
		store_bind_date(st, 2, o->as_of);
		rc = add_flows(s, fx, st, first, per.receipts, cause);
	}
	if (rc == DUN_OK)
		rc = countback(s, fx, &per, o->as_of, ar, &r->value[KPI_COUNTBACK_DSO], cause);
	if (rc == DUN_OK)
		rc = payment_delays(s, fx, first - 1, o->as_of, &r->value[KPI_ADP], &r->value[KPI_AVG_DAYS_LATE], cause);
	if (rc != DUN_OK) {
		free(per.sales);
		free(per.receipts);
		free(per.open_sales);
		fx_free(fx);
		return rc;
	}

	/* ar(d) = ar(D) - sum of flows after d; summed over the P days each
	 * flow on day first + i counts for the i days before it. */
	fx_value days_sum = ar_scaled * P, sales_sum = 0, receipts_sum = 0;
	for (int64_t i = 0; i < P; i++) {
		days_sum -= (per.sales[i] - per.receipts[i]) * i;
		sales_sum += per.sales[i];
		receipts_sum += per.receipts[i];
	}
	money_t sales = fx_round(sales_sum, 1);
	money_t previous = fx_round(ar_scaled - sales_sum + receipts_sum, 1);
	free(per.sales);
	free(per.receipts);
	free(per.open_sales);
	fx_free(fx);

	r->value[KPI_AR].amount = ar;
	r->value[KPI_AR_CURRENT].amount = current;
	r->value[KPI_AR_OVERDUE].amount = overdue;
	ratio(&r->value[KPI_OVERDUE_RATIO], overdue, current + overdue);
	r->value[KPI_SALES].amount = sales;
	ratio(&r->value[KPI_DSO], ar * P, sales);
	ratio(&r->value[KPI_BPDSO], current * P, sales);
	ratio(&r->value[KPI_ADD], (ar - current) * P, sales);
	ratio(&r->value[KPI_CEI], (previous + sales - ar) * 100, previous + sales - current);
	r->value[KPI_AR_AVERAGE].amount = fx_round(days_sum, P);
	return DUN_OK;
}

int kpi_compute(struct store *s, const struct kpi_options *o, struct kpi_result *r, char **cause)
{
	memset(r, 0, sizeof *r);
	int64_t P = o->period;
	if (P < 1 || P > 3660)
		return dun_fail(cause, DUN_EUSAGE, "--period \"%d\": expected 1 to 3660 days", o->period);
	snprintf(r->currency, sizeof r->currency, "%s", o->base_currency);
	r->exponent = money_exponent(o->base_currency);
	if (r->exponent < 0)
		r->exponent = 2;

	/* One snapshot for every figure. */
	bool started;
	int rc = store_read_begin(s, &started, cause);
	if (rc != DUN_OK)
		return rc;
	rc = compute(s, o, r, cause);
	store_read_end(s, started);
	return rc;
}
