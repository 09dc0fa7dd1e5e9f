/* Aging as of any date from what is open now, without reading history:
 * an item's open amount at D is its open amount now plus what was
 * allocated to it after D (the allocation_date index finds those few), and
 * items issued or paid after D are left out. Sums are kept per customer in
 * scaled 128-bit values (fx.h) and rounded once per reported figure. */
#include "aging.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fx.h"
#include "status.h"
#include "xalloc.h"

void aging_options_default(struct aging_options *o)
{
	static const int edges[] = {30, 60, 90, 120};
	memset(o, 0, sizeof *o);
	o->as_of = DATE_NONE;
	memcpy(o->edges, edges, sizeof edges);
	o->nedges = 4;
	o->base_currency = "EUR";
	o->by = AGING_BY_CUSTOMER;
}

int aging_bucket_for(int days, const int *edges, int nedges)
{
	if (days <= 0)
		return 0;
	for (int i = 0; i < nedges; i++)
		if (days <= edges[i])
			return i + 1;
	return nedges + 1;
}

void aging_bucket_name(int index, const int *edges, int nedges, char *buf, int size)
{
	if (index == 0)
		snprintf(buf, (size_t)size, "current");
	else if (index > nedges)
		snprintf(buf, (size_t)size, "%d+", edges[nedges - 1] + 1);
	else
		snprintf(buf, (size_t)size, "%d-%d", index == 1 ? 1 : edges[index - 2] + 1, edges[index - 1]);
}

/* A set of ids below a bound, one bit each: small enough to stay in the
 * cache where a hash table of the same ids would miss on every probe. */
struct bitset {
	uint64_t *words;
	int64_t limit;
};

static void bitset_init(struct bitset *b, int64_t limit)
{
	b->limit = limit > 0 ? limit : 0;
	b->words = xcalloc((size_t)(b->limit / 64 + 1), sizeof *b->words);
}

static void bitset_add(struct bitset *b, int64_t id)
{
	if (id >= 0 && id < b->limit)
		b->words[id / 64] |= UINT64_C(1) << (id % 64);
}

static bool bitset_has(const struct bitset *b, int64_t id)
{
	return id >= 0 && id < b->limit && (b->words[id / 64] >> (id % 64) & 1);
}

/* An id -> amount map, open addressing; ids are positive. Its bitset
 * answers most lookups of absent ids without touching the table. */
struct id_map {
	struct id_entry {
		int64_t id;
		money_t amount;
		bool used;
	} *slots;
	size_t cap, count;
	struct bitset filter;
};

static struct id_entry *id_map_slot(struct id_map *m, int64_t id)
{
	/* Fibonacci hashing: the top bits of id * 2^64/phi. */
	size_t i = (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> (64 - __builtin_ctzll(m->cap)));
	while (m->slots[i].id != 0 && m->slots[i].id != id)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

/* The entry of id, or NULL when absent and not insert. */
static struct id_entry *id_map_find(struct id_map *m, int64_t id, bool insert)
{
	if (insert && (m->count + 1) * 2 > m->cap) {
		struct id_map grown = {.cap = m->cap ? m->cap * 2 : 64, .count = m->count, .filter = m->filter};
		grown.slots = xcalloc(grown.cap, sizeof *grown.slots);
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].id)
				*id_map_slot(&grown, m->slots[i].id) = m->slots[i];
		free(m->slots);
		*m = grown;
	}
	/* Ids the filter covers are in the table only if their bit is set. */
	if (!insert && (m->count == 0 || (id < m->filter.limit && !bitset_has(&m->filter, id))))
		return NULL;
	if (insert)
		bitset_add(&m->filter, id);
	struct id_entry *e = id_map_slot(m, id);
	if (e->id == 0) {
		if (!insert)
			return NULL;
		e->id = id;
		m->count++;
	}
	return e;
}

static void id_map_add(struct id_map *m, int64_t id, money_t amount)
{
	id_map_find(m, id, true)->amount += amount;
}

/* Sums of one customer (or of one group), scaled (fx.h). */
struct acc {
	fx_value bucket[AGING_MAX_BUCKETS];
	fx_value unapplied;
	fx_value disputed;
	bool touched;
};

