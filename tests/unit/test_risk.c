/* Risk, call list and forecast on small ledgers whose right answer can be
 * argued by hand: monthly invoices of 1,000.00 due 30 days after issue,
 * paid a fixed number of days late. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <poll.h>
#include "background.h"
#include "calllist.h"
#include "config.h"
#include "demo.h"
#include "forecast.h"
#include "ledger.h"
#include "ledger_fixture.h"
#include "risk.h"
#include "status.h"

static day_t today;

static const char *iso(day_t d)
{
	static char buf[8][DATE_TEXT_MAX];
	static int next;
	next = (next + 1) % 8;
	return date_format_iso(d, buf[next]);
}

static void pay(struct fixture *f, int64_t customer, int64_t invoice, day_t date, money_t amount)
{
	static int n;
	char ref[32], *cause = NULL;
	snprintf(ref, sizeof ref, "P%d", ++n);
	int64_t p = fixture_payment(f, customer, ref, iso(date), "EUR", amount);
	if (ledger_allocate_payment(f->store, p, invoice, amount, LEDGER_IMPORT, NULL, &cause) != DUN_OK)
		fail_msg("allocate: %s", cause);
}

/* n monthly invoices from `start`, each paid `late` days after its due
 * date when that is before today; the later ones stay open. */
static int64_t payer(struct fixture *f, const char *code, const char *segment, day_t start, int n, int late)
{
	int64_t c = fixture_customer(f, code, segment, "alice");
	for (int k = 0; k < n; k++) {
		char number[32];
		snprintf(number, sizeof number, "%s-%d", code, k + 1);
		day_t issue = start + 30 * k;
		int64_t inv = fixture_invoice(f, c, number, iso(issue), NULL, "EUR", 100000);
		if (issue + 30 + late < today)
			pay(f, c, inv, issue + 30 + late, 100000);
	}
	return c;
}

static int stored_score(struct fixture *f, int64_t customer)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT score FROM risk WHERE customer_id = %lld", (long long)customer);
	return (int)fixture_int(f, sql);
}

static void score_all(struct fixture *f)
{
	char *cause = NULL;
	if (risk_score_all(f->store, today, NULL, NULL, NULL, NULL, &cause) != DUN_OK)
		fail_msg("score: %s", cause);
}

static void test_late_payer_scores_worse(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t prompt = payer(&f, "PROMPT", "trade", date_from_ymd(2025, 1, 1), 15, 0);
	int64_t late = payer(&f, "LATE", "trade", date_from_ymd(2025, 1, 1), 15, 60);
	score_all(&f);
	int sp = stored_score(&f, prompt), sl = stored_score(&f, late);
	assert_true(sl > sp + 30);
	assert_int_equal(fixture_int(&f, "SELECT (SELECT class FROM risk WHERE customer_id = 2)"
	    " > (SELECT class FROM risk WHERE customer_id = 1)"), 1);
	/* the late payer's profile and its learned delay */
	assert_int_equal(fixture_int(&f, "SELECT expected_delay > 40 FROM risk WHERE customer_id = 2"), 1);
	assert_int_equal(fixture_int(&f, "SELECT profile = 'prompt' FROM risk WHERE customer_id = 1"), 1);
	assert_int_equal(fixture_int(&f, "SELECT factors LIKE 'days_late=+%' OR factors LIKE '%late_share=+%' FROM risk WHERE customer_id = 2"), 1);
	fixture_close(&f);
}

static void test_broken_promise_raises_score(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t c = payer(&f, "SLOW", "trade", date_from_ymd(2025, 1, 1), 15, 10);
	score_all(&f);
	int before = stored_score(&f, c);
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO promise (customer_id, amount, currency, made_date, promised_date, status, settled_date)"
	    " VALUES (%lld, 100000, 'EUR', '%s', '%s', 'broken', '%s')", (long long)c, iso(today - 20), iso(today - 10), iso(today - 8));
	fixture_exec(&f, sql);
	score_all(&f);
	int after = stored_score(&f, c);
	assert_true(after > before);
	fixture_close(&f);
}

