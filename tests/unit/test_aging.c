/* Aging ties out to the cent at every date. The property test builds
 * random ledgers through the ledger API (partial payments, credit notes,
 * over-payments, unidentified cash, undone allocations, disputes) and
 * checks aging at random dates, bases, edges and groupings against the
 * direct definition computed here from the raw rows: an item exists at D
 * when issued (paid) on or before D, and its open amount at D is its
 * amount minus its allocations dated on or before D. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "aging.h"
#include "ledger.h"
#include "ledger_fixture.h"
#include "status.h"

static void test_bucket_for(void **state)
{
	(void)state;
	static const int edges[] = {30, 60, 90, 120};
	assert_int_equal(aging_bucket_for(-5, edges, 4), 0);
	assert_int_equal(aging_bucket_for(0, edges, 4), 0);
	assert_int_equal(aging_bucket_for(1, edges, 4), 1);
	assert_int_equal(aging_bucket_for(30, edges, 4), 1);
	assert_int_equal(aging_bucket_for(31, edges, 4), 2);
	assert_int_equal(aging_bucket_for(120, edges, 4), 4);
	assert_int_equal(aging_bucket_for(121, edges, 4), 5);
	char buf[16];
	const char *names[] = {"current", "1-30", "31-60", "61-90", "91-120", "121+"};
	for (int i = 0; i < 6; i++) {
		aging_bucket_name(i, edges, 4, buf, sizeof buf);
		assert_string_equal(buf, names[i]);
	}
	static const int seven[] = {7};
	aging_bucket_name(1, seven, 1, buf, sizeof buf);
	assert_string_equal(buf, "1-7");
	aging_bucket_name(2, seven, 1, buf, sizeof buf);
	assert_string_equal(buf, "8+");
}

/* xorshift64*: deterministic, so a failure names a reproducible case. */
static uint64_t rng_state;
static int64_t rnd(int64_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (int64_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 33) % n;
}

#define MAXC 5
#define MAXI 40
#define MAXP 24
#define MAXA 120

/* The raw rows, read back from the store. */
struct model {
	int ncust;
	int64_t cust[MAXC];
	int ninv, npay, nalloc, ndisp;
	struct { int64_t id, customer; day_t issue, due; money_t amount; bool credit; } inv[MAXI];
	struct { int64_t id, customer; day_t date; money_t amount; } pay[MAXP];
	struct { int64_t invoice, payment, credit; money_t amount; day_t date; } alloc[MAXA];
	struct { int64_t invoice; day_t opened, resolved; money_t amount; } disp[MAXI * 2];
};

static const day_t BASE = 20089; /* 2025-01-01 */

static char *iso(day_t d, char *buf) { return date_format_iso(d, buf); }