struct aging {
	struct store *store;
	const struct aging_options *o;
	struct fx *fx;
	char as_of[DATE_TEXT_MAX];
	/* An item dated on or after threshold[b] (D, then D - each edge) and
	 * before threshold[b - 1] is in bucket b (aging_bucket_for by text). */
	char threshold[AGING_MAX_EDGES + 1][DATE_TEXT_MAX];
	struct acc *accs;        /* by slot: customer id, or 1 with customer_id */
	int64_t nslots;
	struct id_map adjust;    /* invoice id -> allocated after D (negated for credit notes) */
	struct id_map payadjust; /* payment id -> allocated after D */
	struct id_map disputes;  /* invoice id -> disputed amount, -1 for all of it */
	struct bitset issued_later; /* invoices and credit notes issued after D */
	struct bitset paid_later;   /* payments dated after D */
	bool reading, started;      /* in store_read_begin's snapshot; started by aging_scan */
};

/* Slot 0 holds payments of no known customer. */
static struct acc *acc_for(struct aging *a, int64_t customer_id)
{
	if (a->o->customer_id)
		return customer_id == a->o->customer_id ? &a->accs[1] : NULL;
	if (customer_id < 0 || customer_id >= a->nslots)
		return NULL;
	return &a->accs[customer_id];
}

/* The sums an item dated date adds amount to, with amount scaled into *v;
 * *acc is NULL for an item the aging leaves out (nothing open, dated after
 * D, another currency or customer). */
static int acc_scale(struct aging *a, int64_t customer_id, const char *date, const char *currency, money_t amount,
    struct acc **acc, fx_value *v, char **cause)
{
	*acc = NULL;
	if (amount == 0 || strcmp(date, a->as_of) > 0)
		return DUN_OK;
	if (a->o->currency && strcmp(currency, a->o->currency) != 0)
		return DUN_OK;
	struct acc *found = acc_for(a, customer_id);
	if (found == NULL)
		return DUN_OK;
	int rc = fx_scale(a->fx, currency, amount, v, cause);
	if (rc != DUN_OK)
		return rc;
	found->touched = true;
	*acc = found;
	return DUN_OK;
}

static int add_invoice(struct aging *a, int64_t id, int64_t customer_id, const char *due, const char *issue,
    const char *currency, money_t open, bool credit, char **cause)
{
	struct acc *acc;
	fx_value v;
	int rc = acc_scale(a, customer_id, issue, currency, open, &acc, &v, cause);
	if (rc != DUN_OK || acc == NULL)
		return rc;
	if (credit) {
		acc->unapplied += v;
		return DUN_OK;
	}
	/* ISO dates compare as text: no parsing in the hot loop. */
	const char *from = a->o->basis_invoice ? issue : due;
	int b = 0;
	while (b <= a->o->nedges && strcmp(from, a->threshold[b]) < 0)
		b++;
	acc->bucket[b] += v;
	struct id_entry *d = id_map_find(&a->disputes, id, false);
	if (d != NULL) {
		money_t part = d->amount < 0 || d->amount > open ? open : d->amount;
		if ((rc = fx_scale(a->fx, currency, part, &v, cause)) != DUN_OK)
			return rc;
		acc->disputed += v;
	}
	return DUN_OK;
}

/* add_invoice for the row under st: customer id, due date, issue date and
 * currency from column col on, the credit-note flag at credit_col. Resets
 * st on failure. */
static int add_invoice_row(struct aging *a, sqlite3_stmt *st, int64_t id, int col, money_t open,
    int credit_col, char **cause)
{
	int rc = add_invoice(a, id, sqlite3_column_int64(st, col), store_column_text(st, col + 1),
	    store_column_text(st, col + 2), store_column_text(st, col + 3), open,
	    sqlite3_column_int(st, credit_col), cause);
	if (rc != DUN_OK)
		sqlite3_reset(st);
	return rc;
}

