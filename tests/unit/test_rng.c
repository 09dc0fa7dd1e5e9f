/* The demo's random generator: the same seed and stream give the same
 * numbers (every demo ledger depends on it), streams are independent, and
 * the helpers stay within their bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "rng.h"

static void test_replay(void **state)
{
	(void)state;
	struct rng a, b, c;
	rng_seed(&a, 42, 7);
	rng_seed(&b, 42, 7);
	rng_seed(&c, 42, 8);
	int same = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rng_next(&a);
		assert_true(x == rng_next(&b));
		same += x == rng_next(&c);
	}
	assert_int_equal(same, 0);
}

/* Pinned: changing the generator changes every demo ledger and the demo
 * CLI test's figures. */
static void test_pinned(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 1, 0);
	assert_true(rng_next(&r) == UINT64_C(0xef75d62a19ba94ed));
}

static void test_bounds(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 3, 0);
	int seen[7] = {0};
	for (int i = 0; i < 20000; i++) {
		int64_t v = rng_range(&r, -3, 3);
		assert_true(v >= -3 && v <= 3);
		seen[v + 3]++;
		double u = rng_unit(&r);
		assert_true(u >= 0.0 && u < 1.0);
		int64_t f = rng_lognormal_permille(&r, 2.0);
		assert_true(f >= 1 && f <= 50000);
		assert_true(rng_poisson(&r, 2.5) >= 0);
	}
	for (int i = 0; i < 7; i++)
		assert_true(seen[i] > 2000 && seen[i] < 3700); /* about 2857 each */
	assert_true(rng_range(&r, 5, 5) == 5);
}

static void test_chance_and_pick(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 9, 1);
	static const int weights[] = { 0, 3, 0, 1 };
	int hits = 0, picks[4] = {0};
	for (int i = 0; i < 10000; i++) {
		assert_false(rng_chance(&r, 0));
		assert_true(rng_chance(&r, 1000));
		hits += rng_chance(&r, 250);
		picks[rng_pick(&r, weights, 4)]++;
	}
	assert_true(hits > 2200 && hits < 2800);
	assert_int_equal(picks[0], 0);
	assert_int_equal(picks[2], 0);
	assert_true(picks[1] > 2 * picks[3]);
}

static void test_poisson_mean(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 11, 2);
	long small = 0, large = 0;
	for (int i = 0; i < 10000; i++) {
		small += rng_poisson(&r, 1.5);
		large += rng_poisson(&r, 40);
	}
	assert_true(small > 14000 && small < 16000);
	assert_true(large > 390000 && large < 410000);
	assert_int_equal(rng_poisson(&r, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_chance_and_pick),
		cmocka_unit_test(test_poisson_mean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
