/* Cash-receipt forecast: open items as of a date, placed by the customer's
 * learned delay, summed per week. See forecast.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "forecast.h"
#include "fx.h"
#include "risk.h"
#include "status.h"
#include "xalloc.h"

struct id_set { int64_t *id; day_t *date; int n, cap; };

static void id_set_add(struct id_set *set, int64_t id, day_t date)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 64;
		set->id = xreallocarray(set->id, set->cap, sizeof *set->id);
		set->date = xreallocarray(set->date, set->cap, sizeof *set->date);
	}
	set->id[set->n] = id;
	set->date[set->n++] = date;
}

static int compare_pair(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Sorts by id; for a repeated id the earliest date wins (a promise
 * covering an invoice twice counts once, its first date). */
static void id_set_sort(struct id_set *set)
{
	struct { int64_t id; int64_t date; } *pairs = xmalloc((set->n ? set->n : 1) * sizeof *pairs);
	for (int i = 0; i < set->n; i++) {
		pairs[i].id = set->id[i];
		pairs[i].date = set->date[i];
	}
	qsort(pairs, set->n, sizeof *pairs, compare_pair);
	int w = 0;
	for (int i = 0; i < set->n; i++) {
		if (w > 0 && set->id[w - 1] == pairs[i].id) {
			if (pairs[i].date < set->date[w - 1])
				set->date[w - 1] = (day_t)pairs[i].date;
			continue;
		}
		set->id[w] = pairs[i].id;
		set->date[w++] = (day_t)pairs[i].date;
	}
	set->n = w;
	free(pairs);
}

