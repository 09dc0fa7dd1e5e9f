/* MT940 (SWIFT customer statement): tagged fields ":20:", ":25:", ":28C:",
 * ":60F:", ":61:", ":86:", ":62F:"... one per line, continuation lines
 * joined, several statements per file. Banks bend the standard: amounts
 * without decimals ("6800,"), funds codes after the debit/credit mark,
 * header lines before the first tag, and German structured ":86:" fields
 * ("166?00GUTSCHRIFT?20EREF+...?32NAME") that carry the payer and the
 * SEPA references. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bank.h"
#include "status.h"
#include "xalloc.h"

struct field {
	char tag[5];
	char *value;   /* continuation lines joined with '\n' */
	long line;
};

struct parser {
	const char *path;
	struct bank_file *out;
	struct bank_statement *st;
	char *reference, *number; /* :20: and :28C: of the current statement */
	struct bank_line *last;   /* the :61: a following :86: belongs to */
	char **cause;
};

static int fail(struct parser *p, long line, const char *field, const char *value, const char *why)
{
	return dun_fail(p->cause, DUN_EDATA, "%s:%ld: %s \"%.40s\": %s", p->path, line, field, value, why);
}

static bool parse_yymmdd(const char *s, day_t *out)
{
	for (int i = 0; i < 6; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	int yy = (s[0] - '0') * 10 + (s[1] - '0');
	int mm = (s[2] - '0') * 10 + (s[3] - '0');
	int dd = (s[4] - '0') * 10 + (s[5] - '0');
	int year = yy < 70 ? 2000 + yy : 1900 + yy;
	if (!date_valid_ymd(year, mm, dd))
		return false;
	*out = date_from_ymd(year, mm, dd);
	return true;
}

static struct bank_statement *statement(struct parser *p)
{
	if (p->st == NULL)
		p->st = bank_statement_add(p->out);
	return p->st;
}

/* The statement id is ":20:/:28C:" so that generated references stay the
 * same when the file is imported again. */
static void statement_name(struct parser *p)
{
	free(p->st->id);
	if (p->number != NULL && *p->number != '\0')
		p->st->id = xasprintf("%s/%s", p->reference != NULL ? p->reference : "", p->number);
	else
		p->st->id = xstrdup(p->reference != NULL ? p->reference : "");
}

/* ":60F:C100318EUR380115,12": mark, date, currency, amount. */
static int parse_balance(struct parser *p, const struct field *f, money_t *out)
{
	const char *v = f->value;
	day_t d;
	if ((v[0] != 'C' && v[0] != 'D') || strlen(v) < 11 || !parse_yymmdd(v + 1, &d))
		return fail(p, f->line, f->tag, v, "not a balance (C/D, YYMMDD, currency, amount)");
	char currency[4] = { v[7], v[8], v[9], 0 };
	for (int i = 0; i < 3; i++)
		if (!isalpha((unsigned char)currency[i]))
			return fail(p, f->line, f->tag, v, "bad currency");
	const char *why;
	char amount[32];
	size_t n = strcspn(v + 10, " \r\n");
	if (n >= sizeof amount)
		return fail(p, f->line, f->tag, v, "amount too long");
	memcpy(amount, v + 10, n);
	amount[n] = '\0';
	if (!bank_amount_parse(amount, currency, ',', out, &why))
		return fail(p, f->line, f->tag, amount, why);
	if (v[0] == 'D')
		*out = -*out;
	struct bank_statement *st = statement(p);
	if (st->currency[0] == '\0')
		memcpy(st->currency, currency, sizeof currency);
	return DUN_OK;
}

/* ":61:" YYMMDD [MMDD] [R]D|C [funds code] amount type customer-ref
 * [//bank-ref] [\n supplementary details]. */
static int parse_line(struct parser *p, const struct field *f)
{
	const char *v = f->value, *s = v;
	day_t value_date, entry_date = DATE_NONE;
	if (!parse_yymmdd(s, &value_date))
		return fail(p, f->line, f->tag, v, "bad value date (YYMMDD)");
	s += 6;
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])
	    && isdigit((unsigned char)s[3])) {
		int y, m, d;
		date_to_ymd(value_date, &y, &m, &d);
		int em = (s[0] - '0') * 10 + (s[1] - '0'), ed = (s[2] - '0') * 10 + (s[3] - '0');
		/* The entry date has no year: the value date's, across a new year. */
		if (em == 12 && m == 1)
			y--;
		else if (em == 1 && m == 12)
			y++;
		if (!date_valid_ymd(y, em, ed))
			return fail(p, f->line, f->tag, v, "bad entry date (MMDD)");
		entry_date = date_from_ymd(y, em, ed);
		s += 4;
	}
	bool reversal = false, credit;
	if (s[0] == 'R' && (s[1] == 'C' || s[1] == 'D')) {
		reversal = true;
		s++;
	}
	if (*s != 'C' && *s != 'D')
		return fail(p, f->line, f->tag, v, "no debit/credit mark (C, D, RC, RD)");
	/* A reversed credit takes money out, a reversed debit puts it back. */
	credit = (*s == 'C') != reversal;
	s++;
	if (isalpha((unsigned char)*s))
		s++; /* funds code: the third letter of the currency */
	size_t n = strspn(s, "0123456789,");
	char amount[32];
	if (n == 0 || n >= sizeof amount)
		return fail(p, f->line, f->tag, v, "bad amount");
	memcpy(amount, s, n);
	amount[n] = '\0';
	s += n;
	/* The amount ends at the transaction type (a letter, then three
	 * letters, digits or spaces) or at the end of the line. */
	bool typed = isupper((unsigned char)s[0]) && strcspn(s, "\n") >= 4;
	for (int i = 1; typed && i < 4; i++)
		typed = isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == ' ';
	if (!typed && *s != '\0' && *s != '\n') {
		char bad[64];
		snprintf(bad, sizeof bad, "%s%.*s", amount, (int)strcspn(s, "\n"), s);
		return fail(p, f->line, f->tag, bad, "bad amount or transaction type");
	}
	struct bank_statement *st = statement(p);
	money_t value;
	const char *why;
	if (!bank_amount_parse(amount, st->currency, ',', &value, &why))
		return fail(p, f->line, f->tag, amount, why);
	struct bank_line *l = bank_line_add(st, f->line);
	l->amount = value;
	l->credit = credit;
	l->reversal = reversal;
	l->value_date = value_date;
	l->booking_date = entry_date != DATE_NONE ? entry_date : value_date;
	/* Transaction type: a letter and three letters, digits or spaces. */
	if (typed) {
		bank_set(&l->type, s, 4);
		s += 4;
	}
	const char *eol = strchr(s, '\n');
	size_t first = eol != NULL ? (size_t)(eol - s) : strlen(s);
	const char *slash = NULL;
	for (size_t i = 0; i + 1 < first; i++)
		if (s[i] == '/' && s[i + 1] == '/') {
			slash = s + i;
			break;
		}
	/* The customer reference is 16 characters at most: banks that write
	 * the counterparty's name after it (Rabobank) are not misread. */
	size_t ref = slash != NULL ? (size_t)(slash - s) : first;
	bank_set(&l->entry_ref, s, ref < 16 ? ref : 16);
	if (slash != NULL) {
		size_t bank = first - (size_t)(slash + 2 - s);
		bank_set(&l->bank_ref, slash + 2, bank < 23 ? bank : 23);
	}
	p->last = l;
	return DUN_OK;
}

