/* Customer risk: history in memory, features as of any date, a logistic
 * model fitted on the ledger itself, scores with their factors. See risk.h.
 *
 * Why this shape: every figure (scoring today, training on past invoices,
 * the hold-out evaluation, the forecast's learned delays) is the same
 * function, risk_features_at, over the same in-memory copy of the history,
 * so "known at that date" is decided in exactly one place. A customer's
 * rows are contiguous, so one call costs O(rows of that customer); the
 * batch run (risk_score_all) feeds it a history holding one customer's
 * rows at a time. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "risk.h"
#include "status.h"
#include "xalloc.h"

/* Recency weighting: a payment's lateness weighs exp(-age / TAU). With 90
 * days a payment of a year ago weighs 2% of today's: habits change, and
 * the hold-out on the demo ledger preferred 60-90 days to 180 or 365. */
#define RISK_TAU 90.0
/* Shrinkage: a customer's figures count as many invoices as it has, the
 * segment's as RISK_PRIOR_INVOICES, so one invoice barely moves a customer
 * away from its segment and thirty dominate it. */
#define RISK_PRIOR_INVOICES 3.0
/* Segment figures are kept per 30-day period so that "as of a date" uses
 * only what was paid in earlier periods. */
#define RISK_PERIOD 30
/* The prior's strength, in observations per coefficient (see the fit). */
#define RISK_PRIOR_WEIGHT 20.0
/* Training sample cap: past this many invoices the fit samples every k-th
 * one; 100,000 examples pin ten coefficients far below their spread (the
 * 50,000-customer ledger's hold-out AUC moves in the fourth decimal). */
#define RISK_SAMPLE_MAX 100000

/* The prior model, in natural units (x / scale): the credit controller's
 * rule of thumb that the fit starts from and that small ledgers keep. */
static const double prior_intercept = -2.5;
static const struct { double scale, coef; } prior[RISK_NFEATURES] = {
	[RISK_F_days_late] = { 30, 1.0 },
	[RISK_F_late_share] = { 1, 2.0 },
	[RISK_F_overdue_limit] = { 1, 0.5 },
	[RISK_F_oldest_overdue] = { 30, 0.15 },
	[RISK_F_broken_promises] = { 1, 0.5 },
	[RISK_F_open_disputes] = { 1, 0.3 },
	[RISK_F_trend] = { 30, 0.5 },
	[RISK_F_silence] = { 30, 0.15 },
	[RISK_F_thin_history] = { 1, 0.3 },
};
static const char *const feature_names[RISK_NFEATURES] = {
#define X(name, help) #name,
	RISK_FEATURE_LIST(X)
#undef X
};

struct rh_invoice {
	int32_t c;             /* customer index (first: grouping key) */
	day_t issue, due, paid; /* paid: DATE_NONE while open */
	bool same_currency;    /* in the customer's currency (limit compares) */
	money_t amount, open;
};
struct rh_payment { int32_t c; day_t date; };
struct rh_promise { int32_t c; day_t broken; }; /* a broken promise, and when */
struct rh_dispute { int32_t c; day_t opened, resolved; };

struct rh_customer {
	int64_t id;
	int segment;
	money_t limit;
	char currency[4];
	int inv, ninv, pay, npay, prom, nprom, disp, ndisp; /* first index, count */
};

/* Per segment and period: cumulative figures of the periods before. */
struct seg_figures {
	double late_sum;   /* days late of paid invoices */
	double paid;       /* paid invoices */
	double known30;    /* invoices whose ">30 days late" is known */
	double late30;
};

struct risk_history {
	day_t today;
	bool full;
	struct rh_customer *cust;
	int ncust;
	struct rh_invoice *inv;
	struct rh_payment *pay;
	struct rh_promise *prom;
	struct rh_dispute *disp;
	int ninv, npay, nprom, ndisp;
	char **segment;
	int nsegment;
	day_t t0;          /* start of period 0 */
	int nperiod;
	struct seg_figures *seg; /* [segment][nperiod + 1], cumulative */
	/* while loading: progress over the rows of the two big tables */
	risk_progress_fn progress;
	void *progress_arg;
	int rows_read, rows_total;
};

struct risk_model {
	double mean[RISK_NFEATURES], sd[RISK_NFEATURES];
	double beta0, beta[RISK_NFEATURES];
	int samples;
	/* segment figures at the time of the fit, by name, for partial runs */
	char **segment;
	struct seg_figures *seg_today;
	int nsegment;
	struct seg_figures all_today;
};

/* ---- loading ---- */

static const char inv_all[] = "SELECT customer_id, issue_date, due_date, paid_date, amount, open_amount, currency FROM invoice WHERE kind = 'invoice'";
/* one customer's in rowid order too, as a full run reads them */
static const char inv_one[] = "SELECT customer_id, issue_date, due_date, paid_date, amount, open_amount, currency FROM invoice_any WHERE customer_id = ? AND kind = 'invoice' ORDER BY id";
static const char pay_all[] = "SELECT customer_id, date FROM payment WHERE customer_id IS NOT NULL AND amount > 0";
static const char pay_one[] = "SELECT customer_id, date FROM payment WHERE customer_id = ? AND amount > 0";
static const char prom_all[] = "SELECT customer_id, promised_date, settled_date FROM promise WHERE status = 'broken'";
static const char prom_one[] = "SELECT customer_id, promised_date, settled_date FROM promise WHERE customer_id = ? AND status = 'broken'";
static const char disp_all[] = "SELECT i.customer_id, d.opened, d.resolved FROM dispute d JOIN invoice i ON i.id = d.invoice_id";
static const char disp_one[] = "SELECT i.customer_id, d.opened, d.resolved FROM invoice_any i JOIN dispute d ON d.invoice_id = i.id WHERE i.customer_id = ?";
/* the same rows grouped by customer, for the streamed run (a customer's
 * invoices in rowid order, as the in-memory copy has them: the sums and
 * the training sample depend on that order); each half of the table read
 * in customer order along its index, and the two merged */
#define INV_HALF(cond) "SELECT customer_id, issue_date, due_date, paid_date, amount, open_amount, currency, id" \
	" FROM invoice WHERE kind = 'invoice' AND open_amount " cond
static const char inv_by_customer[] = INV_HALF("= 0") " UNION ALL " INV_HALF("<> 0") " ORDER BY 1, 8";
static const char pay_by_customer[] = "SELECT customer_id, date FROM payment WHERE customer_id IS NOT NULL AND amount > 0 ORDER BY customer_id";
static const char prom_by_customer[] = "SELECT customer_id, promised_date, settled_date FROM promise WHERE status = 'broken' ORDER BY customer_id";
static const char disp_by_customer[] = "SELECT i.customer_id, d.opened, d.resolved FROM dispute d JOIN invoice i ON i.id = d.invoice_id ORDER BY i.customer_id";

