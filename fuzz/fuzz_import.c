/* Fuzz target: the import row parsing (SPEC §5) on arbitrary CSV, through
 * the real import against a throw-away ledger that holds one customer.
 * The first byte picks the kind (customers, invoices, payments, rates),
 * the decimal mark and dry run or not; the rest is the file. A failed
 * import must come with a message and leave the ledger as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "import.h"
#include "status.h"
#include "store.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *ledger;
static char dir[] = "/tmp/dun-fuzz-import.XXXXXX";

static int64_t count_rows(void)
{
	sqlite3_stmt *st = store_stmt(ledger, "SELECT (SELECT count(*) FROM customer) + (SELECT count(*) FROM invoice) "
	    "+ (SELECT count(*) FROM payment) + (SELECT count(*) FROM allocation)");
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

static void ledger_remove(void)
{
	store_close(ledger);
	static const char *const files[] = { "ledger.db", "ledger.db-wal", "ledger.db-shm", "in.csv", "seed.csv" };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
}

static void ledger_open(void)
{
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(ledger_remove);
	char *path = xasprintf("%s/ledger.db", dir), *cause = NULL;
	if (store_open(path, STORE_CREATE, &ledger, &cause) != DUN_OK)
		abort();
	/* Speed over durability: this ledger is thrown away. */
	sqlite3_exec(store_db(ledger), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	char *csv = xasprintf("%s/seed.csv", dir);
	FILE *f = fopen(csv, "w");
	fputs("code,name,terms,currency\nC1,Acme,net 30,EUR\n", f);
	fclose(f);
	struct import_options o = { .kind = IMPORT_CUSTOMERS, .path = csv, .base_currency = "EUR" };
	struct import_result res;
	if (import_run(ledger, &o, &res, &cause) != DUN_OK)
		abort();
	free(csv);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (ledger == NULL)
		ledger_open();
	char *csv = xasprintf("%s/in.csv", dir);
	FILE *f = fopen(csv, "wb");
	if (f == NULL || fwrite(data + 1, 1, size - 1, f) != size - 1)
		abort();
	fclose(f);
	static const enum money_mark marks[] = { MONEY_MARK_AUTO, MONEY_MARK_AUTO, MONEY_MARK_DOT, MONEY_MARK_COMMA };
	struct import_options o = {
		.kind = (enum import_kind)(data[0] & 3), .path = csv, .mark = marks[(data[0] >> 2) & 3],
		.dry_run = (data[0] & 16) != 0, .date_format = (data[0] & 32) ? "%d/%m/%Y" : NULL,
		.base_currency = "EUR",
	};
	struct import_result res;
	char *cause = NULL;
	int64_t before = count_rows();
	if (import_run(ledger, &o, &res, &cause) != DUN_OK) {
		if (cause == NULL || count_rows() != before)
			abort();
	} else if (o.dry_run && count_rows() != before) {
		abort();
	}
	free(cause);
	unlink(csv);
	free(csv);
	return 0;
}
