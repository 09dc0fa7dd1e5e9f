/* Rates are looked up once per currency and kept as an exact factor:
 * rate_e9 * 10^(4 + target exponent - source exponent), so scaling is one
 * integer multiplication and never loses a digit. */
#include "fx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"
#include "xalloc.h"

#define FX_MAX_CURRENCIES 64 /* ISO 4217 has ~180; a ledger meets a handful */

struct fx_rate {
	char currency[4];
	fx_value factor;
};

struct fx {
	struct store *store;
	char target[4];
	int exponent;
	day_t date;
	struct fx_rate rates[FX_MAX_CURRENCIES];
	int nrates;
	int last; /* index of the last hit: ledgers are mostly one currency */
};

struct fx *fx_new(struct store *s, const char *target, day_t date)
{
	struct fx *f = xcalloc(1, sizeof *f);
	f->store = s;
	snprintf(f->target, sizeof f->target, "%s", target);
	f->exponent = money_exponent(target);
	if (f->exponent < 0)
		f->exponent = 2;
	f->date = date;
	memcpy(f->rates[0].currency, f->target, sizeof f->target);
	f->rates[0].factor = FX_SCALE;
	f->nrates = 1;
	return f;
}

void fx_free(struct fx *f) { free(f); }
const char *fx_target(const struct fx *f) { return f->target; }
int fx_exponent(const struct fx *f) { return f->exponent; }

static fx_value pow10(int n)
{
	fx_value v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

/* Appends currency's factor to the table. */
static int lookup(struct fx *f, const char *currency, char **cause)
{
	char date[DATE_TEXT_MAX];
	int exponent = money_exponent(currency);
	if (exponent < 0)
		return dun_fail(cause, DUN_EDATA, "currency \"%s\": not an ISO 4217 currency", currency);
	if (f->nrates == FX_MAX_CURRENCIES)
		return dun_fail(cause, DUN_EDATA, "currency \"%s\": more than %d currencies in one report",
		    currency, FX_MAX_CURRENCIES);
	sqlite3_stmt *st = store_stmt(f->store,
	    "SELECT rate_e9 FROM rate WHERE currency = ?1 AND date <= ?2 ORDER BY date DESC LIMIT 1");
	store_bind_text(st, 1, currency);
	store_bind_date(st, 2, f->date);
	int rc = sqlite3_step(st);
	int64_t rate_e9 = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(f->store, "read exchange rates", cause);
	if (rc == SQLITE_DONE)
		return dun_fail(cause, DUN_EDATA,
		    "currency \"%s\": no exchange rate to %s on or before %s (import one with `dun import rates`)",
		    currency, f->target, date_format_iso(f->date, date));
	struct fx_rate *r = &f->rates[f->nrates];
	memcpy(r->currency, currency, 3);
	r->currency[3] = '\0';
	/* 4 + target - source is 0..8 for exponents 0..4. */
	r->factor = (fx_value)rate_e9 * pow10(4 + f->exponent - exponent);
	f->nrates++;
	return DUN_OK;
}

/* The index of currency's factor, looked up on first use. */
static int factor_of(struct fx *f, const char *currency, int *index, char **cause)
{
	int i = f->last;
	if (strcmp(f->rates[i].currency, currency) != 0) {
		for (i = 0; i < f->nrates && strcmp(f->rates[i].currency, currency) != 0; i++)
			;
		if (i == f->nrates) {
			int rc = lookup(f, currency, cause);
			if (rc != DUN_OK)
				return rc;
		}
		f->last = i;
	}
	*index = i;
	return DUN_OK;
}

int fx_scale(struct fx *f, const char *currency, money_t amount, fx_value *out, char **cause)
{
	int i, rc = factor_of(f, currency, &i, cause);
	if (rc == DUN_OK)
		*out = (fx_value)amount * f->rates[i].factor;
	return rc;
}

/* value / den rounded half away from zero; den > 0. */
static money_t round_div(fx_value value, fx_value den)
{
	fx_value q = value / den, r = value % den;
	if ((r < 0 ? -r : r) * 2 >= den)
		q += value < 0 ? -1 : 1;
	return (money_t)q;
}

int fx_unscale(struct fx *f, const char *currency, fx_value value, money_t *out, char **cause)
{
	int i, rc = factor_of(f, currency, &i, cause);
	if (rc == DUN_OK)
		*out = round_div(value, f->rates[i].factor);
	return rc;
}

money_t fx_round(fx_value value, int64_t divisor)
{
	return round_div(value, (fx_value)FX_SCALE * divisor);
}
