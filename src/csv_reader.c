/* CSV reading on libcsv. libcsv is push-based and knows nothing of lines
 * or encodings; we feed it one physical line at a time (so a record's
 * starting line is known, and a record completes at most once per line)
 * after converting or validating that line, and hand out each record as
 * soon as libcsv ends it. Memory is one line and one record. */
#include "csv_reader.h"
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "status.h"
#include "text.h"
#include "xalloc.h"

struct csv_reader {
	char *path;
	FILE *file;
	bool convert;           /* through iconv, else UTF-8 checked */
	iconv_t iconv;
	char *encoding;
	struct csv_parser parser;
	char delimiter;
	bool first_line;        /* BOM and delimiter still to handle */
	char *line;             /* getline's buffer */
	size_t line_size;
	struct buf converted;
	long line_number;       /* of the last line read */
	bool in_record;         /* a record began on an earlier line */
	bool ended;             /* the file is exhausted */
	bool last_newline;      /* the last line read ended with '\n' */
	/* The record being built: field bytes back to back, NUL-separated. */
	struct buf data;
	size_t *offsets;
	int field_cap;
	bool complete;
	struct csv_record record;
};

/* libcsv trims these around unquoted fields. Treating CR as a space makes
 * CRLF and LF files read alike while a CR inside quotes is kept. */
static int csv_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int csv_space_tab_delimited(unsigned char c) { return c == ' ' || c == '\r'; }
/* Only LF ends a record: a lone CR is data, not a line break. */
static int csv_terminator(unsigned char c) { return c == '\n'; }

static void on_field(void *field, size_t len, void *arg)
{
	struct csv_reader *r = arg;
	struct csv_record *rec = &r->record;
	if (rec->nfields == r->field_cap) {
		r->field_cap = r->field_cap ? r->field_cap * 2 : 16;
		r->offsets = xreallocarray(r->offsets, r->field_cap, sizeof *r->offsets);
		rec->lengths = xreallocarray(rec->lengths, r->field_cap, sizeof *rec->lengths);
		rec->fields = xreallocarray(rec->fields, r->field_cap, sizeof *rec->fields);
	}
	r->offsets[rec->nfields] = r->data.len;
	rec->lengths[rec->nfields] = len;
	rec->nfields++;
	buf_add(&r->data, field, len);
	buf_add(&r->data, "", 1);
}

static void on_record_end(int c, void *arg)
{
	(void)c;
	struct csv_reader *r = arg;
	r->complete = true;
}

static void *csv_realloc(void *p, size_t n) { return xrealloc(p, n); }

int csv_reader_open(const char *path, const char *encoding, struct csv_reader **out, char **cause)
{
	*out = NULL;
	bool convert = encoding != NULL && strcasecmp(encoding, "utf-8") != 0 && strcasecmp(encoding, "utf8") != 0;
	iconv_t cd = (iconv_t)-1;
	if (convert) {
		cd = iconv_open("UTF-8", encoding);
		if (cd == (iconv_t)-1)
			return dun_fail(cause, DUN_EUSAGE, "unknown encoding \"%s\"", encoding);
		/* We split lines on the byte '\n' before converting: refuse the
		 * encodings (UTF-16, UTF-32) where that byte is not a newline. */
		char in[] = "\n", outb[8];
		char *ip = in, *op = outb;
		size_t il = 1, ol = sizeof outb;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || op - outb != 1 || outb[0] != '\n') {
			iconv_close(cd);
			return dun_fail(cause, DUN_EUSAGE, "encoding \"%s\" is not ASCII-compatible", encoding);
		}
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		if (convert)
			iconv_close(cd);
		return dun_fail(cause, DUN_EDATA, "%s: %s", path, strerror(errno));
	}
	struct csv_reader *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->file = f;
	r->convert = convert;
	r->iconv = cd;
	r->encoding = convert ? xstrdup(encoding) : NULL;
	r->first_line = true;
	r->delimiter = ',';
	r->last_newline = true;
	csv_init(&r->parser, 0);
	csv_set_realloc_func(&r->parser, csv_realloc);
	csv_set_free_func(&r->parser, free);
	csv_set_term_func(&r->parser, csv_terminator);
	csv_set_space_func(&r->parser, csv_space);
	*out = r;
	return DUN_OK;
}

char csv_detect_delimiter(const char *line, size_t len)
{
	static const char candidates[] = ",;\t|";
	int count[4] = {0};
	bool quoted = false;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (!quoted) {
			const char *c = memchr(candidates, line[i], 4);
			if (c != NULL && line[i] != '\0')
				count[c - candidates]++;
		}
	}
	int best = 0;
	for (int i = 1; i < 4; i++)
		if (count[i] > count[best])
			best = i;
	return count[best] ? candidates[best] : ',';
}

