/* The merge-field language: text is parsed into a tree of nodes (so every
 * error is found before anything is written), then the tree is walked. */
#include "template.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "embedded.h"
#include "status.h"
#include "text.h"
#include "xalloc.h"

enum field_type { FIELD_TEXT, FIELD_BOOL };
enum field_scope { SCOPE_CUSTOMER, SCOPE_INVOICE };
/* How an invoice field fills its column: the invoice table lines up, each
 * field as wide as its widest value ("7" under "70" days, amounts to the
 * right), whatever the template's language. */
enum field_align { ALIGN_NONE, ALIGN_LEFT, ALIGN_RIGHT };

struct field {
	const char *name;
	enum field_scope scope;
	enum field_type type;
	size_t offset; /* in struct template_data or struct template_invoice */
	enum field_align align;
};

#define CUSTOMER(n, m) { n, SCOPE_CUSTOMER, FIELD_TEXT, offsetof(struct template_data, m), ALIGN_NONE }
#define INVOICE(n, m, a) { n, SCOPE_INVOICE, FIELD_TEXT, offsetof(struct template_invoice, m), a }
static const struct field fields[] = {
	CUSTOMER("customer.name", customer_name),
	CUSTOMER("customer.code", customer_code),
	CUSTOMER("company.name", company_name),
	CUSTOMER("date", date),
	CUSTOMER("currency", currency),
	CUSTOMER("base_currency", base_currency),
	CUSTOMER("total_overdue", total_overdue),
	CUSTOMER("total_open", total_open),
	CUSTOMER("total_interest", total_interest),
	CUSTOMER("total_indemnity", total_indemnity),
	CUSTOMER("total_due", total_due),
	CUSTOMER("payment_link", payment_link),
	{ "statement", SCOPE_CUSTOMER, FIELD_BOOL, offsetof(struct template_data, statement), ALIGN_NONE },
	{ "late_interest", SCOPE_CUSTOMER, FIELD_BOOL, offsetof(struct template_data, late_interest), ALIGN_NONE },
	INVOICE("invoice.number", number, ALIGN_LEFT),
	INVOICE("invoice.issue_date", issue_date, ALIGN_LEFT),
	INVOICE("invoice.due_date", due_date, ALIGN_LEFT),
	INVOICE("invoice.days_overdue", days_overdue, ALIGN_RIGHT),
	INVOICE("invoice.amount", amount, ALIGN_RIGHT),
	INVOICE("invoice.open", open, ALIGN_RIGHT),
	INVOICE("invoice.interest", interest, ALIGN_RIGHT),
	INVOICE("invoice.indemnity", indemnity, ALIGN_RIGHT),
	INVOICE("invoice.payment_link", payment_link, ALIGN_NONE),
};
#undef CUSTOMER
#undef INVOICE
#define NFIELDS ((int)(sizeof fields / sizeof fields[0]))

enum node_kind { NODE_TEXT, NODE_FIELD, NODE_INVOICES, NODE_IF };

struct node {
	enum node_kind kind;
	const char *text;        /* NODE_TEXT */
	size_t len;
	int field;               /* NODE_FIELD, NODE_IF */
	struct node *body;       /* NODE_INVOICES, NODE_IF */
	int nbody;
	struct node *alt;        /* NODE_IF's else */
	int nalt;
};

enum token_kind { TOKEN_TEXT, TOKEN_FIELD, TOKEN_INVOICES, TOKEN_END_INVOICES, TOKEN_IF, TOKEN_ELSE, TOKEN_END_IF, TOKEN_END };

struct token {
	enum token_kind kind;
	const char *text;        /* TOKEN_TEXT: the text; others: the tag */
	size_t len;
	int field;
	int line;
};

struct parser {
	const char *file;
	char **cause;
	struct token *tokens;
	int ntokens, next;
	bool in_invoices;
};

static void nodes_free(struct node *nodes, int n)
{
	for (int i = 0; i < n; i++) {
		nodes_free(nodes[i].body, nodes[i].nbody);
		nodes_free(nodes[i].alt, nodes[i].nalt);
	}
	free(nodes);
}

