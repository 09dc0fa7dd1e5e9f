/* OFX statements: 1.x SGML (leaf elements left unclosed, a "KEY:VALUE"
 * header) and 2.x XML (closed elements, CDATA, processing instructions).
 * One tokenizer reads both: a leaf is a start tag followed by text, an
 * aggregate a start tag followed by another tag, so closing tags matter
 * only for the aggregates we track (STMTRS, STMTTRN, LEDGERBAL). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bank.h"
#include "status.h"
#include "xalloc.h"

struct parser {
	const char *path;
	struct bank_file *out;
	struct bank_statement *st;
	bool in_trn, in_ledger;
	long trn_line, posted_line, amount_line;
	/* the transaction being read */
	char *amount, *posted, *user, *avail, *fitid, *refnum, *checknum, *name, *memo, *type;
	char **cause;
};

static int fail(struct parser *p, long line, const char *field, const char *value, const char *why)
{
	return dun_fail(p->cause, DUN_EDATA, "%s:%ld: %s \"%.40s\": %s", p->path, line, field, value, why);
}

static void trn_clear(struct parser *p)
{
	char **f[] = { &p->amount, &p->posted, &p->user, &p->avail, &p->fitid, &p->refnum, &p->checknum,
		&p->name, &p->memo, &p->type };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
}