/* The date recorded for id, or DATE_NONE when id is not in the set. */
static day_t id_set_find(const struct id_set *set, int64_t id)
{
	int lo = 0, hi = set->n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (set->id[mid] == id)
			return set->date[mid];
		if (set->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return DATE_NONE;
}

static void id_set_free(struct id_set *set)
{
	free(set->id);
	free(set->date);
}

static int read_set(struct store *s, const char *sql, day_t from, struct id_set *set, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	store_bind_date(st, 1, from);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id_set_add(set, sqlite3_column_int64(st, 0),
		    sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : store_column_date(st, 1));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read the forecast's items", cause);
	id_set_sort(set);
	return DUN_OK;
}

/* Week index of a day: before or on `from` counts in week 0. */
static int week_of(day_t from, day_t d)
{
	return d <= from ? 0 : (d - from - 1) / 7;
}

struct sums { fx_value expected, disputed, escalated, naive, actual; };

int forecast_compute(struct store *s, day_t today, day_t from, int weeks, bool backtest,
    const char *base_currency, struct forecast *out, char **cause)
{
	static const char sql_disputed[] = "SELECT invoice_id, NULL FROM dispute WHERE opened <= ?1 AND (resolved IS NULL OR resolved > ?1)";
	static const char sql_escalated[] = "SELECT invoice_id, NULL FROM dunning_log WHERE channel = 'escalate' AND date <= ?1";
	static const char sql_promised[] = "SELECT pi.invoice_id, p.promised_date FROM promise p"
	    " JOIN promise_invoice pi ON pi.promise_id = p.id"
	    " WHERE p.made_date <= ?1 AND p.promised_date > ?1 AND (p.status = 'open' OR p.settled_date > ?1)";
	/* Open at ?1: today's open amount plus what was allocated after ?1.
	 * Two halves so that each reads its own index (what is open now, what
	 * was paid since) rather than every invoice issued by ?1. */
	static const char sql_open[] = "SELECT i.id, i.customer_id, i.due_date, i.currency,"
	    " i.open_amount + coalesce((SELECT sum(a.amount) FROM allocation a WHERE a.invoice_id = i.id AND a.date > ?1), 0)"
	    " FROM invoice i WHERE i.open_amount <> 0 AND i.kind = 'invoice' AND +i.issue_date <= ?1"
	    " UNION ALL SELECT i.id, i.customer_id, i.due_date, i.currency,"
	    " coalesce((SELECT sum(a.amount) FROM allocation a WHERE a.invoice_id = i.id AND a.date > ?1), 0)"
	    " FROM invoice i WHERE i.paid_date > ?1 AND i.open_amount = 0 AND i.kind = 'invoice' AND +i.issue_date <= ?1";
	static const char sql_received[] = "SELECT i.currency, a.date, a.amount FROM allocation a"
	    " JOIN invoice i ON i.id = a.invoice_id"
	    " WHERE a.date > ?1 AND a.date <= ?2 AND a.payment_id IS NOT NULL AND i.kind = 'invoice' AND i.issue_date <= ?1";
	memset(out, 0, sizeof *out);
	out->from = from;
	out->nweeks = weeks;
	out->backtest = backtest;
	snprintf(out->currency, sizeof out->currency, "%s", base_currency);
	struct risk_history *h;
	int rc = risk_history_load(s, today, NULL, 0, NULL, NULL, &h, cause);
	if (rc != DUN_OK)
		return rc;
	struct id_set disputed = { 0 }, escalated = { 0 }, promised = { 0 };
	struct fx *fx = fx_new(s, base_currency, from);
	struct sums *sum = xcalloc(weeks + 1, sizeof *sum); /* [weeks]: later */
	/* learned delays, once per customer, as known at the start date */
	double *delay = xmalloc((risk_history_count(h) + 1) * sizeof *delay);
	for (int c = 0; c < risk_history_count(h); c++) {
		struct risk_features f;
		risk_features_at(h, NULL, c, from + 1, &f);
		delay[c] = f.delay;
	}
	rc = read_set(s, sql_disputed, from, &disputed, cause);
	if (rc == DUN_OK)
		rc = read_set(s, sql_escalated, from, &escalated, cause);
	if (rc == DUN_OK)
		rc = read_set(s, sql_promised, from, &promised, cause);
	sqlite3_stmt *st = store_stmt(s, sql_open);
	store_bind_date(st, 1, from);
	int step = SQLITE_DONE;
	while (rc == DUN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int c = risk_history_find(h, sqlite3_column_int64(st, 1));
		day_t due = store_column_date(st, 2);
		money_t open = sqlite3_column_int64(st, 4);
		fx_value v;
		if (c < 0 || open <= 0)
			continue;
		rc = fx_scale(fx, store_column_text(st, 3), open, &v, cause);
		if (rc != DUN_OK)
			break;
		day_t when = id_set_find(&promised, id);
		if (when == DATE_NONE)
			when = risk_expected_payment(h, c, from + 1, due, delay[c]);
		int k = week_of(from, when), nk = week_of(from, due);
		struct sums *w = &sum[k < weeks ? k : weeks];
		if (id_set_find(&disputed, id) != DATE_NONE)
			w->disputed += v;
		else if (id_set_find(&escalated, id) != DATE_NONE)
			w->escalated += v;
		else
			w->expected += v;
		sum[nk < weeks ? nk : weeks].naive += v;
	}
	if (rc == DUN_OK && step != SQLITE_DONE)
		rc = store_error(s, "read open invoices", cause);
	sqlite3_reset(st);
	if (rc == DUN_OK && backtest) {
		st = store_stmt(s, sql_received);
		store_bind_date(st, 1, from);
		store_bind_date(st, 2, from + 7 * weeks);
		while (rc == DUN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
			fx_value v;
			rc = fx_scale(fx, store_column_text(st, 0), sqlite3_column_int64(st, 2), &v, cause);
			if (rc == DUN_OK)
				sum[week_of(from, store_column_date(st, 1))].actual += v;
		}
		if (rc == DUN_OK && step != SQLITE_DONE)
			rc = store_error(s, "read receipts", cause);
		sqlite3_reset(st);
	}
	if (rc == DUN_OK) {
		out->exponent = fx_exponent(fx);
		out->week = xcalloc(weeks ? weeks : 1, sizeof *out->week);
		money_t err_learned = 0, err_naive = 0;
		for (int k = 0; k < weeks; k++) {
			struct forecast_week *w = &out->week[k];
			w->first = from + 1 + 7 * k;
			w->last = from + 7 + 7 * k;
			w->expected = fx_round(sum[k].expected, 1);
			w->disputed = fx_round(sum[k].disputed, 1);
			w->escalated = fx_round(sum[k].escalated, 1);
			w->naive = fx_round(sum[k].naive, 1);
			w->actual = fx_round(sum[k].actual, 1);
			if (backtest && w->last <= today) {
				err_learned += llabs(w->expected - w->actual);
				err_naive += llabs(w->naive - w->actual);
				out->scored_weeks++;
			}
		}
		out->later = fx_round(sum[weeks].expected, 1);
		if (out->scored_weeks) {
			out->mae_learned = err_learned / out->scored_weeks;
			out->mae_naive = err_naive / out->scored_weeks;
		}
	}
	free(sum);
	free(delay);
	fx_free(fx);
	id_set_free(&disputed);
	id_set_free(&escalated);
	id_set_free(&promised);
	risk_history_free(h);
	return rc;
}

void forecast_free(struct forecast *f)
{
	free(f->week);
	f->week = NULL;
}