static int find_segment(char ***names, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return i;
	*names = xreallocarray(*names, *n + 1, sizeof **names);
	(*names)[*n] = xstrdup(name);
	return (*n)++;
}

int risk_history_find(const struct risk_history *h, int64_t customer_id)
{
	int lo = 0, hi = h->ncust - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (h->cust[mid].id == customer_id)
			return mid;
		if (h->cust[mid].id < customer_id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Growable array append. */
#define PUSH(arr, n, cap, value) do { \
	if ((n) == (cap)) { (cap) = (cap) ? 2 * (cap) : 1024; (arr) = xreallocarray((arr), (cap), sizeof *(arr)); } \
	(arr)[(n)++] = (value); \
} while (0)

/* Groups rows (each starting with an int32 customer index) by customer with
 * a stable counting sort, and sets each customer's first index and count
 * (given as byte offsets of the two ints inside struct rh_customer). */
static void *group_rows(struct risk_history *h, void *rows, int n, size_t size,
    size_t first_off, size_t count_off)
{
	int *count = xcalloc(h->ncust + 1, sizeof *count);
	for (int i = 0; i < n; i++)
		count[*(int32_t *)((char *)rows + i * size) + 1]++;
	for (int c = 0; c < h->ncust; c++)
		count[c + 1] += count[c];
	char *sorted = xmalloc(n ? n * size : 1);
	for (int c = 0; c < h->ncust; c++) {
		*(int *)((char *)&h->cust[c] + first_off) = count[c];
		*(int *)((char *)&h->cust[c] + count_off) = count[c + 1] - count[c];
	}
	for (int i = 0; i < n; i++) {
		int c = *(int32_t *)((char *)rows + i * size);
		memcpy(sorted + (size_t)count[c]++ * size, (char *)rows + i * size, size);
	}
	free(count);
	free(rows);
	return sorted;
}

/* Reads the rows of one statement (all, or for one customer when id != 0). */
static int load_customers(struct store *s, struct risk_history *h, const int64_t *ids, int n,
    char **cause)
{
	static const char sql_all[] = "SELECT id, segment, credit_limit, currency FROM customer ORDER BY id";
	static const char sql_one[] = "SELECT id, segment, credit_limit, currency FROM customer WHERE id = ?";
	int cap = 0;
	for (int k = 0; k < (ids ? n : 1); k++) {
		sqlite3_stmt *st = store_stmt(s, ids ? sql_one : sql_all);
		if (ids)
			sqlite3_bind_int64(st, 1, ids[k]);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct rh_customer c = { .id = sqlite3_column_int64(st, 0) };
			c.segment = find_segment(&h->segment, &h->nsegment, store_column_text(st, 1));
			c.limit = sqlite3_column_int64(st, 2);
			snprintf(c.currency, sizeof c.currency, "%s", store_column_text(st, 3));
			PUSH(h->cust, h->ncust, cap, c);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, "read customers", cause);
	}
	if (ids) { /* the ids may come in any order and repeat */
		for (int i = 1; i < h->ncust; i++) { /* insertion sort: partial runs are small */
			struct rh_customer c = h->cust[i];
			int j = i;
			while (j > 0 && h->cust[j - 1].id > c.id) {
				h->cust[j] = h->cust[j - 1];
				j--;
			}
			h->cust[j] = c;
		}
		int w = 0;
		for (int i = 0; i < h->ncust; i++)
			if (w == 0 || h->cust[w - 1].id != h->cust[i].id)
				h->cust[w++] = h->cust[i];
		h->ncust = w;
	}
	return DUN_OK;
}

/* Runs one of the per-table queries over every row, or for a partial
 * history once per customer loaded (each once, however often asked for),
 * calling add for each row. */
static int load_table(struct store *s, struct risk_history *h,
    const char *sql_all, const char *sql_one, const char *what,
    void (*add)(struct risk_history *, sqlite3_stmt *, int c, void *), void *arg, char **cause)
{
	for (int k = 0; k < (h->full ? 1 : h->ncust); k++) {
		sqlite3_stmt *st = store_stmt(s, h->full ? sql_all : sql_one);
		if (!h->full)
			sqlite3_bind_int64(st, 1, h->cust[k].id);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int c = risk_history_find(h, sqlite3_column_int64(st, 0));
			if (c >= 0)
				add(h, st, c, arg);
			if (h->progress && ++h->rows_read % 65536 == 0
			    && !h->progress(h->progress_arg, "reading", h->rows_read, h->rows_total)) {
				sqlite3_reset(st);
				return dun_fail(cause, DUN_EDB, "cancelled");
			}
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_error(s, what, cause);
	}
	return DUN_OK;
}

struct growing { int cap; };

static struct rh_invoice invoice_row(const struct risk_history *h, sqlite3_stmt *st, int c)
{
	struct rh_invoice v = { .c = c };
	v.issue = store_column_date(st, 1);
	v.due = store_column_date(st, 2);
	v.paid = store_column_date(st, 3);
	v.amount = sqlite3_column_int64(st, 4);
	v.open = sqlite3_column_int64(st, 5);
	v.same_currency = strcmp(store_column_text(st, 6), h->cust[c].currency) == 0;
	if (v.open != 0)
		v.paid = DATE_NONE; /* reopened by an undo: not paid */
	return v;
}

static void add_invoice(struct risk_history *h, sqlite3_stmt *st, int c, void *arg)
{
	struct growing *g = arg;
	PUSH(h->inv, h->ninv, g->cap, invoice_row(h, st, c));
}

static void add_payment(struct risk_history *h, sqlite3_stmt *st, int c, void *arg)
{
	struct growing *g = arg;
	struct rh_payment v = { .c = c, .date = store_column_date(st, 1) };
	PUSH(h->pay, h->npay, g->cap, v);
}

static void add_promise(struct risk_history *h, sqlite3_stmt *st, int c, void *arg)
{
	struct growing *g = arg;
	/* broken when it was settled as broken, else the day after the
	 * promised date */
	struct rh_promise v = { .c = c, .broken = sqlite3_column_type(st, 2) == SQLITE_NULL
	    ? store_column_date(st, 1) + 1 : store_column_date(st, 2) };
	PUSH(h->prom, h->nprom, g->cap, v);
}

static void add_dispute(struct risk_history *h, sqlite3_stmt *st, int c, void *arg)
{
	struct growing *g = arg;
	struct rh_dispute v = { .c = c, .opened = store_column_date(st, 1), .resolved = store_column_date(st, 2) };
	PUSH(h->disp, h->ndisp, g->cap, v);
}

static struct seg_figures *seg_at(const struct risk_history *h, int segment, int period)
{
	return &h->seg[(size_t)segment * (h->nperiod + 1) + period];
}

static int period_of(const struct risk_history *h, day_t d)
{
	int p = (d - h->t0) / RISK_PERIOD;
	return p < 0 ? 0 : p >= h->nperiod ? h->nperiod - 1 : p;
}