/* "20090401122017.000[-5:EST]": the date part, YYYYMMDD. */
static bool parse_date(const char *text, day_t *out)
{
	int v[8];
	for (int i = 0; i < 8; i++) {
		if (!isdigit((unsigned char)text[i]))
			return false;
		v[i] = text[i] - '0';
	}
	if (isdigit((unsigned char)text[8]) && strlen(text) < 12)
		return false;
	int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
	if (!date_valid_ymd(y, m, d) || y < 1900)
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static int trn_end(struct parser *p, long line)
{
	day_t posted, other = DATE_NONE;
	if (p->posted == NULL || *p->posted == '\0')
		return fail(p, p->trn_line, "DTPOSTED", "", "missing in STMTTRN");
	if (!parse_date(p->posted, &posted))
		return fail(p, p->posted_line, "DTPOSTED", p->posted, "not a date (YYYYMMDD[hhmmss])");
	const char *second = p->avail != NULL ? p->avail : p->user;
	if (second != NULL && *second != '\0' && !parse_date(second, &other))
		return fail(p, line, p->avail != NULL ? "DTAVAIL" : "DTUSER", second, "not a date (YYYYMMDD[hhmmss])");
	if (p->amount == NULL || *p->amount == '\0')
		return fail(p, p->trn_line, "TRNAMT", "", "missing in STMTTRN");
	/* Amounts may carry a '+' and a ',' decimal mark in 1.x files. */
	const char *text = p->amount[0] == '+' ? p->amount + 1 : p->amount;
	char mark = strchr(text, ',') != NULL && strchr(text, '.') == NULL ? ',' : '.';
	money_t amount;
	const char *why;
	if (!bank_amount_parse(text, p->st->currency, mark, &amount, &why))
		return fail(p, p->amount_line, "TRNAMT", p->amount, why);
	struct bank_line *l = bank_line_add(p->st, p->trn_line);
	l->credit = amount >= 0;
	l->amount = amount < 0 ? -amount : amount;
	l->booking_date = posted;
	l->value_date = other != DATE_NONE ? other : posted;
	bank_set(&l->entry_ref, or_empty(p->fitid), strlen(or_empty(p->fitid)));
	bank_set(&l->bank_ref, or_empty(p->refnum), strlen(or_empty(p->refnum)));
	if (*l->bank_ref == '\0')
		bank_set(&l->bank_ref, or_empty(p->checknum), strlen(or_empty(p->checknum)));
	bank_set(&l->payer_name, or_empty(p->name), strlen(or_empty(p->name)));
	const char *remittance = p->memo != NULL && *p->memo != '\0' ? p->memo : or_empty(p->name);
	bank_set(&l->remittance, remittance, strlen(remittance));
	bank_set(&l->type, or_empty(p->type), strlen(or_empty(p->type)));
	return DUN_OK;
}

static int leaf(struct parser *p, const char *tag, const char *value, long line)
{
	if (p->in_trn) {
		struct { const char *tag; char **field; } map[] = {
			{ "TRNAMT", &p->amount }, { "DTPOSTED", &p->posted }, { "DTUSER", &p->user },
			{ "DTAVAIL", &p->avail }, { "VALUEDATE", &p->avail }, { "FITID", &p->fitid },
			{ "REFNUM", &p->refnum }, { "CHECKNUM", &p->checknum }, { "NAME", &p->name },
			{ "MEMO", &p->memo }, { "TRNTYPE", &p->type },
		};
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
			if (strcasecmp(tag, map[i].tag) == 0 && *map[i].field == NULL)
				*map[i].field = xstrdup(value);
		if (strcasecmp(tag, "DTPOSTED") == 0)
			p->posted_line = line;
		else if (strcasecmp(tag, "TRNAMT") == 0)
			p->amount_line = line;
		return DUN_OK;
	}
	if (p->st == NULL)
		return DUN_OK;
	if (strcasecmp(tag, "CURDEF") == 0) {
		if (*value != '\0' && (strlen(value) != 3 || !money_currency_valid(value)))
			return fail(p, line, "CURDEF", value, "not an ISO 4217 currency");
		snprintf(p->st->currency, sizeof p->st->currency, "%s", value);
	} else if (strcasecmp(tag, "ACCTID") == 0 && *p->st->account == '\0') {
		bank_set(&p->st->account, value, strlen(value));
	} else if (strcasecmp(tag, "BALAMT") == 0 && p->in_ledger) {
		money_t amount;
		const char *why;
		/* An empty ledger balance is tolerated: the statement is checked
		 * without it. */
		if (*value == '\0') {
			bank_warn(p->out, "%s:%ld: BALAMT \"\": empty ledger balance, the lines are not checked against it",
			    p->path, line);
			return DUN_OK;
		}
		const char *text = value[0] == '+' ? value + 1 : value;
		if (!bank_amount_parse(text, p->st->currency, '.', &amount, &why))
			return fail(p, line, "BALAMT", value, why);
		p->st->has_closing = true;
		p->st->closing = amount;
	}
	return DUN_OK;
}

static int tag_start(struct parser *p, const char *tag, long line)
{
	if (p->in_trn && (strcasecmp(tag, "STMTRS") == 0 || strcasecmp(tag, "CCSTMTRS") == 0))
		return fail(p, p->trn_line, "STMTTRN", "", "not closed before the next statement");
	if (strcasecmp(tag, "STMTRS") == 0 || strcasecmp(tag, "CCSTMTRS") == 0) {
		p->st = bank_statement_add(p->out);
	} else if (strcasecmp(tag, "STMTTRN") == 0) {
		if (p->st == NULL)
			return fail(p, line, "STMTTRN", "", "transaction outside a statement (STMTRS)");
		if (p->in_trn)
			return fail(p, line, "STMTTRN", "", "transaction inside a transaction");
		trn_clear(p);
		p->in_trn = true;
		p->trn_line = line;
	} else if (strcasecmp(tag, "LEDGERBAL") == 0) {
		p->in_ledger = true;
	}
	return DUN_OK;
}

static int tag_end(struct parser *p, const char *tag, long line)
{
	if (strcasecmp(tag, "STMTTRN") == 0 && p->in_trn) {
		p->in_trn = false;
		int rc = trn_end(p, line);
		trn_clear(p);
		return rc;
	}
	if (strcasecmp(tag, "LEDGERBAL") == 0)
		p->in_ledger = false;
	else if (strcasecmp(tag, "STMTRS") == 0 || strcasecmp(tag, "CCSTMTRS") == 0) {
		if (p->in_trn)
			return fail(p, p->trn_line, "STMTTRN", "", "not closed in its statement");
		p->st = NULL;
	}
	return DUN_OK;
}

/* Text between tags, entities decoded (the five of XML). */
static void text_add(struct buf *b, const char *s, size_t n)
{
	static const struct { const char *name; char c; } entities[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
	};
	for (size_t i = 0; i < n; i++) {
		bool decoded = false;
		for (size_t k = 0; s[i] == '&' && !decoded && k < sizeof entities / sizeof entities[0]; k++) {
			size_t len = strlen(entities[k].name);
			if (i + len <= n && strncmp(s + i, entities[k].name, len) == 0) {
				buf_putc(b, entities[k].c);
				i += len - 1;
				decoded = true;
			}
		}
		if (!decoded)
			buf_putc(b, s[i]);
	}
}

int bank_ofx_parse(const char *path, const char *data, size_t size, struct bank_file *out, char **cause)
{
	struct parser p = { .path = path, .out = out, .cause = cause };
	const char *s = data, *end = data + size;
	long line = 1;
	char *pending = NULL; /* the start tag whose text is being read */
	long pending_line = 0;
	struct buf text = { 0 };
	int rc = DUN_OK;
	bool seen_ofx = false;
	if (memchr(data, '\0', size) != NULL) {
		const char *z = memchr(data, '\0', size);
		for (const char *c = data; c < z; c++)
			line += *c == '\n';
		return fail(&p, line, "OFX", "", "binary data in a text statement");
	}
	while (s < end && rc == DUN_OK) {
		if (*s != '<') {
			const char *lt = memchr(s, '<', (size_t)(end - s));
			const char *stop = lt != NULL ? lt : end;
			if (seen_ofx)
				text_add(&text, s, (size_t)(stop - s));
			for (const char *c = s; c < stop; c++)
				line += *c == '\n';
			s = stop;
			continue;
		}
		if (end - s >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
			const char *close = memmem(s + 9, (size_t)(end - s - 9), "]]>", 3);
			if (close == NULL) {
				rc = fail(&p, line, "CDATA", "", "not closed (truncated file?)");
				break;
			}
			buf_add(&text, s + 9, (size_t)(close - s - 9));
			for (const char *c = s; c < close; c++)
				line += *c == '\n';
			s = close + 3;
			continue;
		}
		if (end - s < 2) {
			rc = fail(&p, line, "tag", "", "not closed (truncated file?)");
			break;
		}
		const char *stop_text = end - s >= 4 && memcmp(s, "<!--", 4) == 0 ? "-->" : s[1] == '?' ? "?>" : ">";
		const char *close = memmem(s + 1, (size_t)(end - s - 1), stop_text, strlen(stop_text));
		if (close == NULL) {
			rc = fail(&p, line, "tag", "", "not closed (truncated file?)");
			break;
		}
		const char *next = close + strlen(stop_text);
		if (s[1] == '!' || s[1] == '?') {
			for (const char *c = s; c < next; c++)
				line += *c == '\n';
			s = next;
			continue;
		}
		bool closing = s[1] == '/';
		const char *name = s + 1 + closing;
		size_t n = (size_t)(close - name);
		while (n > 0 && (name[n - 1] == '/' || isspace((unsigned char)name[n - 1])))
			n--;
		size_t valid = 0;
		while (valid < n && (isalnum((unsigned char)name[valid]) || name[valid] == '.' || name[valid] == '_'))
			valid++;
		char *tag = xstrndup(name, valid);
		if (valid == 0 || (valid < n && !isspace((unsigned char)name[valid]))) {
			rc = fail(&p, line, "tag", tag, "not an OFX tag");
			free(tag);
			break;
		}
		if (!seen_ofx && strcasecmp(tag, "OFX") == 0 && !closing)
			seen_ofx = true;
		if (seen_ofx) {
			/* The text since the last start tag belongs to it when it is
			 * a leaf: the element's value. */
			if (pending != NULL) {
				char *value = NULL;
				bank_set(&value, text.data != NULL ? text.data : "", text.len);
				if (*value != '\0' || (closing && strcasecmp(tag, pending) == 0))
					rc = leaf(&p, pending, value, pending_line);
				free(value);
				free(pending);
				pending = NULL;
			}
			text.len = 0;
			if (text.data != NULL)
				text.data[0] = '\0';
			if (rc == DUN_OK && closing)
				rc = tag_end(&p, tag, line);
			else if (rc == DUN_OK) {
				rc = tag_start(&p, tag, line);
				pending = xstrdup(tag);
				pending_line = line;
			}
		}
		free(tag);
		for (const char *c = s; c < next; c++)
			line += *c == '\n';
		s = next;
	}
	if (rc == DUN_OK && pending != NULL) {
		char *value = NULL;
		bank_set(&value, text.data != NULL ? text.data : "", text.len);
		if (*value != '\0')
			rc = leaf(&p, pending, value, pending_line);
		free(value);
	}
	if (rc == DUN_OK && p.in_trn)
		rc = fail(&p, p.trn_line, "STMTTRN", "", "not closed (truncated file?)");
	if (rc == DUN_OK && !seen_ofx)
		rc = fail(&p, 1, "OFX", "", "no <OFX> element");
	free(pending);
	buf_free(&text);
	trn_clear(&p);
	return rc;
}