/* German structured details: "NNN?00text?10text?20..." (the separator is
 * the fourth character). Subfields 20-29 and 60-63 are the purpose, 31 the
 * payer's account, 32-33 the payer's name. */
static bool structured_details(struct bank_line *l, const char *v)
{
	while (*v == ' ')
		v++;
	if (!isdigit((unsigned char)v[0]) || !isdigit((unsigned char)v[1]) || !isdigit((unsigned char)v[2])
	    || v[3] == '\0' || isalnum((unsigned char)v[3]) || isspace((unsigned char)v[3]))
		return false;
	char sep = v[3];
	struct buf purpose = { 0 }, name = { 0 }, flat = { 0 };
	/* Line breaks fall anywhere, even inside a subfield's code. */
	for (const char *c = v; *c != '\0'; c++)
		if (*c != '\n')
			buf_putc(&flat, *c);
	const char *s = flat.data + 3;
	while (*s == sep) {
		if (!isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
			break;
		int code = (s[1] - '0') * 10 + (s[2] - '0');
		const char *text = s + 3;
		const char *end = strchr(text, sep);
		if (end == NULL)
			end = text + strlen(text);
		struct buf part = { 0 };
		buf_add(&part, text, (size_t)(end - text));
		const char *t = part.data;
		if ((code >= 20 && code <= 29) || (code >= 60 && code <= 63))
			buf_puts(&purpose, t);
		else if (code == 31)
			bank_set(&l->payer_account, t, strlen(t));
		else if (code == 32 || code == 33)
			buf_puts(&name, t);
		buf_free(&part);
		s = end;
	}
	if (name.len > 0)
		bank_set(&l->payer_name, name.data, name.len);
	/* SEPA keys inside the purpose: EREF+ (end-to-end id), SVWZ+ (the
	 * remittance proper); text before any key is remittance too. */
	const char *ptext = purpose.data != NULL ? purpose.data : "";
	static const char *const keys[] = { "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "IBAN+", "BIC+", "COAM+", "OAMT+" };
	size_t plen = strlen(ptext);
	size_t start = 0;
	int key = -1;
	bool keyed = false;
	for (size_t i = 0; i <= plen; i++) {
		int found = -1;
		for (size_t k = 0; i < plen && k < sizeof keys / sizeof keys[0]; k++)
			if (strncmp(ptext + i, keys[k], strlen(keys[k])) == 0) {
				found = (int)k;
				break;
			}
		if (found < 0 && i < plen)
			continue;
		const char *seg = ptext + start;
		size_t seglen = i - start;
		if (key == 0)
			bank_set(&l->end_to_end_id, seg, seglen);
		else if (key == 5 || (key < 0 && seglen > 0))
			bank_append(&l->remittance, seg, seglen, " ");
		else if (key == 6 && *l->payer_name == '\0')
			bank_set(&l->payer_name, seg, seglen);
		if (found >= 0) {
			keyed = true;
			key = found;
			start = i + strlen(keys[found]);
			i = start - 1;
		}
	}
	(void)keyed;
	buf_free(&purpose);
	buf_free(&name);
	buf_free(&flat);
	return true;
}

/* Some banks (Rabobank) repeat ":86:" for each line of details: all
 * belong to the ":61:" before them, until the closing balance. */
static void parse_details(struct parser *p, const struct field *f)
{
	struct bank_line *l = p->last;
	if (l == NULL)
		return; /* statement-level information, not a line's */
	if (*l->remittance == '\0' && *l->payer_name == '\0' && structured_details(l, f->value))
		return;
	struct buf text = { 0 };
	for (const char *c = f->value; *c != '\0'; c++)
		buf_putc(&text, *c == '\n' ? ' ' : *c);
	if (text.len > 0)
		bank_append(&l->remittance, text.data, text.len, " ");
	buf_free(&text);
}

static int field_apply(struct parser *p, const struct field *f)
{
	const char *t = f->tag;
	statement(p);
	if (strcmp(t, "20") == 0) {
		p->st = bank_statement_add(p->out);
		p->last = NULL;
		free(p->reference);
		free(p->number);
		p->reference = NULL;
		p->number = NULL;
		bank_set(&p->reference, f->value, strlen(f->value));
		statement_name(p);
	} else if (strcmp(t, "25") == 0) {
		bank_set(&statement(p)->account, f->value, strlen(f->value));
	} else if (strcmp(t, "28") == 0 || strcmp(t, "28C") == 0) {
		statement(p);
		bank_set(&p->number, f->value, strlen(f->value));
		statement_name(p);
	} else if (strncmp(t, "60", 2) == 0) {
		money_t amount;
		int rc = parse_balance(p, f, &amount);
		if (rc != DUN_OK)
			return rc;
		/* A final opening balance (60F) wins over an intermediate one
		 * (60M, the opening of a continuation page). */
		if (!p->st->has_opening || t[2] == 'F') {
			p->st->has_opening = true;
			p->st->opening = amount;
		}
	} else if (strncmp(t, "62", 2) == 0) {
		money_t amount;
		int rc = parse_balance(p, f, &amount);
		if (rc != DUN_OK)
			return rc;
		p->st->has_closing = true;
		p->st->closing = amount;
		p->last = NULL;
	} else if (strcmp(t, "61") == 0) {
		return parse_line(p, f);
	} else if (strcmp(t, "86") == 0) {
		parse_details(p, f);
	} else if (strncmp(t, "64", 2) == 0 || strncmp(t, "65", 2) == 0) {
		money_t amount;
		p->last = NULL;
		return parse_balance(p, f, &amount);
	}
	return DUN_OK;
}

int bank_mt940_parse(const char *path, const char *data, size_t size, struct bank_file *out, char **cause)
{
	struct parser p = { .path = path, .out = out, .cause = cause };
	struct field f = { .line = 0 };
	bool open = false;
	int rc = DUN_OK;
	long lineno = 0;
	const char *s = data, *end = data + size;
	if (size >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (s < end && rc == DUN_OK) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl != NULL ? nl : end;
		size_t n = (size_t)(e - s);
		/* Lines are often padded with spaces to a fixed width. */
		while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		lineno++;
		if (memchr(s, '\0', n) != NULL) {
			rc = fail(&p, lineno, "line", "", "binary data in a text statement");
			break;
		}
		size_t taglen = 0;
		if (n >= 4 && s[0] == ':' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])) {
			if (s[3] == ':')
				taglen = 2;
			else if (n >= 5 && isalpha((unsigned char)s[3]) && s[4] == ':')
				taglen = 3;
		}
		if (taglen > 0 || (n > 0 && n <= 4 && s[0] == '-') || (n > 0 && s[0] == '{')) {
			if (open)
				rc = field_apply(&p, &f);
			free(f.value);
			f.value = NULL;
			open = false;
			if (taglen > 0) {
				memcpy(f.tag, s + 1, taglen);
				f.tag[taglen] = '\0';
				f.value = xstrndup(s + taglen + 2, n - taglen - 2);
				f.line = lineno;
				open = true;
			} else if (s[0] == '-') {
				p.st = NULL; /* end of a statement */
				p.last = NULL;
			}
		} else if (open && n > 0) {
			char *joined = xasprintf("%s\n%.*s", f.value, (int)n, s);
			free(f.value);
			f.value = joined;
		}
		s = nl != NULL ? nl + 1 : end;
	}
	if (open && rc == DUN_OK)
		rc = field_apply(&p, &f);
	free(f.value);
	free(p.reference);
	free(p.number);
	if (rc == DUN_OK && out->nstatements == 0)
		rc = fail(&p, 1, "statement", "", "no MT940 fields");
	return rc;
}
