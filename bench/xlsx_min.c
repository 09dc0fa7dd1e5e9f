/* The least a C program must do to write the cells dun writes: read a
 * bench/xlsx_cells.py dump into memory (untimed), then write every
 * workbook with libxlsxwriter, one format per number format, and print the
 * seconds spent writing. The floor that bench/xlsx.sh compares dun with.
 * usage: xlsx_min DUMP OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

struct format_entry {
	const char *num_format;
	lxw_format *format;
};

static char *next_field(char **p)
{
	char *s = *p, *tab = strchr(s, '\t');
	if (tab) {
		*tab = '\0';
		*p = tab + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

/* Undoes the dump's \\, \t and \n escapes in place. */
static char *unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

static lxw_format *format_for(lxw_workbook *wb, struct format_entry *cache, int *n, const char *num_format)
{
	if (strcmp(num_format, "General") == 0)
		return NULL;
	for (int i = 0; i < *n; i++)
		if (strcmp(cache[i].num_format, num_format) == 0)
			return cache[i].format;
	lxw_format *f = workbook_add_format(wb);
	format_set_num_format(f, num_format);
	cache[*n].num_format = num_format;
	cache[*n].format = f;
	(*n)++;
	return f;
}

static void check(lxw_error e)
{
	if (e != LXW_NO_ERROR) {
		fprintf(stderr, "xlsx_min: %s\n", lxw_strerror(e));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: xlsx_min DUMP OUTDIR\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	rewind(f);
	char *data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
		return 1;
	data[size] = '\0';
	fclose(f);
	size_t nlines = 0;
	for (char *p = data; *p; p++)
		nlines += *p == '\n';
	char **lines = malloc(sizeof *lines * (nlines + 1));
	size_t n = 0;
	for (char *p = data; *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lines[n++] = p;
		p = nl ? nl + 1 : p + strlen(p);
	}

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws = NULL;
	struct format_entry cache[64];
	int ncache = 0;
	char path[4096];
	for (size_t i = 0; i < n; i++) {
		char *p = lines[i];
		char *kind = next_field(&p);
		if (*kind == 'W') {
			if (wb)
				check(workbook_close(wb));
			char *name = unescape(next_field(&p));
			lxw_workbook_options opt = {.constant_memory = atoi(next_field(&p)) != 0};
			snprintf(path, sizeof path, "%s/%s", argv[2], name);
			wb = workbook_new_opt(path, &opt);
			ncache = 0;
		} else if (*kind == 'S') {
			ws = workbook_add_worksheet(wb, unescape(next_field(&p)));
		} else {
			lxw_row_t row = (lxw_row_t)strtoul(next_field(&p), NULL, 10);
			lxw_col_t col = (lxw_col_t)strtoul(next_field(&p), NULL, 10);
			char type = *next_field(&p);
			lxw_format *fmt = format_for(wb, cache, &ncache, next_field(&p));
			char *value = next_field(&p);
			if (type == 's') {
				check(worksheet_write_string(ws, row, col, unescape(value), fmt));
			} else if (type == 'f') {
				double cached = strtod(next_field(&p), NULL);
				check(worksheet_write_formula_num(ws, row, col, unescape(value), fmt, cached));
			} else {
				check(worksheet_write_number(ws, row, col, strtod(value, NULL), fmt));
			}
		}
	}
	if (wb)
		check(workbook_close(wb));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f\n", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(lines);
	free(data);
	return 0;
}
