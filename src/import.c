/* CSV imports. One pass over the file inside one write transaction: each
 * row is parsed, checked and written at once (an INSERT that yields on the
 * unique key, then the compare-and-update path for rows already there),
 * so memory stays flat and the hot path for new invoices is one cached
 * INSERT. Bad rows are collected while the pass goes on, then the whole
 * transaction is rolled back; with --skip-bad each row runs under a
 * savepoint so a bad row leaves no trace. A bulk load of invoices (see
 * bulk_load_wanted) reads and checks the rows on a second thread, writes
 * new invoices by batches of rows in one INSERT and rebuilds the index of
 * open invoices at the end, with the same outcomes as row by row. */
#include "import.h"
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "csv_reader.h"
#include "ledger.h"
#include "status.h"
#include "terms.h"
#include "text.h"
#include "xalloc.h"

/* Columns per kind: the required ones first (SPEC §5's table). */
enum { CU_CODE, CU_NAME, CU_SEGMENT, CU_COLLECTOR, CU_TERMS, CU_CREDIT_LIMIT, CU_CURRENCY, CU_EMAIL,
	CU_PHONE, CU_LANGUAGE, CU_SCENARIO, CU_ADDRESS, CU_ON_HOLD, CU_COUNT };
static const char *const customer_columns[CU_COUNT] = {"code", "name", "segment", "collector", "terms",
	"credit_limit", "currency", "email", "phone", "language", "scenario", "address", "on_hold"};

enum { IN_NUMBER, IN_CUSTOMER, IN_ISSUE_DATE, IN_AMOUNT, IN_DUE_DATE, IN_CURRENCY, IN_KIND, IN_PO,
	IN_TERMS, IN_APPLIES_TO, IN_COUNT };
static const char *const invoice_columns[IN_COUNT] = {"number", "customer", "issue_date", "amount",
	"due_date", "currency", "kind", "po", "terms", "applies_to"};

enum { PA_REFERENCE, PA_DATE, PA_AMOUNT, PA_CUSTOMER, PA_CURRENCY, PA_METHOD, PA_INVOICES,
	PA_REMITTANCE, PA_PAYER, PA_ACCOUNT, PA_COUNT };
static const char *const payment_columns[PA_COUNT] = {"reference", "date", "amount", "customer",
	"currency", "method", "invoices", "remittance", "payer", "account"};

enum { RA_CURRENCY, RA_DATE, RA_RATE, RA_COUNT };
static const char *const rate_columns[RA_COUNT] = {"currency", "date", "rate"};

#define MAX_COLUMNS CU_COUNT

struct kind_def {
	const char *name;      /* plural, as on the command line */
	const char *singular;
	const char *const *columns;
	int ncolumns, nrequired;
	int amount_column;     /* decides the file's decimal mark */
};

static const struct kind_def kinds[] = {
	[IMPORT_CUSTOMERS] = {"customers", "customer", customer_columns, CU_COUNT, 2, CU_CREDIT_LIMIT},
	[IMPORT_INVOICES] = {"invoices", "invoice", invoice_columns, IN_COUNT, 4, IN_AMOUNT},
	[IMPORT_PAYMENTS] = {"payments", "payment", payment_columns, PA_COUNT, 3, PA_AMOUNT},
	[IMPORT_RATES] = {"rates", "rate", rate_columns, RA_COUNT, 3, RA_RATE},
};

bool import_kind_parse(const char *text, enum import_kind *out)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(text, kinds[i].name) == 0) {
			*out = (enum import_kind)i;
			return true;
		}
	}
	return false;
}

const char *import_kind_name(enum import_kind kind) { return kinds[kind].name; }
const char *import_kind_singular(enum import_kind kind) { return kinds[kind].singular; }

/* Customers by code, loaded once per import: the invoice hot path must not
 * query the customer table for every row. */
struct customer_entry {
	char *code;
	int64_t id;
	char currency[4];
	char *terms;
	int terms_state;       /* 0 not parsed yet, 1 parsed, -1 bad */
	struct terms parsed;
};

struct customer_map {
	struct customer_entry *slots;
	size_t cap, count;
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct customer_entry *customer_map_slot(struct customer_map *m, const char *code)
{
	size_t i = hash_text(code) & (m->cap - 1);
	while (m->slots[i].code != NULL && strcmp(m->slots[i].code, code) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int customer_map_load(struct customer_map *m, struct store *s, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM customer");
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	m->cap = 64;
	while (m->cap < (size_t)n * 2)
		m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	st = store_stmt(s, "SELECT id, code, currency, terms FROM customer");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct customer_entry *e = customer_map_slot(m, store_column_text(st, 1));
		e->code = xstrdup(store_column_text(st, 1));
		e->id = sqlite3_column_int64(st, 0);
		snprintf(e->currency, sizeof e->currency, "%s", store_column_text(st, 2));
		e->terms = xstrdup(store_column_text(st, 3));
		m->count++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_error(s, "read the customers", cause);
	return DUN_OK;
}

static void customer_map_free(struct customer_map *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].code);
		free(m->slots[i].terms);
	}
	free(m->slots);
}

/* --map FILE: our column name = the file's header. */
struct column_map {
	int column[64];
	char *header[64];
	int count;
	const struct kind_def *kind;
	char *bad;             /* first line's problem */
};

struct import {
	struct store *s;
	const struct import_options *o;
	const struct kind_def *kind;
	struct import_result *result;
	struct csv_reader *csv;
	struct csv_record *record;
	struct column_map map;
	int field_of[MAX_COLUMNS];   /* column -> index in the record, -1 when absent */
	char **header;               /* the file's own header, for --skip-bad */
	int nheader;
	enum money_mark mark;
	struct customer_map customers;
	char last_currency[4];       /* the last currency looked up and its exponent */
	int last_exponent;
	char *row_error;             /* why the current row is bad */
	long row_allocations;
	FILE *skip;
	char *skip_tmp;
	char *what;                  /* "import invoices", for database messages */
	char **index_sql;            /* invoice indexes dropped for a bulk load, rebuilt at the end */
	int nindexes;
	struct invoice_batch *batch; /* new invoices not written yet (a bulk load), or NULL */
	struct reader *reader;       /* the thread that reads and checks the rows (a bulk load), or NULL */
	struct checked_row *checked; /* the current row as the reader thread checked it, or NULL */
	int64_t last_id;             /* the kind's largest id before the import: above it, rows it wrote */
};

static int map_handler(void *arg, const char *section, const char *name, const char *value)
{
	(void)section;
	struct column_map *m = arg;
	for (int c = 0; c < m->kind->ncolumns; c++) {
		if (strcasecmp(name, m->kind->columns[c]) == 0) {
			if (m->count == (int)(sizeof m->column / sizeof m->column[0]))
				break;
			m->column[m->count] = c;
			m->header[m->count++] = xstrdup(value);
			return 1;
		}
	}
	if (m->bad == NULL)
		m->bad = xasprintf("column \"%s\": not a column of %s files", name, m->kind->name);
	return 0;
}

static int load_map(struct import *imp, char **cause)
{
	imp->map.kind = imp->kind;
	int line = ini_parse(imp->o->map_path, map_handler, &imp->map);
	if (line < 0)
		return dun_fail(cause, DUN_EUSAGE, "%s: %s", imp->o->map_path, strerror(errno ? errno : ENOENT));
	if (line > 0) {
		int rc = dun_fail(cause, DUN_EUSAGE, "%s:%d: %s", imp->o->map_path, line,
		    imp->map.bad ? imp->map.bad : "expected \"column = header\"");
		return rc;
	}
	return DUN_OK;
}

/* Which of our columns a header names: through the map first, then by
 * its own name, both case-insensitively; -1 when unknown. */
static int header_column(const struct import *imp, const char *name)
{
	for (int i = 0; i < imp->map.count; i++)
		if (strcasecmp(name, imp->map.header[i]) == 0)
			return imp->map.column[i];
	for (int c = 0; c < imp->kind->ncolumns; c++)
		if (strcasecmp(name, imp->kind->columns[c]) == 0)
			return c;
	return -1;
}

static int map_header(struct import *imp, const struct csv_record *h, int *field_of, bool report, char **cause)
{
	const char *path = imp->o->path;
	for (int c = 0; c < MAX_COLUMNS; c++)
		field_of[c] = -1;
	for (int i = 0; i < h->nfields; i++) {
		int c = header_column(imp, h->fields[i]);
		if (c < 0) {
			if (report && imp->o->notice != NULL) {
				char *name = text_sanitize(h->fields[i]);
				char *msg = xasprintf("%s:%ld: column \"%s\": unknown, ignored", path, h->line, name);
				imp->o->notice(imp->o->notice_arg, msg);
				free(msg);
				free(name);
			}
			continue;
		}
		if (field_of[c] >= 0)
			return dun_fail(cause, DUN_EDATA, "%s:%ld: column \"%s\": appears twice in the header",
			    path, h->line, imp->kind->columns[c]);
		field_of[c] = i;
	}
	for (int c = 0; c < imp->kind->nrequired; c++) {
		if (field_of[c] >= 0)
			continue;
		struct buf need = {0};
		for (int r = 0; r < imp->kind->nrequired; r++)
			buf_printf(&need, "%s%s", r ? ", " : "", imp->kind->columns[r]);
		int rc = dun_fail(cause, DUN_EDATA, "%s:%ld: column \"%s\": missing (%s files need %s)",
		    path, h->line, imp->kind->columns[c], imp->kind->name, need.data);
		buf_free(&need);
		return rc;
	}
	return DUN_OK;
}

