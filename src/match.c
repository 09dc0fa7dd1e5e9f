/* Payment matching: references, customer, proposals (see match.h).
 *
 * References are found by keys, not by the exact text: the ledger's
 * invoice numbers (and PO numbers) are indexed by their digit groups
 * without leading zeros, and the remittance text is scanned with one
 * PCRE2 pattern per digit-group shape seen in the ledger ("INV-2024-000123"
 * has the shape 4,6), tolerant of the letters, spaces, dashes, slashes and
 * zeros people put around the digits. A key found in the text that is no
 * open invoice's costs a lookup, not a wrong match: when the text names no
 * open invoice at all, such keys are tried, rebuilt into invoice numbers
 * of the ledger's shapes, as invoices already paid (a customer paying one
 * twice), which still name the customer. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bank.h"
#include "ledger.h"
#include "match.h"
#include "status.h"
#include "text.h"
#include "xalloc.h"

#define SHAPES_MAX 4          /* digit-group shapes turned into patterns */
#define GROUPS_MAX 4          /* digit groups in a shape */
#define REFS_MAX 32           /* references kept from one text */
#define MISSED_MAX 4          /* keys of one text naming no invoice in memory */
#define KEY_MAX 40            /* bytes of such a key kept, its end included */
#define SUBSET_ITEMS 24       /* open invoices the subset-sum looks at */
#define SUBSET_BUDGET 20000   /* search nodes per payment */
#define MATCH_LIMIT 100000    /* PCRE2 limits for user patterns on bank text */
#define DEPTH_LIMIT 1000

struct invoice {
	int64_t id;
	int customer;              /* index in customers */
	char *number;
	char currency[4];
	money_t open;
	money_t loaded;            /* the open amount when the matcher was built */
	day_t due;
};

struct customer {
	int64_t id;
	char *code;
	int first, count;          /* its open invoices: invoices[first..first+count) */
	char *norm;                /* its name, normalised */
	int next_same;             /* the next customer of that normalised name, or -1 */
};

/* A string-keyed hash table of int values; ambiguity is value -2. */
struct table {
	char **keys;
	uint64_t *hashes;          /* compared before the keys */
	int *values;
	size_t cap, n;
};

/* Reference keys to invoices: one key may name several invoices (an
 * invoice and a PO of another), chained through next. */
struct refnode {
	int invoice;
	int next;
};

/* A digit-group shape of the ledger's references ("INV-2024-000123":
 * 4,6). */
struct shape {
	int n, widths[GROUPS_MAX];
	long count;
	char template[48];         /* an invoice number of the shape, "" if none */
};

struct pattern {
	pcre2_code *code;
	bool jit;
	int groups;                /* capture groups that make the key */
};

struct matcher {
	struct store *store;
	struct invoice *invoices;
	int ninvoices;
	struct customer *customers;
	int ncustomers;
	struct table refs;         /* key -> first refnode */
	struct refnode *nodes;
	int nnodes, nodecap;
	struct table names, name_starts, name_prefixes, accounts;
	int *by_amount;            /* invoices sorted by their open amount at load */
	struct pattern patterns[SHAPES_MAX + 16];
	int npatterns;
	struct shape shapes[SHAPES_MAX]; /* those of the first patterns */
	int nshapes;
	pcre2_code *rf;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

/* ---- hash table -------------------------------------------------------- */

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t table_slot(const struct table *t, const char *key, uint64_t h)
{
	size_t i = h & (t->cap - 1);
	while (t->keys[i] != NULL && (t->hashes[i] != h || strcmp(t->keys[i], key) != 0))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int table_get(const struct table *t, const char *key)
{
	if (t->cap == 0)
		return -1;
	size_t i = table_slot(t, key, hash(key));
	return t->keys[i] != NULL ? t->values[i] : -1;
}

/* Sets key to value; with unique, a second different value marks the key
 * ambiguous (-2). Returns the slot's previous value or -1. */
static int table_put(struct table *t, const char *key, int value, bool unique)
{
	if (2 * (t->n + 1) > t->cap) {
		struct table old = *t;
		t->cap = t->cap == 0 ? 1024 : t->cap * 2;
		t->keys = xcalloc(t->cap, sizeof *t->keys);
		t->hashes = xcalloc(t->cap, sizeof *t->hashes);
		t->values = xcalloc(t->cap, sizeof *t->values);
		for (size_t i = 0; i < old.cap; i++) {
			if (old.keys[i] != NULL) {
				size_t j = table_slot(t, old.keys[i], old.hashes[i]);
				t->keys[j] = old.keys[i];
				t->hashes[j] = old.hashes[i];
				t->values[j] = old.values[i];
			}
		}
		free(old.keys);
		free(old.hashes);
		free(old.values);
	}
	uint64_t h = hash(key);
	size_t i = table_slot(t, key, h);
	if (t->keys[i] == NULL) {
		t->keys[i] = xstrdup(key);
		t->hashes[i] = h;
		t->values[i] = value;
		t->n++;
		return -1;
	}
	int previous = t->values[i];
	if (!unique)
		t->values[i] = value;
	else if (previous != value)
		t->values[i] = -2;
	return previous;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->hashes);
	free(t->values);
	memset(t, 0, sizeof *t);
}

/* ---- text ---------------------------------------------------------------- */

char *match_reference_key(const char *text, size_t len)
{
	struct buf b = { 0 };
	size_t i = 0;
	while (i < len) {
		if (!isdigit((unsigned char)text[i])) {
			i++;
			continue;
		}
		while (i + 1 < len && text[i] == '0' && isdigit((unsigned char)text[i + 1]))
			i++;
		if (b.len > 0)
			buf_putc(&b, '.');
		while (i < len && isdigit((unsigned char)text[i]))
			buf_putc(&b, text[i++]);
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_take(&b);
}

bool match_rf_valid(const char *text)
{
	char ref[40];
	size_t n = 0;
	for (const char *c = text; *c != '\0'; c++) {
		if (*c == ' ')
			continue;
		if (!isalnum((unsigned char)*c) || n + 1 >= sizeof ref)
			return false;
		ref[n++] = (char)toupper((unsigned char)*c);
	}
	ref[n] = '\0';
	if (n < 5 || n > 25 || ref[0] != 'R' || ref[1] != 'F' || !isdigit((unsigned char)ref[2])
	    || !isdigit((unsigned char)ref[3]))
		return false;
	/* ISO 7064 mod 97-10 over the reference with "RFnn" moved to the end,
	 * letters as 10..35. */
	int rest = 0;
	for (size_t k = 0; k < n; k++) {
		char c = ref[(k + 4) % n];
		int v = isdigit((unsigned char)c) ? c - '0' : c - 'A' + 10;
		rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
	}
	return rest == 1;
}

/* Latin letters with accents, as UTF-8 code points, to ASCII. */
static char fold_accent(int cp)
{
	static const char *const latin1 = /* U+00C0..U+00FF */
	    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0];
	if (cp >= 0x100 && cp <= 0x17F) {
		/* Latin Extended-A: pairs of upper and lower case, by ranges. */
		static const struct { int from, to; char c; } ranges[] = {
			{0x100, 0x105, 'a'}, {0x106, 0x10D, 'c'}, {0x10E, 0x111, 'd'}, {0x112, 0x11B, 'e'},
			{0x11C, 0x123, 'g'}, {0x124, 0x127, 'h'}, {0x128, 0x131, 'i'}, {0x134, 0x135, 'j'},
			{0x136, 0x138, 'k'}, {0x139, 0x142, 'l'}, {0x143, 0x14B, 'n'}, {0x14C, 0x153, 'o'},
			{0x154, 0x159, 'r'}, {0x15A, 0x161, 's'}, {0x162, 0x167, 't'}, {0x168, 0x173, 'u'},
			{0x174, 0x175, 'w'}, {0x176, 0x178, 'y'}, {0x179, 0x17E, 'z'},
		};
		for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
			if (cp >= ranges[i].from && cp <= ranges[i].to)
				return ranges[i].c;
	}
	return ' ';
}

/* Legal forms and filler words that say nothing about who pays. */
static bool noise_word(const char *w, size_t n)
{
	static const char *const words[] = {
		"sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "scop", "gmbh", "ag", "kg", "ohg", "ug", "ev",
		"ltd", "limited", "plc", "llp", "llc", "inc", "incorporated", "corp", "corporation", "co", "company",
		"bv", "nv", "vof", "srl", "spa", "sl", "sau", "oy", "ab", "as", "aps", "sro", "kft", "sp", "zoo",
		"the", "et", "and", "cie", "group", "groupe",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strncmp(words[i], w, n) == 0 && words[i][n] == '\0')
			return true;
	return false;
}

char *match_name_normalise(const char *name)
{
	struct buf folded = { 0 };
	size_t len = strlen(name);
	for (size_t i = 0; i < len;) {
		int cp;
		int n = text_decode(name + i, len - i, &cp);
		i += (size_t)n;
		if (cp == '.')
			continue; /* "S.A.S." is "SAS" */
		if (cp >= 0 && cp < 0x80)
			buf_putc(&folded, isalnum(cp) ? (char)tolower(cp) : ' ');
		else if (cp >= 0x80) {
			char c = fold_accent(cp);
			if (c == 's' && cp == 0xDF)
				buf_puts(&folded, "ss");
			else
				buf_putc(&folded, (char)tolower((unsigned char)c));
		}
	}
	struct buf out = { 0 };
	const char *s = folded.data != NULL ? folded.data : "";
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (n > 0 && !noise_word(s, n)) {
			if (out.len > 0)
				buf_putc(&out, ' ');
			buf_add(&out, s, n);
		}
		s += n;
	}
	buf_free(&folded);
	if (out.data == NULL)
		buf_puts(&out, "");
	return buf_take(&out);
}