static int add_payment(struct aging *a, int64_t customer_id, const char *date, const char *currency,
    money_t unapplied, char **cause)
{
	struct acc *acc;
	fx_value v;
	int rc = acc_scale(a, customer_id, date, currency, unapplied, &acc, &v, cause);
	if (rc == DUN_OK && acc != NULL)
		acc->unapplied -= v;
	return rc;
}

static int step_error(struct aging *a, sqlite3_stmt *st, int rc, char **cause)
{
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(a->store, "compute the aging", cause);
}

/* A history statement: D at ?1 and, in the one-customer variants, the
 * customer at ?2. */
static sqlite3_stmt *history_stmt(struct aging *a, const char *sql)
{
	sqlite3_stmt *st = store_stmt(a->store, sql);
	store_bind_text(st, 1, a->as_of);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, a->o->customer_id);
	return st;
}

/* Fills b with the ids sql returns: an ordered index read. */
static int load_ids(struct aging *a, const char *sql, struct bitset *b, char **cause)
{
	sqlite3_stmt *st = history_stmt(a, sql);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		bitset_add(b, sqlite3_column_int64(st, 0));
	return step_error(a, st, rc, cause);
}

/* What was allocated after D to what existed at D, and the disputes open
 * at D. An allocation is dated the later of its two sides (ledger.c), so
 * when dated after D at most one side existed at D: the invoice when it
 * was issued by D (then the cash came later), else the payment or credit
 * note. Only that side's open amount at D needs the amount back. For one
 * customer its own items and allocations are enough, each found through
 * its customer's index: an allocation never joins two customers' items
 * (ledger.c) and its invoice side is an invoice, so the customer's
 * allocations are those of its invoices. (Every allocation after D with
 * only the customer's items marked issued later would put the other
 * customers' in adjust, each then looked up: on the 2M-invoice ledger, a
 * statement as of two years back took 5.8 s instead of 0.2 s.) */
static int load_history(struct aging *a, char **cause)
{
	static const char issued_later_all[] = "SELECT id FROM invoice_any WHERE issue_date > ?1";
	static const char issued_later_one[] = "SELECT id FROM invoice_any WHERE issue_date > ?1 AND customer_id = ?2";
	static const char paid_later[] = "SELECT id FROM payment WHERE date > ?1";
	const char *issued_later = a->o->customer_id ? issued_later_one : issued_later_all;
	int rc;
	if ((rc = load_ids(a, issued_later, &a->issued_later, cause)) != DUN_OK ||
	    (rc = load_ids(a, paid_later, &a->paid_later, cause)) != DUN_OK)
		return rc;
	static const char allocated_later_all[] =
	    "SELECT invoice_id, coalesce(payment_id, 0), coalesce(credit_id, 0), amount FROM allocation WHERE date > ?1";
	static const char allocated_later_one[] =
	    "SELECT a.invoice_id, coalesce(a.payment_id, 0), coalesce(a.credit_id, 0), a.amount"
	    " FROM invoice_any i JOIN allocation a ON a.invoice_id = i.id WHERE a.date > ?1 AND i.customer_id = ?2";
	sqlite3_stmt *st = history_stmt(a, a->o->customer_id ? allocated_later_one : allocated_later_all);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t invoice = sqlite3_column_int64(st, 0), payment = sqlite3_column_int64(st, 1);
		int64_t credit = sqlite3_column_int64(st, 2);
		money_t amount = sqlite3_column_int64(st, 3);
		if (!bitset_has(&a->issued_later, invoice))
			id_map_add(&a->adjust, invoice, amount);
		else if (payment && !bitset_has(&a->paid_later, payment))
			id_map_add(&a->payadjust, payment, amount);
		else if (credit && !bitset_has(&a->issued_later, credit))
			id_map_add(&a->adjust, credit, -amount);
	}
	if ((rc = step_error(a, st, rc, cause)) != DUN_OK)
		return rc;
	st = history_stmt(a,
	    "SELECT invoice_id, coalesce(amount, -1) FROM dispute WHERE opened <= ?1 AND (resolved IS NULL OR resolved > ?1)");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		id_map_find(&a->disputes, sqlite3_column_int64(st, 0), true)->amount = sqlite3_column_int64(st, 1);
	return step_error(a, st, rc, cause);
}