static int read_header(struct import *imp, char **cause)
{
	struct csv_record *h;
	int rc = csv_reader_next(imp->csv, &h, cause);
	if (rc != DUN_OK)
		return rc;
	if (h == NULL)
		return dun_fail(cause, DUN_EDATA, "%s: empty file (a header line is needed)", imp->o->path);
	if ((rc = map_header(imp, h, imp->field_of, true, cause)) != DUN_OK)
		return rc;
	imp->nheader = h->nfields;
	imp->header = xcalloc(h->nfields, sizeof *imp->header);
	for (int i = 0; i < h->nfields; i++)
		imp->header[i] = xstrdup(h->fields[i]);
	return DUN_OK;
}

/* The decimal mark of the file: the first amount that is not ambiguous
 * decides ("1,234" could be either). A second reader scans ahead; it
 * usually stops at the first row. */
static int detect_mark(struct import *imp, char **cause)
{
	struct csv_reader *r;
	struct csv_record *rec;
	int field_of[MAX_COLUMNS];
	for (int c = 0; c < MAX_COLUMNS; c++)
		field_of[c] = -1;
	int rc = csv_reader_open(imp->o->path, imp->o->encoding, &r, cause);
	if (rc != DUN_OK)
		return rc;
	if ((rc = csv_reader_next(r, &rec, cause)) == DUN_OK && rec != NULL)
		rc = map_header(imp, rec, field_of, false, cause);
	int index = field_of[imp->kind->amount_column];
	while (rc == DUN_OK && index >= 0 && imp->mark == MONEY_MARK_AUTO) {
		if ((rc = csv_reader_next(r, &rec, cause)) != DUN_OK || rec == NULL)
			break;
		if (index < rec->nfields)
			imp->mark = money_detect_mark(rec->fields[index]);
	}
	csv_reader_close(r);
	/* Errors are reported by the main pass, with the others. */
	if (rc != DUN_OK) {
		free(*cause);
		*cause = NULL;
	}
	return DUN_OK;
}

/* Field access for the current row. */
static const char *field(const struct import *imp, int column)
{
	int i = imp->field_of[column];
	return i >= 0 && i < imp->record->nfields ? imp->record->fields[i] : "";
}

static bool present(const struct import *imp, int column) { return imp->field_of[column] >= 0; }

/* Marks the current row bad (the first reason wins) and returns DUN_EDATA. */
static int row_fail(struct import *imp, int column, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int row_fail(struct import *imp, int column, const char *value, const char *fmt, ...)
{
	if (imp->row_error != NULL)
		return DUN_EDATA;
	va_list ap;
	va_start(ap, fmt);
	char *reason = xvasprintf(fmt, ap);
	va_end(ap);
	char *clean = text_sanitize(value);
	imp->row_error = xasprintf("%s \"%s\": %s", imp->kind->columns[column], clean, reason);
	free(clean);
	free(reason);
	return DUN_EDATA;
}

/* A step that writes: constraint failures make the row bad, anything
 * else (busy, disk full) ends the import. */
static int row_step(struct import *imp, sqlite3_stmt *st, int column, char **cause)
{
	int rc = store_step_done(st);
	if (rc == SQLITE_DONE)
		return DUN_OK;
	char *why = NULL;
	int status = store_error(imp->s, imp->what, &why);
	if (status == DUN_EDATA)
		status = row_fail(imp, column, field(imp, column), "%s", sqlite3_errmsg(store_db(imp->s)));
	else
		*cause = xstrdup(why);
	sqlite3_reset(st);
	free(why);
	return status;
}

/* A row that changes a customer, invoice or payment (id) an earlier row of
 * the same file wrote or met: the file contradicts itself, and which of
 * its rows should win is not dun's to guess. temp.import_seen holds the
 * ids of existing rows met so far; rows the import wrote are above last_id. */
static int twice_in_file(struct import *imp, int64_t id, bool changed, int column, char **cause)
{
	bool earlier = id > imp->last_id;
	if (!earlier) {
		sqlite3_stmt *st = store_stmt(imp->s, "INSERT INTO temp.import_seen (id) VALUES (?1) ON CONFLICT DO NOTHING");
		sqlite3_bind_int64(st, 1, id);
		if (store_step_done(st) != SQLITE_DONE)
			return store_error(imp->s, imp->what, cause);
		earlier = sqlite3_changes(store_db(imp->s)) == 0;
	}
	if (earlier && changed)
		return row_fail(imp, column, field(imp, column), "given twice in this file, with different values");
	return DUN_OK;
}

/* Before the first row: the table's largest id, and no row met yet. */
static int seen_begin(struct import *imp, char **cause)
{
	static const char *const max_id[] = {
		[IMPORT_CUSTOMERS] = "SELECT coalesce(max(id), 0) FROM customer",
		[IMPORT_INVOICES] = "SELECT coalesce(max(id), 0) FROM invoice",
		[IMPORT_PAYMENTS] = "SELECT coalesce(max(id), 0) FROM payment",
		[IMPORT_RATES] = "SELECT 0",
	};
	if (sqlite3_exec(store_db(imp->s), "CREATE TEMP TABLE IF NOT EXISTS import_seen (id INTEGER PRIMARY KEY);"
	    " DELETE FROM temp.import_seen", NULL, NULL, NULL) != SQLITE_OK)
		return store_error(imp->s, imp->what, cause);
	sqlite3_stmt *st = store_stmt(imp->s, max_id[imp->o->kind]);
	int rc = sqlite3_step(st);
	imp->last_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? DUN_OK : store_error(imp->s, imp->what, cause);
}

static int required(struct import *imp, int column, const char **out)
{
	*out = field(imp, column);
	if (**out == '\0')
		return row_fail(imp, column, "", "required");
	return DUN_OK;
}

static int parse_date(struct import *imp, int column, day_t *out)
{
	const char *text = field(imp, column);
	bool ok = imp->o->date_format ? date_parse_format(text, imp->o->date_format, out) : date_parse_iso(text, out);
	if (!ok)
		return row_fail(imp, column, text, "not a date (expected %s)",
		    imp->o->date_format ? imp->o->date_format : "YYYY-MM-DD");
	return DUN_OK;
}

/* Upper-cases and checks a currency code into out[4]; returns its
 * exponent or -1 (the row is then bad). */
static int parse_currency(struct import *imp, int column, const char *text, char *out)
{
	size_t len = strlen(text);
	if (len != 3)
		return row_fail(imp, column, text, "not a currency code (ISO 4217, e.g. EUR)"), -1;
	for (int i = 0; i < 3; i++)
		out[i] = (char)toupper((unsigned char)text[i]);
	out[3] = '\0';
	if (strcmp(out, imp->last_currency) == 0)
		return imp->last_exponent;
	int exponent = money_exponent(out);
	if (exponent < 0)
		return row_fail(imp, column, text, "unknown currency"), -1;
	memcpy(imp->last_currency, out, 4);
	imp->last_exponent = exponent;
	return exponent;
}

static int parse_amount(struct import *imp, int column, int exponent, money_t *out)
{
	const char *text = field(imp, column), *why;
	if (*text == '\0')
		return row_fail(imp, column, text, "required");
	if (!money_parse_row(text, exponent, imp->mark, out, &why))
		return row_fail(imp, column, text, "%s", why);
	return DUN_OK;
}

static void bind_static(sqlite3_stmt *st, int index, const char *text)
{
	sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
}

static void bind_date(sqlite3_stmt *st, int index, day_t d, char *buf)
{
	if (d == DATE_NONE)
		sqlite3_bind_null(st, index);
	else
		sqlite3_bind_text(st, index, date_format_iso(d, buf), -1, SQLITE_STATIC);
}

/* OUTCOME_DEFERRED: the row waits in the batch, counted when written. */
enum outcome { OUTCOME_INSERTED, OUTCOME_UPDATED, OUTCOME_UNCHANGED, OUTCOME_DEFERRED };

/* ---- customers ---- */

static const char sql_customer_get[] =
    "SELECT id, name, segment, collector, terms, credit_limit, currency, email, phone, language,"
    " scenario, address, on_hold, EXISTS (SELECT 1 FROM invoice_any WHERE customer_id = customer.id)"
    " OR EXISTS (SELECT 1 FROM payment WHERE customer_id = customer.id)"
    " FROM customer WHERE code = ?1";

/* A yes/no cell: "1" for yes, true or 1, "0" for no, false, 0 or empty
 * (any case), NULL for anything else. */
static const char *parse_flag(const char *text)
{
	static const char *const yes[] = {"yes", "true", "1"}, *const no[] = {"", "no", "false", "0"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(text, yes[i]) == 0)
			return "1";
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(text, no[i]) == 0)
			return "0";
	return NULL;
}