/* Banks cut names at 35 characters: long names compare by their start. */
#define NAME_CUT 24

/* The first two words of a normalised name: a payer writing "ACME
 * INDUSTRIES FRANCE" for "Acme Industries SAS". */
static char *name_prefix(const char *normalised)
{
	const char *space = strchr(normalised, ' ');
	if (space == NULL)
		return NULL;
	const char *second = strchr(space + 1, ' ');
	return second == NULL ? xstrdup(normalised) : xstrndup(normalised, (size_t)(second - normalised));
}

/* ---- loading ------------------------------------------------------------- */

static void ref_add(struct matcher *m, const char *text, int invoice)
{
	char *key = match_reference_key(text, strlen(text));
	if (*key != '\0') {
		if (m->nnodes == m->nodecap) {
			m->nodecap = m->nodecap == 0 ? 1024 : m->nodecap * 2;
			m->nodes = xreallocarray(m->nodes, (size_t)m->nodecap, sizeof *m->nodes);
		}
		int node = m->nnodes++;
		m->nodes[node].invoice = invoice;
		m->nodes[node].next = table_put(&m->refs, key, node, false);
	}
	free(key);
}

/* The digit-group widths of a reference ("INV-2024-000123": 4,6). */
static int shape_of(const char *s, int *widths)
{
	int n = 0;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s)) {
			s++;
			continue;
		}
		int w = 0;
		while (isdigit((unsigned char)*s)) {
			w++;
			s++;
		}
		if (n == GROUPS_MAX)
			return 0;
		widths[n++] = w;
	}
	return n;
}

/* Counts text's shape; number says whether it is an invoice number (not a
 * PO), the first of which becomes the shape's template. */
static void shape_count(struct shape *shapes, int *nshapes, const char *text, bool number)
{
	struct shape s = { 0 };
	s.n = shape_of(text, s.widths);
	if (s.n == 0)
		return;
	struct shape *found = NULL;
	for (int i = 0; i < *nshapes && found == NULL; i++)
		if (shapes[i].n == s.n && memcmp(shapes[i].widths, s.widths, sizeof s.widths) == 0)
			found = &shapes[i];
	if (found == NULL && *nshapes < 64)
		found = &shapes[(*nshapes)++];
	else if (found == NULL)
		return;
	else
		s = *found;
	s.count++;
	if (number && s.template[0] == '\0' && strlen(text) < sizeof s.template)
		strcpy(s.template, text);
	*found = s;
}

/* The invoice number of shape s whose digit groups are key's, each
 * zero-padded to the shape's width, between the template's other
 * characters ("2026.201" in "INV-2026-000123" is "INV-2026-000201");
 * false when the shape has no template or the key does not fit it. */
static bool shape_number(const struct shape *s, const char *key, char *out, size_t size)
{
	const char *t = s->template, *k = key;
	size_t n = 0;
	int g = 0;
	if (*t == '\0')
		return false;
	while (*t != '\0') {
		if (!isdigit((unsigned char)*t)) {
			if (n + 1 >= size)
				return false;
			out[n++] = *t++;
			continue;
		}
		while (isdigit((unsigned char)*t))
			t++;
		size_t len = strcspn(k, ".");
		if (g == s->n || len == 0 || len > (size_t)s->widths[g] || n + (size_t)s->widths[g] >= size)
			return false;
		for (size_t z = len; z < (size_t)s->widths[g]; z++)
			out[n++] = '0';
		memcpy(out + n, k, len);
		n += len;
		k += len + (k[len] == '.');
		g++;
	}
	out[n] = '\0';
	return g == s->n && *k == '\0';
}

static pcre2_code *pattern_compile(const char *source, char *why, size_t size)
{
	int error;
	PCRE2_SIZE offset;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &error, &offset, NULL);
	if (code == NULL) {
		PCRE2_UCHAR message[256];
		pcre2_get_error_message(error, message, sizeof message);
		snprintf(why, size, "%s at offset %zu", (char *)message, (size_t)offset);
	}
	return code;
}

bool match_pattern_check(const char *pattern, char *why, size_t size)
{
	pcre2_code *code = pattern_compile(pattern, why, size);
	pcre2_code_free(code);
	return code != NULL;
}

