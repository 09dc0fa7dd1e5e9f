/* xoshiro256** by Blackman and Vigna (public domain reference algorithm),
 * seeded with splitmix64 as its authors recommend. */
#include "rng.h"
#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	/* Mixing the stream through splitmix64 first keeps neighbouring
	 * streams (customer 7 and 8) unrelated. */
	uint64_t x = stream;
	uint64_t mixed = seed ^ splitmix64(&x);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&mixed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
	if (span == 0) /* the whole 64-bit range */
		return (int64_t)rng_next(r);
	/* Rejection keeps every value equally likely. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % span;
	uint64_t x;
	do
		x = rng_next(r);
	while (x >= limit);
	return (int64_t)((uint64_t)lo + x % span);
}

bool rng_chance(struct rng *r, int permille)
{
	return rng_range(r, 0, 999) < permille;
}

int rng_pick(struct rng *r, const int *weights, int n)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	int64_t x = rng_range(r, 0, total - 1);
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

double rng_gauss(struct rng *r)
{
	/* Box-Muller; one of the pair is dropped to keep the state simple. */
	double u = 1.0 - rng_unit(r); /* (0, 1]: log(u) is finite */
	double v = rng_unit(r);
	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

int rng_poisson(struct rng *r, double mean)
{
	if (mean <= 0)
		return 0;
	if (mean > 30) { /* normal approximation: Knuth's loop gets slow */
		double x = mean + sqrt(mean) * rng_gauss(r) + 0.5;
		return x < 0 ? 0 : (int)x;
	}
	double limit = exp(-mean), p = 1.0;
	int k = 0;
	do {
		k++;
		p *= rng_unit(r);
	} while (p > limit);
	return k - 1;
}

int64_t rng_lognormal_permille(struct rng *r, double sigma)
{
	double f = exp(sigma * rng_gauss(r)) * 1000.0;
	if (f < 1)
		return 1;
	if (f > 50000)
		return 50000;
	return (int64_t)(f + 0.5);
}