static int import_customer(struct import *imp, enum outcome *outcome, char **cause)
{
	const char *code, *name;
	if (required(imp, CU_CODE, &code) != DUN_OK || required(imp, CU_NAME, &name) != DUN_OK)
		return DUN_EDATA;
	/* The row's values, starting from the ledger's (or the defaults) and
	 * overridden by the columns the file has. Text columns present in the
	 * file win even when empty; typed ones keep their value when empty. */
	char *value[CU_COUNT] = {0};
	money_t credit = 0;
	int64_t id = 0;
	bool has_history = false;
	sqlite3_stmt *st = store_stmt(imp->s, sql_customer_get);
	bind_static(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		for (int c = CU_NAME; c < CU_COUNT; c++)
			if (c != CU_CREDIT_LIMIT)
				value[c] = xstrdup(store_column_text(st, c));
		credit = sqlite3_column_int64(st, CU_CREDIT_LIMIT);
		has_history = sqlite3_column_int(st, CU_COUNT);
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return store_error(imp->s, imp->what, cause);
	} else {
		static const char *const defaults[CU_COUNT] = {[CU_TERMS] = "net 30", [CU_LANGUAGE] = "en",
			[CU_ON_HOLD] = "0"};
		for (int c = CU_NAME; c < CU_COUNT; c++)
			value[c] = xstrdup(defaults[c] ? defaults[c] : "");
		free(value[CU_CURRENCY]);
		value[CU_CURRENCY] = xstrdup(imp->o->base_currency ? imp->o->base_currency : "EUR");
	}
	sqlite3_reset(st);
	char *old[CU_COUNT] = {0};
	money_t old_credit = credit;
	for (int c = CU_NAME; c < CU_COUNT; c++)
		old[c] = value[c] ? xstrdup(value[c]) : NULL;

	int status = DUN_OK;
	static const int texts[] = {CU_NAME, CU_SEGMENT, CU_COLLECTOR, CU_EMAIL, CU_PHONE, CU_SCENARIO, CU_ADDRESS};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (present(imp, texts[i])) {
			free(value[texts[i]]);
			value[texts[i]] = xstrdup(field(imp, texts[i]));
		}
	}
	const char *text = field(imp, CU_CURRENCY);
	char currency[4];
	if (*text != '\0') {
		if (parse_currency(imp, CU_CURRENCY, text, currency) < 0)
			status = DUN_EDATA;
		else if (id != 0 && has_history && strcmp(currency, value[CU_CURRENCY]) != 0)
			status = row_fail(imp, CU_CURRENCY, text, "the customer has invoices or payments in %s; its currency cannot change",
			    value[CU_CURRENCY]);
		else {
			free(value[CU_CURRENCY]);
			value[CU_CURRENCY] = xstrdup(currency);
		}
	}
	text = field(imp, CU_TERMS);
	if (*text != '\0') {
		struct terms t;
		const char *why;
		char canonical[TERMS_TEXT_MAX];
		if (!terms_parse(text, &t, &why))
			status = row_fail(imp, CU_TERMS, text, "%s", why);
		else {
			free(value[CU_TERMS]);
			value[CU_TERMS] = xstrdup(terms_format(&t, canonical));
		}
	}
	text = field(imp, CU_SCENARIO);
	if (*text != '\0') {
		/* a misspelt scenario would leave the customer on the default one unnoticed */
		sqlite3_stmt *sc = store_stmt(imp->s, "SELECT EXISTS (SELECT 1 FROM scenario WHERE code = ?1)");
		bind_static(sc, 1, text);
		bool known = sqlite3_step(sc) == SQLITE_ROW && sqlite3_column_int(sc, 0);
		sqlite3_reset(sc);
		if (!known)
			status = row_fail(imp, CU_SCENARIO, text, "no such dunning scenario (`dun scenarios export` lists them)");
	}
	text = field(imp, CU_LANGUAGE);
	if (*text != '\0') {
		if (strcasecmp(text, "en") != 0 && strcasecmp(text, "fr") != 0)
			status = row_fail(imp, CU_LANGUAGE, text, "unknown language (en or fr)");
		else {
			free(value[CU_LANGUAGE]);
			value[CU_LANGUAGE] = xstrdup(strcasecmp(text, "en") == 0 ? "en" : "fr");
		}
	}
	/* on_hold travels as "0" or "1" like the text columns (the column's
	 * INTEGER affinity stores a number); an empty cell is "no", as a
	 * spreadsheet leaves the flag blank where it is not set. */
	if (present(imp, CU_ON_HOLD)) {
		text = field(imp, CU_ON_HOLD);
		const char *flag = parse_flag(text);
		if (flag == NULL)
			status = row_fail(imp, CU_ON_HOLD, text, "expected yes or no (or true/false, 1/0; empty is no)");
		else {
			free(value[CU_ON_HOLD]);
			value[CU_ON_HOLD] = xstrdup(flag);
		}
	}
	if (status == DUN_OK && *field(imp, CU_CREDIT_LIMIT) != '\0') {
		status = parse_amount(imp, CU_CREDIT_LIMIT, money_exponent(value[CU_CURRENCY]), &credit);
		if (status == DUN_OK && credit < 0)
			status = row_fail(imp, CU_CREDIT_LIMIT, field(imp, CU_CREDIT_LIMIT), "a credit limit cannot be negative");
	}
	bool changed = id == 0 || credit != old_credit;
	for (int c = CU_NAME; c < CU_COUNT && !changed; c++)
		changed = c != CU_CREDIT_LIMIT && strcmp(value[c], old[c]) != 0;
	if (status == DUN_OK && id != 0)
		status = twice_in_file(imp, id, changed, CU_CODE, cause);

	if (status == DUN_OK && changed) {
		st = store_stmt(imp->s, id == 0
		    ? "INSERT INTO customer (code, name, segment, collector, terms, credit_limit, currency, email, phone,"
		      " language, scenario, address, on_hold) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
		    : "UPDATE customer SET name = ?2, segment = ?3, collector = ?4, terms = ?5, credit_limit = ?6,"
		      " currency = ?7, email = ?8, phone = ?9, language = ?10, scenario = ?11, address = ?12, on_hold = ?13,"
		      " version = version + 1 WHERE code = ?1");
		bind_static(st, 1, code);
		for (int c = CU_NAME; c < CU_COUNT; c++)
			if (c != CU_CREDIT_LIMIT)
				bind_static(st, c + 1, value[c]);
		sqlite3_bind_int64(st, CU_CREDIT_LIMIT + 1, credit);
		status = row_step(imp, st, CU_CODE, cause);
	}
	*outcome = id == 0 ? OUTCOME_INSERTED : changed ? OUTCOME_UPDATED : OUTCOME_UNCHANGED;
	for (int c = CU_NAME; c < CU_COUNT; c++) {
		free(value[c]);
		free(old[c]);
	}
	return status;
}

/* ---- invoices ---- */

/* The customer of a row, with its terms parsed on first use. */
static struct customer_entry *row_customer(struct import *imp, int column)
{
	const char *code = field(imp, column);
	struct customer_entry *e = customer_map_slot(&imp->customers, code);
	if (e->code == NULL) {
		row_fail(imp, column, code, "unknown customer");
		return NULL;
	}
	return e;
}

static int customer_terms(struct import *imp, struct customer_entry *e, const struct terms **out)
{
	const char *why = "unknown terms";
	if (e->terms_state == 0)
		e->terms_state = terms_parse(e->terms, &e->parsed, &why) ? 1 : -1;
	if (e->terms_state < 0)
		return row_fail(imp, IN_CUSTOMER, e->code, "the customer's terms \"%s\" are not valid terms; give a due_date",
		    e->terms);
	*out = &e->parsed;
	return DUN_OK;
}

/* One invoice's values, as many times as a statement inserts rows: number,
 * customer_id, kind, issue_date, due_date, currency, amount, open_amount,
 * po, terms, discount_date, applies_to (bind_invoice's order). */
#define INVOICE_COLUMNS "(number, customer_id, kind, issue_date, due_date, currency, amount, open_amount," \
	" po, terms, discount_date, applies_to)"
#define INVOICE_VALUES_1 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define INVOICE_PARAMS 12
#define INVOICE_VALUES_2 INVOICE_VALUES_1 ", " INVOICE_VALUES_1
#define INVOICE_VALUES_4 INVOICE_VALUES_2 ", " INVOICE_VALUES_2
#define INVOICE_VALUES_8 INVOICE_VALUES_4 ", " INVOICE_VALUES_4
#define INVOICE_VALUES_16 INVOICE_VALUES_8 ", " INVOICE_VALUES_8
#define INVOICE_VALUES_32 INVOICE_VALUES_16 ", " INVOICE_VALUES_16
static const char sql_invoice_insert[] =
    "INSERT INTO invoice " INVOICE_COLUMNS " VALUES " INVOICE_VALUES_1 " ON CONFLICT (number) DO NOTHING";
/* BATCH_ROWS new invoices at once. A number already there stops the
 * statement at its row and keeps the rows before it (OR FAIL), then the
 * rest go one by one. With nothing to undo SQLite keeps no statement
 * journal (under the default ABORT, a copy of each page a statement
 * spills from the cache): the pass takes about 5 % less. */
#define BATCH_ROWS 32
static const char sql_invoice_batch[] = "INSERT OR FAIL INTO invoice " INVOICE_COLUMNS " VALUES " INVOICE_VALUES_32;
static const char sql_invoice_get[] =
    "SELECT id, customer_id, kind, issue_date, currency, due_date, amount, open_amount, po, terms,"
    " discount_date, applies_to FROM invoice WHERE number = ?1";
static const char sql_invoice_update[] =
    "UPDATE invoice SET due_date = ?2, amount = ?3, open_amount = ?4, po = ?5, terms = ?6,"
    " discount_date = ?7, applies_to = ?8, paid_date = CASE WHEN ?4 <> 0 THEN NULL"
    " ELSE coalesce(paid_date, (SELECT max(date) FROM allocation WHERE invoice_id = ?1 OR credit_id = ?1)) END,"
    " version = version + 1 WHERE id = ?1";

/* A checked invoice row. The texts number, po and applies_to point into
 * the current record; the rest is its own. */