static int compile(struct matcher *m, const char *source, int groups, char **cause)
{
	char why[300];
	pcre2_code *code = pattern_compile(source, why, sizeof why);
	if (code == NULL)
		return dun_fail(cause, DUN_EUSAGE, "[match] patterns \"%s\": %s", source, why);
	struct pattern *p = &m->patterns[m->npatterns++];
	p->code = code;
	p->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	if (groups < 0) {
		uint32_t count = 0;
		pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &count);
		groups = count < GROUPS_MAX ? (int)count : GROUPS_MAX;
	}
	p->groups = groups;
	return DUN_OK;
}

/* One pattern per frequent shape: leading groups (years, series) of
 * their width, or with leading zeros added or dropped when a separator
 * ends them, the last group with any leading zeros; between groups
 * optional separators, blanks around a dash or slash included ("INV -
 * 2026 / 101"); neither following nor followed by another "-digits" (a
 * date is no reference: "du 2026-11-05" names no invoice 5). */
#define SEPARATOR " {0,3}[\\-/._]{0,2} {0,3}"
static int shape_patterns(struct matcher *m, struct shape *shapes, int nshapes, long total, char **cause)
{
	for (int k = 0; k < SHAPES_MAX && nshapes > 0; k++) {
		int best = 0;
		for (int i = 1; i < nshapes; i++)
			if (shapes[i].count > shapes[best].count)
				best = i;
		struct shape s = shapes[best];
		shapes[best] = shapes[--nshapes];
		if (s.count * 100 < total)
			break;
		m->shapes[m->nshapes++] = s;
		struct buf b = { 0 };
		buf_puts(&b, "(?<![0-9])(?<![0-9][\\-/.])");
		for (int g = 0; g < s.n; g++) {
			if (g > 0)
				buf_puts(&b, SEPARATOR);
			if (g + 1 < s.n)
				buf_printf(&b, "(?|([0-9]{%d})|0*([0-9]{1,%d})(?=[ \\-/._]))", s.widths[g], s.widths[g]);
			else
				buf_printf(&b, "0*([1-9][0-9]{0,%d})", s.widths[g] > 1 ? s.widths[g] - 1 : 0);
		}
		buf_puts(&b, "(?![0-9]|[\\-/.][0-9])");
		int rc = compile(m, b.data, s.n, cause);
		buf_free(&b);
		if (rc != DUN_OK)
			return rc;
	}
	return DUN_OK;
}

static const char sql_customers[] = "SELECT id, code, name FROM customer ORDER BY id";
static const char sql_open[] =
	"SELECT id, customer_id, number, po, currency, open_amount, due_date FROM invoice"
	" WHERE open_amount <> 0 AND kind = 'invoice' ORDER BY customer_id, due_date, number";
static const char sql_accounts[] = "SELECT account, customer_id FROM payer_account";

static int customer_index(const struct matcher *m, int64_t id)
{
	int lo = 0, hi = m->ncustomers - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (m->customers[mid].id == id)
			return mid;
		if (m->customers[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* qsort has no argument for the array being sorted. */
static const struct invoice *sort_invoices;

static int by_open(const void *a, const void *b)
{
	money_t x = sort_invoices[*(const int *)a].loaded, y = sort_invoices[*(const int *)b].loaded;
	return x < y ? -1 : x > y;
}

int matcher_new(struct store *s, const char *extra_patterns, struct matcher **out, char **cause)
{
	struct matcher *m = xcalloc(1, sizeof *m);
	m->store = s;
	sqlite3_stmt *st = store_stmt(s, sql_customers);
	int cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (m->ncustomers == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			m->customers = xreallocarray(m->customers, (size_t)cap, sizeof *m->customers);
		}
		struct customer *c = &m->customers[m->ncustomers];
		c->id = sqlite3_column_int64(st, 0);
		c->code = xstrdup(store_column_text(st, 1));
		c->first = c->count = 0;
		char *name = match_name_normalise(store_column_text(st, 2));
		c->norm = name;
		c->next_same = -1;
		if (*name != '\0') {
			c->next_same = table_put(&m->names, name, m->ncustomers, false);
			if (strlen(name) > NAME_CUT) {
				char *cut = xstrndup(name, NAME_CUT);
				table_put(&m->name_starts, cut, m->ncustomers, true);
				free(cut);
			}
			char *prefix = name_prefix(name);
			if (prefix != NULL)
				table_put(&m->name_prefixes, prefix, m->ncustomers, true);
			free(prefix);
		}
		m->ncustomers++;
	}
	sqlite3_reset(st);
	struct shape shapes[64];
	int nshapes = 0;
	st = store_stmt(s, sql_open);
	cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int c = customer_index(m, sqlite3_column_int64(st, 1));
		if (c < 0)
			continue;
		if (m->ninvoices == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			m->invoices = xreallocarray(m->invoices, (size_t)cap, sizeof *m->invoices);
		}
		struct invoice *inv = &m->invoices[m->ninvoices];
		inv->id = sqlite3_column_int64(st, 0);
		inv->customer = c;
		inv->number = xstrdup(store_column_text(st, 2));
		snprintf(inv->currency, sizeof inv->currency, "%s", store_column_text(st, 4));
		inv->open = inv->loaded = sqlite3_column_int64(st, 5);
		inv->due = store_column_date(st, 6);
		if (m->customers[c].count++ == 0)
			m->customers[c].first = m->ninvoices;
		ref_add(m, inv->number, m->ninvoices);
		shape_count(shapes, &nshapes, inv->number, true);
		const char *po = store_column_text(st, 3);
		if (*po != '\0') {
			ref_add(m, po, m->ninvoices);
			shape_count(shapes, &nshapes, po, false);
		}
		m->ninvoices++;
	}
	sqlite3_reset(st);
	st = store_stmt(s, sql_accounts);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int c = customer_index(m, sqlite3_column_int64(st, 1));
		if (c >= 0)
			table_put(&m->accounts, store_column_text(st, 0), c, false);
	}
	sqlite3_reset(st);
	m->by_amount = xreallocarray(NULL, (size_t)m->ninvoices + 1, sizeof *m->by_amount);
	for (int i = 0; i < m->ninvoices; i++)
		m->by_amount[i] = i;
	sort_invoices = m->invoices;
	qsort(m->by_amount, (size_t)m->ninvoices, sizeof *m->by_amount, by_open);
	int rc = shape_patterns(m, shapes, nshapes, m->ninvoices, cause);
	/* The user's patterns, one per line. */
	for (const char *p = extra_patterns; rc == DUN_OK && p != NULL && *p != '\0';) {
		size_t n = strcspn(p, "\n");
		char *line = NULL;
		bank_set(&line, p, n);
		if (*line != '\0' && m->npatterns < (int)(sizeof m->patterns / sizeof m->patterns[0]))
			rc = compile(m, line, -1, cause);
		free(line);
		p += n + (p[n] == '\n');
	}
	if (rc == DUN_OK) {
		int error;
		PCRE2_SIZE offset;
		m->rf = pcre2_compile((PCRE2_SPTR) "(?<![A-Z0-9])RF[0-9]{2}(?: ?[A-Z0-9]){1,21}", PCRE2_ZERO_TERMINATED,
		    PCRE2_CASELESS, &error, &offset, NULL);
		pcre2_jit_compile(m->rf, PCRE2_JIT_COMPLETE);
		m->md = pcre2_match_data_create(GROUPS_MAX + 2, NULL);
		m->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
	}
	if (rc != DUN_OK) {
		matcher_free(m);
		return rc;
	}
	*out = m;
	return DUN_OK;
}

