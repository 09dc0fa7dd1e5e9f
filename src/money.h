/* Money: an int64 count of the currency's minor unit (ISO 4217 exponent).
 * No floating point touches an amount; every operation refuses overflow. */
#ifndef DUN_MONEY_H
#define DUN_MONEY_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef int64_t money_t;

/* The ISO 4217 minor-unit exponent of a three-letter code (EUR 2, JPY 0,
 * KWD 3), or -1 when the code is not a known currency. */
int money_exponent(const char *currency);
bool money_currency_valid(const char *currency);

/* How a text amount writes its decimal mark. MONEY_MARK_AUTO accepts
 * "1234.5", "1,234.50", "1 234,50", "1.234,50" and decides per value;
 * files decide once with money_detect_mark. */
enum money_mark { MONEY_MARK_AUTO, MONEY_MARK_DOT, MONEY_MARK_COMMA };

/* Parses text into minor units of a currency with the given exponent.
 * Accepts a leading sign, thousands separators (space, NBSP, ', . or , when
 * it is not the decimal mark), at most `exponent` decimals (extra zeros
 * allowed). Returns false with *why set to a static reason on failure. */
bool money_parse(const char *text, int exponent, enum money_mark mark, money_t *out, const char **why);
/* The largest amount one ledger row holds, in minor units of either sign:
 * 10^15, ten trillion in a two-decimal currency. Reports add rows with
 * plain sums, so rows far below INT64_MAX keep the totals from wrapping
 * round (two rows of INT64_MAX made a balance of -0.02). */
#define MONEY_ROW_MAX INT64_C(1000000000000000)
/* money_parse for an amount a ledger row will hold (an invoice, a payment,
 * a bank line, a promise): beyond MONEY_ROW_MAX is "amount too large". */
bool money_parse_row(const char *text, int exponent, enum money_mark mark, money_t *out, const char **why);
/* Guesses the decimal mark of one amount's text: DOT, COMMA, or AUTO when
 * ambiguous ("1,234" or "12"). */
enum money_mark money_detect_mark(const char *text);

/* Writes the amount with exactly `exponent` decimals, '.' mark, no
 * separator ("-1234.50"). buf must hold MONEY_TEXT_MAX bytes. */
#define MONEY_TEXT_MAX 32
char *money_format(money_t amount, int exponent, char *buf);
/* Same with a thousands separator and the given decimal mark, for humans
 * ("12,400.00" or "12 400,00"). */
char *money_format_grouped(money_t amount, int exponent, char sep, char mark, char *buf);

/* Checked arithmetic: false on overflow. */
bool money_add(money_t a, money_t b, money_t *out);
bool money_sub(money_t a, money_t b, money_t *out);
/* a * num / den rounded once, half away from zero; false on overflow or
 * den == 0. The intermediate is 128-bit. */
bool money_muldiv(money_t a, int64_t num, int64_t den, money_t *out);
/* Rescales between exponents (JPY 0 -> EUR 2 multiplies by 100), rounding
 * half away from zero when the exponent shrinks. */
bool money_rescale(money_t a, int from_exp, int to_exp, money_t *out);
#endif