/* The scan of every item (all), or of the one customer's (one, ?1). */
static sqlite3_stmt *scan_stmt(struct aging *a, const char *all, const char *one)
{
	sqlite3_stmt *st = store_stmt(a->store, a->o->customer_id ? one : all);
	if (a->o->customer_id)
		sqlite3_bind_int64(st, 1, a->o->customer_id);
	return st;
}

/* What id has open now plus what was allocated to it after D; its entry,
 * if any, is marked used so the later passes skip it. */
static money_t adjusted(struct id_map *m, int64_t id, money_t open_now)
{
	struct id_entry *adj = id_map_find(m, id, false);
	if (adj == NULL)
		return open_now;
	adj->used = true;
	return open_now + adj->amount;
}

/* Invoices open now, then those settled only after D (open now 0). */
static int scan_invoices(struct aging *a, char **cause)
{
	static const char all[] =
	    "SELECT id, customer_id, due_date, issue_date, currency, open_amount, kind = 'credit_note'"
	    " FROM invoice WHERE open_amount <> 0";
	static const char one[] =
	    "SELECT id, customer_id, due_date, issue_date, currency, open_amount, kind = 'credit_note'"
	    " FROM invoice WHERE open_amount <> 0 AND customer_id = ?1";
	sqlite3_stmt *st = scan_stmt(a, all, one);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (bitset_has(&a->issued_later, id))
			continue;
		money_t open = adjusted(&a->adjust, id, sqlite3_column_int64(st, 5));
		int err = add_invoice_row(a, st, id, 1, open, 6, cause);
		if (err != DUN_OK)
			return err;
	}
	if ((rc = step_error(a, st, rc, cause)) != DUN_OK)
		return rc;

	/* Settled since D: a sequential read of the covering invoice_paid index. */
	st = store_stmt(a->store,
	    "SELECT id, customer_id, due_date, issue_date, currency, kind = 'credit_note' FROM invoice"
	    " WHERE paid_date > ?1 AND issue_date <= ?1");
	store_bind_text(st, 1, a->as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct id_entry *adj = id_map_find(&a->adjust, id, false);
		if (adj == NULL || adj->used)
			continue;
		adj->used = true;
		int err = add_invoice_row(a, st, id, 1, adj->amount, 5, cause);
		if (err != DUN_OK)
			return err;
	}
	if ((rc = step_error(a, st, rc, cause)) != DUN_OK)
		return rc;

	/* Anything else allocated after D (paid_date is a cache: trust, but
	 * never depend on it). */
	st = store_stmt(a->store,
	    "SELECT customer_id, due_date, issue_date, currency, open_amount, kind = 'credit_note' FROM invoice WHERE id = ?1");
	for (size_t i = 0; i < a->adjust.cap; i++) {
		struct id_entry *e = &a->adjust.slots[i];
		if (e->id == 0 || e->used)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, e->id);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			return step_error(a, st, rc, cause);
		if ((rc = add_invoice_row(a, st, e->id, 0, sqlite3_column_int64(st, 4) + e->amount, 5, cause)) != DUN_OK)
			return rc;
	}
	sqlite3_reset(st);
	return DUN_OK;
}

/* Payments with cash unapplied now, then those applied only after D. */
static int scan_payments(struct aging *a, char **cause)
{
	static const char all[] =
	    "SELECT id, coalesce(customer_id, 0), date, currency, unapplied FROM payment WHERE unapplied <> 0";
	static const char one[] =
	    "SELECT id, coalesce(customer_id, 0), date, currency, unapplied FROM payment"
	    " WHERE unapplied <> 0 AND customer_id = ?1";
	sqlite3_stmt *st = scan_stmt(a, all, one);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		money_t unapplied = adjusted(&a->payadjust, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 4));
		int err = add_payment(a, sqlite3_column_int64(st, 1), store_column_text(st, 2), store_column_text(st, 3),
		    unapplied, cause);
		if (err != DUN_OK) {
			sqlite3_reset(st);
			return err;
		}
	}
	if ((rc = step_error(a, st, rc, cause)) != DUN_OK)
		return rc;

	st = store_stmt(a->store, "SELECT coalesce(customer_id, 0), date, currency, unapplied FROM payment WHERE id = ?1");
	for (size_t i = 0; i < a->payadjust.cap; i++) {
		struct id_entry *e = &a->payadjust.slots[i];
		if (e->id == 0 || e->used)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, e->id);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW)
			return step_error(a, st, rc, cause);
		rc = add_payment(a, sqlite3_column_int64(st, 0), store_column_text(st, 1), store_column_text(st, 2),
		    sqlite3_column_int64(st, 3) + e->amount, cause);
		if (rc != DUN_OK) {
			sqlite3_reset(st);
			return rc;
		}
	}
	sqlite3_reset(st);
	return DUN_OK;
}

