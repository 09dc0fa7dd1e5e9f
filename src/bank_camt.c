/* camt.053 (ISO 20022 bank-to-customer statement), versions 001.02 to
 * 001.08, read with expat as a stream: only the element path and the text
 * of the current leaf are kept, so a statement of any size parses in
 * constant memory beside its lines. Batch entries (one Ntry with several
 * TxDtls carrying their own amounts) become one line per transaction. */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bank.h"
#include "status.h"
#include "xalloc.h"

#define CAMT_NS "urn:iso:std:iso:20022:tech:xsd:camt.053.001.0"
#define DEPTH_MAX 64

/* One TxDtls of the entry being read. */
struct tx {
	char *amount, *currency, *cdtdbt, *e2e, *ref, *ustrd, *strd, *debtor, *debtor_account,
	    *creditor, *creditor_account;
	long line;
};

struct parser {
	const char *path;
	XML_Parser xml;
	struct bank_file *out;
	struct bank_statement *st;
	char *stack[DEPTH_MAX];
	int depth;
	struct buf text;
	char *attr_ccy;            /* Ccy attribute of the current Amt */
	bool seen_document;
	/* the balance being read */
	char *bal_code, *bal_amount, *bal_currency, *bal_cdtdbt;
	/* the entry being read */
	bool in_entry;
	long entry_line, amount_line; /* where the entry and its Amt start */
	char *amount, *currency, *cdtdbt, *reversal, *status, *booking, *value, *ntry_ref, *svcr_ref,
	    *type, *addtl;
	struct tx *txs;
	size_t ntxs, txcap;
	char **cause;
	int rc;
};

/* Fails at line, or at the parser's position when line is 0. */
static void fail_at(struct parser *p, long line, const char *field, const char *value, const char *why)
{
	if (p->rc != DUN_OK)
		return;
	if (line == 0)
		line = (long)XML_GetCurrentLineNumber(p->xml);
	p->rc = dun_fail(p->cause, DUN_EDATA, "%s:%ld: %s \"%.40s\": %s", p->path, line, field,
	    value != NULL ? value : "", why);
	XML_StopParser(p->xml, XML_FALSE);
}

static void fail(struct parser *p, const char *field, const char *value, const char *why)
{
	fail_at(p, 0, field, value, why);
}

/* True when the innermost elements are the '/'-separated names of path
 * (the current element last). */
static bool at(const struct parser *p, const char *path)
{
	int n = 1;
	for (const char *c = path; *c != '\0'; c++)
		n += *c == '/';
	if (n > p->depth)
		return false;
	const char *c = path;
	for (int i = p->depth - n; i < p->depth; i++) {
		size_t len = strcspn(c, "/");
		if (strlen(p->stack[i]) != len || strncmp(p->stack[i], c, len) != 0)
			return false;
		c += len + (c[len] == '/');
	}
	return true;
}

static bool inside(const struct parser *p, const char *name)
{
	for (int i = 0; i < p->depth; i++)
		if (strcmp(p->stack[i], name) == 0)
			return true;
	return false;
}

/* A file may repeat an element: the last one wins. */
static void replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static void keep(char **field, const struct buf *text)
{
	bank_set(field, text->data != NULL ? text->data : "", text->len);
}

static void tx_free(struct tx *t)
{
	char **f[] = { &t->amount, &t->currency, &t->cdtdbt, &t->e2e, &t->ref, &t->ustrd, &t->strd,
		&t->debtor, &t->debtor_account, &t->creditor, &t->creditor_account };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		free(*f[i]);
}

static void entry_clear(struct parser *p)
{
	char **f[] = { &p->amount, &p->currency, &p->cdtdbt, &p->reversal, &p->status, &p->booking,
		&p->value, &p->ntry_ref, &p->svcr_ref, &p->type, &p->addtl };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
	for (size_t i = 0; i < p->ntxs; i++)
		tx_free(&p->txs[i]);
	p->ntxs = 0;
	p->in_entry = false;
}

static void balance_clear(struct parser *p)
{
	char **f[] = { &p->bal_code, &p->bal_amount, &p->bal_currency, &p->bal_cdtdbt };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
}

static const char *or_empty(const char *s)
{
	return s != NULL ? s : "";
}

/* "2014-12-31" or "2014-12-31T13:15:00+01:00": the date as written. */
static bool parse_date(const char *text, day_t *out)
{
	char d[DATE_TEXT_MAX];
	if (strlen(text) < 10)
		return false;
	memcpy(d, text, 10);
	d[10] = '\0';
	return (text[10] == '\0' || text[10] == 'T') && date_parse_iso(d, out);
}

static bool parse_amount(struct parser *p, long line, const char *field, const char *text, const char *currency,
    money_t *out)
{
	const char *why;
	if (text == NULL) {
		fail(p, field, "", "missing");
		return false;
	}
	if (!bank_amount_parse(text, or_empty(currency), '.', out, &why)) {
		fail_at(p, line, field, text, why);
		return false;
	}
	return true;
}

