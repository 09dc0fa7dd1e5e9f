/* A throw-away ledger for unit tests of the ledger engine: a fresh file in
 * a temporary directory, and one-line helpers to add rows. Every helper
 * fails the test on an error, so tests read as the ledger they build. */
#ifndef DUN_TEST_LEDGER_FIXTURE_H
#define DUN_TEST_LEDGER_FIXTURE_H
#include <stdint.h>
#include "store.h"

struct fixture {
	char dir[64];
	char path[96];
	struct store *store;
};

void fixture_open(struct fixture *f);
void fixture_close(struct fixture *f);
/* cmocka setup and teardown: *state a fresh fixture, the activity log's
 * user "tester". */
int fixture_setup(void **state);
int fixture_teardown(void **state);
/* Runs SQL that returns no rows (no values bound: test data only). */
void fixture_exec(struct fixture *f, const char *sql);
/* Empties every ledger table, keeping the file (the property test reuses one). */
void fixture_clear(struct fixture *f);
int64_t fixture_customer(struct fixture *f, const char *code, const char *segment, const char *collector);
/* kind from the sign of amount; due == issue + 30 when due is NULL. */
int64_t fixture_invoice(struct fixture *f, int64_t customer, const char *number, const char *issue,
    const char *due, const char *currency, int64_t amount);
int64_t fixture_payment(struct fixture *f, int64_t customer, const char *reference, const char *date,
    const char *currency, int64_t amount);
/* A single integer query result. */
int64_t fixture_int(struct fixture *f, const char *sql);
#endif