static void test_thin_history_shrinks_to_segment(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	payer(&f, "R1", "retail", date_from_ymd(2025, 1, 1), 10, 40);
	payer(&f, "R2", "retail", date_from_ymd(2025, 1, 1), 10, 40);
	payer(&f, "R3", "retail", date_from_ymd(2025, 1, 1), 10, 40);
	int64_t fresh = payer(&f, "NEW", "retail", date_from_ymd(2026, 3, 1), 1, 0);
	struct risk_history *h;
	char *cause = NULL;
	assert_int_equal(risk_history_load(f.store, today, NULL, 0, NULL, NULL, &h, &cause), DUN_OK);
	struct risk_features x;
	risk_features_at(h, NULL, risk_history_find(h, fresh), today + 1, &x);
	/* one invoice paid on time against a segment 40 days late: three
	 * quarters of the way to the segment */
	assert_true(x.x[RISK_F_days_late] > 25 && x.x[RISK_F_days_late] <= 30);
	assert_true(x.x[RISK_F_thin_history] == 0.75);
	assert_true(x.delay > 25 && x.delay <= 30);
	risk_history_free(h);
	fixture_close(&f);
}

static void test_auc(void **state)
{
	(void)state;
	double s[] = {1, 2, 3, 4};
	unsigned char perfect[] = {0, 0, 1, 1}, mixed[] = {0, 1, 0, 1};
	assert_true(risk_auc(s, perfect, 4) == 1.0);
	assert_true(risk_auc(s, mixed, 4) == 0.75);
	double tie[] = {1, 1, 1, 1};
	assert_true(risk_auc(tie, mixed, 4) == 0.5);
}

/* The payer profiles learned from the demo ledger against the behaviours
 * it simulated. */
struct truth {
	char behaviour[400][16];
};

static void record_behaviour(void *arg, const char *code, const char *behaviour)
{
	struct truth *t = arg;
	snprintf(t->behaviour[atoi(code + 1) - 1], sizeof t->behaviour[0], "%s", behaviour);
}

static void test_profiles_recover_demo_behaviours(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	static struct truth truth;
	struct demo_options o = {
		.customers = 400, .seed = 7, .today = today, .base_currency = "EUR",
		.behaviour = record_behaviour, .behaviour_arg = &truth,
	};
	struct demo_counts counts;
	char *cause = NULL, path[128];
	snprintf(path, sizeof path, "%s/demo.db", f.dir);
	if (demo_build(path, &o, &counts, &cause) != DUN_OK)
		fail_msg("demo: %s", cause);
	struct store *s;
	if (store_open(path, 0, &s, &cause) != DUN_OK ||
	    risk_score_all(s, today, NULL, NULL, NULL, NULL, &cause) != DUN_OK)
		fail_msg("score: %s", cause);
	static const char sql[] = "SELECT c.code, r.profile FROM customer c JOIN risk r ON r.customer_id = c.id";
	sqlite3_stmt *st = store_stmt(s, sql);
	int n = 0, agree = 0, defaulting = 0, defaulting_risky = 0, risky = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *want = truth.behaviour[atoi(store_column_text(st, 0) + 1) - 1];
		const char *got = store_column_text(st, 1);
		bool is_default = strcmp(want, "defaulting") == 0;
		n++;
		risky += strcmp(got, "risky") == 0;
		defaulting += is_default;
		defaulting_risky += is_default && strcmp(got, "risky") == 0;
		agree += strcmp(got, is_default ? "risky" : want) == 0;
	}
	sqlite3_reset(st);
	store_close(s);
	print_message("# profiles: %d of %d agree with the simulated behaviour; %d of %d defaulting customers risky,"
	    " %d risky in all\n", agree, n, defaulting_risky, defaulting, risky);
	assert_int_equal(n, 400);
	assert_true(agree * 100 >= n * 70);
	/* most defaulting customers are caught, and most caught are defaulting */
	assert_true(defaulting_risky * 100 >= defaulting * 55);
	assert_true(defaulting_risky * 100 >= risky * 70);
	fixture_close(&f);
}

static void set_risk(struct fixture *f, int64_t c, int score)
{
	char sql[200];
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO risk (customer_id, score, class, computed_at)"
	    " VALUES (%lld, %d, '%c', 'now')", (long long)c, score, risk_class_for(score));
	fixture_exec(f, sql);
}