/* Segment figures: each paid invoice counts in the period after the one it
 * was paid in, an unpaid one as ">30 late" from the period after its 31st
 * day; then running sums make each slot "everything before". The periods
 * start at t0, the earliest issue date (or today). */
static void segments_alloc(struct risk_history *h, day_t t0)
{
	h->t0 = t0 < h->today ? t0 : h->today;
	h->nperiod = (h->today - h->t0) / RISK_PERIOD + 2;
	h->seg = xcalloc((size_t)h->nsegment * (h->nperiod + 1), sizeof *h->seg);
}

static void segments_add(struct risk_history *h, const struct rh_invoice *v)
{
	int sgm = h->cust[v->c].segment;
	if (v->paid != DATE_NONE) {
		struct seg_figures *f = seg_at(h, sgm, period_of(h, v->paid) + 1);
		f->late_sum += v->paid - v->due;
		f->paid += 1;
		f->known30 += 1;
		f->late30 += v->paid - v->due > 30;
	} else if (h->today - v->due > 30) {
		struct seg_figures *f = seg_at(h, sgm, period_of(h, v->due + 31) + 1);
		f->known30 += 1;
		f->late30 += 1;
	}
}

static void segments_sum(struct risk_history *h)
{
	for (int sgm = 0; sgm < h->nsegment; sgm++)
		for (int p = 1; p <= h->nperiod; p++) {
			struct seg_figures *f = seg_at(h, sgm, p), *prev = seg_at(h, sgm, p - 1);
			f->late_sum += prev->late_sum;
			f->paid += prev->paid;
			f->known30 += prev->known30;
			f->late30 += prev->late30;
		}
}

static void build_segments(struct risk_history *h)
{
	day_t lo = h->today;
	for (int i = 0; i < h->ninv; i++)
		if (h->inv[i].issue < lo)
			lo = h->inv[i].issue;
	segments_alloc(h, lo);
	for (int i = 0; i < h->ninv; i++)
		segments_add(h, &h->inv[i]);
	segments_sum(h);
}

/* Progress through the reads: sql_size gives the largest rowids of the
 * tables read in rowid order, how far along a row is. */
static void progress_start(struct store *s, struct risk_history *h, const char *sql_size, risk_progress_fn progress,
    void *arg)
{
	sqlite3_stmt *st = store_stmt(s, sql_size);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t rows = sqlite3_column_int64(st, 0);
		h->rows_total = rows > INT32_MAX ? INT32_MAX : (int)rows;
		h->progress = progress;
		h->progress_arg = arg;
	}
	sqlite3_reset(st);
}

int risk_history_load(struct store *s, day_t today, const int64_t *ids, int n,
    risk_progress_fn progress, void *arg, struct risk_history **out, char **cause)
{
	/* the largest rowids: a table read in rowid order is that far along */
	static const char sql_size[] = "SELECT coalesce((SELECT max(rowid) FROM invoice), 0)"
	    " + coalesce((SELECT max(rowid) FROM payment), 0)";
	struct risk_history *h = xcalloc(1, sizeof *h);
	h->today = today;
	h->full = ids == NULL;
	*out = NULL;
	/* one read transaction: every table seen at the same instant */
	bool started;
	int rc = store_read_begin(s, &started, cause);
	if (rc != DUN_OK) {
		risk_history_free(h);
		return rc;
	}
	if (progress && ids == NULL)
		progress_start(s, h, sql_size, progress, arg);
	struct growing gi = { 0 }, gp = { 0 }, gr = { 0 }, gd = { 0 };
	rc = load_customers(s, h, ids, n, cause);
	if (rc == DUN_OK)
		rc = load_table(s, h, inv_all, inv_one, "read invoices", add_invoice, &gi, cause);
	if (rc == DUN_OK)
		rc = load_table(s, h, pay_all, pay_one, "read payments", add_payment, &gp, cause);
	if (rc == DUN_OK)
		rc = load_table(s, h, prom_all, prom_one, "read promises", add_promise, &gr, cause);
	if (rc == DUN_OK)
		rc = load_table(s, h, disp_all, disp_one, "read disputes", add_dispute, &gd, cause);
	store_read_end(s, started);
	if (rc != DUN_OK) {
		risk_history_free(h);
		return rc;
	}
	h->inv = group_rows(h, h->inv, h->ninv, sizeof *h->inv,
	    offsetof(struct rh_customer, inv), offsetof(struct rh_customer, ninv));
	h->pay = group_rows(h, h->pay, h->npay, sizeof *h->pay,
	    offsetof(struct rh_customer, pay), offsetof(struct rh_customer, npay));
	h->prom = group_rows(h, h->prom, h->nprom, sizeof *h->prom,
	    offsetof(struct rh_customer, prom), offsetof(struct rh_customer, nprom));
	h->disp = group_rows(h, h->disp, h->ndisp, sizeof *h->disp,
	    offsetof(struct rh_customer, disp), offsetof(struct rh_customer, ndisp));
	build_segments(h);
	h->progress = NULL;
	*out = h;
	return DUN_OK;
}

void risk_history_free(struct risk_history *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i < h->nsegment; i++)
		free(h->segment[i]);
	free(h->segment);
	free(h->seg);
	free(h->cust);
	free(h->inv);
	free(h->pay);
	free(h->prom);
	free(h->disp);
	free(h);
}

int risk_history_count(const struct risk_history *h) { return h->ncust; }
int64_t risk_history_customer_id(const struct risk_history *h, int index) { return h->cust[index].id; }

/* ---- features ---- */

/* The segment's figures as known before `at`: from the history's own
 * periods when it holds the whole ledger, else from the model's copy. */
static struct seg_figures segment_figures(const struct risk_history *h, const struct risk_model *m,
    int c, day_t at)
{
	struct seg_figures none = { 0 };
	if (h->full && h->nperiod > 0) {
		int p = (at - h->t0) / RISK_PERIOD;
		p = p < 0 ? 0 : p > h->nperiod ? h->nperiod : p;
		struct seg_figures f = *seg_at(h, h->cust[c].segment, p);
		if (f.known30 == 0) { /* an empty segment: the whole ledger's */
			for (int sgm = 0; sgm < h->nsegment; sgm++) {
				const struct seg_figures *g = seg_at(h, sgm, p);
				f.late_sum += g->late_sum;
				f.paid += g->paid;
				f.known30 += g->known30;
				f.late30 += g->late30;
			}
		}
		return f;
	}
	if (m == NULL)
		return none;
	const char *name = h->segment[h->cust[c].segment];
	for (int i = 0; i < m->nsegment; i++)
		if (strcmp(m->segment[i], name) == 0 && m->seg_today[i].known30 > 0)
			return m->seg_today[i];
	return m->all_today;
}

