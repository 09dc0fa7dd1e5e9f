/* Report output in the three formats of SPEC §4: an aligned table for a
 * terminal, RFC 4180 CSV and JSON. A report is a header of typed columns
 * then rows of cells given in column order. CSV and JSON stream; the table
 * keeps its rows to measure column widths by display width. */
#ifndef DUN_REPORT_H
#define DUN_REPORT_H
#include <stdint.h>
#include <stdio.h>
#include "date.h"
#include "money.h"

enum report_format { REPORT_TABLE, REPORT_CSV, REPORT_JSON };

enum report_type {
	REPORT_TEXT,   /* JSON string */
	REPORT_NUMBER, /* JSON number: integers, money, ratios; right-aligned */
	REPORT_DATE,   /* JSON string, ISO */
};

struct report_column {
	const char *name;
	enum report_type type;
};

struct report;

/* Parses "table", "csv" or "json". */
int report_format_parse(const char *text, enum report_format *out);

/* columns must outlive the report. With single_object (kpi), JSON writes
 * one object and expects one row. */
struct report *report_begin(FILE *out, enum report_format format,
    const struct report_column *columns, int ncolumns);
struct report *report_begin_object(FILE *out, enum report_format format,
    const struct report_column *columns, int ncolumns);
void report_text(struct report *r, const char *text); /* NULL: empty */
void report_int(struct report *r, int64_t value);
void report_money(struct report *r, money_t amount, int exponent);
void report_date(struct report *r, day_t day);        /* DATE_NONE: empty / null */
/* A number already written as text ("47.2", "0.3120"). */
void report_number(struct report *r, const char *text);
/* "n/a" in table and CSV, null in JSON. */
void report_na(struct report *r);
/* Ends a row. */
void report_row_end(struct report *r);
/* Marks the next row as a total: the table draws a rule above it; CSV and
 * JSON leave it out (their consumers sum for themselves). */
void report_total_next(struct report *r);
/* Flushes and frees; returns 0, or DUN_EDB-free errno-ish -1 on a write
 * error. */
int report_end(struct report *r);

/* Fixed-point text of num/den with the given decimals, rounded half away
 * from zero ("47.2"); den must not be 0. For days, ratios and percentages. */
char *report_ratio(int64_t num, int64_t den, int decimals, char *buf, size_t size);
#endif
