/* Reading CSV files as they come out of spreadsheets and ERPs (SPEC §5):
 * UTF-8 with or without BOM or a legacy single-byte encoding converted with
 * iconv, the delimiter detected from the header line among , ; TAB |,
 * RFC 4180 quoting (delimiters, quotes and newlines inside quotes), CRLF or
 * LF. Records stream one at a time in constant memory, each with the line
 * it starts on. The tokenising is libcsv's; this module adds the lines,
 * the encodings and the pull interface.
 *
 * (The module is csv_reader, not csv, because src/csv.h would shadow
 * libcsv's own <csv.h> on the include path.) */
#ifndef DUN_CSV_READER_H
#define DUN_CSV_READER_H
#include <stddef.h>
#include <stdio.h>

struct csv_reader;

/* One record. The fields are NUL-terminated UTF-8, trimmed of the spaces
 * around unquoted fields; everything stays valid until the next
 * csv_reader_next or csv_reader_close. */
struct csv_record {
	long line;         /* 1-based line the record starts on */
	int nfields;
	char **fields;
	size_t *lengths;
};

/* Opens path. encoding is NULL or "utf-8" for UTF-8 (a BOM is skipped), or
 * any ASCII-compatible encoding iconv knows ("cp1252", "latin1"). Returns
 * DUN_OK, DUN_EUSAGE for an unknown encoding, or DUN_EDATA (file missing,
 * unreadable). The caller closes the reader. */
int csv_reader_open(const char *path, const char *encoding, struct csv_reader **out, char **cause);
/* The next record into *record, or NULL at the end of the file. Invalid
 * text (bad UTF-8, bytes the encoding does not define, an unterminated
 * quote) is DUN_EDATA naming FILE:LINE. */
int csv_reader_next(struct csv_reader *r, struct csv_record **record, char **cause);
/* The delimiter detected from the first line (',' when it has none). */
char csv_reader_delimiter(const struct csv_reader *r);
void csv_reader_close(struct csv_reader *r);

/* Writes one record to f with the given delimiter, quoting (RFC 4180) the
 * fields that need it, and a CRLF-free "\n" end. */
void csv_write_record(FILE *f, char delimiter, const char *const *fields, int nfields);
/* Guesses the delimiter of a header line: the most frequent of , ; TAB |
 * outside quotes, ',' when none occurs. */
char csv_detect_delimiter(const char *line, size_t len);
#endif