static void balance_end(struct parser *p)
{
	money_t amount;
	if (p->bal_code == NULL || p->st == NULL)
		return;
	bool opening = strcmp(p->bal_code, "OPBD") == 0 || strcmp(p->bal_code, "PRCD") == 0;
	bool closing = strcmp(p->bal_code, "CLBD") == 0;
	if (!opening && !closing)
		return;
	if (!parse_amount(p, 0, "Bal/Amt", p->bal_amount, p->bal_currency, &amount))
		return;
	if (p->bal_cdtdbt != NULL && strcmp(p->bal_cdtdbt, "DBIT") == 0)
		amount = -amount;
	if (p->st->currency[0] == '\0' && p->bal_currency != NULL)
		snprintf(p->st->currency, sizeof p->st->currency, "%s", p->bal_currency);
	/* The opening booked balance wins over the previous closing one. */
	if (opening && (!p->st->has_opening || strcmp(p->bal_code, "OPBD") == 0)) {
		p->st->has_opening = true;
		p->st->opening = amount;
	} else if (closing) {
		p->st->has_closing = true;
		p->st->closing = amount;
	}
}

/* Fills a line from a transaction's details; the counterparty is the
 * debtor of a credit and the creditor of a debit. */
static void line_details(struct bank_line *l, const struct tx *t)
{
	bank_set(&l->end_to_end_id, or_empty(t->e2e), strlen(or_empty(t->e2e)));
	bank_set(&l->remittance, or_empty(t->ustrd), strlen(or_empty(t->ustrd)));
	bank_set(&l->structured_ref, or_empty(t->strd), strlen(or_empty(t->strd)));
	const char *name = l->credit ? t->debtor : t->creditor;
	const char *account = l->credit ? t->debtor_account : t->creditor_account;
	bank_set(&l->payer_name, or_empty(name), strlen(or_empty(name)));
	bank_set(&l->payer_account, or_empty(account), strlen(or_empty(account)));
	if (t->ref != NULL && *l->bank_ref == '\0')
		bank_set(&l->bank_ref, t->ref, strlen(t->ref));
}

