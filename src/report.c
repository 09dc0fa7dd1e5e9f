/* Report writers: aligned table, RFC 4180 CSV and JSON. */
#include "report.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "status.h"
#include "text.h"
#include "xalloc.h"

struct report {
	FILE *out;
	enum report_format format;
	const struct report_column *columns;
	int ncolumns;
	bool object;      /* JSON: one object rather than an array */
	int cell;         /* next cell's column */
	long rows;
	bool total_next;
	/* table only: every cell kept to measure widths */
	char **cells;
	bool *is_total;
	size_t ncells, cap_cells, nrows, cap_rows;
};

int report_format_parse(const char *text, enum report_format *out)
{
	if (strcmp(text, "table") == 0)
		*out = REPORT_TABLE;
	else if (strcmp(text, "csv") == 0)
		*out = REPORT_CSV;
	else if (strcmp(text, "json") == 0)
		*out = REPORT_JSON;
	else
		return DUN_EUSAGE;
	return DUN_OK;
}

static void csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

static void json_string(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u%04x", *p);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}

static struct report *begin(FILE *out, enum report_format format,
    const struct report_column *columns, int ncolumns, bool object)
{
	struct report *r = xcalloc(1, sizeof *r);
	r->out = out;
	r->format = format;
	r->columns = columns;
	r->ncolumns = ncolumns;
	r->object = object;
	if (format == REPORT_CSV) {
		for (int i = 0; i < ncolumns; i++) {
			if (i)
				putc(',', out);
			csv_field(out, columns[i].name);
		}
		putc('\n', out);
	} else if (format == REPORT_JSON && !object) {
		putc('[', out);
	}
	return r;
}

struct report *report_begin(FILE *out, enum report_format format,
    const struct report_column *columns, int ncolumns)
{
	return begin(out, format, columns, ncolumns, false);
}

struct report *report_begin_object(FILE *out, enum report_format format,
    const struct report_column *columns, int ncolumns)
{
	return begin(out, format, columns, ncolumns, true);
}

/* One cell: text is what CSV and the table show; json is its JSON form
 * (NULL: derive from the column type). */
static void cell(struct report *r, const char *text, const char *json)
{
	if (r->cell >= r->ncolumns) {
		fputs("dun: internal error: too many report cells\n", stderr);
		abort();
	}
	const struct report_column *c = &r->columns[r->cell];
	if (r->total_next && r->format != REPORT_TABLE) {
		r->cell++; /* totals are for eyes; CSV and JSON readers sum */
		return;
	}
	switch (r->format) {
	case REPORT_TABLE:
		if (r->ncells == r->cap_cells) {
			r->cap_cells = r->cap_cells ? r->cap_cells * 2 : 256;
			r->cells = xreallocarray(r->cells, r->cap_cells, sizeof *r->cells);
		}
		r->cells[r->ncells++] = text_sanitize(text);
		break;
	case REPORT_CSV:
		if (r->cell)
			putc(',', r->out);
		csv_field(r->out, text);
		break;
	case REPORT_JSON:
		if (r->cell == 0)
			fputs(r->rows == 0 || r->object ? "{" : ",\n{", r->out);
		else
			putc(',', r->out);
		json_string(r->out, c->name);
		putc(':', r->out);
		if (json != NULL)
			fputs(json, r->out);
		else if (c->type == REPORT_NUMBER && *text != '\0')
			fputs(text, r->out);
		else if (c->type == REPORT_NUMBER || (c->type == REPORT_DATE && *text == '\0'))
			fputs("null", r->out);
		else
			json_string(r->out, text);
		break;
	}
	r->cell++;
}

void report_text(struct report *r, const char *text) { cell(r, text ? text : "", NULL); }

void report_int(struct report *r, int64_t value)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)value);
	cell(r, buf, NULL);
}

void report_money(struct report *r, money_t amount, int exponent)
{
	char buf[MONEY_TEXT_MAX];
	cell(r, money_format(amount, exponent, buf), NULL);
}

void report_date(struct report *r, day_t day)
{
	char buf[DATE_TEXT_MAX];
	cell(r, day == DATE_NONE ? "" : date_format_iso(day, buf), NULL);
}