struct invoice_row {
	const char *number;
	int64_t customer_id;
	const char *kind;
	day_t issue, due, discount;
	char currency[4];
	money_t amount;
	int exponent;          /* of the currency */
	const char *po, *applies_to;
	char terms[TERMS_TEXT_MAX];
	/* The dates as ISO text, written when the row is checked: in a bulk
	 * load on the reader thread, not on the writer's. */
	char issue_text[DATE_TEXT_MAX], due_text[DATE_TEXT_MAX], discount_text[DATE_TEXT_MAX];
};

static void invoice_row_texts(const struct import *imp, struct invoice_row *row)
{
	row->number = field(imp, IN_NUMBER);
	row->po = field(imp, IN_PO);
	row->applies_to = field(imp, IN_APPLIES_TO);
}

/* Binds row to st's parameters first + 1 to first + INVOICE_PARAMS. */
static void bind_invoice(sqlite3_stmt *st, int first, struct invoice_row *row)
{
	bind_static(st, first + 1, row->number);
	sqlite3_bind_int64(st, first + 2, row->customer_id);
	bind_static(st, first + 3, row->kind);
	bind_static(st, first + 4, row->issue_text);
	bind_static(st, first + 5, row->due_text);
	bind_static(st, first + 6, row->currency);
	sqlite3_bind_int64(st, first + 7, row->amount);
	sqlite3_bind_int64(st, first + 8, row->amount);
	bind_static(st, first + 9, row->po);
	bind_static(st, first + 10, row->terms);
	if (row->discount == DATE_NONE)
		sqlite3_bind_null(st, first + 11);
	else
		bind_static(st, first + 11, row->discount_text);
	bind_static(st, first + 12, row->applies_to);
}

/* An invoice already in the ledger: what may change does, what would
 * rewrite history (its customer, currency, kind, issue date, an amount
 * below what is allocated) is refused. A column the file does not have
 * keeps the ledger's value: a file of the required columns alone must not
 * clear a PO or move a due date that came from the invoice's own terms. */
static int update_invoice(struct import *imp, const struct invoice_row *row, int64_t *id,
    enum outcome *outcome, char **cause)
{
	sqlite3_stmt *st = store_stmt(imp->s, sql_invoice_get);
	bind_static(st, 1, row->number);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(imp->s, imp->what, cause);
	}
	*id = sqlite3_column_int64(st, 0);
	char buf[DATE_TEXT_MAX];
	int status = DUN_OK;
	if (sqlite3_column_int64(st, 1) != row->customer_id)
		status = row_fail(imp, IN_CUSTOMER, field(imp, IN_CUSTOMER), "invoice %s belongs to another customer in the ledger",
		    row->number);
	else if (strcmp(store_column_text(st, 2), row->kind) != 0)
		status = row_fail(imp, IN_KIND, row->kind, "invoice %s is a%s %s in the ledger", row->number,
		    strcmp(store_column_text(st, 2), "invoice") == 0 ? "n" : "", store_column_text(st, 2));
	else if (strcmp(store_column_text(st, 3), date_format_iso(row->issue, buf)) != 0)
		status = row_fail(imp, IN_ISSUE_DATE, field(imp, IN_ISSUE_DATE), "invoice %s was issued %s; an issue date cannot change",
		    row->number, store_column_text(st, 3));
	else if (strcmp(store_column_text(st, 4), row->currency) != 0)
		status = row_fail(imp, IN_CURRENCY, row->currency, "invoice %s is in %s; a currency cannot change",
		    row->number, store_column_text(st, 4));
	struct invoice_row now = *row;
	char *kept_po = NULL, *kept_applies_to = NULL;
	if (!present(imp, IN_PO))
		now.po = kept_po = xstrdup(store_column_text(st, 8));
	if (!present(imp, IN_APPLIES_TO))
		now.applies_to = kept_applies_to = xstrdup(store_column_text(st, 11));
	if (!present(imp, IN_TERMS)) {
		snprintf(now.terms, sizeof now.terms, "%s", store_column_text(st, 9));
		now.discount = store_column_date(st, 10);
		if (!present(imp, IN_DUE_DATE))
			now.due = store_column_date(st, 5);
	}
	money_t amount = sqlite3_column_int64(st, 6), open = sqlite3_column_int64(st, 7);
	money_t allocated = amount - open, new_open = now.amount - allocated;
	bool changed = store_column_date(st, 5) != now.due || amount != now.amount
	    || strcmp(store_column_text(st, 8), now.po) != 0 || strcmp(store_column_text(st, 9), now.terms) != 0
	    || store_column_date(st, 10) != now.discount || strcmp(store_column_text(st, 11), now.applies_to) != 0;
	sqlite3_reset(st);
	if (status == DUN_OK)
		status = twice_in_file(imp, *id, changed, IN_NUMBER, cause);
	if (status == DUN_OK && (now.amount >= 0 ? new_open < 0 : new_open > 0)) {
		char text[MONEY_TEXT_MAX];
		status = row_fail(imp, IN_AMOUNT, field(imp, IN_AMOUNT), "below the %s already allocated to invoice %s",
		    money_format(allocated < 0 ? -allocated : allocated, now.exponent, text), now.number);
	}
	*outcome = changed ? OUTCOME_UPDATED : OUTCOME_UNCHANGED;
	if (status == DUN_OK && changed) {
		char due[DATE_TEXT_MAX], discount[DATE_TEXT_MAX];
		st = store_stmt(imp->s, sql_invoice_update);
		sqlite3_bind_int64(st, 1, *id);
		bind_date(st, 2, now.due, due);
		sqlite3_bind_int64(st, 3, now.amount);
		sqlite3_bind_int64(st, 4, new_open);
		bind_static(st, 5, now.po);
		bind_static(st, 6, now.terms);
		bind_date(st, 7, now.discount, discount);
		bind_static(st, 8, now.applies_to);
		status = row_step(imp, st, IN_AMOUNT, cause);
	}
	free(kept_po);
	free(kept_applies_to);
	return status;
}

/* What a credit note or payment (?1) can still settle of invoice ?2, by
 * st's row (what it has left, the open amount, whether the two are already
 * allocated): the smaller amount, or 0 for a pair a re-import meets again. */
static int settle_amount(struct import *imp, sqlite3_stmt *st, int64_t source_id, int64_t invoice_id, money_t *amount,
    char **cause)
{
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, invoice_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_error(imp->s, imp->what, cause);
	}
	money_t left = sqlite3_column_int64(st, 0), open = sqlite3_column_int64(st, 1);
	bool done = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	*amount = done ? 0 : left < open ? left : open;
	return DUN_OK;
}

/* An allocation's status: refused (DUN_EDATA) is the row's fault, shown at
 * column and value; any other failure passes why on as the cause. */
static int allocation_result(struct import *imp, int rc, char *why, int column, const char *value, char **cause)
{
	if (rc == DUN_EDATA) {
		row_fail(imp, column, value, "%s", why);
		free(why);
	} else if (rc != DUN_OK) {
		*cause = why;
	}
	return rc;
}

/* A credit note's applies_to: its remaining credit goes to that invoice,
 * up to the invoice's open amount, once. */
static int apply_credit(struct import *imp, int64_t credit_id, const char *number, char **cause)
{
	int64_t target = ledger_invoice_id(imp->s, number);
	if (target == 0)
		return row_fail(imp, IN_APPLIES_TO, number, "unknown invoice");
	sqlite3_stmt *st = store_stmt(imp->s,
	    "SELECT (SELECT -open_amount FROM invoice WHERE id = ?1), open_amount,"
	    " EXISTS (SELECT 1 FROM allocation WHERE credit_id = ?1 AND invoice_id = ?2) FROM invoice WHERE id = ?2");
	money_t amount;
	int rc = settle_amount(imp, st, credit_id, target, &amount, cause);
	if (rc != DUN_OK || amount <= 0)
		return rc;
	char *why = NULL;
	rc = ledger_allocate_credit(imp->s, credit_id, target, amount, LEDGER_IMPORT, NULL, &why);
	if (allocation_result(imp, rc, why, IN_APPLIES_TO, number, cause) != DUN_OK)
		return rc;
	imp->row_allocations++;
	return DUN_OK;
}

/* Checks the current row into *row. */
static int parse_invoice(struct import *imp, struct invoice_row *row)
{
	memset(row, 0, sizeof *row);
	invoice_row_texts(imp, row);
	int status = required(imp, IN_NUMBER, &row->number);
	struct customer_entry *customer = row_customer(imp, IN_CUSTOMER);
	if (status != DUN_OK || customer == NULL || parse_date(imp, IN_ISSUE_DATE, &row->issue) != DUN_OK)
		return DUN_EDATA;
	row->customer_id = customer->id;
	const char *text = field(imp, IN_CURRENCY);
	row->exponent = parse_currency(imp, IN_CURRENCY, *text ? text : customer->currency, row->currency);
	if (row->exponent < 0 || parse_amount(imp, IN_AMOUNT, row->exponent, &row->amount) != DUN_OK)
		return DUN_EDATA;
	text = field(imp, IN_KIND);
	row->kind = row->amount < 0 ? "credit_note" : "invoice";
	if (*text != '\0' && strcasecmp(text, row->kind) != 0) {
		if (strcasecmp(text, "invoice") != 0 && strcasecmp(text, "credit_note") != 0)
			return row_fail(imp, IN_KIND, text, "unknown kind (invoice or credit_note)");
		return row_fail(imp, IN_AMOUNT, field(imp, IN_AMOUNT), "a%s amount does not fit kind %s",
		    row->amount < 0 ? " negative" : " positive or zero", text);
	}
	const struct terms *terms = NULL;
	struct terms own;
	text = field(imp, IN_TERMS);
	if (*text != '\0') {
		const char *why;
		if (!terms_parse(text, &own, &why))
			return row_fail(imp, IN_TERMS, text, "%s", why);
		terms = &own;
		terms_format(&own, row->terms);
	} else if (customer_terms(imp, customer, &terms) != DUN_OK)
		return DUN_EDATA;
	if (*field(imp, IN_DUE_DATE) != '\0') {
		if (parse_date(imp, IN_DUE_DATE, &row->due) != DUN_OK)
			return DUN_EDATA;
		if (row->due < row->issue)
			return row_fail(imp, IN_DUE_DATE, field(imp, IN_DUE_DATE), "before the issue date");
	} else
		row->due = terms_due_date(terms, row->issue);
	row->discount = terms_discount_date(terms, row->issue);
	if (*row->applies_to != '\0' && row->amount >= 0)
		return row_fail(imp, IN_APPLIES_TO, row->applies_to, "only a credit note applies to an invoice");
	date_format_iso(row->issue, row->issue_text);
	date_format_iso(row->due, row->due_text);
	if (row->discount != DATE_NONE)
		date_format_iso(row->discount, row->discount_text);
	return DUN_OK;
}