static bool is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Converts one line with iconv into r->converted. */
static int convert_line(struct csv_reader *r, const char *text, size_t len, char **cause)
{
	r->converted.len = 0;
	char *in = (char *)text;
	size_t left = len;
	while (left > 0) {
		char chunk[4096];
		char *op = chunk;
		size_t room = sizeof chunk;
		size_t n = iconv(r->iconv, &in, &left, &op, &room);
		buf_add(&r->converted, chunk, op - chunk);
		if (n == (size_t)-1 && errno != E2BIG) {
			iconv(r->iconv, NULL, NULL, NULL, NULL);
			return dun_fail(cause, DUN_EDATA, "%s:%ld: byte 0x%02X is not valid %s text",
			    r->path, r->line_number, (unsigned char)*in, r->encoding);
		}
	}
	buf_add(&r->converted, "", 0);
	return DUN_OK;
}

static bool has_content(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!csv_space((unsigned char)s[i]) && s[i] != '\n')
			return true;
	return false;
}

static struct csv_record *finish_record(struct csv_reader *r)
{
	struct csv_record *rec = &r->record;
	for (int i = 0; i < rec->nfields; i++)
		rec->fields[i] = r->data.data + r->offsets[i];
	r->in_record = false;
	return rec;
}

int csv_reader_next(struct csv_reader *r, struct csv_record **record, char **cause)
{
	*record = NULL;
	r->record.nfields = 0;
	r->data.len = 0;
	r->complete = false;
	while (!r->ended) {
		errno = 0;
		ssize_t n = getline(&r->line, &r->line_size, r->file);
		if (n < 0) {
			if (ferror(r->file))
				return dun_fail(cause, DUN_EDATA, "%s: %s", r->path, strerror(errno ? errno : EIO));
			r->ended = true;
			/* A last line without its newline ends the same way; a
			 * record still open after that has an unclosed quote. */
			if (!r->last_newline)
				csv_parse(&r->parser, "\n", 1, on_field, on_record_end, r);
			if (r->complete)
				*record = finish_record(r);
			else if (r->in_record)
				return dun_fail(cause, DUN_EDATA, "%s:%ld: quoted field not closed before the end of the file",
				    r->path, r->record.line);
			return DUN_OK;
		}
		r->line_number++;
		const char *text = r->line;
		size_t len = (size_t)n;
		r->last_newline = text[len - 1] == '\n';
		/* A UTF-8 byte order mark says what the file is, whatever
		 * --encoding claimed (exports often go through Excel twice). */
		if (r->first_line && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
			text += 3;
			len -= 3;
			r->convert = false;
		}
		if (r->convert && !is_ascii(text, len)) {
			int status = convert_line(r, text, len, cause);
			if (status != DUN_OK)
				return status;
			text = r->converted.data;
			len = r->converted.len;
		} else if (!r->convert && !is_ascii(text, len) && !text_utf8_valid(text, len)) {
			return dun_fail(cause, DUN_EDATA, "%s:%ld: invalid UTF-8 (is it cp1252? try --encoding cp1252)",
			    r->path, r->line_number);
		}
		if (r->first_line) {
			r->first_line = false;
			r->delimiter = csv_detect_delimiter(text, len);
			csv_set_delim(&r->parser, (unsigned char)r->delimiter);
			if (r->delimiter == '\t')
				csv_set_space_func(&r->parser, csv_space_tab_delimited);
		}
		if (!r->in_record)
			r->record.line = r->line_number;
		csv_parse(&r->parser, text, len, on_field, on_record_end, r);
		if (r->complete) {
			*record = finish_record(r);
			return DUN_OK;
		}
		if (!r->in_record)
			r->in_record = has_content(text, len);
	}
	return DUN_OK;
}

char csv_reader_delimiter(const struct csv_reader *r) { return r->delimiter; }

void csv_reader_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->parser);
	if (r->iconv != (iconv_t)-1)
		iconv_close(r->iconv);
	fclose(r->file);
	free(r->path);
	free(r->encoding);
	free(r->line);
	buf_free(&r->converted);
	buf_free(&r->data);
	free(r->offsets);
	free(r->record.fields);
	free(r->record.lengths);
	free(r);
}

void csv_write_record(FILE *f, char delimiter, const char *const *fields, int nfields)
{
	for (int i = 0; i < nfields; i++) {
		const char *s = fields[i] ? fields[i] : "";
		size_t len = strlen(s);
		bool quote = len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t');
		for (const char *p = s; *p && !quote; p++)
			quote = *p == delimiter || *p == '"' || *p == '\r' || *p == '\n';
		if (i > 0)
			fputc(delimiter, f);
		if (!quote) {
			fwrite(s, 1, len, f);
			continue;
		}
		fputc('"', f);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputc('\n', f);
}