void risk_features_at(const struct risk_history *h, const struct risk_model *m,
    int c, day_t at, struct risk_features *f)
{
	const struct rh_customer *cu = &h->cust[c];
	double pw = 0, pwl = 0, pwl2 = 0; /* paid only: delay and spread */
	double s90 = 0, s365 = 0;
	int n90 = 0, n365 = 0, nobs = 0, npaid = 0, known = 0;
	double wknown = 0, wlate30 = 0;
	money_t overdue = 0, open = 0;
	int oldest = 0;
	day_t first_overdue_due = DATE_NONE;
	memset(f, 0, sizeof *f);
	/* Only what happened before `at` counts: an invoice issued that day is
	 * the one being predicted. */
	for (int i = cu->inv; i < cu->inv + cu->ninv; i++) {
		const struct rh_invoice *v = &h->inv[i];
		if (v->issue >= at)
			continue;
		if (v->paid != DATE_NONE && v->paid < at) {
			double late = v->paid - v->due;
			double w = exp(-(at - v->paid) / RISK_TAU);
			pw += w;
			pwl += w * late;
			pwl2 += w * late * late;
			nobs++;
			npaid++;
			known++;
			wknown += w;
			wlate30 += w * (late > 30);
			if (at - v->paid <= 90) {
				s90 += late;
				n90++;
			}
			if (at - v->paid <= 365) {
				s365 += late;
				n365++;
			}
			continue;
		}
		/* open at `at`: today's open amount when at is after today, else
		 * the whole amount (the history keeps no partial dates) */
		money_t o = at > h->today ? v->open : v->amount;
		open += v->same_currency ? o : 0;
		if (v->due < at) {
			int days = at - v->due;
			nobs++;
			if (days > 30) {
				known++;
				wknown += 1; /* news from today: full weight */
				wlate30 += 1;
			}
			overdue += v->same_currency ? o : 0;
			if (days > oldest)
				oldest = days;
			if (first_overdue_due == DATE_NONE || v->due < first_overdue_due)
				first_overdue_due = v->due;
		}
	}
	struct seg_figures seg = segment_figures(h, m, c, at);
	double seg_late = seg.paid > 0 ? seg.late_sum / seg.paid : 0;
	double seg_share = seg.known30 > 0 ? seg.late30 / seg.known30 : 0;
	const double k = RISK_PRIOR_INVOICES;
	double own_delay = pw > 0 ? pwl / pw : 0;
	f->x[RISK_F_days_late] = (npaid * own_delay + k * seg_late) / (npaid + k);
	f->x[RISK_F_late_share] = (wlate30 + k * seg_share) / (wknown + k);
	double ratio = cu->limit > 0 ? (double)overdue / (double)cu->limit : 0;
	f->x[RISK_F_overdue_limit] = ratio > 5 ? 5 : ratio;
	f->x[RISK_F_oldest_overdue] = oldest > 730 ? 730 : oldest;
	for (int i = cu->prom; i < cu->prom + cu->nprom; i++) {
		day_t b = h->prom[i].broken;
		if (b < at && at - b <= 365)
			f->x[RISK_F_broken_promises] += 1;
	}
	for (int i = cu->disp; i < cu->disp + cu->ndisp; i++) {
		const struct rh_dispute *d = &h->disp[i];
		if (d->opened < at && (d->resolved == DATE_NONE || d->resolved >= at))
			f->x[RISK_F_open_disputes] += 1;
	}
	f->x[RISK_F_trend] = n90 > 0 && n365 > 0 ? s90 / n90 - s365 / n365 : 0;
	if (overdue > 0) {
		day_t last = first_overdue_due;
		for (int i = cu->pay; i < cu->pay + cu->npay; i++)
			if (h->pay[i].date < at && h->pay[i].date > last)
				last = h->pay[i].date;
		int quiet = at - last;
		f->x[RISK_F_silence] = quiet > 365 ? 365 : quiet;
	}
	f->x[RISK_F_thin_history] = k / (nobs + k);
	f->delay = f->x[RISK_F_days_late];
	double var = pw > 0 ? pwl2 / pw - own_delay * own_delay : 0;
	f->late_sd = var > 0 ? sqrt(var) : 0;
	f->known = known;
	f->overdue = overdue;
	f->open = open;
}

day_t risk_expected_payment(const struct risk_history *h, int c, day_t at, day_t due, double delay)
{
	day_t expected = due + (day_t)lround(delay);
	if (expected >= at)
		return expected;
	int late = at - due;
	const struct rh_customer *cu = &h->cust[c];
	double wait = 0;
	int n = 0;
	for (int i = cu->inv; i < cu->inv + cu->ninv; i++) {
		const struct rh_invoice *v = &h->inv[i];
		if (v->paid != DATE_NONE && v->paid < at && v->paid - v->due > late) {
			wait += v->paid - v->due - late;
			n++;
		}
	}
	int extra = n ? (int)lround(wait / n) : at - expected;
	return at + (extra < 1 ? 1 : extra);
}

/* ---- the model ---- */