/* Writes a checked row of the current record: a new invoice, or the
 * compare-and-update of one already there; then a credit note's applies_to. */
static int write_invoice(struct import *imp, struct invoice_row *row, enum outcome *outcome, char **cause)
{
	sqlite3_stmt *st = store_stmt(imp->s, sql_invoice_insert);
	bind_invoice(st, 0, row);
	int status = row_step(imp, st, IN_NUMBER, cause);
	if (status != DUN_OK)
		return status;
	int64_t id = 0;
	if (sqlite3_changes(store_db(imp->s)) == 1) {
		*outcome = OUTCOME_INSERTED;
		id = sqlite3_last_insert_rowid(store_db(imp->s));
	} else if ((status = update_invoice(imp, row, &id, outcome, cause)) != DUN_OK)
		return status;
	if (*row->applies_to != '\0')
		return apply_credit(imp, id, row->applies_to, cause);
	return DUN_OK;
}

static int batch_add(struct import *imp, const struct invoice_row *row, enum outcome *outcome, char **cause);
static int batch_flush(struct import *imp, char **cause);

/* A checked row of the current record: into the batch, or written now. */
static int import_checked_invoice(struct import *imp, struct invoice_row *row, enum outcome *outcome, char **cause)
{
	/* A credit note's applies_to may name an invoice still in the batch. */
	if (imp->batch != NULL && *row->applies_to == '\0')
		return batch_add(imp, row, outcome, cause);
	int status = batch_flush(imp, cause);
	if (status != DUN_OK)
		return status;
	return write_invoice(imp, row, outcome, cause);
}

static int import_invoice(struct import *imp, enum outcome *outcome, char **cause)
{
	struct invoice_row row;
	if (parse_invoice(imp, &row) != DUN_OK)
		return DUN_EDATA;
	return import_checked_invoice(imp, &row, outcome, cause);
}

/* ---- payments ---- */

#define MAX_PAYMENT_INVOICES 64

/* The invoices column: numbers separated by ';', ',' or spaces. */
static int payment_invoices(struct import *imp, int64_t *ids, int *count)
{
	const char *text = field(imp, PA_INVOICES);
	*count = 0;
	while (*text) {
		size_t skip = strspn(text, "; ,\t\r\n");
		text += skip;
		size_t len = strcspn(text, "; ,\t\r\n");
		if (len == 0)
			break;
		if (*count == MAX_PAYMENT_INVOICES)
			return row_fail(imp, PA_INVOICES, field(imp, PA_INVOICES), "more than %d invoices", MAX_PAYMENT_INVOICES);
		char *number = xstrndup(text, len);
		ids[*count] = ledger_invoice_id(imp->s, number);
		if (ids[*count] == 0) {
			row_fail(imp, PA_INVOICES, field(imp, PA_INVOICES), "unknown invoice %s", number);
			free(number);
			return DUN_EDATA;
		}
		free(number);
		(*count)++;
		text += len;
	}
	return DUN_OK;
}

static const char sql_payment_insert[] =
    "INSERT INTO payment (reference, date, amount, currency, method, payer_name, payer_account, remittance,"
    " customer_id, unapplied, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?3, 'csv')";
/* A payment is its reference, date and amount, as a bank line is (SPEC
 * §5): two cheques with one reference on one day are two payments. */
static const char sql_payment_get[] =
    "SELECT id, currency, method, payer_name, payer_account, remittance, customer_id FROM payment"
    " WHERE account = '' AND reference = ?1 AND date = ?2 AND amount = ?3";
static const char sql_payment_update[] =
    "UPDATE payment SET method = ?2, payer_name = ?3, payer_account = ?4, remittance = ?5,"
    " customer_id = coalesce(?6, customer_id) WHERE id = ?1";

/* Allocates the payment to the listed invoices in order, each up to its
 * open amount, until the payment is used up; pairs already allocated (a
 * re-import) are left alone. */
static int allocate_payment(struct import *imp, int64_t payment_id, const int64_t *ids, int count,
    int64_t *allocated, int *nallocated, char **cause)
{
	*nallocated = 0;
	for (int i = 0; i < count; i++) {
		sqlite3_stmt *st = store_stmt(imp->s,
		    "SELECT (SELECT unapplied FROM payment WHERE id = ?1), open_amount,"
		    " EXISTS (SELECT 1 FROM allocation WHERE payment_id = ?1 AND invoice_id = ?2) FROM invoice WHERE id = ?2");
		money_t amount;
		int rc = settle_amount(imp, st, payment_id, ids[i], &amount, cause);
		if (rc != DUN_OK)
			return rc;
		if (amount <= 0)
			continue;
		char *why = NULL;
		rc = ledger_allocate_payment(imp->s, payment_id, ids[i], amount, LEDGER_IMPORT, NULL, &why);
		if (allocation_result(imp, rc, why, PA_INVOICES, field(imp, PA_INVOICES), cause) != DUN_OK)
			return rc;
		allocated[(*nallocated)++] = ids[i];
		imp->row_allocations++;
	}
	return DUN_OK;
}

/* Records the receipt in its customer's history, once, when it is new. */
static int payment_activity(struct import *imp, int64_t payment_id, day_t date, money_t amount,
    const char *currency, const int64_t *allocated, int nallocated, char **cause)
{
	sqlite3_stmt *st = store_stmt(imp->s, "SELECT customer_id, reference FROM payment WHERE id = ?1");
	sqlite3_bind_int64(st, 1, payment_id);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_reset(st);
		return DUN_OK;
	}
	char *text = xasprintf("payment %s", store_column_text(st, 1));
	struct ledger_activity a = {
		.customer_id = sqlite3_column_int64(st, 0), .date = date, .kind = "payment", .who = ledger_user(),
		.text = text, .amount = amount, .currency = currency, .invoice_ids = allocated, .ninvoices = nallocated,
	};
	sqlite3_reset(st);
	char *why = NULL;
	int rc = ledger_activity_add(imp->s, &a, NULL, &why);
	free(text);
	if (rc == DUN_EDATA) {
		row_fail(imp, PA_REFERENCE, field(imp, PA_REFERENCE), "%s", why);
		free(why);
	} else if (rc != DUN_OK)
		*cause = why;
	return rc;
}

/* The row's method, payer, account and remittance (detail[], the
 * ledger's where the file has no such column) at first..first + 3, its
 * customer (NULL when not given) at first + 4. */
static const int payment_details[] = {PA_METHOD, PA_PAYER, PA_ACCOUNT, PA_REMITTANCE};
#define PAYMENT_DETAILS ((int)(sizeof payment_details / sizeof payment_details[0]))

static void bind_payment_details(sqlite3_stmt *st, int first, const char *const *detail,
    const struct customer_entry *customer)
{
	for (int i = 0; i < PAYMENT_DETAILS; i++)
		bind_static(st, first + i, detail[i]);
	if (customer != NULL)
		sqlite3_bind_int64(st, first + PAYMENT_DETAILS, customer->id);
}