void report_number(struct report *r, const char *text) { cell(r, text, NULL); }
void report_na(struct report *r) { cell(r, "n/a", "null"); }
void report_total_next(struct report *r) { r->total_next = true; }

void report_row_end(struct report *r)
{
	while (r->cell < r->ncolumns)
		cell(r, "", NULL);
	if (r->total_next && r->format != REPORT_TABLE) {
		r->cell = 0;
		r->total_next = false;
		return;
	}
	switch (r->format) {
	case REPORT_TABLE:
		if (r->nrows == r->cap_rows) {
			r->cap_rows = r->cap_rows ? r->cap_rows * 2 : 64;
			r->is_total = xreallocarray(r->is_total, r->cap_rows, sizeof *r->is_total);
		}
		r->is_total[r->nrows++] = r->total_next;
		break;
	case REPORT_CSV:
		putc('\n', r->out);
		break;
	case REPORT_JSON:
		putc('}', r->out);
		break;
	}
	r->cell = 0;
	r->rows++;
	r->total_next = false;
}

static void table_line(struct report *r, struct buf *line, char **row, const int *width)
{
	line->len = 0;
	for (int i = 0; i < r->ncolumns; i++) {
		if (i)
			buf_puts(line, "  ");
		text_fit(line, row[i], width[i], r->columns[i].type == REPORT_NUMBER);
	}
	while (line->len && line->data[line->len - 1] == ' ')
		line->data[--line->len] = '\0';
	fprintf(r->out, "%s\n", line->data ? line->data : "");
}

static void table_flush(struct report *r)
{
	int *width = xcalloc((size_t)r->ncolumns, sizeof *width);
	char **header = xcalloc((size_t)r->ncolumns, sizeof *header);
	for (int i = 0; i < r->ncolumns; i++) {
		header[i] = (char *)r->columns[i].name;
		width[i] = text_width(header[i]);
	}
	for (size_t k = 0; k < r->ncells; k++) {
		int w = text_width(r->cells[k]);
		if (w > width[k % r->ncolumns])
			width[k % r->ncolumns] = w;
	}
	struct buf line = {0};
	table_line(r, &line, header, width);
	int total_width = 0;
	for (int i = 0; i < r->ncolumns; i++)
		total_width += width[i] + (i ? 2 : 0);
	for (size_t row = 0; row < r->nrows; row++) {
		if (r->is_total[row]) {
			for (int i = 0; i < total_width; i++)
				putc('-', r->out);
			putc('\n', r->out);
		}
		table_line(r, &line, r->cells + row * (size_t)r->ncolumns, width);
	}
	buf_free(&line);
	free(header);
	free(width);
}

int report_end(struct report *r)
{
	if (r->format == REPORT_TABLE)
		table_flush(r);
	else if (r->format == REPORT_JSON)
		fputs(r->object ? (r->rows ? "\n" : "{}\n") : "]\n", r->out);
	int rc = fflush(r->out) == 0 && !ferror(r->out) ? 0 : -1;
	for (size_t k = 0; k < r->ncells; k++)
		free(r->cells[k]);
	free(r->cells);
	free(r->is_total);
	free(r);
	return rc;
}

char *report_ratio(int64_t num, int64_t den, int decimals, char *buf, size_t size)
{
	__int128 scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	__int128 p = (__int128)num * scale;
	__int128 q = p / den, rem = p % den;
	__int128 r2 = rem < 0 ? -rem * 2 : rem * 2;
	__int128 d = den < 0 ? -(__int128)den : den;
	if (r2 >= d)
		q += ((p < 0) != (den < 0)) ? -1 : 1;
	bool negative = q < 0;
	unsigned long long mag = (unsigned long long)(negative ? -q : q);
	unsigned long long whole = mag / (unsigned long long)scale, frac = mag % (unsigned long long)scale;
	if (decimals > 0)
		snprintf(buf, size, "%s%llu.%0*llu", negative ? "-" : "", whole, decimals, frac);
	else
		snprintf(buf, size, "%s%llu", negative ? "-" : "", whole);
	return buf;
}