static void build_ledger(struct fixture *f, struct model *m)
{
	static const char *segments[] = {"", "retail", "public"};
	static const char *collectors[] = {"", "alice", "bob"};
	char code[16], num[16], a[DATE_TEXT_MAX], b[DATE_TEXT_MAX];
	char *cause = NULL;
	fixture_clear(f);
	fixture_exec(f, "BEGIN");
	m->ncust = 1 + (int)rnd(MAXC);
	for (int i = 0; i < m->ncust; i++) {
		snprintf(code, sizeof code, "C%d", (int)rnd(1000) * 10 + i); /* random code order vs id order */
		m->cust[i] = fixture_customer(f, code, segments[rnd(3)], collectors[rnd(3)]);
	}
	int ninv = (int)rnd(MAXI);
	int64_t inv_ids[MAXI];
	for (int i = 0; i < ninv; i++) {
		day_t issue = BASE + (day_t)rnd(365);
		money_t amount = rnd(6) == 0 ? -(1 + rnd(20000)) : 1 + rnd(100000);
		snprintf(num, sizeof num, "F%d", i);
		inv_ids[i] = fixture_invoice(f, m->cust[rnd(m->ncust)], num, iso(issue, a),
		    iso(issue + (day_t)(15 * rnd(5)), b), "EUR", amount);
	}
	int npay = (int)rnd(MAXP);
	for (int p = 0; p < npay; p++) {
		int64_t customer = rnd(8) == 0 ? 0 : m->cust[rnd(m->ncust)];
		money_t amount = rnd(20) == 0 ? -(1 + rnd(5000)) : 1 + rnd(150000);
		snprintf(num, sizeof num, "P%d", p);
		int64_t pid = fixture_payment(f, customer, num, iso(BASE + (day_t)rnd(400), a), "EUR", amount);
		/* Allocate to a few random invoices; refusals (other customer,
		 * credit notes, too much) must leave nothing behind. */
		for (int k = rnd(4); k > 0 && ninv > 0; k--) {
			int64_t before = fixture_int(f, "SELECT count(*) FROM allocation");
			int rc = ledger_allocate_payment(f->store, pid, inv_ids[rnd(ninv)], 1 + rnd(60000),
			    rnd(2) ? LEDGER_IMPORT : LEDGER_RULE, NULL, &cause);
			if (rc != DUN_OK) {
				assert_int_equal(rc, DUN_EDATA);
				free(cause);
				cause = NULL;
				assert_int_equal(fixture_int(f, "SELECT count(*) FROM allocation"), before);
			}
		}
	}
	for (int k = ninv > 0 ? (int)rnd(10) : 0; k > 0; k--) {
		if (ledger_allocate_credit(f->store, inv_ids[rnd(ninv)], inv_ids[rnd(ninv)], 1 + rnd(20000),
		    LEDGER_IMPORT, NULL, &cause) != DUN_OK) {
			free(cause);
			cause = NULL;
		}
	}
	/* Undo a few allocations, as a collector correcting a match would. */
	for (int k = (int)rnd(3); k > 0; k--) {
		int64_t id = fixture_int(f, "SELECT coalesce(max(id), 0) FROM allocation");
		if (id != 0 && ledger_unallocate(f->store, 1 + rnd(id), "t", BASE + 400, &cause) != DUN_OK) {
			free(cause); /* an id already undone */
			cause = NULL;
		}
	}
	/* Disputes on a quarter of the invoices, whole or partial, some
	 * resolved (then perhaps disputed again). */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(store_db(f->store),
	    "INSERT INTO dispute(invoice_id, amount, reason, opened, resolved) VALUES (?1, ?2, 'billing', ?3, ?4)",
	    -1, &st, NULL), SQLITE_OK);
	for (int i = 0; i < ninv; i++) {
		day_t opened = BASE + (day_t)rnd(400);
		for (int k = rnd(4) == 0 ? 1 + (int)rnd(2) : 0; k > 0; k--) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, inv_ids[i]);
			if (rnd(2))
				sqlite3_bind_int64(st, 2, 1 + rnd(30000));
			else
				sqlite3_bind_null(st, 2);
			sqlite3_bind_text(st, 3, iso(opened, a), -1, SQLITE_TRANSIENT);
			day_t resolved = opened + (day_t)rnd(60);
			if (k > 1)
				sqlite3_bind_text(st, 4, iso(resolved, b), -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, 4);
			assert_int_equal(sqlite3_step(st), SQLITE_DONE);
			opened = resolved + (day_t)rnd(30);
		}
	}
	sqlite3_finalize(st);
	fixture_exec(f, "COMMIT");
}