static int import_payment(struct import *imp, enum outcome *outcome, char **cause)
{
	const char *reference;
	day_t date;
	if (required(imp, PA_REFERENCE, &reference) != DUN_OK || parse_date(imp, PA_DATE, &date) != DUN_OK)
		return DUN_EDATA;
	struct customer_entry *customer = NULL;
	if (*field(imp, PA_CUSTOMER) != '\0' && (customer = row_customer(imp, PA_CUSTOMER)) == NULL)
		return DUN_EDATA;
	int64_t ids[MAX_PAYMENT_INVOICES], allocated[MAX_PAYMENT_INVOICES];
	int count, nallocated = 0;
	if (payment_invoices(imp, ids, &count) != DUN_OK)
		return DUN_EDATA;
	/* The currency: the file's, else the customer's, else the first
	 * invoice's, else the base currency. */
	const char *text = field(imp, PA_CURRENCY);
	char currency[4], first[4] = "";
	if (*text == '\0' && customer != NULL)
		text = customer->currency;
	if (*text == '\0' && count > 0) {
		sqlite3_stmt *st = store_stmt(imp->s, "SELECT currency FROM invoice WHERE id = ?1");
		sqlite3_bind_int64(st, 1, ids[0]);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(first, sizeof first, "%s", store_column_text(st, 0));
		sqlite3_reset(st);
		text = first;
	}
	if (*text == '\0')
		text = imp->o->base_currency ? imp->o->base_currency : "EUR";
	int exponent = parse_currency(imp, PA_CURRENCY, text, currency);
	money_t amount;
	if (exponent < 0 || parse_amount(imp, PA_AMOUNT, exponent, &amount) != DUN_OK)
		return DUN_EDATA;
	if (amount < 0 && count > 0)
		return row_fail(imp, PA_INVOICES, field(imp, PA_INVOICES), "a negative payment (a refund) is not allocated");

	char date_text[DATE_TEXT_MAX];
	const char *detail[PAYMENT_DETAILS];
	char *kept[PAYMENT_DETAILS] = {0};
	for (int i = 0; i < PAYMENT_DETAILS; i++)
		detail[i] = field(imp, payment_details[i]);
	sqlite3_stmt *st = store_stmt(imp->s, sql_payment_get);
	bind_static(st, 1, reference);
	bind_date(st, 2, date, date_text);
	sqlite3_bind_int64(st, 3, amount);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		return store_error(imp->s, imp->what, cause);
	}
	int status = DUN_OK;
	int64_t id = 0;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		st = store_stmt(imp->s, sql_payment_insert);
		bind_static(st, 1, reference);
		bind_date(st, 2, date, date_text);
		sqlite3_bind_int64(st, 3, amount);
		bind_static(st, 4, currency);
		bind_payment_details(st, 5, detail, customer);
		if ((status = row_step(imp, st, PA_REFERENCE, cause)) != DUN_OK)
			return status;
		*outcome = OUTCOME_INSERTED;
		id = sqlite3_last_insert_rowid(store_db(imp->s));
	} else {
		id = sqlite3_column_int64(st, 0);
		bool changed = customer != NULL && sqlite3_column_type(st, 6) == SQLITE_NULL;
		for (int i = 0; i < PAYMENT_DETAILS; i++) {
			if (!present(imp, payment_details[i]))
				detail[i] = kept[i] = xstrdup(store_column_text(st, 2 + i));
			changed = changed || strcmp(store_column_text(st, 2 + i), detail[i]) != 0;
		}
		if (strcmp(store_column_text(st, 1), currency) != 0)
			status = row_fail(imp, PA_CURRENCY, currency, "payment %s is in %s; a currency cannot change",
			    reference, store_column_text(st, 1));
		else if (customer != NULL && sqlite3_column_type(st, 6) != SQLITE_NULL && sqlite3_column_int64(st, 6) != customer->id)
			status = row_fail(imp, PA_CUSTOMER, customer->code, "payment %s belongs to another customer in the ledger",
			    reference);
		sqlite3_reset(st);
		if (status == DUN_OK)
			status = twice_in_file(imp, id, changed, PA_REFERENCE, cause);
		*outcome = changed ? OUTCOME_UPDATED : OUTCOME_UNCHANGED;
		if (status == DUN_OK && changed) {
			st = store_stmt(imp->s, sql_payment_update);
			sqlite3_bind_int64(st, 1, id);
			bind_payment_details(st, 2, detail, customer);
			status = row_step(imp, st, PA_REFERENCE, cause);
		}
		for (int i = 0; i < PAYMENT_DETAILS; i++)
			free(kept[i]);
		if (status != DUN_OK)
			return status;
	}
	if ((status = allocate_payment(imp, id, ids, count, allocated, &nallocated, cause)) != DUN_OK)
		return status;
	if (nallocated > 0 && *outcome == OUTCOME_UNCHANGED)
		*outcome = OUTCOME_UPDATED;
	if (*outcome != OUTCOME_INSERTED)
		return DUN_OK;
	return payment_activity(imp, id, date, amount, currency, allocated, nallocated, cause);
}

/* ---- rates ---- */

#define RATE_EXPONENT 9

static int import_rate(struct import *imp, enum outcome *outcome, char **cause)
{
	char currency[4], text[MONEY_TEXT_MAX], date_text[DATE_TEXT_MAX];
	day_t date;
	money_t rate;
	const char *code = field(imp, RA_CURRENCY);
	if (parse_currency(imp, RA_CURRENCY, code, currency) < 0 || parse_date(imp, RA_DATE, &date) != DUN_OK)
		return DUN_EDATA;
	/* A rate has up to nine decimals: the money parser at exponent 9
	 * reads it exactly, with the file's decimal mark. */
	if (parse_amount(imp, RA_RATE, RATE_EXPONENT, &rate) != DUN_OK)
		return DUN_EDATA;
	if (rate <= 0)
		return row_fail(imp, RA_RATE, field(imp, RA_RATE), "a rate must be positive");
	money_format(rate, RATE_EXPONENT, text);
	size_t len = strlen(text);
	while (text[len - 1] == '0' && text[len - 2] != '.')
		text[--len] = '\0';
	sqlite3_stmt *st = store_stmt(imp->s, "SELECT rate_e9 FROM rate WHERE currency = ?1 AND date = ?2");
	bind_static(st, 1, currency);
	bind_date(st, 2, date, date_text);
	int rc = sqlite3_step(st);
	*outcome = rc != SQLITE_ROW ? OUTCOME_INSERTED
	    : sqlite3_column_int64(st, 0) == rate ? OUTCOME_UNCHANGED : OUTCOME_UPDATED;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(imp->s, imp->what, cause);
	if (*outcome == OUTCOME_UNCHANGED)
		return DUN_OK;
	st = store_stmt(imp->s, "INSERT INTO rate (currency, date, rate, rate_e9) VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT (currency, date) DO UPDATE SET rate = excluded.rate, rate_e9 = excluded.rate_e9");
	bind_static(st, 1, currency);
	bind_date(st, 2, date, date_text);
	bind_static(st, 3, text);
	sqlite3_bind_int64(st, 4, rate);
	return row_step(imp, st, RA_RATE, cause);
}

/* ---- the pass ---- */

static bool row_empty(const struct csv_record *rec)
{
	for (int i = 0; i < rec->nfields; i++)
		if (rec->lengths[i] != 0)
			return false;
	return true;
}

static int open_skip_file(struct import *imp, char **cause)
{
	imp->skip_tmp = xasprintf("%s.tmp%ld", imp->o->skip_bad_path, (long)getpid());
	imp->skip = fopen(imp->skip_tmp, "w");
	if (imp->skip == NULL)
		return dun_fail(cause, DUN_EUSAGE, "%s: %s", imp->o->skip_bad_path, strerror(errno));
	const char **fields = xcalloc(imp->nheader + 1, sizeof *fields);
	for (int i = 0; i < imp->nheader; i++)
		fields[i] = imp->header[i];
	fields[imp->nheader] = "reason";
	csv_write_record(imp->skip, csv_reader_delimiter(imp->csv), fields, imp->nheader + 1);
	free(fields);
	return DUN_OK;
}

static int close_skip_file(struct import *imp, bool keep, char **cause)
{
	if (imp->skip == NULL)
		return DUN_OK;
	bool failed = ferror(imp->skip) != 0;
	failed |= fclose(imp->skip) != 0;
	imp->skip = NULL;
	if (!keep || failed || rename(imp->skip_tmp, imp->o->skip_bad_path) != 0) {
		int err = errno;
		unlink(imp->skip_tmp);
		if (keep)
			return dun_fail(cause, DUN_EUSAGE, "%s: %s", imp->o->skip_bad_path, strerror(err ? err : EIO));
	}
	return DUN_OK;
}

/* A bad row: named to the user (up to the limit) or written out. */
static void reject_row(struct import *imp)
{
	const struct csv_record *rec = imp->record;
	imp->result->rejected++;
	if (imp->skip != NULL) {
		int n = rec->nfields > imp->nheader ? rec->nfields : imp->nheader;
		const char **fields = xcalloc(n + 1, sizeof *fields);
		for (int i = 0; i < n; i++)
			fields[i] = i < rec->nfields ? rec->fields[i] : "";
		fields[n] = imp->row_error;
		csv_write_record(imp->skip, csv_reader_delimiter(imp->csv), fields, n + 1);
		free(fields);
	} else if (imp->result->rejected <= IMPORT_MAX_REPORTED && imp->o->notice != NULL) {
		char *msg = xasprintf("%s:%ld: %s", imp->o->path, rec->line, imp->row_error);
		imp->o->notice(imp->o->notice_arg, msg);
		free(msg);
	}
	free(imp->row_error);
	imp->row_error = NULL;
}

static int exec_savepoint(struct import *imp, const char *sql, char **cause)
{
	if (store_step_done(store_stmt(imp->s, sql)) != SQLITE_DONE)
		return store_error(imp->s, imp->what, cause);
	return DUN_OK;
}

static void count_outcome(struct import *imp, enum outcome outcome)
{
	struct import_result *r = imp->result;
	if (outcome != OUTCOME_DEFERRED)
		*(outcome == OUTCOME_INSERTED ? &r->inserted : outcome == OUTCOME_UPDATED ? &r->updated : &r->unchanged) += 1;
}

/* ---- the bulk path's batch of new invoices ---- */

/* A row waiting in the batch: its checked values and a copy of its record
 * (the reader reuses its own) for the texts, and for messages should the
 * rows go one by one. */
struct pending_row {
	struct invoice_row row;
	struct csv_record record;
	int fields_cap;
	char *text;
	size_t text_cap;
};

struct invoice_batch {
	struct pending_row rows[BATCH_ROWS];
	int count;
};

/* A row the bulk path's reader thread read and checked. */
struct checked_row {
	struct pending_row p;  /* the record's copy and, when good, its checked row */
	int status;            /* DUN_OK, or DUN_EDATA with error */
	char *error;
};

