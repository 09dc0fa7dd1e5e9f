/* Prints what the bank parsers make of a statement file, one JSON object
 * per statement and per line, for the fixture comparisons of
 * tests/bank/compare.py. Exit status and message as `dun import bank`. */
#include <stdio.h>
#include <stdlib.h>
#include "bank.h"
#include "status.h"

static void json_string(const char *key, const char *s)
{
	printf(", \"%s\": \"", key);
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

static void json_date(const char *key, day_t d)
{
	char buf[DATE_TEXT_MAX];
	if (d == DATE_NONE)
		printf(", \"%s\": null", key);
	else
		printf(", \"%s\": \"%s\"", key, date_format_iso(d, buf));
}

static void json_money(const char *key, money_t m, const char *currency)
{
	char buf[MONEY_TEXT_MAX];
	int e = money_exponent(currency);
	printf(", \"%s\": \"%s\"", key, money_format(m, e < 0 ? 2 : e, buf));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bank_dump FILE\n");
		return DUN_EUSAGE;
	}
	struct bank_file f;
	char *cause = NULL;
	int rc = bank_parse_file(argv[1], NULL, &f, &cause);
	if (rc != DUN_OK) {
		fprintf(stderr, "dun: %s\n", cause);
		free(cause);
		return rc;
	}
	for (size_t i = 0; i < f.nwarnings; i++)
		fprintf(stderr, "dun: warning: %s\n", f.warnings[i]);
	for (size_t i = 0; i < f.nstatements; i++) {
		const struct bank_statement *st = &f.statements[i];
		printf("{\"statement\": %zu", i + 1);
		json_string("format", bank_format_name(f.format));
		json_string("id", st->id);
		json_string("account", st->account);
		json_string("currency", st->currency);
		if (st->has_opening)
			json_money("opening", st->opening, st->currency);
		if (st->has_closing)
			json_money("closing", st->closing, st->currency);
		printf("}\n");
		for (size_t j = 0; j < st->nlines; j++) {
			const struct bank_line *l = &st->lines[j];
			printf("{\"line\": %ld", l->position);
			json_date("booking_date", l->booking_date);
			json_date("value_date", l->value_date);
			json_money("amount", l->amount, l->currency);
			printf(", \"credit\": %s, \"reversal\": %s", l->credit ? "true" : "false", l->reversal ? "true" : "false");
			json_string("currency", l->currency);
#define X(name) json_string(#name, l->name);
			BANK_LINE_STRINGS(X)
#undef X
			printf("}\n");
		}
	}
	bank_file_free(&f);
	return DUN_OK;
}