static double sigmoid(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

double risk_model_predict(const struct risk_model *m, const struct risk_features *f)
{
	double z = m->beta0;
	for (int k = 0; k < RISK_NFEATURES; k++)
		z += m->beta[k] * (f->x[k] - m->mean[k]) / m->sd[k];
	return sigmoid(z);
}

/* The prior written on the current standardisation. */
static void prior_on_scale(const struct risk_model *m, double *b0, double *b)
{
	*b0 = prior_intercept;
	for (int k = 0; k < RISK_NFEATURES; k++) {
		b[k] = prior[k].coef * m->sd[k] / prior[k].scale;
		*b0 += prior[k].coef * m->mean[k] / prior[k].scale;
	}
}

/* Solves a x = y for a small dense symmetric positive definite system
 * (Gaussian elimination with partial pivoting; a is destroyed). */
static bool solve(int n, double *a, double *y)
{
	for (int col = 0; col < n; col++) {
		int piv = col;
		for (int r = col + 1; r < n; r++)
			if (fabs(a[r * n + col]) > fabs(a[piv * n + col]))
				piv = r;
		if (fabs(a[piv * n + col]) < 1e-12)
			return false;
		if (piv != col) {
			for (int j = 0; j < n; j++) {
				double t = a[col * n + j];
				a[col * n + j] = a[piv * n + j];
				a[piv * n + j] = t;
			}
			double t = y[col];
			y[col] = y[piv];
			y[piv] = t;
		}
		for (int r = col + 1; r < n; r++) {
			double fct = a[r * n + col] / a[col * n + col];
			for (int j = col; j < n; j++)
				a[r * n + j] -= fct * a[col * n + j];
			y[r] -= fct * y[col];
		}
	}
	for (int r = n - 1; r >= 0; r--) {
		for (int j = r + 1; j < n; j++)
			y[r] -= a[r * n + j] * y[j];
		y[r] /= a[r * n + r];
	}
	return true;
}

/* The label of invoice v as known at `at`: 1 paid > 30 days late (or
 * still unpaid then), 0 paid within 30 days, -1 not settled either way
 * yet. Only invoices more than 30 days past due count, even those already
 * paid: counting the early payers among recent invoices while their late
 * neighbours are still unknown would teach the model that recent invoices
 * are paid on time. */
static int label_at(const struct rh_invoice *v, day_t at)
{
	if (at - 1 - v->due <= 30)
		return -1;
	return !(v->paid != DATE_NONE && v->paid < at && v->paid - v->due <= 30);
}

static void model_keep_segments(struct risk_model *m, const struct risk_history *h)
{
	if (!h->full)
		return;
	m->nsegment = h->nsegment;
	m->segment = xcalloc(h->nsegment + 1, sizeof *m->segment);
	m->seg_today = xcalloc(h->nsegment + 1, sizeof *m->seg_today);
	for (int i = 0; i < h->nsegment; i++) {
		m->segment[i] = xstrdup(h->segment[i]);
		m->seg_today[i] = *seg_at(h, i, h->nperiod);
		m->all_today.late_sum += m->seg_today[i].late_sum;
		m->all_today.paid += m->seg_today[i].paid;
		m->all_today.known30 += m->seg_today[i].known30;
		m->all_today.late30 += m->seg_today[i].late30;
	}
}

/* One pass over the standardised samples at coefficients b (intercept
 * first): the penalised log-likelihood, its gradient and the negated
 * Hessian (positive definite), as Newton's method needs them. */
enum { FIT_P = RISK_NFEATURES + 1 };
static double fit_pass(const double *x, const unsigned char *y, int n, const double *b,
    const double *prior_b, double *grad, double *hess)
{
	enum { P = FIT_P };
	double ll = 0;
	memset(hess, 0, P * P * sizeof *hess);
	for (int j = 0; j < P; j++) {
		double d = b[j] - prior_b[j];
		ll -= RISK_PRIOR_WEIGHT / 2 * d * d;
		hess[j * P + j] = RISK_PRIOR_WEIGHT;
		grad[j] = -RISK_PRIOR_WEIGHT * d;
	}
	for (int i = 0; i < n; i++) {
		double row[P];
		row[0] = 1;
		memcpy(row + 1, &x[(size_t)i * RISK_NFEATURES], RISK_NFEATURES * sizeof *row);
		double z = 0;
		for (int j = 0; j < P; j++)
			z += b[j] * row[j];
		/* log(1 + e^z) without overflow */
		ll += y[i] * z - (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)));
		double p = sigmoid(z), w = p * (1 - p), r = y[i] - p;
		for (int j = 0; j < P; j++) {
			grad[j] += r * row[j];
			double wj = w * row[j];
			for (int l = j; l < P; l++)
				hess[j * P + l] += wj * row[l];
		}
	}
	for (int j = 0; j < P; j++)
		for (int l = 0; l < j; l++)
			hess[j * P + l] = hess[l * P + j];
	return ll;
}

/* The fit. Why Newton's method (IRLS) on standardised features with a
 * Gaussian prior centred on the rule-of-thumb model: ten coefficients make
 * the Hessian a 10x10 solve, so each iteration is one pass over the samples
 * and convergence takes about six of them with no learning rate to tune
 * (gradient descent would need hundreds of passes and a step size that
 * depends on the data). Standardising makes one prior strength fair to
 * every feature whatever its unit. The prior (ridge towards the prior
 * model, worth RISK_PRIOR_WEIGHT observations per coefficient) keeps the
 * fit finite on separable data and makes a small ledger behave like the
 * rule of thumb while a large one is governed by its own history. Each
 * step is damped (halved until the objective does not fall), which makes
 * Newton's method converge from any start. */
/* The training sample: every stride-th invoice with an outcome known at
 * label_time, in customer order, each against its customer's features at
 * its issue date; at most cap of them. */
struct sample {
	day_t label_time;
	int stride, cap, n, seen;
	double *x;
	unsigned char *y;
};

static bool eligible(const struct rh_invoice *v, day_t label_time)
{
	return v->issue < label_time && label_at(v, label_time) >= 0;
}

static void sample_start(struct sample *sm, day_t label_time, int eligible)
{
	sm->label_time = label_time;
	sm->stride = eligible / RISK_SAMPLE_MAX + 1;
	sm->cap = eligible / sm->stride + 1;
	sm->n = sm->seen = 0;
	sm->x = xmalloc((size_t)sm->cap * RISK_NFEATURES * sizeof *sm->x);
	sm->y = xmalloc(sm->cap);
}

static void sample_customer(struct sample *sm, const struct risk_history *h, int c)
{
	const struct rh_customer *cu = &h->cust[c];
	for (int i = cu->inv; i < cu->inv + cu->ninv; i++) {
		const struct rh_invoice *v = &h->inv[i];
		if (!eligible(v, sm->label_time))
			continue;
		if (sm->seen++ % sm->stride != 0 || sm->n == sm->cap)
			continue;
		struct risk_features f;
		risk_features_at(h, NULL, c, v->issue, &f);
		memcpy(&sm->x[(size_t)sm->n * RISK_NFEATURES], f.x, sizeof f.x);
		sm->y[sm->n++] = (unsigned char)label_at(v, sm->label_time);
	}
}

static void fit_sample(struct risk_model *m, struct sample *sm);

struct risk_model *risk_model_fit(const struct risk_history *h, day_t until,
    risk_progress_fn progress, void *arg)
{
	struct risk_model *m = xcalloc(1, sizeof *m);
	model_keep_segments(m, h);
	day_t label_time = until == DATE_NONE ? h->today + 1 : until;
	int count = 0;
	for (int i = 0; i < h->ninv; i++)
		count += eligible(&h->inv[i], label_time);
	struct sample sm;
	sample_start(&sm, label_time, count);
	for (int c = 0; c < h->ncust; c++) {
		if (progress && c % 1024 == 0 && !progress(arg, "fitting", c, h->ncust))
			break;
		sample_customer(&sm, h, c);
	}
	fit_sample(m, &sm);
	return m;
}