void matcher_free(struct matcher *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->ninvoices; i++)
		free(m->invoices[i].number);
	for (int i = 0; i < m->ncustomers; i++) {
		free(m->customers[i].code);
		free(m->customers[i].norm);
	}
	for (int i = 0; i < m->npatterns; i++)
		pcre2_code_free(m->patterns[i].code);
	pcre2_code_free(m->rf);
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	free(m->invoices);
	free(m->by_amount);
	free(m->customers);
	free(m->nodes);
	table_free(&m->refs);
	table_free(&m->names);
	table_free(&m->name_starts);
	table_free(&m->name_prefixes);
	table_free(&m->accounts);
	free(m);
}

/* ---- references in a text ------------------------------------------------ */

struct refs {
	int items[REFS_MAX];
	int n;
	const char *currency;
	int paid;                  /* an invoice open at load, taken since; -1 if none */
	char missed[MISSED_MAX][KEY_MAX]; /* keys naming no invoice in memory */
	int nmissed;
};

/* A key that named no open invoice: an invoice of the matcher's that was
 * taken since it was built (in this run) is kept as paid; a key the
 * matcher never loaded, for paid_find. */
static void refs_miss(const struct matcher *m, struct refs *r, const char *key, int node)
{
	if (node < 0 && r->nmissed < MISSED_MAX && strlen(key) < KEY_MAX)
		strcpy(r->missed[r->nmissed++], key);
	for (; node >= 0 && r->paid < 0; node = m->nodes[node].next) {
		const struct invoice *inv = &m->invoices[m->nodes[node].invoice];
		if (inv->open <= 0 && strcmp(inv->currency, r->currency) == 0)
			r->paid = m->nodes[node].invoice;
	}
}

static void refs_add(const struct matcher *m, struct refs *r, int invoice)
{
	const struct invoice *inv = &m->invoices[invoice];
	if (inv->open <= 0 || strcmp(inv->currency, r->currency) != 0 || r->n == REFS_MAX)
		return;
	for (int i = 0; i < r->n; i++)
		if (r->items[i] == invoice)
			return;
	r->items[r->n++] = invoice;
}

/* Adds the open invoices of a key's first refnode; with customer >= 0
 * only that customer's. Returns how many were added. */
static int refs_add_nodes(const struct matcher *m, struct refs *r, int node, int customer)
{
	int before = r->n;
	for (; node >= 0; node = m->nodes[node].next) {
		int invoice = m->nodes[node].invoice;
		if (customer < 0 || m->invoices[invoice].customer == customer)
			refs_add(m, r, invoice);
	}
	return r->n - before;
}

static int refs_lookup(const struct matcher *m, struct refs *r, const char *key, int customer)
{
	return refs_add_nodes(m, r, table_get(&m->refs, key), customer);
}

/* "INV-2024-0012 ET 0013", "2024/12 & 13", "INV 2024 120, 121": after a
 * reference, more numbers of the same series. The continuation must be
 * the first one's customer's: "+ 2 MORE" names no invoice. */
static void continuations(const struct matcher *m, struct refs *r, const char *text, size_t len, size_t at,
    const char *key, int customer)
{
	const char *dot = strrchr(key, '.');
	if (dot == NULL)
		return;
	for (;;) {
		size_t i = at;
		while (i < len && text[i] == ' ')
			i++;
		static const char *const links[] = { ",", "&", "+", "/", "ET ", "AND ", "UND ", "Y " };
		size_t link = 0;
		for (size_t k = 0; k < sizeof links / sizeof links[0] && link == 0; k++)
			if (len - i >= strlen(links[k]) && strncasecmp(text + i, links[k], strlen(links[k])) == 0)
				link = strlen(links[k]);
		if (link == 0)
			return;
		i += link;
		while (i < len && text[i] == ' ')
			i++;
		size_t start = i;
		while (i < len && isdigit((unsigned char)text[i]))
			i++;
		if (i == start || i - start > 10 || (i < len && (isalpha((unsigned char)text[i])
		    || ((text[i] == '-' || text[i] == '/' || text[i] == '.') && i + 1 < len && isdigit((unsigned char)text[i + 1])))))
			return;
		char *last = match_reference_key(text + start, i - start);
		char *next = xasprintf("%.*s.%s", (int)(dot - key), key, last);
		int added = refs_lookup(m, r, next, customer);
		free(last);
		free(next);
		if (added == 0)
			return;
		at = i;
	}
}

