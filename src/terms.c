/* Payment terms: a tiny tokenizer (numbers, words, '/') and the five
 * shapes of the grammar matched against the token list. */
#include "terms.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "store.h"

enum token_type { TOKEN_NUMBER, TOKEN_WORD, TOKEN_SLASH };

struct token {
	enum token_type type;
	const char *start;
	int len;
	int value;      /* TOKEN_NUMBER: whole days, or hundredths when decimal */
	bool decimal;   /* had a decimal part */
};

#define MAX_TOKENS 6

/* Numbers accept a decimal part (for the discount percentage) with at most
 * two decimals; whole numbers are capped to keep the arithmetic small. */
static bool tokenize(const char *s, struct token *tokens, int *count, const char **why)
{
	int n = 0;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (n == MAX_TOKENS) {
			*why = "unknown terms (expected net N, N eom, eom N, due or D/N net M)";
			return false;
		}
		struct token *t = &tokens[n++];
		t->start = s;
		t->decimal = false;
		if (isdigit((unsigned char)*s)) {
			long whole = 0;
			while (isdigit((unsigned char)*s)) {
				whole = whole * 10 + (*s++ - '0');
				if (whole > TERMS_MAX_DAYS * 100L) {
					*why = "number too large in terms";
					return false;
				}
			}
			int hundredths = 0;
			if ((*s == '.' || *s == ',') && isdigit((unsigned char)s[1])) {
				s++;
				t->decimal = true;
				for (int place = 10; isdigit((unsigned char)*s); place /= 10, s++) {
					if (place == 0) {
						*why = "at most two decimals in a discount percentage";
						return false;
					}
					hundredths += (*s - '0') * place;
				}
			}
			t->type = TOKEN_NUMBER;
			t->value = t->decimal ? (int)whole * 100 + hundredths : (int)whole;
		} else if (isalpha((unsigned char)*s)) {
			while (isalpha((unsigned char)*s))
				s++;
			t->type = TOKEN_WORD;
		} else if (*s == '/') {
			s++;
			t->type = TOKEN_SLASH;
		} else {
			*why = "unknown terms (expected net N, N eom, eom N, due or D/N net M)";
			return false;
		}
		t->len = (int)(s - t->start);
	}
	*count = n;
	return true;
}

static bool is_word(const struct token *t, const char *word)
{
	return t->type == TOKEN_WORD && (size_t)t->len == strlen(word) && strncasecmp(t->start, word, t->len) == 0;
}

static bool is_days(const struct token *t)
{
	return t->type == TOKEN_NUMBER && !t->decimal && t->value <= TERMS_MAX_DAYS;
}

bool terms_parse(const char *text, struct terms *out, const char **why)
{
	struct token tk[MAX_TOKENS];
	int n;
	memset(out, 0, sizeof *out);
	if (!tokenize(text, tk, &n, why))
		return false;
	*why = "unknown terms (expected net N, N eom, eom N, due or D/N net M)";
	if (n == 1 && is_word(&tk[0], "due")) {
		out->kind = TERMS_DUE;
		return true;
	}
	if (n == 2 && is_word(&tk[0], "net") && is_days(&tk[1])) {
		out->kind = TERMS_NET;
		out->days = tk[1].value;
		return true;
	}
	if (n == 2 && is_days(&tk[0]) && is_word(&tk[1], "eom")) {
		out->kind = TERMS_DAYS_EOM;
		out->days = tk[0].value;
		return true;
	}
	if (n == 2 && is_word(&tk[0], "eom") && is_days(&tk[1])) {
		out->kind = TERMS_EOM_DAYS;
		out->days = tk[1].value;
		return true;
	}
	if (n == 5 && tk[0].type == TOKEN_NUMBER && tk[1].type == TOKEN_SLASH && is_days(&tk[2])
	    && is_word(&tk[3], "net") && is_days(&tk[4])) {
		int hundredths = tk[0].decimal ? tk[0].value : tk[0].value * 100;
		if (hundredths <= 0 || hundredths >= 10000) {
			*why = "the discount must be between 0 and 100 %";
			return false;
		}
		if (tk[2].value > tk[4].value) {
			*why = "the discount period ends after the due date";
			return false;
		}
		out->kind = TERMS_DISCOUNT;
		out->discount_hundredths = hundredths;
		out->discount_days = tk[2].value;
		out->days = tk[4].value;
		return true;
	}
	return false;
}

char *terms_format(const struct terms *t, char *buf)
{
	switch (t->kind) {
	case TERMS_NET:
		snprintf(buf, TERMS_TEXT_MAX, "net %d", t->days);
		break;
	case TERMS_DAYS_EOM:
		snprintf(buf, TERMS_TEXT_MAX, "%d eom", t->days);
		break;
	case TERMS_EOM_DAYS:
		snprintf(buf, TERMS_TEXT_MAX, "eom %d", t->days);
		break;
	case TERMS_DUE:
		snprintf(buf, TERMS_TEXT_MAX, "due");
		break;
	case TERMS_DISCOUNT: {
		int whole = t->discount_hundredths / 100, frac = t->discount_hundredths % 100;
		if (frac == 0)
			snprintf(buf, TERMS_TEXT_MAX, "%d/%d net %d", whole, t->discount_days, t->days);
		else if (frac % 10 == 0)
			snprintf(buf, TERMS_TEXT_MAX, "%d.%d/%d net %d", whole, frac / 10, t->discount_days, t->days);
		else
			snprintf(buf, TERMS_TEXT_MAX, "%d.%02d/%d net %d", whole, frac, t->discount_days, t->days);
		break;
	}
	}
	return buf;
}

day_t terms_due_date(const struct terms *t, day_t issue)
{
	switch (t->kind) {
	case TERMS_NET:
	case TERMS_DISCOUNT:
		return issue + t->days;
	case TERMS_DAYS_EOM:
		return date_end_of_month(issue + t->days);
	case TERMS_EOM_DAYS:
		return date_end_of_month(issue) + t->days;
	case TERMS_DUE:
		break;
	}
	return issue;
}

day_t terms_discount_date(const struct terms *t, day_t issue)
{
	return t->kind == TERMS_DISCOUNT ? issue + t->discount_days : DATE_NONE;
}