static int tag_fail(const char *file, char **cause, int line, const char *tag, size_t len, const char *why)
{
	return dun_fail(cause, DUN_EDATA, "%s:%d: tag \"%.*s\": %s", file, line, (int)(len > 40 ? 40 : len), tag, why);
}

static void token_add(struct parser *p, enum token_kind kind, const char *text, size_t len, int line)
{
	p->tokens = xreallocarray(p->tokens, (size_t)p->ntokens + 1, sizeof *p->tokens);
	p->tokens[p->ntokens++] = (struct token){ .kind = kind, .text = text, .len = len, .field = -1, .line = line };
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int field_find(const char *name, size_t len)
{
	for (int i = 0; i < NFIELDS; i++)
		if (strlen(fields[i].name) == len && memcmp(fields[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Splits text into text runs and tags. A block tag alone on its line
 * (blanks around it) takes its indentation and newline with it, so a
 * template reads like the message it makes. */
static int tokenize(struct parser *p, const char *text, size_t len)
{
	const char *end = text + len, *q = text, *run = text, *line_begin = text;
	int line = 1, run_line = 1;
	while (q < end) {
		if (*q == '\n') {
			line++;
			line_begin = ++q;
			continue;
		}
		if (!(q[0] == '{' && q + 1 < end && q[1] == '{')) {
			q++;
			continue;
		}
		const char *open = q, *close = NULL;
		for (const char *c = open + 2; c + 1 < end && *c != '\n'; c++)
			if (c[0] == '}' && c[1] == '}') {
				close = c;
				break;
			}
		if (!close) {
			const char *nl = memchr(open, '\n', (size_t)(end - open));
			return tag_fail(p->file, p->cause, line, open, (size_t)((nl ? nl : end) - open),
			    "no closing }} on its line");
		}
		const char *tag = open + 2;
		size_t taglen = (size_t)(close - tag), whole = taglen + 4;
		enum token_kind kind;
		int field = -1;
		if (taglen == 9 && memcmp(tag, "#invoices", 9) == 0)
			kind = TOKEN_INVOICES;
		else if (taglen == 9 && memcmp(tag, "/invoices", 9) == 0)
			kind = TOKEN_END_INVOICES;
		else if (taglen > 4 && memcmp(tag, "#if ", 4) == 0) {
			kind = TOKEN_IF;
			if ((field = field_find(tag + 4, taglen - 4)) < 0)
				return tag_fail(p->file, p->cause, line, open, whole, "unknown field");
		} else if (taglen == 4 && memcmp(tag, "else", 4) == 0)
			kind = TOKEN_ELSE;
		else if (taglen == 3 && memcmp(tag, "/if", 3) == 0)
			kind = TOKEN_END_IF;
		else if (taglen > 0 && (tag[0] == '#' || tag[0] == '/'))
			return tag_fail(p->file, p->cause, line, open, whole,
			    "unknown block ({{#invoices}}, {{/invoices}}, {{#if FIELD}}, {{else}}, {{/if}})");
		else {
			kind = TOKEN_FIELD;
			if ((field = field_find(tag, taglen)) < 0)
				return tag_fail(p->file, p->cause, line, open, whole, "unknown field");
		}
		const char *text_end = open, *resume = close + 2;
		if (kind != TOKEN_FIELD) {
			const char *a = line_begin, *b = resume;
			while (a < open && is_blank(*a))
				a++;
			while (b < end && is_blank(*b))
				b++;
			if (a == open && (b == end || *b == '\n')) {
				text_end = line_begin;
				resume = b < end ? b + 1 : b;
			}
		}
		if (text_end > run)
			token_add(p, TOKEN_TEXT, run, (size_t)(text_end - run), run_line);
		token_add(p, kind, open, whole, line);
		p->tokens[p->ntokens - 1].field = field;
		if (resume > close + 2 && resume[-1] == '\n') {
			line++;
			line_begin = resume;
		}
		q = run = resume;
		run_line = line;
	}
	if (end > run)
		token_add(p, TOKEN_TEXT, run, (size_t)(end - run), run_line);
	token_add(p, TOKEN_END, end, 0, line);
	return DUN_OK;
}

static struct node *node_add(struct node **nodes, int *n)
{
	*nodes = xreallocarray(*nodes, (size_t)*n + 1, sizeof **nodes);
	struct node *node = &(*nodes)[(*n)++];
	*node = (struct node){ .field = -1 };
	return node;
}

/* Builds nodes until a token that closes the block; leaves p->next on it. */
static int parse_block(struct parser *p, struct node **nodes, int *n)
{
	for (;;) {
		struct token *t = &p->tokens[p->next];
		switch (t->kind) {
		case TOKEN_END:
		case TOKEN_END_INVOICES:
		case TOKEN_ELSE:
		case TOKEN_END_IF:
			return DUN_OK;
		case TOKEN_TEXT: {
			struct node *node = node_add(nodes, n);
			node->kind = NODE_TEXT;
			node->text = t->text;
			node->len = t->len;
			p->next++;
			break;
		}
		case TOKEN_FIELD: {
			if (fields[t->field].scope == SCOPE_INVOICE && !p->in_invoices)
				return tag_fail(p->file, p->cause, t->line, t->text, t->len, "an invoice field outside {{#invoices}}");
			struct node *node = node_add(nodes, n);
			node->kind = NODE_FIELD;
			node->field = t->field;
			p->next++;
			break;
		}
		case TOKEN_INVOICES: {
			if (p->in_invoices)
				return tag_fail(p->file, p->cause, t->line, t->text, t->len, "{{#invoices}} inside {{#invoices}}");
			int line = t->line;
			p->next++;
			p->in_invoices = true;
			struct node *body = NULL;
			int nbody = 0;
			int status = parse_block(p, &body, &nbody);
			p->in_invoices = false;
			if (status == DUN_OK && p->tokens[p->next].kind != TOKEN_END_INVOICES)
				status = tag_fail(p->file, p->cause, line, "{{#invoices}}", 13,
				    p->tokens[p->next].kind == TOKEN_END ? "not closed by {{/invoices}}" : "closed by the wrong tag");
			if (status != DUN_OK) {
				nodes_free(body, nbody);
				return status;
			}
			p->next++;
			struct node *node = node_add(nodes, n);
			node->kind = NODE_INVOICES;
			node->body = body;
			node->nbody = nbody;
			break;
		}
		case TOKEN_IF: {
			if (fields[t->field].scope == SCOPE_INVOICE && !p->in_invoices)
				return tag_fail(p->file, p->cause, t->line, t->text, t->len, "an invoice field outside {{#invoices}}");
			const struct token open = *t;
			p->next++;
			struct node *body = NULL, *alt = NULL;
			int nbody = 0, nalt = 0;
			int status = parse_block(p, &body, &nbody);
			if (status == DUN_OK && p->tokens[p->next].kind == TOKEN_ELSE) {
				p->next++;
				status = parse_block(p, &alt, &nalt);
			}
			if (status == DUN_OK && p->tokens[p->next].kind != TOKEN_END_IF)
				status = tag_fail(p->file, p->cause, open.line, open.text, open.len,
				    p->tokens[p->next].kind == TOKEN_END ? "not closed by {{/if}}" : "closed by the wrong tag");
			if (status != DUN_OK) {
				nodes_free(body, nbody);
				nodes_free(alt, nalt);
				return status;
			}
			p->next++;
			struct node *node = node_add(nodes, n);
			node->kind = NODE_IF;
			node->field = open.field;
			node->body = body;
			node->nbody = nbody;
			node->alt = alt;
			node->nalt = nalt;
			break;
		}
		}
	}
}

static int parse(const char *text, size_t len, const char *file, struct node **nodes, int *n, char **cause)
{
	struct parser p = { .file = file, .cause = cause };
	*nodes = NULL;
	*n = 0;
	int status = tokenize(&p, text, len);
	if (status == DUN_OK) {
		status = parse_block(&p, nodes, n);
		struct token *t = &p.tokens[p.next];
		if (status == DUN_OK && t->kind != TOKEN_END)
			status = tag_fail(file, cause, t->line, t->text, t->len, "closes no open block");
	}
	free(p.tokens);
	if (status != DUN_OK) {
		nodes_free(*nodes, *n);
		*nodes = NULL;
		*n = 0;
	}
	return status;
}

int template_check(const char *text, size_t len, const char *file, char **cause)
{
	struct node *nodes;
	int n;
	int status = parse(text, len, file, &nodes, &n, cause);
	nodes_free(nodes, n);
	return status;
}

static const void *field_base(const struct field *f, const struct template_data *d, const struct template_invoice *inv)
{
	return f->scope == SCOPE_INVOICE ? (const void *)inv : (const void *)d;
}

static const char *field_text(int field, const struct template_data *d, const struct template_invoice *inv)
{
	const struct field *f = &fields[field];
	const char *base = field_base(f, d, inv);
	if (f->type == FIELD_BOOL)
		return *(const bool *)(base + f->offset) ? "yes" : "";
	const char *v = *(const char *const *)(base + f->offset);
	return v ? v : "";
}

static void pad(struct buf *out, int n)
{
	for (; n > 0; n--)
		buf_putc(out, ' ');
}

/* width: each invoice field's column width inside {{#invoices}}, else NULL. */
static void render(const struct node *nodes, int n, const struct template_data *d,
    const struct template_invoice *inv, const int *width, struct buf *out)
{
	for (int i = 0; i < n; i++) {
		const struct node *node = &nodes[i];
		switch (node->kind) {
		case NODE_TEXT:
			buf_add(out, node->text, node->len);
			break;
		case NODE_FIELD: {
			const char *v = field_text(node->field, d, inv);
			enum field_align align = width && fields[node->field].scope == SCOPE_INVOICE ?
			    fields[node->field].align : ALIGN_NONE;
			int room = align == ALIGN_NONE ? 0 : width[node->field] - text_width(v);
			if (align == ALIGN_RIGHT)
				pad(out, room);
			/* Imported text must not break the message's lines. */
			for (; *v; v++)
				buf_putc(out, (unsigned char)*v < 0x20 || *v == 0x7f ? ' ' : *v);
			if (align == ALIGN_LEFT)
				pad(out, room);
			break;
		}
		case NODE_INVOICES: {
			int columns[NFIELDS] = {0};
			for (int f = 0; f < NFIELDS; f++)
				for (int j = 0; fields[f].scope == SCOPE_INVOICE && j < d->ninvoices; j++) {
					int w = text_width(field_text(f, d, &d->invoices[j]));
					columns[f] = w > columns[f] ? w : columns[f];
				}
			for (int j = 0; j < d->ninvoices; j++)
				render(node->body, node->nbody, d, &d->invoices[j], columns, out);
			break;
		}
		case NODE_IF:
			if (*field_text(node->field, d, inv))
				render(node->body, node->nbody, d, inv, width, out);
			else
				render(node->alt, node->nalt, d, inv, width, out);
			break;
		}
	}
}

int template_render(const char *text, size_t len, const char *file,
    const struct template_data *data, char **out, char **cause)
{
	struct node *nodes;
	int n;
	int status = parse(text, len, file, &nodes, &n, cause);
	if (status != DUN_OK)
		return status;
	struct buf b = { 0 };
	buf_puts(&b, "");
	render(nodes, n, data, NULL, NULL, &b);
	nodes_free(nodes, n);
	*out = buf_take(&b);
	return DUN_OK;
}

int template_render_message(const char *name, const char *language,
    const struct template_data *data, char **subject, char **body, char **cause)
{
	char *path = xasprintf("templates/%s/%s.txt", language, name);
	const struct embedded_file *f = embedded_find(path);
	int status;
	char *text = NULL;
	if (!f)
		status = dun_fail(cause, DUN_EDATA, "template \"%s\": no such template", path);
	else
		status = template_render(f->data, f->size, path, data, &text, cause);
	if (status == DUN_OK && strncmp(text, "Subject:", 8) != 0)
		status = dun_fail(cause, DUN_EDATA, "%s:1: Subject \"\": the first line must be \"Subject: ...\"", path);
	if (status == DUN_OK) {
		const char *s = text + 8, *nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		while (*s == ' ' || *s == '\t')
			s++;
		const char *e = nl;
		while (e > s && (e[-1] == ' ' || e[-1] == '\r'))
			e--;
		*subject = xstrndup(s, (size_t)(e - s));
		const char *b = *nl ? nl + 1 : nl;
		if (*b == '\n') /* the blank line after the subject */
			b++;
		*body = xstrdup(b);
	}
	free(text);
	free(path);
	return status;
}
