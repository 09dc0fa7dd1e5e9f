/* Money parsing, formatting and checked arithmetic on minor units. */
#include "money.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct currency {
	char code[4];
	signed char exponent;
};

/* ISO 4217 active codes with their minor-unit exponents (sorted, for
 * bsearch). */
static const struct currency currencies[] = {
	{"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
	{"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
	{"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
	{"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHF", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2}, {"COP", 2},
	{"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
	{"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2},
	{"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2},
	{"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
	{"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2},
	{"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2},
	{"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
	{"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2},
	{"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2},
	{"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2},
	{"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2},
	{"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2},
	{"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
	{"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYI", 0}, {"UYU", 2},
	{"UYW", 4}, {"UZS", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2},
	{"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWL", 2},
};

static int currency_compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct currency *)elem)->code);
}

int money_exponent(const char *currency)
{
	if (currency == NULL || strlen(currency) != 3)
		return -1;
	const struct currency *c = bsearch(currency, currencies,
	    sizeof currencies / sizeof currencies[0], sizeof currencies[0], currency_compare);
	return c ? c->exponent : -1;
}

bool money_currency_valid(const char *currency)
{
	return money_exponent(currency) >= 0;
}

static const char nbsp[] = "\xc2\xa0";
static const char narrow_nbsp[] = "\xe2\x80\xaf";

/* Length of a thousands-space at s (plain space, NBSP or narrow NBSP). */
static size_t space_len(const char *s)
{
	if (*s == ' ')
		return 1;
	if (strncmp(s, nbsp, 2) == 0)
		return 2;
	if (strncmp(s, narrow_nbsp, 3) == 0)
		return 3;
	return 0;
}

bool money_parse_row(const char *text, int exponent, enum money_mark mark, money_t *out, const char **why)
{
	if (!money_parse(text, exponent, mark, out, why))
		return false;
	if (*out > MONEY_ROW_MAX || *out < -MONEY_ROW_MAX) {
		*why = "amount too large";
		return false;
	}
	return true;
}

enum money_mark money_detect_mark(const char *text)
{
	const char *last_dot = strrchr(text, '.');
	const char *last_comma = strrchr(text, ',');
	if (last_dot && last_comma)
		return last_dot > last_comma ? MONEY_MARK_DOT : MONEY_MARK_COMMA;
	const char *mark = last_dot ? last_dot : last_comma;
	if (mark == NULL)
		return MONEY_MARK_AUTO;
	/* One separator: "1,234" and "1.234" are ambiguous (thousands or
	 * decimals), unless it occurs twice or is not followed by 3 digits. */
	size_t digits = strspn(mark + 1, "0123456789");
	char sep = *mark;
	if (strchr(text, sep) != mark)
		return sep == '.' ? MONEY_MARK_COMMA : MONEY_MARK_DOT;
	if (digits != 3 || mark[1 + digits] != '\0')
		return sep == '.' ? MONEY_MARK_DOT : MONEY_MARK_COMMA;
	return MONEY_MARK_AUTO;
}

bool money_parse(const char *text, int exponent, enum money_mark mark, money_t *out, const char **why)
{
	const char *s = text;
	bool negative = false;
	if (exponent < 0) {
		*why = "unknown currency";
		return false;
	}
	/* Blanks around the amount are padding (a quoted "5 " in a CSV file). */
	while (*s == ' ' || *s == '\t')
		s++;
	const char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (*s == '-' || *s == '+')
		negative = *s++ == '-';
	if (mark == MONEY_MARK_AUTO)
		mark = money_detect_mark(s);
	if (mark == MONEY_MARK_AUTO)
		mark = MONEY_MARK_DOT;
	char decimal = mark == MONEY_MARK_COMMA ? ',' : '.';
	char group = mark == MONEY_MARK_COMMA ? '.' : ',';

	__int128 value = 0;
	int digits = 0, decimals = 0;
	bool in_decimals = false;
	int group_run = -1; /* digits since the last group separator */
	while (s < end) {
		if (isdigit((unsigned char)*s)) {
			if (in_decimals) {
				if (decimals >= exponent) {
					if (*s != '0') {
						/* *why outlives the call; the import parses on two threads */
						static _Thread_local char most[40];
						snprintf(most, sizeof most, "too many decimals: at most %d", exponent);
						*why = exponent == 0 ? "no decimals allowed" : most;
						return false;
					}
				} else {
					value = value * 10 + (*s - '0');
					decimals++;
				}
			} else {
				value = value * 10 + (*s - '0');
				if (group_run >= 0)
					group_run++;
			}
			if (value > INT64_MAX) {
				*why = "amount too large";
				return false;
			}
			digits++;
			s++;
		} else if (*s == decimal && !in_decimals) {
			if (group_run >= 0 && group_run != 3) {
				*why = "misplaced thousands separator";
				return false;
			}
			in_decimals = true;
			s++;
		} else if (!in_decimals && digits > 0 && (*s == group || *s == '\'' || space_len(s) > 0)) {
			if (group_run >= 0 && group_run != 3) {
				*why = "misplaced thousands separator";
				return false;
			}
			group_run = 0;
			s += (*s == group || *s == '\'') ? 1 : space_len(s);
		} else {
			*why = "not an amount";
			return false;
		}
	}
	if (digits == 0) {
		*why = "not an amount";
		return false;
	}
	if (!in_decimals && group_run >= 0 && group_run != 3) {
		*why = "misplaced thousands separator";
		return false;
	}
	for (; decimals < exponent; decimals++) {
		value *= 10;
		if (value > INT64_MAX) {
			*why = "amount too large";
			return false;
		}
	}
	*out = (money_t)(negative ? -value : value);
	return true;
}

static char *format_digits(money_t amount, int exponent, char sep, char mark, char *buf)
{
	char tmp[MONEY_TEXT_MAX * 2];
	int n = 0;
	/* Work on the unsigned magnitude so INT64_MIN is printable. */
	unsigned long long v = amount < 0 ? 0ULL - (unsigned long long)amount : (unsigned long long)amount;
	int pos = 0;
	do {
		if (exponent > 0 && pos == exponent)
			tmp[n++] = mark;
		else if (sep && pos > exponent && (pos - exponent) % 3 == 0)
			tmp[n++] = sep;
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
		pos++;
	} while (v > 0 || pos <= exponent);
	if (amount < 0)
		tmp[n++] = '-';
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

char *money_format(money_t amount, int exponent, char *buf)
{
	return format_digits(amount, exponent, 0, '.', buf);
}

char *money_format_grouped(money_t amount, int exponent, char sep, char mark, char *buf)
{
	return format_digits(amount, exponent, sep, mark, buf);
}

bool money_add(money_t a, money_t b, money_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

bool money_sub(money_t a, money_t b, money_t *out)
{
	return !__builtin_sub_overflow(a, b, out);
}

bool money_muldiv(money_t a, int64_t num, int64_t den, money_t *out)
{
	if (den == 0)
		return false;
	__int128 p = (__int128)a * num;
	__int128 q = p / den, r = p % den;
	/* Half away from zero: compare twice the remainder with the divisor. */
	__int128 r2 = r < 0 ? -r * 2 : r * 2;
	__int128 d = den < 0 ? -(__int128)den : den;
	if (r2 >= d)
		q += ((p < 0) != (den < 0)) ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return false;
	*out = (money_t)q;
	return true;
}

bool money_rescale(money_t a, int from_exp, int to_exp, money_t *out)
{
	int64_t f = 1;
	for (int i = 0; i < (from_exp > to_exp ? from_exp - to_exp : to_exp - from_exp); i++)
		f *= 10;
	if (to_exp >= from_exp)
		return money_muldiv(a, f, 1, out);
	return money_muldiv(a, 1, f, out);
}