static void scan(const struct matcher *m, struct refs *r, const char *text, size_t len, bool rf)
{
	for (int k = 0; k < m->npatterns; k++) {
		const struct pattern *p = &m->patterns[k];
		PCRE2_SIZE offset = 0;
		while (offset < len) {
			int rc = pcre2_match(p->code, (PCRE2_SPTR)text, len, offset, 0, m->md, m->mctx);
			if (rc < 0)
				break; /* no more, or a limit reached: the rest is not looked at */
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
			struct buf joined = { 0 };
			int groups = p->groups < rc ? p->groups : rc - 1;
			if (groups <= 0)
				buf_add(&joined, text + ov[0], ov[1] - ov[0]);
			for (int g = 1; g <= groups; g++) {
				if (g > 1)
					buf_putc(&joined, '.');
				buf_add(&joined, text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
			}
			char *key = match_reference_key(joined.data != NULL ? joined.data : "", joined.len);
			int before = r->n;
			int node = *key != '\0' ? table_get(&m->refs, key) : -1;
			if (*key != '\0' && refs_add_nodes(m, r, node, -1) == 0)
				refs_miss(m, r, key, node);
			if (r->n > before)
				continuations(m, r, text, len, ov[1], key, m->invoices[r->items[before]].customer);
			free(key);
			buf_free(&joined);
			offset = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	if (!rf)
		return;
	/* Creditor references: checked, then their payload read as above. */
	PCRE2_SIZE offset = 0;
	while (offset < len && pcre2_match(m->rf, (PCRE2_SPTR)text, len, offset, 0, m->md, m->mctx) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		char *found = xstrndup(text + ov[0], ov[1] - ov[0]);
		offset = ov[1];
		if (match_rf_valid(found)) {
			size_t skip = 4 + (found[4] == ' ');
			scan(m, r, found + skip, strlen(found + skip), false);
		}
		free(found);
	}
}

/* ---- proposals ------------------------------------------------------------ */

static void allocate(const struct matcher *m, struct match_proposal *out, int invoice, money_t amount)
{
	if (amount <= 0 || out->nallocations == MATCH_MAX_INVOICES)
		return;
	struct match_allocation *a = &out->allocations[out->nallocations++];
	a->invoice_id = m->invoices[invoice].id;
	a->index = invoice;
	a->number = m->invoices[invoice].number;
	a->amount = amount;
	out->unapplied -= amount;
}

/* Allocates up to the payment's amount over items, in order. */
static void allocate_in_order(const struct matcher *m, struct match_proposal *out, const int *items, int n)
{
	for (int i = 0; i < n && out->unapplied > 0; i++) {
		money_t open = m->invoices[items[i]].open;
		allocate(m, out, items[i], open < out->unapplied ? open : out->unapplied);
	}
}

struct search {
	const struct matcher *m;
	const int *items;
	int n;
	money_t suffix[SUBSET_ITEMS + 1];
	long budget;
	int chosen[SUBSET_ITEMS];
	int depth;
};

/* Depth first, taking each invoice before leaving it out, so the first
 * combination found uses the oldest invoices. */
static bool subset_search(struct search *s, int i, money_t remaining)
{
	if (remaining == 0)
		return true;
	if (i == s->n || remaining < 0 || s->suffix[i] < remaining || s->budget-- <= 0)
		return false;
	money_t v = s->m->invoices[s->items[i]].open;
	if (v <= remaining) {
		s->chosen[s->depth++] = s->items[i];
		if (subset_search(s, i + 1, remaining - v))
			return true;
		s->depth--;
	}
	return subset_search(s, i + 1, remaining);
}

/* The customer's open invoices in the currency, oldest first, without
 * those in skip. */
static int open_items(const struct matcher *m, int customer, const char *currency, const struct refs *skip, int *items, int max)
{
	const struct customer *c = &m->customers[customer];
	int n = 0;
	for (int i = c->first; i < c->first + c->count && n < max; i++) {
		const struct invoice *inv = &m->invoices[i];
		bool skipped = false;
		for (int k = 0; skip != NULL && k < skip->n; k++)
			skipped |= skip->items[k] == i;
		if (inv->open > 0 && !skipped && strcmp(inv->currency, currency) == 0)
			items[n++] = i;
	}
	return n;
}

static bool subset(const struct matcher *m, const int *items, int n, money_t target, struct search *s)
{
	s->m = m;
	s->items = items;
	s->n = n < SUBSET_ITEMS ? n : SUBSET_ITEMS;
	s->budget = SUBSET_BUDGET;
	s->depth = 0;
	s->suffix[s->n] = 0;
	for (int i = s->n - 1; i >= 0; i--)
		s->suffix[i] = s->suffix[i + 1] + m->invoices[items[i]].open;
	return target > 0 && subset_search(s, 0, target);
}

enum evidence { BY_NONE, BY_PARTIAL_NAME, BY_NAME, BY_ACCOUNT, BY_PAYMENT };
static const char *const evidence_text[] = { "", "payer name, partly", "payer name", "payer account", "payment's customer" };
/* Confidence of an amount-only proposal by how the customer was found. */
static const int evidence_weight[] = { 0, 78, 90, 93, 95 };

static void reason(struct match_proposal *out, const char *what, enum evidence how)
{
	if (how == BY_NONE)
		snprintf(out->reason, sizeof out->reason, "%s", what);
	else
		snprintf(out->reason, sizeof out->reason, "%s (%s)", what, evidence_text[how]);
}

/* Appends at most max bytes of text to the reason at at, as much as fits;
 * returns where it ends. */
static size_t reason_put(struct match_proposal *out, size_t at, const char *text, size_t max)
{
	size_t n = strnlen(text, max);
	if (at + n >= sizeof out->reason)
		n = sizeof out->reason - 1 - at;
	memcpy(out->reason + at, text, n);
	out->reason[at + n] = '\0';
	return at + n;
}

/* Who the payer is, from the payment itself, then the learned account,
 * then the name. */
static int payer_of(const struct matcher *m, const struct match_payment *p, const char *name, enum evidence *how)
{
	int c;
	*how = BY_NONE;
	if (p->customer_id != 0 && (c = customer_index(m, p->customer_id)) >= 0) {
		*how = BY_PAYMENT;
		return c;
	}
	if (*p->payer_account != '\0' && (c = table_get(&m->accounts, p->payer_account)) >= 0) {
		*how = BY_ACCOUNT;
		return c;
	}
	c = *name != '\0' ? table_get(&m->names, name) : -1;
	if (c < 0 && strlen(name) >= NAME_CUT) {
		char *cut = xstrndup(name, NAME_CUT);
		c = table_get(&m->name_starts, cut);
		free(cut);
	}
	if (c >= 0)
		*how = BY_NAME;
	else if (*name != '\0') {
		/* "ACME INDUSTRIES FRANCE" for "Acme Industries SAS", or "ACME
		 * FRANCE" for "Acme SAS": the first two words, or the first one
		 * when it is a customer's whole name. */
		char *prefix = name_prefix(name);
		c = prefix != NULL ? table_get(&m->name_prefixes, prefix) : -1;
		if (c < 0) {
			char *first = xstrndup(name, strcspn(name, " "));
			c = table_get(&m->names, first);
			free(first);
		}
		if (c >= 0)
			*how = BY_PARTIAL_NAME;
		free(prefix);
	}
	return c >= 0 ? c : -1;
}

/* Two normalised names for the same company: equal, the same start when
 * a bank cut one, or the same first two words. */
static bool names_agree(const char *a, const char *b)
{
	if (*a == '\0' || *b == '\0')
		return false;
	if (strcmp(a, b) == 0)
		return true;
	if (strlen(a) >= NAME_CUT && strlen(b) >= NAME_CUT && strncmp(a, b, NAME_CUT) == 0)
		return true;
	char *x = name_prefix(a), *y = name_prefix(b);
	bool same = x != NULL && y != NULL && strcmp(x, y) == 0;
	free(x);
	free(y);
	return same;
}

/* Whether the amount pays one of the customer's open invoices, or its
 * oldest ones exactly. */
static bool amount_fits(const struct matcher *m, int customer, const struct match_payment *p)
{
	const struct customer *cu = &m->customers[customer];
	money_t sum = 0;
	for (int i = cu->first; i < cu->first + cu->count; i++) {
		const struct invoice *inv = &m->invoices[i];
		if (inv->open <= 0 || strcmp(inv->currency, p->currency) != 0)
			continue;
		if (inv->open == p->unapplied)
			return true;
		if (sum < p->unapplied)
			sum += inv->open;
	}
	return sum == p->unapplied;
}

/* Of customers of one name (a chain from payer_of), the only one the
 * amount fits, or -1. */
static int only_with_amount(const struct matcher *m, int head, const struct match_payment *p)
{
	int found = -1;
	for (int c = head; c >= 0; c = m->customers[c].next_same) {
		if (!amount_fits(m, c, p))
			continue;
		if (found >= 0)
			return -1;
		found = c;
	}
	return found;
}

static int by_index(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Whether the payer (found by how, -1 when unknown) or its name is the
 * customer a reference names. */
static bool corroborates(const struct matcher *m, int customer, int payer, enum evidence how, const char *payer_norm)
{
	bool same_name = false;
	for (int c = how == BY_NAME ? payer : -1; c >= 0; c = m->customers[c].next_same)
		same_name |= c == customer;
	return payer == customer || same_name || names_agree(payer_norm, m->customers[customer].norm);
}

static void propose_references(const struct matcher *m, const struct match_payment *p, struct refs *r,
    int payer, enum evidence how, const char *payer_norm, struct match_proposal *out)
{
	/* One customer's invoices: the payer's when it has some, else the
	 * first reference's. */
	int customer = m->invoices[r->items[0]].customer;
	for (int i = 0; payer >= 0 && i < r->n; i++)
		if (m->invoices[r->items[i]].customer == payer)
			customer = payer;
	int n = 0;
	for (int i = 0; i < r->n; i++)
		if (m->invoices[r->items[i]].customer == customer)
			r->items[n++] = r->items[i];
	r->n = n;
	qsort(r->items, (size_t)r->n, sizeof r->items[0], by_index); /* oldest first */
	bool corroborated = corroborates(m, customer, payer, how, payer_norm);
	bool conflict = payer >= 0 && !corroborated;
	money_t sum = 0;
	for (int i = 0; i < r->n; i++)
		sum += m->invoices[r->items[i]].open;
	out->customer_id = m->customers[customer].id;
	out->customer_code = m->customers[customer].code;
	enum evidence shown = !corroborated ? BY_NONE : how != BY_NONE ? how : BY_NAME;
	if (sum == p->unapplied) {
		allocate_in_order(m, out, r->items, r->n);
		out->confidence = 99;
		reason(out, "reference", shown);
	} else if (sum > p->unapplied) {
		/* A short amount is a partial payment or bank charges when the
		 * payer is the invoice's customer; from a stranger it is as
		 * likely a mistyped reference. */
		allocate_in_order(m, out, r->items, r->n);
		out->confidence = !corroborated ? 80 : r->n == 1 ? 94 : 92;
		reason(out, "reference, partial payment", shown);
	} else {
		/* Fewer references than invoices paid ("INV-1 + 2 MORE"): the
		 * rest may be other open invoices of the customer. */
		int items[SUBSET_ITEMS];
		int k = open_items(m, customer, p->currency, r, items, SUBSET_ITEMS);
		struct search s;
		allocate_in_order(m, out, r->items, r->n);
		if (subset(m, items, k, p->unapplied - sum, &s)) {
			allocate_in_order(m, out, s.chosen, s.depth);
			out->confidence = corroborated ? 94 : 85;
			reason(out, "reference and amount", shown);
		} else {
			out->confidence = corroborated ? 93 : 80;
			reason(out, "reference, overpayment left unapplied", shown);
		}
	}
	if (conflict && how == BY_PAYMENT) {
		/* The payment already belongs to a customer: the ledger never
		 * gives it another's invoices. */
		out->nallocations = 0;
		out->unapplied = p->unapplied;
		out->confidence = 0;
		out->customer_id = m->customers[payer].id;
		out->customer_code = m->customers[payer].code;
		reason(out, "reference to another customer's invoice", BY_NONE);
	} else if (conflict) {
		out->confidence = 70;
		reason(out, "reference to another customer's invoice", BY_NONE);
	}
}

static void propose_customer(const struct matcher *m, const struct match_payment *p, int customer,
    enum evidence how, struct match_proposal *out)
{
	int items[1024];
	int n = open_items(m, customer, p->currency, NULL, items, 1024);
	out->customer_id = m->customers[customer].id;
	out->customer_code = m->customers[customer].code;
	if (n == 0) {
		reason(out, "no open invoice", how);
		return;
	}
	int same = -1, nsame = 0;
	for (int i = 0; i < n; i++)
		if (m->invoices[items[i]].open == p->unapplied && nsame++ == 0)
			same = items[i];
	if (nsame > 0) {
		allocate(m, out, same, p->unapplied);
		out->confidence = nsame == 1 ? evidence_weight[how] : 70;
		reason(out, nsame == 1 ? "amount" : "amount, oldest of several invoices", how);
		return;
	}
	money_t sum = 0;
	int k = 0;
	while (k < n && sum < p->unapplied)
		sum += m->invoices[items[k++]].open;
	if (sum == p->unapplied) {
		allocate_in_order(m, out, items, k);
		out->confidence = evidence_weight[how];
		reason(out, "oldest invoices", how);
		return;
	}
	struct search s;
	if (subset(m, items, n, p->unapplied, &s)) {
		allocate_in_order(m, out, s.chosen, s.depth);
		out->confidence = evidence_weight[how] - 12;
		reason(out, "combination of invoices", how);
		return;
	}
	allocate_in_order(m, out, items, n);
	out->confidence = 50;
	reason(out, out->unapplied > 0 ? "all open invoices, overpayment left unapplied" : "oldest first, partial", how);
}

/* No reference and no customer: an open invoice of exactly that amount,
 * if there is one only. */
static void propose_amount(const struct matcher *m, const struct match_payment *p, struct match_proposal *out)
{
	int lo = 0, hi = m->ninvoices;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->invoices[m->by_amount[mid]].loaded < p->unapplied)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Among the invoices loaded with that open amount, those still open
	 * for all of it. */
	int found = -1, count = 0;
	for (int i = lo; i < m->ninvoices && count < 2; i++) {
		const struct invoice *inv = &m->invoices[m->by_amount[i]];
		if (inv->loaded != p->unapplied)
			break;
		if (inv->open == p->unapplied && strcmp(inv->currency, p->currency) == 0) {
			found = m->by_amount[i];
			count++;
		}
	}
	if (count == 1) {
		int c = m->invoices[found].customer;
		out->customer_id = m->customers[c].id;
		out->customer_code = m->customers[c].code;
		allocate(m, out, found, p->unapplied);
		out->confidence = 60;
		reason(out, "amount only, payer unknown", BY_NONE);
		return;
	}
	reason(out, "no reference, payer unknown", BY_NONE);
}

/* An invoice already paid that a text names. */
struct paid {
	int customer;
	const char *number;        /* the matcher's, or in text */
	char text[64];
	money_t amount;            /* its amount (the open amount it had, when taken in this run) */
};

static const char sql_number[] =
	"SELECT customer_id, currency, amount, open_amount FROM invoice WHERE number = ?1 AND kind = 'invoice'";

/* The first invoice already paid, in the payment's currency, that the
 * text's keys name: one taken in this run, else (one indexed lookup per
 * shape a key fits) one paid before the matcher was built. */
static bool paid_find(const struct matcher *m, const struct match_payment *p, const struct refs *r, struct paid *out)
{
	if (r->paid >= 0) {
		const struct invoice *inv = &m->invoices[r->paid];
		out->customer = inv->customer;
		out->number = inv->number;
		out->amount = inv->loaded;
		return true;
	}
	for (int k = 0; k < r->nmissed; k++) {
		for (int i = 0; i < m->nshapes; i++) {
			if (!shape_number(&m->shapes[i], r->missed[k], out->text, sizeof out->text))
				continue;
			sqlite3_stmt *st = store_stmt(m->store, sql_number);
			store_bind_text(st, 1, out->text);
			bool found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 3) == 0
			    && strcmp(store_column_text(st, 1), p->currency) == 0
			    && (out->customer = customer_index(m, sqlite3_column_int64(st, 0))) >= 0;
			if (found) {
				out->number = out->text; /* the number as built is the number stored */
				out->amount = sqlite3_column_int64(st, 2);
			}
			sqlite3_reset(st);
			if (found)
				return true;
		}
	}
	return false;
}

/* The text names only invoices already paid (a customer paying one
 * twice): the reference still names the customer, whose unapplied cash
 * the money becomes, with nothing allocated, unless the payer is another
 * customer (then the reference is more likely mistyped) or the proposal
 * so far gives all of it to that customer's open invoices. Sure when the
 * payer agrees or the amount is the paid invoice's own; else it only
 * replaces a proposal that allocates nothing (a mistyped reference may
 * name a paid invoice while the amount finds the right one). */
static void propose_paid(const struct matcher *m, const struct match_payment *p, const struct refs *r,
    int payer, enum evidence how, const char *payer_norm, struct match_proposal *out)
{
	struct paid paid;
	if (!paid_find(m, p, r, &paid))
		return;
	int customer = paid.customer;
	bool corroborated = corroborates(m, customer, payer, how, payer_norm);
	bool sure = corroborated || paid.amount == p->unapplied;
	if ((payer >= 0 && !corroborated) || (out->customer_id == m->customers[customer].id && out->unapplied == 0)
	    || (!sure && out->nallocations > 0))
		return;
	out->nallocations = 0;
	out->unapplied = p->unapplied;
	out->customer_id = m->customers[customer].id;
	out->customer_code = m->customers[customer].code;
	out->confidence = sure ? 93 : 80;
	/* Put together by hand, not by snprintf: on a statement paying its
	 * invoices twice over this runs for most lines, and snprintf would be
	 * 2% of the run. */
	enum evidence shown = !corroborated ? BY_NONE : how != BY_NONE ? how : BY_NAME;
	size_t at = reason_put(out, 0, "reference ", sizeof out->reason);
	at = reason_put(out, at, paid.number, 40);
	at = reason_put(out, at, " already paid", sizeof out->reason);
	if (shown != BY_NONE) {
		at = reason_put(out, at, " (", 2);
		at = reason_put(out, at, evidence_text[shown], sizeof out->reason);
		reason_put(out, at, ")", 1);
	}
}

void matcher_propose(struct matcher *m, const struct match_payment *p, struct match_proposal *out)
{
	memset(out, 0, sizeof *out);
	out->payment_id = p->id;
	out->unapplied = p->unapplied;
	out->customer_code = "";
	struct refs r = { .n = 0, .currency = p->currency, .paid = -1 };
	scan(m, &r, p->remittance, strlen(p->remittance), true);
	enum evidence how;
	char *name = match_name_normalise(p->payer_name);
	int payer = payer_of(m, p, name, &how);
	if (r.n > 0)
		propose_references(m, p, &r, payer, how, name, out);
	else if (payer >= 0 && how == BY_NAME && m->customers[payer].next_same >= 0) {
		/* Several customers of that name: the one the amount fits. */
		int c = only_with_amount(m, payer, p);
		if (c >= 0)
			propose_customer(m, p, c, how, out);
		else
			reason(out, "payer name of several customers", BY_NONE);
	} else if (payer >= 0)
		propose_customer(m, p, payer, how, out);
	else
		propose_amount(m, p, out);
	/* Invoices already paid only name a customer: not needed by a payment
	 * that has its customer (its rest is that customer's cash already),
	 * nor by a known payer whose open invoices take it all. */
	if (r.n == 0 && (r.paid >= 0 || r.nmissed > 0) && how != BY_PAYMENT
	    && !(payer >= 0 && out->nallocations > 0 && out->unapplied == 0))
		propose_paid(m, p, &r, payer, how, name, out);
	free(name);
}

bool match_assigns(const struct match_proposal *p)
{
	return p->nallocations == 0 && p->customer_id != 0 && p->confidence > 0;
}

int matcher_apply(struct matcher *m, const struct match_proposal *p, bool write, char **cause)
{
	if (write && match_assigns(p))
		return ledger_assign_payment(m->store, p->payment_id, p->customer_id, LEDGER_RULE, cause);
	for (int i = 0; i < p->nallocations; i++) {
		const struct match_allocation *a = &p->allocations[i];
		if (write) {
			int rc = ledger_allocate_payment(m->store, p->payment_id, a->invoice_id, a->amount, LEDGER_RULE, NULL, cause);
			if (rc != DUN_OK)
				return rc;
		}
		m->invoices[a->index].open -= a->amount;
	}
	return DUN_OK;
}

/* ---- runs ------------------------------------------------------------------- */

/* Every payment with money unapplied, reversals (negative) included so
 * that the payments they cancel are known in the same pass. */
static const char sql_unapplied[] =
	"SELECT p.id, p.reference, p.date, p.unapplied, p.currency, coalesce(p.customer_id, 0),"
	" p.remittance, p.structured_ref, p.payer_name, p.payer_account, coalesce(p.reversal_of, 0)"
	" FROM payment p WHERE p.unapplied <> 0";

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Oldest first, as the bank booked them. */
static int by_date(const void *a, const void *b)
{
	const struct match_payment *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int match_run(struct store *s, const char *extra_patterns, int threshold, bool apply,
    void (*row)(void *arg, const struct match_payment *p, const struct match_proposal *proposal, bool applied),
    void *arg, char **cause)
{
	/* Without apply nothing is written: no write lock either. */
	int rc = apply ? store_begin(s, cause) : DUN_OK;
	if (rc != DUN_OK)
		return rc;
	struct matcher *m;
	if ((rc = matcher_new(s, extra_patterns, &m, cause)) != DUN_OK) {
		if (apply)
			store_rollback(s);
		return rc;
	}
	/* Read the payments first: allocations write to the same table. */
	struct match_payment *pays = NULL;
	size_t n = 0, cap = 0;
	int64_t *reversed = NULL;
	size_t nreversed = 0, revcap = 0;
	sqlite3_stmt *st = store_stmt(s, sql_unapplied);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 10) != 0) {
			if (nreversed == revcap) {
				revcap = revcap == 0 ? 16 : revcap * 2;
				reversed = xreallocarray(reversed, revcap, sizeof *reversed);
			}
			reversed[nreversed++] = sqlite3_column_int64(st, 10);
		}
		if (sqlite3_column_int64(st, 3) <= 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			pays = xreallocarray(pays, cap, sizeof *pays);
		}
		struct match_payment *p = &pays[n++];
		p->id = sqlite3_column_int64(st, 0);
		p->reference = xstrdup(store_column_text(st, 1));
		p->date = store_column_date(st, 2);
		p->unapplied = sqlite3_column_int64(st, 3);
		snprintf(p->currency, sizeof p->currency, "%s", store_column_text(st, 4));
		p->customer_id = sqlite3_column_int64(st, 5);
		const char *strd = store_column_text(st, 7);
		p->remittance = xasprintf("%s%s%s", store_column_text(st, 6), *strd != '\0' ? " " : "", strd);
		p->payer_name = xstrdup(store_column_text(st, 8));
		p->payer_account = xstrdup(store_column_text(st, 9));
	}
	sqlite3_reset(st);
	if (nreversed > 0)
		qsort(reversed, nreversed, sizeof *reversed, by_id);
	if (n > 0)
		qsort(pays, n, sizeof *pays, by_date);
	struct match_proposal proposal;
	for (size_t i = 0; i < n && rc == DUN_OK; i++) {
		/* A payment its bank reversed is no money to match. */
		if (nreversed > 0 && bsearch(&pays[i].id, reversed, nreversed, sizeof *reversed, by_id) != NULL)
			continue;
		matcher_propose(m, &pays[i], &proposal);
		/* Taken also without apply (in the matcher's memory only) so
		 * that a later payment never proposes what an earlier one takes:
		 * the rows are the same with and without apply. */
		bool applied = proposal.confidence >= threshold
		    && (proposal.nallocations > 0 || (match_assigns(&proposal) && pays[i].customer_id == 0));
		if (applied)
			rc = matcher_apply(m, &proposal, apply, cause);
		if (rc == DUN_OK)
			row(arg, &pays[i], &proposal, applied && apply);
	}
	for (size_t i = 0; i < n; i++) {
		free((char *)pays[i].reference);
		free((char *)pays[i].remittance);
		free((char *)pays[i].payer_name);
		free((char *)pays[i].payer_account);
	}
	free(pays);
	free(reversed);
	matcher_free(m);
	if (!apply)
		return rc;
	if (rc == DUN_OK)
		return store_commit(s, cause);
	store_rollback(s);
	return rc;
}