static void test_calllist_order_and_reasons(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	char sql[300];
	int64_t big = fixture_customer(&f, "BIG", "", "alice");
	fixture_invoice(&f, big, "B1", iso(today - 70), iso(today - 40), "EUR", 1000000);
	set_risk(&f, big, 50);
	int64_t broke = fixture_customer(&f, "BROKE", "", "alice");
	fixture_invoice(&f, broke, "K1", iso(today - 50), iso(today - 20), "EUR", 50000);
	set_risk(&f, broke, 30);
	snprintf(sql, sizeof sql, "INSERT INTO promise (customer_id, amount, currency, made_date, promised_date, status, settled_date)"
	    " VALUES (%lld, 50000, 'EUR', '%s', '%s', 'broken', '%s')", (long long)broke, iso(today - 10), iso(today - 4), iso(today - 1));
	fixture_exec(&f, sql);
	int64_t limit = fixture_customer(&f, "LIMIT", "", "bob");
	fixture_exec(&f, "UPDATE customer SET credit_limit = 100000 WHERE code = 'LIMIT'");
	fixture_invoice(&f, limit, "L1", iso(today - 10), iso(today + 20), "EUR", 200000);
	set_risk(&f, limit, 10);
	int64_t called = fixture_customer(&f, "CALLED", "", "alice");
	fixture_invoice(&f, called, "C1", iso(today - 80), iso(today - 50), "EUR", 2000000);
	set_risk(&f, called, 60);
	snprintf(sql, sizeof sql, "INSERT INTO activity (customer_id, date, kind, text) VALUES (%lld, '%s', 'call', 'no answer')",
	    (long long)called, iso(today));
	fixture_exec(&f, sql);
	int64_t risky = fixture_customer(&f, "RISKY", "", "bob");
	fixture_invoice(&f, risky, "R1", iso(today - 27), iso(today + 3), "EUR", 1240000);
	set_risk(&f, risky, 80);
	int64_t quiet = fixture_customer(&f, "QUIET", "", "bob");
	fixture_invoice(&f, quiet, "Q1", iso(today - 5), iso(today + 25), "EUR", 100000);
	set_risk(&f, quiet, 5);
	/* overdue, but the money came in and waits to be matched: no call */
	int64_t sent = fixture_customer(&f, "SENT", "", "bob");
	fixture_invoice(&f, sent, "S1", iso(today - 60), iso(today - 30), "EUR", 300000);
	fixture_payment(&f, sent, "WIRE-S1", iso(today - 2), "EUR", 300000);
	set_risk(&f, sent, 50);

	struct config cfg;
	config_defaults(&cfg);
	struct calllist_options o = { .today = today };
	struct calllist_row *rows;
	int n;
	char *cause = NULL;
	assert_int_equal(calllist_build(f.store, &cfg, &o, &rows, &n, &cause), DUN_OK);
	static const char *const order[] = { "BIG", "RISKY", "BROKE", "LIMIT", "CALLED" };
	static const char *const reasons[] = {
		"40 days overdue", "high risk, 12,400.00 due in 3 days", "promise broken; 20 days overdue",
		"over limit", "50 days overdue; called today",
	};
	assert_int_equal(n, 5);
	for (int i = 0; i < n; i++) {
		assert_int_equal(rows[i].rank, i + 1);
		assert_string_equal(rows[i].code, order[i]);
		assert_string_equal(rows[i].reasons, reasons[i]);
	}
	assert_true(rows[4].called_today);
	calllist_free(rows, n);

	/* one collector's list, limited */
	o.collector = "bob";
	o.limit = 1;
	assert_int_equal(calllist_build(f.store, &cfg, &o, &rows, &n, &cause), DUN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].code, "RISKY");
	calllist_free(rows, n);

	/* a payment after the call is news: CALLED comes back up */
	snprintf(sql, sizeof sql, "INSERT INTO activity (customer_id, date, kind, text) VALUES (%lld, '%s', 'payment', 'part')",
	    (long long)called, iso(today));
	fixture_exec(&f, sql);
	o.collector = NULL;
	o.limit = 0;
	assert_int_equal(calllist_build(f.store, &cfg, &o, &rows, &n, &cause), DUN_OK);
	assert_string_equal(rows[0].code, "CALLED");
	assert_string_equal(rows[0].reasons, "50 days overdue");
	calllist_free(rows, n);
	config_free(&cfg);
	fixture_close(&f);
}

