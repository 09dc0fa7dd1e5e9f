/* A small deterministic pseudo-random generator (xoshiro256**, seeded
 * through splitmix64) for synthetic data: the same seed gives the same
 * numbers on every platform, which rand() does not promise. Not for
 * anything secret. */
#ifndef DUN_RNG_H
#define DUN_RNG_H
#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Seeds a generator from a seed and a stream number, so independent
 * streams (one per customer, say) can be replayed in any order. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* Uniform integer in [lo, hi] (lo <= hi), without modulo bias. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* True with probability permille / 1000 (15 means 1.5 %). */
bool rng_chance(struct rng *r, int permille);
/* One of n items, item i with weight weights[i] (integers, sum > 0). */
int rng_pick(struct rng *r, const int *weights, int n);
/* Uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* Standard normal deviate. */
double rng_gauss(struct rng *r);
/* Poisson-distributed count with the given mean (>= 0). */
int rng_poisson(struct rng *r, double mean);
/* A log-normal factor exp(sigma * N(0,1)) in thousandths (1000 = 1.0),
 * clamped to [1, 50000]: scales integer amounts without floating point
 * touching them (money_muldiv(amount, factor, 1000)). */
int64_t rng_lognormal_permille(struct rng *r, double sigma);
#endif