/* Reads the raw rows back: the direct definition works from these. */
static void read_model(struct fixture *f, struct model *m)
{
	sqlite3 *db = store_db(f->store);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT id, customer_id, issue_date, due_date, amount, kind = 'credit_note' FROM invoice", -1, &st, NULL), 0);
	for (m->ninv = 0; sqlite3_step(st) == SQLITE_ROW; m->ninv++) {
		m->inv[m->ninv].id = sqlite3_column_int64(st, 0);
		m->inv[m->ninv].customer = sqlite3_column_int64(st, 1);
		m->inv[m->ninv].issue = store_column_date(st, 2);
		m->inv[m->ninv].due = store_column_date(st, 3);
		m->inv[m->ninv].amount = sqlite3_column_int64(st, 4);
		m->inv[m->ninv].credit = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT id, coalesce(customer_id, 0), date, amount FROM payment", -1, &st, NULL), 0);
	for (m->npay = 0; sqlite3_step(st) == SQLITE_ROW; m->npay++) {
		m->pay[m->npay].id = sqlite3_column_int64(st, 0);
		m->pay[m->npay].customer = sqlite3_column_int64(st, 1);
		m->pay[m->npay].date = store_column_date(st, 2);
		m->pay[m->npay].amount = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT invoice_id, coalesce(payment_id, 0), coalesce(credit_id, 0), amount, date FROM allocation",
	    -1, &st, NULL), 0);
	for (m->nalloc = 0; sqlite3_step(st) == SQLITE_ROW; m->nalloc++) {
		assert_true(m->nalloc < MAXA);
		m->alloc[m->nalloc].invoice = sqlite3_column_int64(st, 0);
		m->alloc[m->nalloc].payment = sqlite3_column_int64(st, 1);
		m->alloc[m->nalloc].credit = sqlite3_column_int64(st, 2);
		m->alloc[m->nalloc].amount = sqlite3_column_int64(st, 3);
		m->alloc[m->nalloc].date = store_column_date(st, 4);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT invoice_id, opened, resolved, coalesce(amount, -1) FROM dispute", -1, &st, NULL), 0);
	for (m->ndisp = 0; sqlite3_step(st) == SQLITE_ROW; m->ndisp++) {
		assert_true(m->ndisp < MAXI * 2);
		m->disp[m->ndisp].invoice = sqlite3_column_int64(st, 0);
		m->disp[m->ndisp].opened = store_column_date(st, 1);
		m->disp[m->ndisp].resolved = store_column_date(st, 2);
		m->disp[m->ndisp].amount = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
}

/* Expected sums per customer slot (index in m->cust, MAXC = unidentified). */
struct expect {
	money_t bucket[AGING_MAX_BUCKETS], unapplied, total, disputed, balance;
};

static int slot_of(const struct model *m, int64_t customer)
{
	for (int i = 0; i < m->ncust; i++)
		if (m->cust[i] == customer)
			return i;
	return MAXC;
}

/* The direct definition, from the raw rows. */
static void expect_at(const struct model *m, const struct aging_options *o, struct expect *e)
{
	memset(e, 0, sizeof *e * (MAXC + 1));
	for (int i = 0; i < m->ninv; i++) {
		if (m->inv[i].issue > o->as_of)
			continue;
		money_t open = m->inv[i].amount;
		for (int k = 0; k < m->nalloc; k++) {
			if (m->alloc[k].date > o->as_of)
				continue;
			if (m->alloc[k].invoice == m->inv[i].id)
				open -= m->alloc[k].amount;
			if (m->alloc[k].credit == m->inv[i].id)
				open += m->alloc[k].amount;
		}
		struct expect *x = &e[slot_of(m, m->inv[i].customer)];
		x->balance += m->inv[i].amount;
		x->total += open;
		if (m->inv[i].credit) {
			x->unapplied += open;
			continue;
		}
		day_t from = o->basis_invoice ? m->inv[i].issue : m->inv[i].due;
		x->bucket[aging_bucket_for(o->as_of - from, o->edges, o->nedges)] += open;
		for (int d = 0; d < m->ndisp; d++)
			if (m->disp[d].invoice == m->inv[i].id && m->disp[d].opened <= o->as_of &&
			    (m->disp[d].resolved == DATE_NONE || m->disp[d].resolved > o->as_of))
				x->disputed += m->disp[d].amount < 0 || m->disp[d].amount > open ? open : m->disp[d].amount;
	}
	for (int p = 0; p < m->npay; p++) {
		if (m->pay[p].date > o->as_of)
			continue;
		money_t unapplied = m->pay[p].amount;
		for (int k = 0; k < m->nalloc; k++)
			if (m->alloc[k].payment == m->pay[p].id && m->alloc[k].date <= o->as_of)
				unapplied -= m->alloc[k].amount;
		struct expect *x = &e[slot_of(m, m->pay[p].customer)];
		x->balance -= m->pay[p].amount;
		x->unapplied -= unapplied;
		x->total -= unapplied;
	}
}

static void check_row(const struct aging_row *row, const struct expect *x, int nbuckets, const char *what)
{
	for (int b = 0; b < nbuckets; b++)
		if (row->bucket[b] != x->bucket[b])
			fail_msg("%s: bucket %d: %lld, expected %lld", what, b, (long long)row->bucket[b],
			    (long long)x->bucket[b]);
	if (row->unapplied != x->unapplied || row->total != x->total || row->disputed != x->disputed)
		fail_msg("%s: unapplied/total/disputed %lld/%lld/%lld, expected %lld/%lld/%lld", what,
		    (long long)row->unapplied, (long long)row->total, (long long)row->disputed,
		    (long long)x->unapplied, (long long)x->total, (long long)x->disputed);
	/* The receivable balance: invoices and credit notes issued, minus
	 * payments received, by D. */
	if (row->total != x->balance)
		fail_msg("%s: total %lld is not the receivable balance %lld", what, (long long)row->total,
		    (long long)x->balance);
}

static void random_options(struct aging_options *o)
{
	aging_options_default(o);
	o->as_of = BASE - 10 + (day_t)rnd(520);
	o->basis_invoice = rnd(3) == 0;
	if (rnd(2)) {
		o->nedges = 1 + (int)rnd(AGING_MAX_EDGES);
		for (int i = 0, e = 0; i < o->nedges; i++)
			o->edges[i] = e += 1 + (int)rnd(40);
	}
}

static void test_property(void **state)
{
	struct fixture *f = *state;
	static struct model m;
	struct expect e[MAXC + 1];
	char *cause = NULL, what[128];
	long cases = 0;
	for (int ledger = 0; ledger < 150; ledger++) {
		rng_state = 0x9E3779B97F4A7C15ULL + (uint64_t)ledger * 7919;
		build_ledger(f, &m);
		read_model(f, &m);
		for (int t = 0; t < 12; t++) {
			struct aging_options o;
			random_options(&o);
			expect_at(&m, &o, e);
			struct aging_row *rows;
			int n;

			/* By customer: one row per customer with something open. */
			assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_OK);
			int seen = 0;
			for (int s = 0; s <= MAXC; s++) {
				const struct expect *x = &e[s];
				bool any = x->total || x->unapplied || x->disputed;
				for (int b = 0; b < o.nedges + 2; b++)
					any |= x->bucket[b] != 0;
				int64_t id = s == MAXC ? 0 : s < m.ncust ? m.cust[s] : -1;
				const struct aging_row *row = NULL;
				for (int r = 0; r < n; r++)
					if (rows[r].customer_id == id)
						row = &rows[r];
				snprintf(what, sizeof what, "ledger %d date %d customer %lld", ledger, o.as_of, (long long)id);
				if (!any) {
					if (row != NULL && id >= 0)
						check_row(row, x, o.nedges + 2, what);
					continue;
				}
				if (row == NULL)
					fail_msg("%s: missing row", what);
				check_row(row, x, o.nedges + 2, what);
				seen++;
				cases++;
			}
			for (int r = 1; r < n; r++)
				assert_true(strcmp(rows[r - 1].key, rows[r].key) < 0);
			assert_int_equal(n, seen);
			aging_free(rows, n);

			/* Overall, and one customer alone. */
			struct expect all = {0};
			for (int s = 0; s <= MAXC; s++) {
				for (int b = 0; b < AGING_MAX_BUCKETS; b++)
					all.bucket[b] += e[s].bucket[b];
				all.unapplied += e[s].unapplied;
				all.total += e[s].total;
				all.disputed += e[s].disputed;
				all.balance += e[s].balance;
			}
			o.by = rnd(2) ? AGING_BY_TOTAL : rnd(2) ? AGING_BY_SEGMENT : AGING_BY_COLLECTOR;
			assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_OK);
			struct aging_row sum = {0};
			for (int r = 0; r < n; r++) {
				for (int b = 0; b < AGING_MAX_BUCKETS; b++)
					sum.bucket[b] += rows[r].bucket[b];
				sum.unapplied += rows[r].unapplied;
				sum.total += rows[r].total;
				sum.disputed += rows[r].disputed;
			}
			if (o.by == AGING_BY_TOTAL)
				assert_int_equal(n, 1);
			snprintf(what, sizeof what, "ledger %d date %d by %d", ledger, o.as_of, o.by);
			check_row(&sum, &all, o.nedges + 2, what);
			aging_free(rows, n);
			cases++;

			/* Each customer alone: its own items and allocations,
			 * read through its index, among the others'. */
			o.by = AGING_BY_CUSTOMER;
			for (int s = 0; s < m.ncust; s++) {
				o.customer_id = m.cust[s];
				assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_OK);
				assert_true(n <= 1);
				/* No row: nothing open, all zero. */
				static const struct aging_row zero;
				snprintf(what, sizeof what, "ledger %d date %d customer %lld alone", ledger, o.as_of,
				    (long long)m.cust[s]);
				check_row(n == 1 ? &rows[0] : &zero, &e[s], o.nedges + 2, what);
				aging_free(rows, n);
				cases++;
			}
		}
	}
	print_message("# %ld aging rows checked against the direct definition\n", cases);
}