/* Fits m on the sample (and frees the sample). */
static void fit_sample(struct risk_model *m, struct sample *sm)
{
	double *x = sm->x;
	unsigned char *y = sm->y;
	int n = sm->n;
	m->samples = n;
	for (int k = 0; k < RISK_NFEATURES; k++) {
		double s = 0, s2 = 0;
		for (int i = 0; i < n; i++) {
			double v = x[(size_t)i * RISK_NFEATURES + k];
			s += v;
			s2 += v * v;
		}
		m->mean[k] = n ? s / n : 0;
		double var = n ? s2 / n - m->mean[k] * m->mean[k] : 0;
		m->sd[k] = var > 1e-9 ? sqrt(var) : 1;
	}
	double b0p, bp[RISK_NFEATURES];
	prior_on_scale(m, &b0p, bp);
	m->beta0 = b0p;
	memcpy(m->beta, bp, sizeof bp);
	enum { P = FIT_P };
	for (int i = 0; i < n; i++) /* standardise in place */
		for (int k = 0; k < RISK_NFEATURES; k++) {
			double *v = &x[(size_t)i * RISK_NFEATURES + k];
			*v = (*v - m->mean[k]) / m->sd[k];
		}
	double b[P] = { b0p }, prior_b[P] = { b0p };
	memcpy(b + 1, bp, sizeof bp);
	memcpy(prior_b + 1, bp, sizeof bp);
	double grad[P], hess[P * P];
	double ll = fit_pass(x, y, n, b, prior_b, grad, hess);
	for (int iter = 0; iter < 50 && n > 0; iter++) {
		if (!solve(P, hess, grad))
			break;
		/* damped: halve the step until the objective does not fall */
		double trial[P], tgrad[P], thess[P * P], tll = ll, t = 1;
		for (int half = 0; half < 30; half++, t /= 2) {
			for (int j = 0; j < P; j++)
				trial[j] = b[j] + t * grad[j];
			tll = fit_pass(x, y, n, trial, prior_b, tgrad, thess);
			if (tll >= ll)
				break;
		}
		if (tll < ll)
			break;
		double gain = tll - ll;
		memcpy(b, trial, sizeof b);
		memcpy(grad, tgrad, sizeof grad);
		memcpy(hess, thess, sizeof hess);
		ll = tll;
		if (gain < 1e-10 * (1 + fabs(ll)))
			break;
	}
	m->beta0 = b[0];
	memcpy(m->beta, b + 1, sizeof m->beta);
	free(x);
	free(y);
}

void risk_model_free(struct risk_model *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->nsegment; i++)
		free(m->segment[i]);
	free(m->segment);
	free(m->seg_today);
	free(m);
}

/* ---- results ---- */

char risk_class_for(int score)
{
	return score < 10 ? 'A' : score < 25 ? 'B' : score < 45 ? 'C' : score < 70 ? 'D' : 'E';
}

static const char *const profile_names[] = { "prompt", "slow", "erratic", "deteriorating", "risky" };

const char *risk_profile_name(enum risk_profile p)
{
	return profile_names[p];
}

bool risk_profile_parse(const char *name, enum risk_profile *out)
{
	for (size_t i = 0; i < sizeof profile_names / sizeof profile_names[0]; i++)
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum risk_profile)i;
			return true;
		}
	return false;
}

static int compare_contribution(const void *a, const void *b)
{
	double x = fabs(((const double *)a)[1]), y = fabs(((const double *)b)[1]);
	return x < y ? 1 : x > y ? -1 : (int)(((const double *)a)[0] - ((const double *)b)[0]);
}

/* The result of a customer whose features are f. */
static void result_from_features(const struct risk_model *m, int64_t id,
    const struct risk_features *features, struct risk_result *r)
{
	memset(r, 0, sizeof *r);
	r->customer_id = id;
	r->features = *features;
	const struct risk_features *f = &r->features;
	double p = risk_model_predict(m, f);
	r->score = (int)lround(100 * p);
	r->class = risk_class_for(r->score);
	r->expected_delay = (int)lround(f->delay);
	/* Each factor's contribution is its term of the logit measured from
	 * the average customer: what it adds to (or takes from) the odds. */
	double contrib[RISK_NFEATURES][2];
	for (int k = 0; k < RISK_NFEATURES; k++) {
		contrib[k][0] = k;
		contrib[k][1] = m->beta[k] * (f->x[k] - m->mean[k]) / m->sd[k];
	}
	qsort(contrib, RISK_NFEATURES, sizeof contrib[0], compare_contribution);
	size_t len = 0;
	for (int k = 0; k < 4 && fabs(contrib[k][1]) >= 0.05; k++) {
		int w = snprintf(r->factors + len, sizeof r->factors - len, "%s%s=%+.2f", len ? ";" : "",
		    feature_names[(int)contrib[k][0]], contrib[k][1]);
		if (w < 0 || (size_t)w >= sizeof r->factors - len)
			break;
		len += (size_t)w;
	}
	/* The profile says how a customer pays, not how likely it is to pay
	 * late (the class says that): a slow payer who always pays is slow,
	 * not risky. Risky is one that stops paying: two months without a
	 * payment while overdue (an old invoice alone is no sign: a regular
	 * payer's forgotten residual is one). The thresholds recover the demo
	 * ledger's simulated behaviours (tests/unit/test_risk.c: about four
	 * customers in five; the class-first rule it replaced called half the
	 * ledger risky and got two in five). */
	if (f->x[RISK_F_silence] > 60)
		r->profile = RISK_RISKY;
	else if (f->late_sd > 25)
		r->profile = RISK_ERRATIC;
	else if (f->x[RISK_F_trend] > 12)
		r->profile = RISK_DETERIORATING;
	else if (f->delay > 18)
		r->profile = RISK_SLOW;
	else
		r->profile = RISK_PROMPT;
}

void risk_result_compute(const struct risk_history *h, const struct risk_model *m,
    int c, day_t today, struct risk_result *r)
{
	struct risk_features f;
	risk_features_at(h, m, c, today + 1, &f);
	result_from_features(m, h->cust[c].id, &f, r);
}

/* Writes the results of h's customers, whose features (computed before:
 * the write lock is held only briefly) are feat[c], in one transaction. */
static int write_results(struct store *s, const struct risk_history *h, const struct risk_model *m,
    const struct risk_features *feat, char **cause)
{
	static const char sql_clear[] = "DELETE FROM risk";
	static const char sql[] = "INSERT OR REPLACE INTO risk (customer_id, score, class, profile, "
	    "expected_delay, factors, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = store_begin(s, cause);
	if (rc != DUN_OK)
		return rc;
	/* a full run rewrites every row: emptying the table first makes the
	 * inserts appends instead of 50,000 replacements */
	if (h->full && store_step_done(store_stmt(s, sql_clear)) != SQLITE_DONE) {
		rc = store_error(s, "write risk", cause);
		store_rollback(s);
		return rc;
	}
	for (int c = 0; c < h->ncust; c++) {
		struct risk_result r;
		result_from_features(m, h->cust[c].id, &feat[c], &r);
		sqlite3_stmt *st = store_stmt(s, sql);
		char cls[2] = { r.class, 0 };
		sqlite3_bind_int64(st, 1, r.customer_id);
		sqlite3_bind_int(st, 2, r.score);
		store_bind_text(st, 3, cls);
		store_bind_text(st, 4, risk_profile_name(r.profile));
		sqlite3_bind_int(st, 5, r.expected_delay);
		store_bind_text(st, 6, r.factors);
		store_bind_text(st, 7, stamp);
		if (store_step_done(st) != SQLITE_DONE) {
			rc = store_error(s, "write risk", cause);
			store_rollback(s);
			return rc;
		}
	}
	return store_commit(s, cause);
}