static void entry_end(struct parser *p)
{
	money_t amount;
	day_t booking = DATE_NONE, value = DATE_NONE;
	if (p->status != NULL && (strcmp(p->status, "PDNG") == 0 || strcmp(p->status, "INFO") == 0))
		return; /* not booked: not money yet */
	if (!parse_amount(p, p->amount_line, "Ntry/Amt", p->amount, p->currency, &amount))
		return;
	if (p->cdtdbt == NULL || (strcmp(p->cdtdbt, "CRDT") != 0 && strcmp(p->cdtdbt, "DBIT") != 0)) {
		fail(p, "Ntry/CdtDbtInd", p->cdtdbt, "expected CRDT or DBIT");
		return;
	}
	if (p->booking != NULL && !parse_date(p->booking, &booking)) {
		fail(p, "Ntry/BookgDt", p->booking, "not a date");
		return;
	}
	if (p->value != NULL && !parse_date(p->value, &value)) {
		fail(p, "Ntry/ValDt", p->value, "not a date");
		return;
	}
	if (booking == DATE_NONE)
		booking = value;
	if (booking == DATE_NONE) {
		fail(p, "Ntry/BookgDt", "", "missing");
		return;
	}
	bool credit = strcmp(p->cdtdbt, "CRDT") == 0;
	bool reversal = p->reversal != NULL && strcmp(p->reversal, "true") == 0;
	/* A batch: several transactions, each with its own amount. */
	bool split = p->ntxs > 1;
	for (size_t i = 0; split && i < p->ntxs; i++)
		split = p->txs[i].amount != NULL;
	size_t nlines = split ? p->ntxs : 1;
	for (size_t i = 0; i < nlines; i++) {
		money_t line_amount = amount;
		bool line_credit = credit;
		if (split) {
			const struct tx *t = &p->txs[i];
			if (!parse_amount(p, t->line, "TxDtls/Amt", t->amount, t->currency != NULL ? t->currency : p->currency, &line_amount))
				return;
			if (t->cdtdbt != NULL)
				line_credit = strcmp(t->cdtdbt, "CRDT") == 0;
		}
		struct bank_line *l = bank_line_add(p->st, split ? p->txs[i].line : p->entry_line);
		l->amount = line_amount;
		l->credit = line_credit;
		l->reversal = reversal;
		l->booking_date = booking;
		l->value_date = value;
		if (p->currency != NULL)
			snprintf(l->currency, sizeof l->currency, "%s", p->currency);
		if (p->st->currency[0] == '\0')
			memcpy(p->st->currency, l->currency, sizeof l->currency);
		bank_set(&l->entry_ref, or_empty(p->ntry_ref), strlen(or_empty(p->ntry_ref)));
		bank_set(&l->bank_ref, or_empty(p->svcr_ref), strlen(or_empty(p->svcr_ref)));
		bank_set(&l->type, or_empty(p->type), strlen(or_empty(p->type)));
		if (p->ntxs > 0)
			line_details(l, &p->txs[i]);
		/* One line for several transactions without amounts: all their
		 * remittance texts. */
		for (size_t j = 1; !split && j < p->ntxs; j++)
			bank_append(&l->remittance, or_empty(p->txs[j].ustrd), strlen(or_empty(p->txs[j].ustrd)), " ");
		if (*l->remittance == '\0' && p->addtl != NULL)
			bank_set(&l->remittance, p->addtl, strlen(p->addtl));
	}
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct parser *p = data;
	const char *sep = strchr(name, '|');
	const char *local = sep != NULL ? sep + 1 : name;
	if (p->depth == 0) {
		if (strcmp(local, "Document") != 0 || sep == NULL || strncmp(name, CAMT_NS, strlen(CAMT_NS)) != 0) {
			fail(p, "Document", name, "not a camt.053 document (namespace " CAMT_NS "2..8)");
			return;
		}
		p->seen_document = true;
	}
	if (p->depth == DEPTH_MAX) {
		fail(p, local, "", "elements nested too deep");
		return;
	}
	p->stack[p->depth++] = xstrdup(local);
	p->text.len = 0;
	if (p->text.data != NULL)
		p->text.data[0] = '\0';
	free(p->attr_ccy);
	p->attr_ccy = NULL;
	for (int i = 0; attrs[i] != NULL; i += 2)
		if (strcmp(attrs[i], "Ccy") == 0)
			p->attr_ccy = xstrdup(attrs[i + 1]);
	if (at(p, "BkToCstmrStmt/Stmt")) {
		p->st = bank_statement_add(p->out);
	} else if (at(p, "Stmt/Ntry")) {
		entry_clear(p);
		p->in_entry = true;
		p->entry_line = (long)XML_GetCurrentLineNumber(p->xml);
	} else if (p->in_entry && at(p, "NtryDtls/TxDtls")) {
		if (p->ntxs == p->txcap) {
			p->txcap = p->txcap == 0 ? 4 : p->txcap * 2;
			p->txs = xreallocarray(p->txs, p->txcap, sizeof *p->txs);
		}
		struct tx *t = &p->txs[p->ntxs++];
		memset(t, 0, sizeof *t);
		t->line = (long)XML_GetCurrentLineNumber(p->xml);
	} else if (at(p, "Stmt/Bal")) {
		balance_clear(p);
	}
}