static const char sql_payer[] = "SELECT payer_account, customer_id FROM payment WHERE id = ?1";
static const char sql_learn[] =
	"INSERT INTO payer_account (account, customer_id, learned_date) VALUES (?1, ?2, ?3)"
	" ON CONFLICT (account) DO UPDATE SET customer_id = excluded.customer_id, learned_date = excluded.learned_date";

int match_pick_parse(struct store *s, int64_t payment_id, const char *text,
    int64_t *ids, money_t *amounts, int *n, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT currency, unapplied FROM payment WHERE id = ?1");
	sqlite3_bind_int64(st, 1, payment_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dun_fail(cause, DUN_EDATA, "no such payment");
	}
	char currency[4];
	snprintf(currency, sizeof currency, "%s", store_column_text(st, 0));
	money_t left = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	int exponent = money_exponent(currency);
	*n = 0;
	char *copy = xstrdup(text), *save = NULL;
	int rc = DUN_OK;
	for (char *word = strtok_r(copy, " \t", &save); word != NULL && rc == DUN_OK;
	    word = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(word, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (*n == MATCH_MAX_INVOICES) {
			rc = dun_fail(cause, DUN_EDATA, "at most %d invoices", MATCH_MAX_INVOICES);
			break;
		}
		st = store_stmt(s, "SELECT id, currency, open_amount, kind FROM invoice WHERE number = ?1");
		store_bind_text(st, 1, word);
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = dun_fail(cause, DUN_EDATA, "%s: no such invoice", word);
		} else if (strcmp(store_column_text(st, 3), "invoice") != 0 || sqlite3_column_int64(st, 2) <= 0) {
			rc = dun_fail(cause, DUN_EDATA, "%s: nothing open on it", word);
		} else if (strcmp(store_column_text(st, 1), currency) != 0) {
			rc = dun_fail(cause, DUN_EDATA, "%s: in %s, the payment in %s", word, store_column_text(st, 1), currency);
		} else {
			int64_t id = sqlite3_column_int64(st, 0);
			money_t open = sqlite3_column_int64(st, 2), amount = open < left ? open : left;
			const char *why = NULL;
			for (int i = 0; i < *n; i++)
				if (ids[i] == id)
					rc = dun_fail(cause, DUN_EDATA, "%s: picked twice", word);
			if (rc == DUN_OK && eq != NULL && (!money_parse(eq, exponent, MONEY_MARK_AUTO, &amount, &why) || amount <= 0))
				rc = dun_fail(cause, DUN_EDATA, "%s=%s: %s", word, eq, why ? why : "not a positive amount");
			else if (rc == DUN_OK && amount > open)
				rc = dun_fail(cause, DUN_EDATA, "%s: more than its open amount", word);
			else if (rc == DUN_OK && (amount > left || amount <= 0))
				rc = dun_fail(cause, DUN_EDATA, "%s: more than the payment has left", word);
			if (rc == DUN_OK) {
				ids[*n] = id;
				amounts[(*n)++] = amount;
				left -= amount;
			}
		}
		sqlite3_reset(st);
	}
	free(copy);
	if (rc == DUN_OK && *n == 0)
		rc = dun_fail(cause, DUN_EDATA, "name at least one invoice");
	return rc;
}