int risk_store_results(struct store *s, const struct risk_history *h, const struct risk_model *m,
    day_t today, risk_progress_fn progress, void *arg, char **cause)
{
	struct risk_features *feat = xmalloc((h->ncust ? h->ncust : 1) * sizeof *feat);
	for (int c = 0; c < h->ncust; c++) {
		if (progress && c % 1024 == 0 && !progress(arg, "scoring", c, h->ncust)) {
			free(feat);
			return dun_fail(cause, DUN_EDB, "cancelled");
		}
		risk_features_at(h, m, c, today + 1, &feat[c]);
	}
	int rc = write_results(s, h, m, feat, cause);
	free(feat);
	return rc;
}

/* ---- the streamed batch run ----
 *
 * Why not the in-memory copy: on a ledger of two million invoices it is
 * some 200 MiB, and the batch run needs each customer's rows only once.
 * So it reads the ledger twice, keeping memory bounded by the largest
 * customer: a first pass in table order builds the segment figures (the
 * training features need them as known at past dates) and counts the
 * invoices the sample is drawn from; the second reads every table grouped
 * by customer, and for each customer in turn takes its training samples
 * and its features today into the same one-customer history that
 * risk_features_at works on, so the figures are exactly those of the
 * in-memory copy. */

struct stream_scan { int eligible; };

static void scan_invoice(struct risk_history *h, sqlite3_stmt *st, int c, void *arg)
{
	struct stream_scan *sc = arg;
	struct rh_invoice v = invoice_row(h, st, c);
	segments_add(h, &v);
	sc->eligible += eligible(&v, h->today + 1);
}

/* One of the grouped queries: positioned on its next row (rc SQLITE_ROW)
 * until it is done. */
struct cursor {
	sqlite3_stmt *st;
	int rc;
	void (*add)(struct risk_history *, sqlite3_stmt *, int, void *);
	struct growing g;
};

/* Appends cursor k's rows of customer c to h (skipping rows of customers
 * that are not in the customer table). */
static void cursor_take(struct cursor *k, struct risk_history *h, int c)
{
	int64_t id = h->cust[c].id;
	while (k->rc == SQLITE_ROW && sqlite3_column_int64(k->st, 0) < id)
		k->rc = sqlite3_step(k->st);
	while (k->rc == SQLITE_ROW && sqlite3_column_int64(k->st, 0) == id) {
		k->add(h, k->st, c, &k->g);
		k->rc = sqlite3_step(k->st);
	}
}

/* The second pass: samples into sm, each customer's features today into
 * feat. */
static int stream_customers(struct store *s, struct risk_history *h, struct sample *sm,
    struct risk_features *feat, risk_progress_fn progress, void *arg, char **cause)
{
	struct cursor k[] = {
		{ store_stmt(s, inv_by_customer), 0, add_invoice, { 0 } },
		{ store_stmt(s, pay_by_customer), 0, add_payment, { 0 } },
		{ store_stmt(s, prom_by_customer), 0, add_promise, { 0 } },
		{ store_stmt(s, disp_by_customer), 0, add_dispute, { 0 } },
	};
	enum { NK = sizeof k / sizeof k[0] };
	int rc = DUN_OK;
	for (int j = 0; j < NK; j++)
		k[j].rc = sqlite3_step(k[j].st);
	for (int c = 0; c < h->ncust; c++) {
		if (progress && c % 1024 == 0 && !progress(arg, "fitting", c, h->ncust)) {
			rc = dun_fail(cause, DUN_EDB, "cancelled");
			break;
		}
		h->ninv = h->npay = h->nprom = h->ndisp = 0;
		for (int j = 0; j < NK; j++)
			cursor_take(&k[j], h, c);
		struct rh_customer *cu = &h->cust[c];
		cu->inv = cu->pay = cu->prom = cu->disp = 0;
		cu->ninv = h->ninv;
		cu->npay = h->npay;
		cu->nprom = h->nprom;
		cu->ndisp = h->ndisp;
		sample_customer(sm, h, c);
		risk_features_at(h, NULL, c, h->today + 1, &feat[c]);
		cu->ninv = cu->npay = cu->nprom = cu->ndisp = 0; /* rows gone with the next */
	}
	for (int j = 0; j < NK; j++) {
		if (rc == DUN_OK && k[j].rc != SQLITE_ROW && k[j].rc != SQLITE_DONE)
			rc = store_error(s, "read the ledger", cause);
		sqlite3_reset(k[j].st);
	}
	h->ninv = h->npay = h->nprom = h->ndisp = 0;
	return rc;
}

/* Both passes, in one read transaction with a small page cache: the rows
 * are read once each, so a large cache would only hold pages never read
 * again. */
static int stream_read(struct store *s, struct risk_history *h, struct sample *sm,
    struct risk_features **feat, risk_progress_fn progress, void *arg, char **cause)
{
	static const char sql_size[] = "SELECT coalesce((SELECT max(rowid) FROM invoice), 0)";
	/* each half's own minimum: over invoice_any, min() would read every row */
	static const char sql_t0[] = "SELECT min(d) FROM (SELECT min(issue_date) AS d FROM invoice"
	    " WHERE open_amount = 0 AND kind = 'invoice' UNION ALL SELECT min(issue_date) FROM invoice"
	    " WHERE open_amount <> 0 AND kind = 'invoice')";
	int cache = store_cache_size(s, -2048);
	bool started;
	int rc = store_read_begin(s, &started, cause);
	if (rc == DUN_OK)
		rc = load_customers(s, h, NULL, 0, cause);
	if (rc == DUN_OK && progress)
		progress_start(s, h, sql_size, progress, arg);
	if (rc == DUN_OK) {
		sqlite3_stmt *st = store_stmt(s, sql_t0);
		day_t t0 = h->today;
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			t0 = store_column_date(st, 0);
		sqlite3_reset(st);
		segments_alloc(h, t0);
		struct stream_scan sc = { 0 };
		rc = load_table(s, h, inv_all, inv_one, "read invoices", scan_invoice, &sc, cause);
		segments_sum(h);
		h->progress = NULL;
		if (rc == DUN_OK) {
			sample_start(sm, h->today + 1, sc.eligible);
			*feat = xmalloc((h->ncust ? h->ncust : 1) * sizeof **feat);
			rc = stream_customers(s, h, sm, *feat, progress, arg, cause);
		}
	}
	store_read_end(s, started);
	store_cache_size(s, cache);
	return rc;
}