/* The text of a leaf, by where it sits. */
static void leaf(struct parser *p)
{
	struct buf *b = &p->text;
	if (p->st == NULL)
		return;
	if (p->in_entry && inside(p, "TxDtls") && p->ntxs > 0) {
		struct tx *t = &p->txs[p->ntxs - 1];
		if (at(p, "TxDtls/Amt") || at(p, "AmtDtls/TxAmt/Amt")) {
			if (t->amount == NULL) {
				keep(&t->amount, b);
				if (p->attr_ccy != NULL)
					replace(&t->currency, p->attr_ccy);
			}
		} else if (at(p, "TxDtls/CdtDbtInd"))
			keep(&t->cdtdbt, b);
		else if (at(p, "Refs/EndToEndId"))
			keep(&t->e2e, b);
		else if (at(p, "Refs/AcctSvcrRef"))
			keep(&t->ref, b);
		else if (at(p, "RmtInf/Ustrd")) {
			char *add = NULL;
			keep(&add, b);
			if (t->ustrd == NULL)
				t->ustrd = xstrdup("");
			bank_append(&t->ustrd, add, strlen(add), " ");
			free(add);
		} else if (at(p, "CdtrRefInf/Ref"))
			keep(&t->strd, b);
		else if (inside(p, "RltdPties")) {
			bool debtor = inside(p, "Dbtr") || inside(p, "UltmtDbtr");
			bool creditor = inside(p, "Cdtr") || inside(p, "UltmtCdtr");
			char **name = debtor ? &t->debtor : creditor ? &t->creditor : NULL;
			char **account = inside(p, "DbtrAcct") ? &t->debtor_account
			    : inside(p, "CdtrAcct") ? &t->creditor_account : NULL;
			/* The ultimate party only when the direct one has no name. */
			if (name != NULL && at(p, "Nm") && !inside(p, "PstlAdr") && (*name == NULL || **name == '\0'))
				keep(name, b);
			else if (account != NULL && (at(p, "Id/IBAN") || at(p, "Othr/Id")) && *account == NULL)
				keep(account, b);
		}
		return;
	}
	if (p->in_entry) {
		if (at(p, "Ntry/Amt")) {
			keep(&p->amount, b);
			p->amount_line = (long)XML_GetCurrentLineNumber(p->xml);
			if (p->attr_ccy != NULL)
				replace(&p->currency, p->attr_ccy);
		} else if (at(p, "Ntry/CdtDbtInd"))
			keep(&p->cdtdbt, b);
		else if (at(p, "Ntry/RvslInd"))
			keep(&p->reversal, b);
		else if (at(p, "Ntry/Sts") || at(p, "Ntry/Sts/Cd"))
			keep(&p->status, b);
		else if (at(p, "BookgDt/Dt") || at(p, "BookgDt/DtTm"))
			keep(&p->booking, b);
		else if (at(p, "ValDt/Dt") || at(p, "ValDt/DtTm"))
			keep(&p->value, b);
		else if (at(p, "Ntry/NtryRef"))
			keep(&p->ntry_ref, b);
		else if (at(p, "Ntry/AcctSvcrRef"))
			keep(&p->svcr_ref, b);
		else if (at(p, "Ntry/AddtlNtryInf"))
			keep(&p->addtl, b);
		else if (at(p, "Ntry/BkTxCd/Prtry/Cd") && p->type == NULL)
			keep(&p->type, b);
		else if (at(p, "Ntry/BkTxCd/Domn/Fmly/SubFmlyCd")) {
			free(p->type);
			keep(&p->type, b);
		}
		return;
	}
	if (at(p, "Stmt/Id"))
		keep(&p->st->id, b);
	else if (at(p, "Stmt/Acct/Id/IBAN") || at(p, "Stmt/Acct/Id/Othr/Id"))
		keep(&p->st->account, b);
	else if (at(p, "Stmt/Acct/Ccy"))
		snprintf(p->st->currency, sizeof p->st->currency, "%.3s", b->data != NULL ? b->data : "");
	else if (at(p, "Bal/Tp/CdOrPrtry/Cd"))
		keep(&p->bal_code, b);
	else if (at(p, "Bal/Amt")) {
		keep(&p->bal_amount, b);
		if (p->attr_ccy != NULL)
			replace(&p->bal_currency, p->attr_ccy);
	} else if (at(p, "Bal/CdtDbtInd"))
		keep(&p->bal_cdtdbt, b);
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct parser *p = data;
	(void)name;
	if (p->depth == 0)
		return;
	leaf(p);
	if (at(p, "Stmt/Ntry")) {
		entry_end(p);
		entry_clear(p);
	} else if (at(p, "Stmt/Bal")) {
		balance_end(p);
		balance_clear(p);
	} else if (at(p, "BkToCstmrStmt/Stmt")) {
		p->st = NULL;
	}
	free(p->stack[--p->depth]);
	p->text.len = 0;
	if (p->text.data != NULL)
		p->text.data[0] = '\0';
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct parser *p = data;
	buf_add(&p->text, s, (size_t)len);
}

int bank_camt_parse(const char *path, const char *data, size_t size, struct bank_file *out, char **cause)
{
	struct parser p = { .path = path, .out = out, .cause = cause, .rc = DUN_OK };
	p.xml = XML_ParserCreateNS(NULL, '|');
	XML_SetUserData(p.xml, &p);
	XML_SetElementHandler(p.xml, on_start, on_end);
	XML_SetCharacterDataHandler(p.xml, on_text);
	/* Feed in slices so that a file above INT_MAX bytes still streams. */
	const size_t slice = 1 << 20;
	size_t off = 0;
	do {
		size_t n = size - off < slice ? size - off : slice;
		bool final = off + n == size;
		if (XML_Parse(p.xml, data + off, (int)n, final) == XML_STATUS_ERROR && p.rc == DUN_OK) {
			p.rc = dun_fail(cause, DUN_EDATA, "%s:%lu: xml \"column %lu\": %s", path,
			    (unsigned long)XML_GetCurrentLineNumber(p.xml),
			    (unsigned long)XML_GetCurrentColumnNumber(p.xml) + 1,
			    XML_ErrorString(XML_GetErrorCode(p.xml)));
		}
		off += n;
	} while (off < size && p.rc == DUN_OK);
	if (p.rc == DUN_OK && out->nstatements == 0)
		p.rc = dun_fail(cause, DUN_EDATA, "%s:%lu: Stmt \"\": no statement in the document", path,
		    (unsigned long)XML_GetCurrentLineNumber(p.xml));
	while (p.depth > 0)
		free(p.stack[--p.depth]);
	entry_clear(&p);
	balance_clear(&p);
	free(p.txs);
	free(p.attr_ccy);
	buf_free(&p.text);
	XML_ParserFree(p.xml);
	return p.rc;
}
