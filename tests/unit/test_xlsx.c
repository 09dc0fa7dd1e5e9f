/* The Excel module's parts that the CLI tests cannot reach: file names
 * made from hostile customer codes, and the open items continued on new
 * sheets past the row limit (lowered here from Excel's 1,048,576). */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"
#include "ledger_fixture.h"
#include "status.h"
#include "xlsx.h"

static void check_name(const char *code, int64_t id, const char *want)
{
	char *got = xlsx_file_name(code, id);
	assert_string_equal(got, want);
	free(got);
}

static void test_file_name(void **state)
{
	(void)state;
	check_name("ACME", 1, "ACME.xlsx");
	check_name("C-001_x.y", 1, "C-001_x.y.xlsx");
	check_name("../evil", 1, "%2E.%2Fevil.xlsx");
	check_name("a/b", 1, "a%2Fb.xlsx");
	check_name("a%2Fb", 1, "a%252Fb.xlsx");  /* distinct from a/b */
	check_name("-rf", 1, "%2Drf.xlsx");
	check_name(".hidden", 1, "%2Ehidden.xlsx");
	check_name("a\\b\nc", 1, "a%5Cb%0Ac.xlsx");
	check_name("CAFÉ", 1, "CAF%C3%89.xlsx");
	check_name("", 7, "customer-7.xlsx");
	char code[301];
	memset(code, 'x', 300);
	code[300] = '\0';
	char *got = xlsx_file_name(code, 42);
	assert_true(strlen(got) < 255);
	assert_string_equal(got + strlen(got) - 8, "~42.xlsx");
	free(got);
}

static void test_open_items_split(void **state)
{
	(void)state;
	struct fixture f;
	fixture_open(&f);
	int64_t a = fixture_customer(&f, "A", "retail", "alice");
	int64_t b = fixture_customer(&f, "B", "public", "bob");
	fixture_invoice(&f, a, "A-1", "2026-01-01", NULL, "EUR", 100);
	fixture_invoice(&f, a, "A-2", "2026-02-01", NULL, "EUR", 200);
	fixture_invoice(&f, a, "A-3", "2026-03-01", NULL, "EUR", 300);
	fixture_invoice(&f, b, "B-1", "2026-01-15", NULL, "EUR", 400);
	fixture_invoice(&f, b, "B-2", "2026-12-01", NULL, "EUR", 500); /* after the as-of date */
	struct config cfg;
	config_defaults(&cfg);
	char path[128];
	snprintf(path, sizeof path, "%s/aging.xlsx", f.dir);
	struct xlsx_aging_options o = {.as_of = date_from_ymd(2026, 6, 30), .rows_per_sheet = 2};
	char *cause = NULL;
	assert_int_equal(xlsx_aging_write(f.store, &cfg, &o, path, &cause), DUN_OK);
	assert_null(cause);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c 'import openpyxl, sys; "
	    "print(\" \".join(\"%%s:%%d\" %% (w.title, w.max_row) for w in openpyxl.load_workbook(sys.argv[1])))' %s",
	    path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[256] = "";
	if (fgets(line, sizeof line, p) == NULL)
		line[0] = '\0';
	pclose(p);
	/* Four items open at the date: a header and two rows per sheet. */
	assert_string_equal(line, "Summary:14 By customer:4 Open items:3 Open items 2:3\n");
	config_free(&cfg);
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_name),
		cmocka_unit_test(test_open_items_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
