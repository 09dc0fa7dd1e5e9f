/* Conversion into one currency at the rates in force on a date (SPEC §2,
 * §6): for each currency the latest imported rate on or before that date.
 * Converted amounts are kept as exact scaled 128-bit values, so a sum of
 * many converted amounts is rounded once, at the end (SPEC §5). */
#ifndef DUN_FX_H
#define DUN_FX_H
#include "date.h"
#include "money.h"
#include "store.h"

/* An amount in the target currency's minor units times FX_SCALE. */
__extension__ typedef __int128 fx_value;
#define FX_SCALE INT64_C(10000000000000) /* rate_e9's 10^9 times 10^4 exponent headroom */

struct fx;

/* Converts into target (a valid currency code) at the rates of date. The
 * caller frees with fx_free. */
struct fx *fx_new(struct store *s, const char *target, day_t date);
void fx_free(struct fx *f);
const char *fx_target(const struct fx *f);
/* The target currency's minor-unit exponent. */
int fx_exponent(const struct fx *f);
/* amount (minor units of currency) as a scaled target value. A currency
 * without a rate on or before the date is DUN_EDATA naming both. */
int fx_scale(struct fx *f, const char *currency, money_t amount, fx_value *out, char **cause);
/* The inverse of fx_scale: value (a scaled target value) in minor units
 * of currency, rounded once, half away from zero; a currency without a
 * rate is DUN_EDATA as with fx_scale. */
int fx_unscale(struct fx *f, const char *currency, fx_value value, money_t *out, char **cause);
/* value / (FX_SCALE * divisor) in target minor units, rounded half away
 * from zero. divisor > 0. */
money_t fx_round(fx_value value, int64_t divisor);
#endif