int risk_score_all(struct store *s, day_t today, risk_progress_fn progress, void *arg,
    struct risk_model **model_out, int counts[5], char **cause)
{
	if (model_out)
		*model_out = NULL;
	if (progress && !progress(arg, "reading", 0, 1))
		return dun_fail(cause, DUN_EDB, "cancelled");
	struct risk_history *h = xcalloc(1, sizeof *h);
	h->today = today;
	h->full = true;
	struct sample sm = { 0 };
	struct risk_features *feat = NULL;
	int rc = stream_read(s, h, &sm, &feat, progress, arg, cause);
	struct risk_model *m = xcalloc(1, sizeof *m);
	if (rc == DUN_OK) {
		model_keep_segments(m, h);
		fit_sample(m, &sm);
	} else {
		free(sm.x);
		free(sm.y);
	}
	if (rc == DUN_OK && progress && !progress(arg, "fitting", h->ncust, h->ncust))
		rc = dun_fail(cause, DUN_EDB, "cancelled");
	if (rc == DUN_OK && progress && !progress(arg, "scoring", 0, 1))
		rc = dun_fail(cause, DUN_EDB, "cancelled");
	if (rc == DUN_OK)
		rc = write_results(s, h, m, feat, cause);
	free(feat);
	if (rc == DUN_OK && counts) {
		static const char sql[] = "SELECT class, count(*) FROM risk GROUP BY class";
		memset(counts, 0, 5 * sizeof *counts);
		sqlite3_stmt *st = store_stmt(s, sql);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int k = store_column_text(st, 0)[0] - 'A';
			if (k >= 0 && k < 5)
				counts[k] = sqlite3_column_int(st, 1);
		}
		sqlite3_reset(st);
	}
	risk_history_free(h);
	if (rc == DUN_OK && model_out)
		*model_out = m;
	else
		risk_model_free(m);
	return rc;
}

int risk_score_customers(struct store *s, day_t today, const struct risk_model *m,
    const int64_t *ids, int n, char **cause)
{
	struct risk_history *h;
	int rc = risk_history_load(s, today, ids, n, NULL, NULL, &h, cause);
	if (rc != DUN_OK)
		return rc;
	rc = risk_store_results(s, h, m, today, NULL, NULL, cause);
	risk_history_free(h);
	return rc;
}

/* ---- evaluation ---- */

struct scored { double score; unsigned char label; };

static int compare_scored(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->score, y = ((const struct scored *)b)->score;
	return x < y ? -1 : x > y;
}

double risk_auc(const double *score, const unsigned char *label, int n)
{
	struct scored *v = xmalloc((n ? n : 1) * sizeof *v);
	double pos = 0, neg = 0, rank_sum = 0;
	for (int i = 0; i < n; i++) {
		v[i].score = score[i];
		v[i].label = label[i];
	}
	qsort(v, n, sizeof *v, compare_scored);
	/* Mann-Whitney: the sum of the positives' mid-ranks */
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && v[j].score == v[i].score)
			j++;
		double mid = (i + 1 + j) / 2.0;
		for (int k = i; k < j; k++)
			if (v[k].label) {
				pos++;
				rank_sum += mid;
			} else {
				neg++;
			}
		i = j;
	}
	free(v);
	if (pos == 0 || neg == 0)
		return 0.5;
	return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

/* The baseline: the customer's plain mean days late over the invoices
 * paid before `at`, or fallback when it has none. */
static double baseline_at(const struct risk_history *h, int c, day_t at, double fallback)
{
	const struct rh_customer *cu = &h->cust[c];
	double sum = 0;
	int n = 0;
	for (int i = cu->inv; i < cu->inv + cu->ninv; i++) {
		const struct rh_invoice *v = &h->inv[i];
		if (v->issue < at && v->paid != DATE_NONE && v->paid < at) {
			sum += v->paid - v->due;
			n++;
		}
	}
	return n ? sum / n : fallback;
}

static int compare_day(const void *a, const void *b)
{
	day_t x = *(const day_t *)a, y = *(const day_t *)b;
	return x < y ? -1 : x > y;
}

int risk_evaluate(struct store *s, day_t today, struct risk_evaluation *e, char **cause)
{
	struct risk_history *h;
	memset(e, 0, sizeof *e);
	int rc = risk_history_load(s, today, NULL, 0, NULL, NULL, &h, cause);
	if (rc != DUN_OK)
		return rc;
	day_t now = today + 1;
	day_t *issue = xmalloc((h->ninv ? h->ninv : 1) * sizeof *issue);
	int n = 0;
	for (int i = 0; i < h->ninv; i++)
		if (label_at(&h->inv[i], now) >= 0)
			issue[n++] = h->inv[i].issue;
	if (n < 20) {
		free(issue);
		risk_history_free(h);
		return dun_fail(cause, DUN_EDATA, "too little history to evaluate: %d invoices with a known outcome", n);
	}
	qsort(issue, n, sizeof *issue, compare_day);
	e->cutoff = issue[n * 3 / 4];
	free(issue);
	struct risk_model *m = risk_model_fit(h, e->cutoff, NULL, NULL);
	e->train = m->samples;
	double sum = 0; /* the baseline's figure for a customer with no history */
	int cnt = 0;
	for (int i = 0; i < h->ninv; i++)
		if (h->inv[i].paid != DATE_NONE && h->inv[i].paid < e->cutoff) {
			sum += h->inv[i].paid - h->inv[i].due;
			cnt++;
		}
	double global = cnt ? sum / cnt : 0;
	int cap = h->ninv ? h->ninv : 1;
	double *pm = xmalloc(cap * sizeof *pm), *pb = xmalloc(cap * sizeof *pb);
	unsigned char *y = xmalloc(cap);
	int t = 0;
	double brier = 0, pos = 0;
	for (int c = 0; c < h->ncust; c++) {
		const struct rh_customer *cu = &h->cust[c];
		for (int i = cu->inv; i < cu->inv + cu->ninv; i++) {
			const struct rh_invoice *v = &h->inv[i];
			int label;
			if (v->issue < e->cutoff || (label = label_at(v, now)) < 0)
				continue;
			struct risk_features f;
			risk_features_at(h, NULL, c, v->issue, &f);
			pm[t] = risk_model_predict(m, &f);
			pb[t] = baseline_at(h, c, v->issue, global);
			y[t] = (unsigned char)label;
			brier += (pm[t] - label) * (pm[t] - label);
			pos += label;
			t++;
		}
	}
	e->test = t;
	e->positive_rate = t ? pos / t : 0;
	e->brier_model = t ? brier / t : 0;
	e->auc_model = risk_auc(pm, y, t);
	e->auc_baseline = risk_auc(pb, y, t);
	struct scored *v = xmalloc((t ? t : 1) * sizeof *v);
	for (int i = 0; i < t; i++) {
		v[i].score = pm[i];
		v[i].label = y[i];
	}
	qsort(v, t, sizeof *v, compare_scored);
	for (int i = 0; i < t; i++) {
		int d = (int)((int64_t)i * RISK_DECILES / t);
		e->decile_n[d]++;
		e->decile_predicted[d] += v[i].score;
		e->decile_observed[d] += v[i].label;
	}
	for (int d = 0; d < RISK_DECILES; d++)
		if (e->decile_n[d]) {
			e->decile_predicted[d] /= e->decile_n[d];
			e->decile_observed[d] /= e->decile_n[d];
		}
	free(v);
	free(pm);
	free(pb);
	free(y);
	risk_model_free(m);
	risk_history_free(h);
	return DUN_OK;
}
