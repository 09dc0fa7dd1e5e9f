/* The ledger store: one SQLite file in WAL mode, its schema migrations and
 * the few helpers every module uses to talk to it. Statements come from a
 * per-connection cache keyed by the SQL text's address, so hot loops never
 * re-prepare. Every value is bound; never build SQL from data. */
#ifndef DUN_STORE_H
#define DUN_STORE_H
#include <sqlite3.h>
#include <stdbool.h>
#include "date.h"
#include "money.h"

struct store;

enum store_open_flags {
	STORE_CREATE = 1,   /* create the file (mode 0600) and migrate it */
	STORE_READONLY = 2, /* open for reading only; never migrate */
};

/* Resolves the ledger path of SPEC §3: opt (--db) else $DUN_DB else
 * $XDG_DATA_HOME/dun/ledger.db else ~/.local/share/dun/ledger.db; with demo,
 * demo.db beside that ledger instead (only opt still wins). The caller
 * frees the result. */
char *store_path_resolve(const char *opt, bool demo);

/* Opens (and with STORE_CREATE creates and migrates) the ledger. A missing
 * file without STORE_CREATE, a schema newer than this binary or an older
 * one are errors: DUN_EDATA for "no ledger", DUN_EDB otherwise. */
int store_open(const char *path, int flags, struct store **out, char **cause);
void store_close(struct store *s);
sqlite3 *store_db(struct store *s);
const char *store_path(struct store *s);
/* The schema version this binary writes. */
int store_schema_version(void);

/* A cached, reset statement for sql, which must be a string literal (or
 * otherwise live as long as the store): the cache is keyed by its address.
 * Aborts with the SQLite message on a prepare error: SQL text is ours.
 * Reset it (sqlite3_reset) when done reading: a statement left mid-rows
 * holds a read snapshot, hiding other processes' commits. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);

/* Transactions. store_begin takes the write lock at once (BEGIN IMMEDIATE)
 * so a writer waits for the busy timeout, not mid-way. */
int store_begin(struct store *s, char **cause);
/* A read snapshot for a report of many statements: one consistent view
 * and one lock instead of one per statement. Does nothing (and ends
 * nothing) when the caller already holds a transaction; end it with
 * store_read_end(s, started). */
int store_read_begin(struct store *s, bool *started, char **cause);
/* Sets the connection's page cache (a PRAGMA cache_size value: negative
 * is KiB) and returns the one it had, to set back after a pass that
 * needs another. */
int store_cache_size(struct store *s, int size);
void store_read_end(struct store *s, bool started);
int store_commit(struct store *s, char **cause);
void store_rollback(struct store *s);

/* Turns the connection's last error into a status and message: busy,
 * locked, corrupt, read-only or full give DUN_EDB; constraint failures
 * DUN_EDATA. what says what was being done ("import invoices"). */
int store_error(struct store *s, const char *what, char **cause);

/* Runs a statement that returns no rows; returns SQLITE_DONE or the error. */
int store_step_done(sqlite3_stmt *st);

/* Binding and reading helpers for our types. A date of DATE_NONE binds NULL. */
void store_bind_text(sqlite3_stmt *st, int idx, const char *text);
void store_bind_date(sqlite3_stmt *st, int idx, day_t d);
day_t store_column_date(sqlite3_stmt *st, int col);
const char *store_column_text(sqlite3_stmt *st, int col); /* never NULL */

/* Key/value settings kept in the ledger (shared by every collector). The
 * caller frees the result; NULL when unset. */
char *store_setting_get(struct store *s, const char *key);
int store_setting_set(struct store *s, const char *key, const char *value, char **cause);

/* PRAGMA data_version: changes when another connection commits. */
int store_data_version(struct store *s);
#endif