/* Base-currency conversion at the latest rate on or before D, rounded once
 * per figure; a missing rate names the currency and the date. */
static void test_currency(void **state)
{
	struct fixture *f = *state;
	int64_t c = fixture_customer(f, "ACME", "", "");
	/* Three USD 0.05 at 1.1: 0.055 each. Rounded each, 3 x 0.06 = 0.18;
	 * rounded once, 0.165 -> 0.17. */
	fixture_invoice(f, c, "U1", "2025-01-10", "2025-02-01", "USD", 5);
	fixture_invoice(f, c, "U2", "2025-01-10", "2025-02-01", "USD", 5);
	fixture_invoice(f, c, "U3", "2025-01-10", "2025-02-01", "USD", 5);
	/* JPY 1000 at 0.0061 = EUR 6.10, in 31-60 as of 2025-02-20. */
	fixture_invoice(f, c, "J1", "2025-01-01", "2025-01-05", "JPY", 1000);
	fixture_invoice(f, c, "E1", "2025-02-01", "2025-03-01", "EUR", 12345);
	fixture_exec(f, "INSERT INTO rate VALUES ('USD', '2025-01-01', '1.2', 1200000000),"
	    " ('USD', '2025-02-01', '1.1', 1100000000), ('USD', '2025-03-01', '1.0', 1000000000),"
	    " ('JPY', '2025-01-01', '0.0061', 6100000)");
	struct aging_options o;
	aging_options_default(&o);
	o.as_of = date_from_ymd(2025, 2, 20);
	struct aging_row *rows;
	int n;
	char *cause = NULL;
	assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].currency, "EUR");
	assert_string_equal(rows[0].key, "ACME");
	assert_string_equal(rows[0].name, "ACME Ltd");
	assert_int_equal(rows[0].bucket[0], 12345);
	assert_int_equal(rows[0].bucket[1], 17);
	assert_int_equal(rows[0].bucket[2], 610);
	assert_int_equal(rows[0].total, 12345 + 17 + 610);
	aging_free(rows, n);

	o.currency = "USD";
	assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].currency, "USD");
	assert_int_equal(rows[0].bucket[1], 15);
	assert_int_equal(rows[0].total, 15);
	aging_free(rows, n);

	o.currency = NULL;
	o.as_of = date_from_ymd(2024, 12, 31);
	assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_OK); /* nothing issued yet */
	assert_int_equal(n, 0);
	aging_free(rows, n);
	fixture_exec(f, "DELETE FROM rate WHERE currency = 'JPY'");
	o.as_of = date_from_ymd(2025, 2, 20);
	assert_int_equal(aging_compute(f->store, &o, &rows, &n, &cause), DUN_EDATA);
	assert_null(rows);
	assert_non_null(strstr(cause, "\"JPY\""));
	assert_non_null(strstr(cause, "2025-02-20"));
	free(cause);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_for),
		cmocka_unit_test_setup_teardown(test_currency, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_property, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