static void test_forecast_buckets(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	/* six invoices paid 14 days late: the learned delay is 14 days */
	int64_t c = payer(&f, "TWO", "", today - 400, 6, 14);
	int64_t x = fixture_invoice(&f, c, "X", iso(today - 27), iso(today + 3), "EUR", 10000);
	int64_t y = fixture_invoice(&f, c, "Y", iso(today - 20), iso(today + 10), "EUR", 20000);
	int64_t z = fixture_invoice(&f, c, "Z", iso(today - 25), iso(today + 5), "EUR", 40000);
	(void)x;
	char sql[300];
	snprintf(sql, sizeof sql, "INSERT INTO dispute (invoice_id, reason, opened) VALUES (%lld, 'billing', '%s')",
	    (long long)y, iso(today - 1));
	fixture_exec(&f, sql);
	snprintf(sql, sizeof sql, "INSERT INTO promise (id, customer_id, amount, currency, made_date, promised_date)"
	    " VALUES (1, %lld, 40000, 'EUR', '%s', '%s'); INSERT INTO promise_invoice VALUES (1, %lld)",
	    (long long)c, iso(today - 2), iso(today + 20), (long long)z);
	fixture_exec(&f, sql);
	struct forecast fc;
	char *cause = NULL;
	assert_int_equal(forecast_compute(f.store, today, today, 5, false, "EUR", &fc, &cause), DUN_OK);
	/* X: due +3, 14 days late: day +17, week 3. Z: promised day +20,
	 * week 3. Y: disputed, day +24, week 4, apart. */
	money_t expected[5] = { 0, 0, 50000, 0, 0 }, disputed[5] = { 0, 0, 0, 20000, 0 };
	money_t naive[5] = { 50000, 20000, 0, 0, 0 };
	for (int k = 0; k < 5; k++) {
		assert_int_equal(fc.week[k].first, today + 1 + 7 * k);
		assert_int_equal(fc.week[k].expected, expected[k]);
		assert_int_equal(fc.week[k].disputed, disputed[k]);
		assert_int_equal(fc.week[k].naive, naive[k]);
	}
	forecast_free(&fc);
	fixture_close(&f);
}

/* Waits (at most ten seconds) for the job's last event, as the UI would:
 * poll the fd, then drain the queue. */
static enum background_event_kind wait_job(struct background *bg, int *progress_events)
{
	for (int spins = 0; spins < 1000; spins++) {
		struct pollfd p = { .fd = background_fd(bg), .events = POLLIN };
		poll(&p, 1, 10);
		struct background_event ev;
		while (background_poll(bg, &ev)) {
			enum background_event_kind kind = ev.kind;
			if (kind == BACKGROUND_FAILED)
				print_message("# %s\n", ev.message);
			background_event_clear(&ev);
			if (kind == BACKGROUND_PROGRESS)
				(*progress_events)++;
			else
				return kind;
		}
	}
	fail_msg("the background job never finished");
	return BACKGROUND_FAILED;
}

static void test_background_rescores(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	payer(&f, "PROMPT", "trade", date_from_ymd(2025, 1, 1), 15, 0);
	int64_t late = payer(&f, "LATE", "trade", date_from_ymd(2025, 1, 1), 15, 60);
	struct background *bg;
	char *cause = NULL;
	assert_int_equal(background_start(f.path, today, &bg, &cause), DUN_OK);
	int progress = 0;
	background_rescore_all(bg);
	assert_int_equal(wait_job(bg, &progress), BACKGROUND_DONE);
	assert_true(progress > 0);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM risk"), 2);
	/* an edit, then only that customer: its row changes, the other's not */
	fixture_exec(&f, "DELETE FROM risk");
	int64_t twice[] = { late, late }; /* two edits of one customer */
	background_rescore_customers(bg, twice, 2);
	assert_int_equal(wait_job(bg, &progress), BACKGROUND_DONE);
	assert_int_equal(fixture_int(&f, "SELECT count(*) FROM risk"), 1);
	assert_int_equal(fixture_int(&f, "SELECT score > 50 FROM risk"), 1);
	/* the same score as the full run's, not its history counted twice */
	int partial = (int)fixture_int(&f, "SELECT score FROM risk");
	background_rescore_all(bg);
	assert_int_equal(wait_job(bg, &progress), BACKGROUND_DONE);
	assert_int_equal(stored_score(&f, late), partial);
	background_stop(bg);
	fixture_close(&f);
}

int main(void)
{
	today = date_from_ymd(2026, 6, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_late_payer_scores_worse),
		cmocka_unit_test(test_broken_promise_raises_score),
		cmocka_unit_test(test_thin_history_shrinks_to_segment),
		cmocka_unit_test(test_auc),
		cmocka_unit_test(test_profiles_recover_demo_behaviours),
		cmocka_unit_test(test_calllist_order_and_reasons),
		cmocka_unit_test(test_forecast_buckets),
		cmocka_unit_test(test_background_rescores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
