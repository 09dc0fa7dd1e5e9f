/* CSV reading: line endings, BOM, quoting, delimiter detection, encodings,
 * line numbers of records and the errors that name FILE:LINE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "csv_reader.h"
#include "status.h"
#include "xalloc.h"

static char path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof path, "/tmp/dun-test-csv.%ld", (long)getpid());
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void write_file(const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Reads the whole file as "line:field|field\n" lines. */
static char *read_all(const char *data, const char *encoding, int *status, char **cause)
{
	write_file(data, strlen(data));
	struct csv_reader *r;
	*cause = NULL;
	*status = csv_reader_open(path, encoding, &r, cause);
	if (*status != DUN_OK)
		return NULL;
	static char out[4096];
	size_t used = 0;
	struct csv_record *rec;
	out[0] = '\0';
	while ((*status = csv_reader_next(r, &rec, cause)) == DUN_OK && rec != NULL) {
		used += snprintf(out + used, sizeof out - used, "%ld:", rec->line);
		for (int i = 0; i < rec->nfields; i++)
			used += snprintf(out + used, sizeof out - used, "%s%s", i ? "|" : "", rec->fields[i]);
		used += snprintf(out + used, sizeof out - used, "\n");
	}
	csv_reader_close(r);
	return out;
}

static void expect_records(const char *data, const char *encoding, const char *want)
{
	int status;
	char *cause;
	char *got = read_all(data, encoding, &status, &cause);
	if (status != DUN_OK)
		fail_msg("status %d: %s", status, cause);
	assert_string_equal(got, want);
}

static void expect_error(const char *data, const char *encoding, int want_status, const char *want_suffix)
{
	int status;
	char *cause;
	read_all(data, encoding, &status, &cause);
	assert_int_equal(status, want_status);
	assert_non_null(cause);
	char *want = xasprintf("%s%s", path, want_suffix);
	if (strncmp(cause, want, strlen(want)) != 0)
		fail_msg("got \"%s\", wanted it to start with \"%s\"", cause, want);
	free(want);
	free(cause);
}

static void test_line_endings_and_bom(void **state)
{
	(void)state;
	expect_records("a,b\nc,d\n", NULL, "1:a|b\n2:c|d\n");
	expect_records("a,b\r\nc,d\r\n", NULL, "1:a|b\n2:c|d\n");
	expect_records("\xEF\xBB\xBF" "code,name\r\nC1,Acme\r\n", NULL, "1:code|name\n2:C1|Acme\n");
	expect_records("a,b\nc,d", NULL, "1:a|b\n2:c|d\n");                  /* no final newline */
	expect_records("a,b\n\n\r\nc,d\n\n", NULL, "1:a|b\n4:c|d\n");        /* blank lines skipped */
	expect_records(" a , b \nc,\n", NULL, "1:a|b\n2:c|\n");              /* spaces trimmed, empty last field */
	expect_records("", NULL, "");
}

static void test_quoting(void **state)
{
	(void)state;
	expect_records("n,t\n1,\"a, \"\"b\"\"\"\n2,x\n", NULL, "1:n|t\n2:1|a, \"b\"\n3:2|x\n");
	/* A newline inside quotes: the record keeps its first line's number,
	 * the next record the right one. */
	expect_records("n,t\n1,\"two\nlines\"\n2,\"three\r\nlines\r\nhere\"\n3,z\n", NULL,
	    "1:n|t\n2:1|two\nlines\n4:2|three\r\nlines\r\nhere\n7:3|z\n");
	expect_records("n,t\n1,\"\n\n\"\n2,x\n", NULL, "1:n|t\n2:1|\n\n\n5:2|x\n");
	expect_records("a;b\n\" x \";\"\"\n", NULL, "1:a|b\n2: x |\n");         /* quoted spaces kept */
}

static void test_delimiters(void **state)
{
	(void)state;
	expect_records("a;b;c\n1,5;2;3\n", NULL, "1:a|b|c\n2:1,5|2|3\n");
	expect_records("a\tb\n1 2\t\t\n", NULL, "1:a|b\n2:1 2||\n");
	expect_records("a|b\nx,y|z\n", NULL, "1:a|b\n2:x,y|z\n");
	expect_records("\"a;b\",c,d\n1,2,3\n", NULL, "1:a;b|c|d\n2:1|2|3\n"); /* quoted ; not counted */
	expect_records("single\nvalue\n", NULL, "1:single\n2:value\n");
	assert_int_equal(csv_detect_delimiter("a;b,c;d", 7), ';');
	assert_int_equal(csv_detect_delimiter("abc", 3), ',');
}

static void test_encodings(void **state)
{
	(void)state;
	expect_records("name;city\nB\xE9ta;K\xF6ln \x80\n", "cp1252", "1:name|city\n2:B\xC3\xA9ta|K\xC3\xB6ln \xE2\x82\xAC\n");
	expect_records("name\nB\xC3\xA9ta\n", "UTF-8", "1:name\n2:B\xC3\xA9ta\n");
	/* A BOM wins over a wrong --encoding. */
	expect_records("\xEF\xBB\xBFname\nB\xC3\xA9ta\n", "cp1252", "1:name\n2:B\xC3\xA9ta\n");
	expect_error("name\nok\nB\xE9ta\n", NULL, DUN_EDATA, ":3: invalid UTF-8");
	expect_error("name\n\x81\n", "cp1252", DUN_EDATA, ":2: byte 0x81 is not valid cp1252 text");
	char *cause = NULL;
	struct csv_reader *r;
	write_file("a\n", 2);
	assert_int_equal(csv_reader_open(path, "no-such-encoding", &r, &cause), DUN_EUSAGE);
	free(cause);
	cause = NULL;
	assert_int_equal(csv_reader_open(path, "UTF-16LE", &r, &cause), DUN_EUSAGE);
	free(cause);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a,b\n1,\"open\nstill open\n", NULL, DUN_EDATA, ":2: quoted field not closed");
	char *cause = NULL;
	struct csv_reader *r;
	assert_int_equal(csv_reader_open("/nonexistent/x.csv", NULL, &r, &cause), DUN_EDATA);
	free(cause);
}

static void test_write_round_trip(void **state)
{
	(void)state;
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	const char *fields[] = {"plain", "with;semi", "with \"quote\"", "two\nlines", " padded", ""};
	csv_write_record(f, ';', fields, 6);
	fclose(f);
	struct csv_reader *r;
	struct csv_record *rec;
	char *cause = NULL;
	assert_int_equal(csv_reader_open(path, NULL, &r, &cause), DUN_OK);
	assert_int_equal(csv_reader_next(r, &rec, &cause), DUN_OK);
	assert_non_null(rec);
	assert_int_equal(rec->nfields, 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(rec->fields[i], fields[i]);
	assert_int_equal(csv_reader_delimiter(r), ';');
	csv_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_endings_and_bom),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_write_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