static void record_copy(struct pending_row *p, const struct csv_record *rec)
{
	size_t size = 0;
	for (int i = 0; i < rec->nfields; i++)
		size += rec->lengths[i] + 1;
	if (size > p->text_cap) {
		p->text = xrealloc(p->text, size);
		p->text_cap = size;
	}
	if (rec->nfields > p->fields_cap) {
		p->record.fields = xreallocarray(p->record.fields, rec->nfields, sizeof *p->record.fields);
		p->record.lengths = xreallocarray(p->record.lengths, rec->nfields, sizeof *p->record.lengths);
		p->fields_cap = rec->nfields;
	}
	char *t = p->text;
	for (int i = 0; i < rec->nfields; i++) {
		memcpy(t, rec->fields[i], rec->lengths[i] + 1);
		p->record.fields[i] = t;
		p->record.lengths[i] = rec->lengths[i];
		t += rec->lengths[i] + 1;
	}
	p->record.line = rec->line;
	p->record.nfields = rec->nfields;
}

static void batch_free(struct invoice_batch *b)
{
	if (b == NULL)
		return;
	for (int i = 0; i < BATCH_ROWS; i++) {
		free(b->rows[i].record.fields);
		free(b->rows[i].record.lengths);
		free(b->rows[i].text);
	}
	free(b);
}

/* Writes the waiting rows: one statement for a full batch; row by row for
 * a partial one, or from the row where the statement stopped on a number
 * already there, each under its own record as though it came now, so
 * outcomes and bad rows are those of a pass row by row, in order. */
static int batch_flush(struct import *imp, char **cause)
{
	struct invoice_batch *b = imp->batch;
	if (b == NULL || b->count == 0)
		return DUN_OK;
	int n = b->count, first = 0;
	b->count = 0;
	if (n == BATCH_ROWS) {
		sqlite3_stmt *st = store_stmt(imp->s, sql_invoice_batch);
		for (int i = 0; i < n; i++)
			bind_invoice(st, i * INVOICE_PARAMS, &b->rows[i].row);
		int rc = store_step_done(st), status = DUN_OK;
		first = sqlite3_changes(store_db(imp->s));
		imp->result->inserted += first;
		if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
			status = store_error(imp->s, imp->what, cause);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE || status != DUN_OK)
			return status;
	}
	struct csv_record *current = imp->record;
	char *current_error = imp->row_error;
	imp->row_error = NULL;
	int status = DUN_OK;
	for (int i = first; i < n && status == DUN_OK; i++) {
		imp->record = &b->rows[i].record;
		enum outcome outcome = OUTCOME_UNCHANGED;
		status = write_invoice(imp, &b->rows[i].row, &outcome, cause);
		if (status == DUN_OK) {
			count_outcome(imp, outcome);
		} else if (status == DUN_EDATA) {
			if (imp->row_error == NULL)
				imp->row_error = xstrdup("bad row");
			reject_row(imp);
			status = DUN_OK;
		}
	}
	imp->record = current;
	imp->row_error = current_error;
	return status;
}

static int batch_add(struct import *imp, const struct invoice_row *row, enum outcome *outcome, char **cause)
{
	struct invoice_batch *b = imp->batch;
	struct pending_row *p = &b->rows[b->count++];
	if (imp->checked != NULL && row == &imp->checked->p.row) {
		/* The reader's copy of the row moves into the batch, its texts
		 * with it, and the batch's spare buffers go back to the reader. */
		struct pending_row spare = *p;
		*p = imp->checked->p;
		imp->checked->p = spare;
		imp->record = &p->record;
	} else {
		record_copy(p, imp->record);
		p->row = *row;
		struct csv_record *current = imp->record;
		imp->record = &p->record;
		invoice_row_texts(imp, &p->row);
		imp->record = current;
	}
	*outcome = OUTCOME_DEFERRED;
	return b->count == BATCH_ROWS ? batch_flush(imp, cause) : DUN_OK;
}

/* ---- the bulk path's reader thread ---- */

/* A bulk load reads and checks the rows on a second thread while this one
 * writes them: the reader fills chunks of CHUNK_ROWS rows (a copy of each
 * record with its checked row or its error), the writer takes them in
 * order. Until the pass ends only the reader touches the CSV reader, the
 * customer map and the parsing state, on its own copy of struct import. */
#define CHUNK_ROWS 256
#define CHUNKS 4

struct chunk {
	struct checked_row rows[CHUNK_ROWS];
	int count;
	bool last;             /* the file ends after these rows, with status (and cause) */
	int status;
	char *cause;
};

struct reader {
	struct import parse;   /* the reader thread's own */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct chunk chunks[CHUNKS];
	int head, filled;      /* the writer's chunk; chunks filled and not yet given back */
	bool stop;             /* the writer wants no more */
	struct chunk *current; /* the writer's, and its next row */
	int next;
};