static void acc_merge(struct acc *into, const struct acc *from)
{
	for (int i = 0; i < AGING_MAX_BUCKETS; i++)
		into->bucket[i] += from->bucket[i];
	into->unapplied += from->unapplied;
	into->disputed += from->disputed;
	into->touched |= from->touched;
}

struct rows {
	struct aging_row *rows;
	int count, cap;
};

/* Rounds a group's sums once each and appends its row unless all is zero
 * (the total row is always there). */
static void emit(struct aging *a, struct rows *out, const struct acc *acc, int64_t customer_id,
    const char *key, const char *name, bool always)
{
	struct aging_row row = {.customer_id = customer_id};
	bool nonzero = false;
	for (int i = 0; i < a->o->nedges + 2; i++) {
		row.bucket[i] = fx_round(acc->bucket[i], 1);
		row.total += row.bucket[i];
		nonzero |= row.bucket[i] != 0;
	}
	row.unapplied = fx_round(acc->unapplied, 1);
	row.total += row.unapplied;
	row.disputed = fx_round(acc->disputed, 1);
	nonzero |= row.unapplied != 0 || row.disputed != 0;
	if (!nonzero && !always)
		return;
	row.key = xstrdup(key);
	row.name = xstrdup(name);
	snprintf(row.currency, sizeof row.currency, "%s", fx_target(a->fx));
	if (out->count == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 64;
		out->rows = xreallocarray(out->rows, (size_t)out->cap, sizeof *out->rows);
	}
	out->rows[out->count++] = row;
}

/* Walks customers in key order, folding each group's customers together.
 * Cash of no known customer belongs to the empty key, which sorts first. */
static int group_rows(struct aging *a, struct rows *out, char **cause)
{
	static const char by_code[] = "SELECT id, code, name, code FROM customer ORDER BY code";
	static const char by_segment[] = "SELECT id, code, name, segment FROM customer ORDER BY segment, code";
	static const char by_collector[] = "SELECT id, code, name, collector FROM customer ORDER BY collector, code";
	static const char by_one[] = "SELECT id, code, name, code FROM customer WHERE id = ?1";
	enum aging_by by = a->o->by;
	const char *sql = a->o->customer_id ? by_one
	    : by == AGING_BY_SEGMENT ? by_segment : by == AGING_BY_COLLECTOR ? by_collector : by_code;
	struct acc group = {0};
	char *key = xstrdup("");
	if (!a->o->customer_id) {
		if (by == AGING_BY_CUSTOMER)
			emit(a, out, &a->accs[0], 0, "", "", false);
		else
			group = a->accs[0];
	}
	sqlite3_stmt *st = store_stmt(a->store, sql);
	if (a->o->customer_id)
		sqlite3_bind_int64(st, 1, a->o->customer_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		struct acc *acc = acc_for(a, id);
		if (acc == NULL || !acc->touched)
			continue;
		if (by == AGING_BY_CUSTOMER) {
			emit(a, out, acc, id, store_column_text(st, 1), store_column_text(st, 2), false);
			continue;
		}
		const char *k = by == AGING_BY_TOTAL ? "" : store_column_text(st, 3);
		if (strcmp(k, key) != 0) {
			emit(a, out, &group, 0, key, "", false);
			memset(&group, 0, sizeof group);
			free(key);
			key = xstrdup(k);
		}
		acc_merge(&group, acc);
	}
	if (by != AGING_BY_CUSTOMER)
		emit(a, out, &group, 0, key, "", by == AGING_BY_TOTAL);
	free(key);
	return step_error(a, st, rc, cause);
}