int match_apply_manual(struct store *s, int64_t payment_id, int64_t customer_id, const int64_t *invoice_ids,
    const money_t *amounts, int n, day_t today, char **cause)
{
	int rc = store_begin(s, cause);
	if (rc != DUN_OK)
		return rc;
	if (customer_id != 0)
		rc = ledger_assign_payment(s, payment_id, customer_id, LEDGER_MANUAL, cause);
	for (int i = 0; i < n && rc == DUN_OK; i++)
		rc = ledger_allocate_payment(s, payment_id, invoice_ids[i], amounts[i], LEDGER_MANUAL, NULL, cause);
	if (rc == DUN_OK) {
		sqlite3_stmt *st = store_stmt(s, sql_payer);
		sqlite3_bind_int64(st, 1, payment_id);
		char *account = NULL;
		int64_t customer = 0;
		if (sqlite3_step(st) == SQLITE_ROW) {
			account = xstrdup(store_column_text(st, 0));
			customer = sqlite3_column_int64(st, 1);
		}
		sqlite3_reset(st);
		if (account != NULL && *account != '\0' && customer != 0) {
			st = store_stmt(s, sql_learn);
			store_bind_text(st, 1, account);
			sqlite3_bind_int64(st, 2, customer);
			store_bind_date(st, 3, today);
			if (store_step_done(st) != SQLITE_DONE)
				rc = store_error(s, "learn the payer account", cause);
		}
		free(account);
	}
	if (rc == DUN_OK)
		return store_commit(s, cause);
	store_rollback(s);
	return rc;
}