/* The processors this process may run on (taskset, cpusets), at least 1. */
static int processors(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* The current record's field count against the header's. */
static int check_fields(struct import *imp)
{
	const struct csv_record *rec = imp->record;
	if (rec->nfields == imp->nheader)
		return DUN_OK;
	imp->row_error = xasprintf("the row has %d field%s, the header %d", rec->nfields,
	    rec->nfields == 1 ? "" : "s", imp->nheader);
	return DUN_EDATA;
}

/* Reads and checks up to CHUNK_ROWS rows into c; true at the file's end. */
static bool chunk_fill(struct import *imp, struct chunk *c)
{
	c->count = 0;
	c->last = false;
	while (c->count < CHUNK_ROWS) {
		struct csv_record *rec;
		if ((c->status = csv_reader_next(imp->csv, &rec, &c->cause)) != DUN_OK || rec == NULL)
			return c->last = true;
		if (row_empty(rec))
			continue;
		struct checked_row *row = &c->rows[c->count++];
		record_copy(&row->p, rec);
		imp->record = &row->p.record;
		imp->row_error = NULL;
		row->status = check_fields(imp);
		if (row->status == DUN_OK)
			row->status = parse_invoice(imp, &row->p.row);
		row->error = imp->row_error;
		imp->row_error = NULL;
	}
	return false;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	for (bool last = false; !last;) {
		pthread_mutex_lock(&r->lock);
		while (r->filled == CHUNKS && !r->stop)
			pthread_cond_wait(&r->changed, &r->lock);
		bool stop = r->stop;
		struct chunk *c = &r->chunks[(r->head + r->filled) % CHUNKS];
		pthread_mutex_unlock(&r->lock);
		if (stop)
			break;
		last = chunk_fill(&r->parse, c);
		pthread_mutex_lock(&r->lock);
		r->filled++;
		pthread_cond_broadcast(&r->changed);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

/* Starts the reader thread from where imp's CSV reader stands; without a
 * second processor, or a thread, the pass reads the rows itself. */
static void reader_start(struct import *imp)
{
	if (processors() < 2)
		return;
	struct reader *r = xcalloc(1, sizeof *r);
	r->parse = *imp;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	if (pthread_create(&r->thread, NULL, reader_main, r) != 0) {
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->changed);
		free(r);
		return;
	}
	imp->reader = r;
}

/* Stops and joins the reader thread, and takes back what it changed. */
static void reader_stop(struct import *imp)
{
	struct reader *r = imp->reader;
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->changed);
	for (int i = 0; i < CHUNKS; i++) {
		/* The rows the writer took have given it their errors. */
		for (int j = 0; j < CHUNK_ROWS; j++) {
			struct checked_row *row = &r->chunks[i].rows[j];
			free(row->p.record.fields);
			free(row->p.record.lengths);
			free(row->p.text);
			free(row->error);
		}
		free(r->chunks[i].cause);
	}
	free(r);
	imp->reader = NULL;
	imp->checked = NULL;
}

/* The next row from the reader thread into imp->record and imp->checked,
 * NULL at the end. */
static int reader_next(struct import *imp, char **cause)
{
	struct reader *r = imp->reader;
	for (;;) {
		if (r->current == NULL) {
			pthread_mutex_lock(&r->lock);
			while (r->filled == 0)
				pthread_cond_wait(&r->changed, &r->lock);
			r->current = &r->chunks[r->head];
			pthread_mutex_unlock(&r->lock);
			r->next = 0;
		}
		struct chunk *c = r->current;
		if (r->next < c->count) {
			imp->checked = &c->rows[r->next++];
			imp->record = &imp->checked->p.record;
			return DUN_OK;
		}
		if (c->last) {
			imp->checked = NULL;
			imp->record = NULL;
			*cause = c->cause;
			c->cause = NULL;
			return c->status;
		}
		pthread_mutex_lock(&r->lock);
		r->head = (r->head + 1) % CHUNKS;
		r->filled--;
		pthread_cond_broadcast(&r->changed);
		pthread_mutex_unlock(&r->lock);
		r->current = NULL;
	}
}

static int import_row(struct import *imp, char **cause)
{
	enum outcome outcome = OUTCOME_UNCHANGED;
	imp->row_allocations = 0;
	int status;
	if (imp->checked != NULL) {
		status = imp->checked->status;
		imp->row_error = imp->checked->error;
		imp->checked->error = NULL;
		if (status == DUN_OK)
			status = import_checked_invoice(imp, &imp->checked->p.row, &outcome, cause);
	} else if ((status = check_fields(imp)) == DUN_OK) {
		switch (imp->o->kind) {
		case IMPORT_CUSTOMERS: status = import_customer(imp, &outcome, cause); break;
		case IMPORT_INVOICES: status = import_invoice(imp, &outcome, cause); break;
		case IMPORT_PAYMENTS: status = import_payment(imp, &outcome, cause); break;
		default: status = import_rate(imp, &outcome, cause); break;
		}
	}
	if (status == DUN_EDATA && imp->row_error == NULL)
		imp->row_error = xstrdup("bad row");
	if (status != DUN_OK)
		return status;
	count_outcome(imp, outcome);
	imp->result->allocations += imp->row_allocations;
	return DUN_OK;
}

static int import_pass(struct import *imp, char **cause)
{
	bool savepoints = imp->o->skip_bad_path != NULL;
	int status;
	for (;;) {
		status = imp->reader ? reader_next(imp, cause) : csv_reader_next(imp->csv, &imp->record, cause);
		if (status != DUN_OK)
			return status;
		if (imp->record == NULL)
			return batch_flush(imp, cause);
		if (row_empty(imp->record))
			continue;
		imp->result->rows++;
		if (savepoints && (status = exec_savepoint(imp, "SAVEPOINT import_row", cause)) != DUN_OK)
			return status;
		status = import_row(imp, cause);
		if (status != DUN_OK && status != DUN_EDATA)
			return status;
		/* The rows waiting in the batch come first, so bad rows are told in order. */
		if (status == DUN_EDATA) {
			int flushed = batch_flush(imp, cause);
			if (flushed != DUN_OK)
				return flushed;
			reject_row(imp);
		}
		if (savepoints && status == DUN_EDATA
		    && (status = exec_savepoint(imp, "ROLLBACK TO import_row", cause)) != DUN_OK)
			return status;
		if (savepoints && (status = exec_savepoint(imp, "RELEASE import_row", cause)) != DUN_OK)
			return status;
	}
}

/* A bulk load: an import that at least doubles the invoice table drops
 * the index new invoices enter, invoice_open, and rebuilds it at the end.
 * Building an index from sorted keys costs far less than as many inserts
 * at random places (it is customer-first), and inside the one transaction
 * nobody ever sees the table without it. Rows are estimated from the
 * file's size; small files never take this path. */
#define BULK_MIN_ROWS 50000
#define BULK_BYTES_PER_ROW 40

static bool bulk_load_wanted(struct import *imp)
{
	struct stat st;
	if (imp->o->kind != IMPORT_INVOICES || stat(imp->o->path, &st) != 0)
		return false;
	long long rows = (long long)st.st_size / BULK_BYTES_PER_ROW;
	sqlite3_stmt *q = store_stmt(imp->s, "SELECT coalesce(max(id), 0) FROM invoice");
	long long existing = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rows >= BULK_MIN_ROWS && rows > existing;
}

static int drop_invoice_indexes(struct import *imp, char **cause)
{
	/* The settled half's indexes (partial on open_amount = 0 or on
	 * paid_date) take no new open invoice: they cost nothing to keep and a
	 * full scan each to rebuild. */
	sqlite3_stmt *q = store_stmt(imp->s,
	    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoice' AND sql IS NOT NULL"
	    " AND name NOT IN ('invoice_settled', 'invoice_settled_issue', 'invoice_paid')");
	char **names = NULL;
	while (sqlite3_step(q) == SQLITE_ROW) {
		names = xreallocarray(names, imp->nindexes + 1, sizeof *names);
		imp->index_sql = xreallocarray(imp->index_sql, imp->nindexes + 1, sizeof *imp->index_sql);
		names[imp->nindexes] = xstrdup(store_column_text(q, 0));
		imp->index_sql[imp->nindexes++] = xstrdup(store_column_text(q, 1));
	}
	sqlite3_reset(q);
	int status = DUN_OK;
	for (int i = 0; i < imp->nindexes; i++) {
		/* Names from our own schema, quoted as identifiers. */
		char *sql = sqlite3_mprintf("DROP INDEX \"%w\"", names[i]);
		if (status == DUN_OK && sqlite3_exec(store_db(imp->s), sql, NULL, NULL, NULL) != SQLITE_OK)
			status = store_error(imp->s, imp->what, cause);
		sqlite3_free(sql);
		free(names[i]);
	}
	free(names);
	return status;
}

/* CREATE INDEX sorts its keys on helper threads only when they outgrow its
 * memory budget, which SQLite sets to the page cache's size: a small cache
 * for the rebuild makes it sort runs of that size on up to
 * REBUILD_THREADS threads (one per processor) and merge them, on a
 * 2-processor machine about a quarter faster than one sort of all the
 * keys in a large cache. The import's own cache comes back after the
 * commit. */
#define REBUILD_THREADS 4
#define REBUILD_CACHE_KIB 4096

static int rebuild_invoice_indexes(struct import *imp, char **cause)
{
	if (imp->nindexes == 0)
		return DUN_OK;
	sqlite3 *db = store_db(imp->s);
	int cpus = processors();
	int threads = cpus > REBUILD_THREADS ? REBUILD_THREADS : cpus > 1 ? cpus : 0;
	int old_threads = sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, threads);
	store_cache_size(imp->s, -REBUILD_CACHE_KIB);
	int status = DUN_OK;
	for (int i = 0; i < imp->nindexes && status == DUN_OK; i++)
		if (sqlite3_exec(db, imp->index_sql[i], NULL, NULL, NULL) != SQLITE_OK)
			status = store_error(imp->s, imp->what, cause);
	sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, old_threads);
	return status;
}

/* The page cache of an import (KiB): big enough to keep the index pages
 * that random inserts touch in memory, and a fixed bound on what one
 * transaction keeps dirty, so memory does not grow with the file. */
#define IMPORT_CACHE_KIB 65536

int import_run(struct store *s, const struct import_options *o, struct import_result *result, char **cause)
{
	memset(result, 0, sizeof *result);
	struct import imp = {
		.s = s, .o = o, .kind = &kinds[o->kind], .result = result, .mark = o->mark,
		.what = xasprintf("import %s", kinds[o->kind].name),
	};
	int status = DUN_OK;
	if (o->map_path != NULL)
		status = load_map(&imp, cause);
	if (status == DUN_OK)
		status = csv_reader_open(o->path, o->encoding, &imp.csv, cause);
	if (status == DUN_OK)
		status = read_header(&imp, cause);
	if (status == DUN_OK && imp.mark == MONEY_MARK_AUTO)
		status = detect_mark(&imp, cause);
	if (status == DUN_OK && o->skip_bad_path != NULL && !o->dry_run)
		status = open_skip_file(&imp, cause);
	/* An invoice's customer id comes from the customer table read inside
	 * the import's transaction (its write lock taken at BEGIN), a credit
	 * note's target from a lookup in it: SQLite's check of the foreign
	 * keys, a customer lookup per row, would only repeat dun's. The
	 * pragma does nothing inside a transaction, hence before it. */
	bool foreign_keys = false;
	if (status == DUN_OK && o->kind == IMPORT_INVOICES) {
		sqlite3_stmt *st = store_stmt(s, "PRAGMA foreign_keys");
		foreign_keys = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
		sqlite3_reset(st);
		if (foreign_keys)
			sqlite3_exec(store_db(s), "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	}
	bool began = false;
	int cache_kib = 0;
	if (status == DUN_OK && (status = store_begin(s, cause)) == DUN_OK) {
		began = true;
		cache_kib = store_cache_size(s, -IMPORT_CACHE_KIB);
		if (o->kind == IMPORT_INVOICES || o->kind == IMPORT_PAYMENTS)
			status = customer_map_load(&imp.customers, s, cause);
		if (status == DUN_OK)
			status = seen_begin(&imp, cause);
		if (status == DUN_OK && bulk_load_wanted(&imp)) {
			status = drop_invoice_indexes(&imp, cause);
			/* Per-row savepoints (--skip-bad) need the rows one by one. */
			if (status == DUN_OK && o->skip_bad_path == NULL) {
				imp.batch = xcalloc(1, sizeof *imp.batch);
				reader_start(&imp);
			}
		}
	}
	if (status == DUN_OK)
		status = import_pass(&imp, cause);
	reader_stop(&imp);
	/* A dry run rolls back: the dropped indexes come back with it. */
	if (status == DUN_OK && !o->dry_run && (result->rejected == 0 || o->skip_bad_path != NULL))
		status = rebuild_invoice_indexes(&imp, cause);
	if (status == DUN_OK && result->rejected > 0 && o->skip_bad_path == NULL) {
		if (result->rejected > IMPORT_MAX_REPORTED && o->notice != NULL) {
			char *msg = xasprintf("%s: and %ld more bad rows", o->path, result->rejected - IMPORT_MAX_REPORTED);
			o->notice(o->notice_arg, msg);
			free(msg);
		}
		status = dun_fail(cause, DUN_EDATA, "%s: %ld bad row%s, nothing imported", o->path, result->rejected,
		    result->rejected == 1 ? "" : "s");
	}
	if (began) {
		if (status == DUN_OK && !o->dry_run)
			status = store_commit(s, cause);
		else
			store_rollback(s);
		store_cache_size(s, cache_kib);
	}
	if (foreign_keys)
		sqlite3_exec(store_db(s), "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	int skip_status = close_skip_file(&imp, status == DUN_OK, cause);
	if (status == DUN_OK)
		status = skip_status;
	csv_reader_close(imp.csv);
	if (imp.customers.slots != NULL)
		customer_map_free(&imp.customers);
	for (int i = 0; i < imp.map.count; i++)
		free(imp.map.header[i]);
	free(imp.map.bad);
	for (int i = 0; i < imp.nheader; i++)
		free(imp.header[i]);
	free(imp.header);
	free(imp.row_error);
	for (int i = 0; i < imp.nindexes; i++)
		free(imp.index_sql[i]);
	free(imp.index_sql);
	batch_free(imp.batch);
	free(imp.skip_tmp);
	free(imp.what);
	return status;
}