/* One past the largest rowid of a table (ids are dense in a ledger). */
static int64_t max_id(struct store *s, const char *sql)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return n;
}

/* Sums every item of o into a->accs, inside one read snapshot (a writer
 * committing mid-report cannot unbalance it). The caller frees with
 * aging_done, whatever the result. */
static int aging_scan(struct aging *a, struct store *s, const struct aging_options *o, char **cause)
{
	*a = (struct aging){.store = s, .o = o};
	if (o->nedges < 1 || o->nedges > AGING_MAX_EDGES)
		return dun_fail(cause, DUN_EUSAGE, "aging: between 1 and %d bucket edges", AGING_MAX_EDGES);
	int rc = store_read_begin(s, &a->started, cause);
	if (rc != DUN_OK)
		return rc;
	a->reading = true;
	date_format_iso(o->as_of, a->as_of);
	date_format_iso(o->as_of, a->threshold[0]);
	for (int i = 0; i < o->nedges; i++)
		date_format_iso(o->as_of - o->edges[i], a->threshold[i + 1]);
	a->fx = fx_new(s, o->currency ? o->currency : o->base_currency, o->as_of);
	if (o->customer_id) {
		a->nslots = 2;
	} else {
		sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(id), 0) FROM customer");
		a->nslots = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 1;
		sqlite3_reset(st);
	}
	a->accs = xcalloc((size_t)a->nslots, sizeof *a->accs);
	int64_t invoices = max_id(s, "SELECT coalesce(max(id), 0) + 1 FROM invoice");
	int64_t payments = max_id(s, "SELECT coalesce(max(id), 0) + 1 FROM payment");
	bitset_init(&a->adjust.filter, invoices);
	bitset_init(&a->disputes.filter, invoices);
	bitset_init(&a->payadjust.filter, payments);
	bitset_init(&a->paid_later, payments);
	bitset_init(&a->issued_later, invoices);
	if ((rc = load_history(a, cause)) == DUN_OK && (rc = scan_invoices(a, cause)) == DUN_OK)
		rc = scan_payments(a, cause);
	return rc;
}

static void aging_done(struct aging *a)
{
	if (a->reading)
		store_read_end(a->store, a->started);
	free(a->accs);
	free(a->adjust.slots);
	free(a->payadjust.slots);
	free(a->disputes.slots);
	free(a->adjust.filter.words);
	free(a->payadjust.filter.words);
	free(a->disputes.filter.words);
	free(a->paid_later.words);
	free(a->issued_later.words);
	fx_free(a->fx);
}

int aging_compute(struct store *s, const struct aging_options *o,
    struct aging_row **rows, int *nrows, char **cause)
{
	*rows = NULL;
	*nrows = 0;
	struct aging a;
	struct rows out = {0};
	int rc = aging_scan(&a, s, o, cause);
	if (rc == DUN_OK)
		rc = group_rows(&a, &out, cause);
	aging_done(&a);
	if (rc != DUN_OK) {
		aging_free(out.rows, out.count);
		return rc;
	}
	*rows = out.rows;
	*nrows = out.count;
	return DUN_OK;
}

int aging_compute_sums(struct store *s, const struct aging_options *o, struct aging_sums *sums, char **cause)
{
	memset(sums, 0, sizeof *sums);
	struct aging a;
	int rc = aging_scan(&a, s, o, cause);
	if (rc == DUN_OK) {
		struct acc all = {0};
		for (int64_t i = 0; i < a.nslots; i++)
			acc_merge(&all, &a.accs[i]);
		memcpy(sums->bucket, all.bucket, sizeof sums->bucket);
		sums->unapplied = all.unapplied;
	}
	aging_done(&a);
	return rc;
}

void aging_free(struct aging_row *rows, int nrows)
{
	for (int i = 0; i < nrows; i++) {
		free(rows[i].key);
		free(rows[i].name);
	}
	free(rows);
}
