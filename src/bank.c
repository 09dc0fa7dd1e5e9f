/* Bank statements: format detection and what the four parsers share. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bank.h"
#include "status.h"
#include "xalloc.h"

const char *bank_format_name(enum bank_format f)
{
	static const char *const names[] = { "camt", "mt940", "ofx", "bankcsv" };
	return names[f];
}

/* Finds needle in the first n bytes of data, ignoring case. */
static bool contains(const char *data, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(data + i, needle, k) == 0)
			return true;
	return false;
}

/* MT940 tags that open a line: ":20:", ":25:", ":28C:", ":60F:", ":61:"... */
static bool mt940_tag_at(const char *s, size_t n)
{
	if (n < 4 || s[0] != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return false;
	return s[3] == ':' || (n >= 5 && isalpha((unsigned char)s[3]) && s[4] == ':');
}

bool bank_detect(const char *data, size_t size, enum bank_format *out)
{
	size_t n = size < 4096 ? size : 4096;
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	if (memchr(data, '\0', n) != NULL)
		return false;
	if (contains(data, n, "OFXHEADER") || contains(data, n, "<OFX>")) {
		*out = BANK_OFX;
		return true;
	}
	if (contains(data, n, "camt.053") || contains(data, n, "<BkToCstmrStmt")) {
		*out = BANK_CAMT;
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		if ((i == 0 || data[i - 1] == '\n') && mt940_tag_at(data + i, n - i)) {
			*out = BANK_MT940;
			return true;
		}
	}
	/* A CSV export: a header line with one of the delimiters. */
	const char *eol = memchr(data, '\n', n);
	size_t first = eol != NULL ? (size_t)(eol - data) : n;
	for (size_t i = 0; i < first; i++) {
		if (strchr(",;\t|", data[i]) != NULL && data[0] != '<') {
			*out = BANK_CSV;
			return true;
		}
	}
	return false;
}

int bank_parse(const char *path, const char *data, size_t size, const struct bank_csv_map *map,
    struct bank_file *out, char **cause)
{
	enum bank_format format;
	memset(out, 0, sizeof *out);
	if (!bank_detect(data, size, &format))
		return dun_fail(cause, DUN_EDATA, "%s:1: format \"%s\": not a camt.053, MT940, OFX or CSV bank statement",
		    path, size == 0 ? "empty" : "unknown");
	int rc;
	switch (format) {
	case BANK_CAMT:
		rc = bank_camt_parse(path, data, size, out, cause);
		break;
	case BANK_MT940:
		rc = bank_mt940_parse(path, data, size, out, cause);
		break;
	case BANK_OFX:
		rc = bank_ofx_parse(path, data, size, out, cause);
		break;
	default:
		rc = bank_csv_parse(path, map, out, cause);
		break;
	}
	if (rc != DUN_OK) {
		bank_file_free(out);
		return rc;
	}
	out->format = format;
	for (size_t i = 0; i < out->nstatements; i++)
		bank_statement_finish(&out->statements[i]);
	return DUN_OK;
}

int bank_parse_file(const char *path, const struct bank_csv_map *map, struct bank_file *out, char **cause)
{
	memset(out, 0, sizeof *out);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return dun_fail(cause, DUN_EDATA, "%s: %s", path, strerror(errno));
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	bool failed = ferror(fp);
	fclose(fp);
	if (failed) {
		buf_free(&b);
		return dun_fail(cause, DUN_EDATA, "%s: read error", path);
	}
	int rc = bank_parse(path, b.data == NULL ? "" : b.data, b.len, map, out, cause);
	buf_free(&b);
	return rc;
}

static void line_free(struct bank_line *l)
{
#define X(name) free(l->name);
	BANK_LINE_STRINGS(X)
#undef X
}

void bank_file_free(struct bank_file *f)
{
	for (size_t i = 0; i < f->nstatements; i++) {
		struct bank_statement *st = &f->statements[i];
		for (size_t j = 0; j < st->nlines; j++)
			line_free(&st->lines[j]);
		free(st->lines);
		free(st->id);
		free(st->account);
	}
	free(f->statements);
	for (size_t i = 0; i < f->nwarnings; i++)
		free(f->warnings[i]);
	free(f->warnings);
	memset(f, 0, sizeof *f);
}

void bank_warn(struct bank_file *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f->warnings = xreallocarray(f->warnings, f->nwarnings + 1, sizeof *f->warnings);
	f->warnings[f->nwarnings++] = xvasprintf(fmt, ap);
	va_end(ap);
}

struct bank_statement *bank_statement_add(struct bank_file *f)
{
	if (f->nstatements == f->cap) {
		f->cap = f->cap == 0 ? 4 : f->cap * 2;
		f->statements = xreallocarray(f->statements, f->cap, sizeof *f->statements);
	}
	struct bank_statement *st = &f->statements[f->nstatements++];
	memset(st, 0, sizeof *st);
	st->id = xstrdup("");
	st->account = xstrdup("");
	return st;
}

struct bank_line *bank_line_add(struct bank_statement *st, long position)
{
	if (st->nlines == st->cap) {
		st->cap = st->cap == 0 ? 16 : st->cap * 2;
		st->lines = xreallocarray(st->lines, st->cap, sizeof *st->lines);
	}
	struct bank_line *l = &st->lines[st->nlines++];
	memset(l, 0, sizeof *l);
	l->booking_date = DATE_NONE;
	l->value_date = DATE_NONE;
	l->credit = true;
	memcpy(l->currency, st->currency, sizeof l->currency);
#define X(name) l->name = xstrdup("");
	BANK_LINE_STRINGS(X)
#undef X
	l->position = position;
	return l;
}

void bank_set(char **field, const char *text, size_t n)
{
	while (n > 0 && isspace((unsigned char)*text)) {
		text++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	free(*field);
	*field = xstrndup(text, n);
}

void bank_append(char **field, const char *text, size_t n, const char *sep)
{
	char *add = NULL;
	bank_set(&add, text, n);
	if (*add == '\0') {
		free(add);
		return;
	}
	if (**field == '\0') {
		free(*field);
		*field = add;
		return;
	}
	char *joined = xasprintf("%s%s%s", *field, sep, add);
	free(add);
	free(*field);
	*field = joined;
}

bool bank_amount_parse(const char *text, const char *currency, char mark, money_t *out, const char **why)
{
	int exponent = money_exponent(currency);
	if (exponent < 0)
		exponent = 2;
	const char *s = text;
	if (*s == '-')
		s++;
	int marks = 0, digits = 0;
	for (; *s != '\0'; s++) {
		if (*s == mark)
			marks++;
		else if (isdigit((unsigned char)*s))
			digits++;
		else {
			*why = "not an amount";
			return false;
		}
	}
	if (digits == 0 || marks > 1) {
		*why = "not an amount";
		return false;
	}
	return money_parse_row(text, exponent, mark == ',' ? MONEY_MARK_COMMA : MONEY_MARK_DOT, out, why);
}

void bank_statement_finish(struct bank_statement *st)
{
	for (size_t i = 0; i < st->nlines; i++) {
		struct bank_line *l = &st->lines[i];
		free(l->reference);
		if (*l->end_to_end_id != '\0' && strcasecmp(l->end_to_end_id, "NOTPROVIDED") != 0)
			l->reference = xstrdup(l->end_to_end_id);
		else if (*l->entry_ref != '\0' && strcasecmp(l->entry_ref, "NONREF") != 0)
			l->reference = xstrdup(l->entry_ref);
		else if (*l->bank_ref != '\0' && strcasecmp(l->bank_ref, "NONREF") != 0)
			l->reference = xstrdup(l->bank_ref);
		else
			l->reference = xasprintf("%s%s%zu", st->id, *st->id != '\0' ? "/" : "", i + 1);
	}
}
