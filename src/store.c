/* The SQLite store: path rules, pragmas, migrations and a statement cache. */
#include "store.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "embedded.h"
#include "status.h"
#include "xalloc.h"

#define STORE_BUSY_TIMEOUT_MS 5000
#define STMT_CACHE_SIZE 512 /* a power of two, above the number of SQL texts */

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	char *path;
	struct stmt_slot cache[STMT_CACHE_SIZE];
};

char *store_path_resolve(const char *opt, bool demo)
{
	if (opt != NULL && *opt != '\0')
		return xstrdup(opt);
	const char *env = getenv("DUN_DB");
	if (env != NULL && *env != '\0' && !demo)
		return xstrdup(env);
	/* $DUN_DB names the real ledger, so the demo goes beside it, never
	 * into it (only an explicit --db chooses the demo file itself). */
	if (env != NULL && *env != '\0') {
		const char *slash = strrchr(env, '/');
		return slash == NULL ? xstrdup("demo.db") : xasprintf("%.*s/demo.db", (int)(slash - env), env);
	}
	const char *file = demo ? "demo.db" : "ledger.db";
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/dun/%s", xdg, file);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/dun/%s", home ? home : ".", file);
}

/* Creates every missing directory of path's parent, private to the user. */
static int make_parent_dirs(const char *path, char **cause)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			int e = errno;
			dun_fail(cause, DUN_EDB, "%s: cannot create directory: %s", dir, strerror(e));
			free(dir);
			return DUN_EDB;
		}
		*p = '/';
	}
	free(dir);
	return DUN_OK;
}

int store_schema_version(void)
{
	int version = 0;
	for (const struct embedded_file *f = embedded_files; f->path; f++) {
		int v;
		if (sscanf(f->path, "migrations/%d-", &v) == 1 && v > version)
			version = v;
	}
	return version;
}

static int exec(struct store *s, const char *sql, const char *what, char **cause)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(s, what, cause);
	return DUN_OK;
}

static int pragma_int(struct store *s, const char *sql, int *out, char **cause)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_error(s, "read the ledger", cause);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_error(s, "read the ledger", cause);
	return DUN_OK;
}

/* Applies the embedded migrations above the file's version, in one
 * transaction, so a killed migration leaves the old schema whole. */
static int migrate(struct store *s, int from, char **cause)
{
	int latest = store_schema_version();
	int rc = store_begin(s, cause);
	if (rc != DUN_OK)
		return rc;
	for (int v = from + 1; v <= latest; v++) {
		const struct embedded_file *mig = NULL;
		for (const struct embedded_file *f = embedded_files; f->path; f++) {
			int fv;
			if (sscanf(f->path, "migrations/%d-", &fv) == 1 && fv == v)
				mig = f;
		}
		if (mig == NULL) {
			store_rollback(s);
			return dun_fail(cause, DUN_EDB, "schema migration %d is missing from this build", v);
		}
		if ((rc = exec(s, mig->data, "migrate the ledger", cause)) != DUN_OK) {
			store_rollback(s);
			return rc;
		}
	}
	char *sql = xasprintf("PRAGMA user_version = %d", latest);
	rc = exec(s, sql, "migrate the ledger", cause);
	free(sql);
	if (rc != DUN_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, cause);
}

/* file:PATH?immutable=1 with PATH percent-encoded; the caller frees it. */
static char *immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = {0};
	buf_add(&b, "file:", 5);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
			buf_add(&b, (const char *)p, 1);
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			buf_add(&b, esc, 3);
		}
	}
	buf_add(&b, "?immutable=1", 13); /* with its NUL */
	return b.data;
}

int store_open(const char *path, int flags, struct store **out, char **cause)
{
	struct stat sb;
	*out = NULL;
	if (stat(path, &sb) != 0) {
		if (!(flags & STORE_CREATE))
			return dun_fail(cause, DUN_EDATA,
			    "%s: no ledger here: run `dun init` and import your data, or `dun demo` for a demo ledger", path);
		if (make_parent_dirs(path, cause) != DUN_OK)
			return DUN_EDB;
		/* Create the file ourselves so it is private from its first byte. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return dun_fail(cause, DUN_EDB, "%s: cannot create the ledger: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	} else if (!S_ISREG(sb.st_mode)) {
		return dun_fail(cause, DUN_EDB, "%s: not a ledger file", path);
	}

	/* A ledger on a read-only file system or made immutable can be
	 * written by nobody, so it opens read-only and immutable: reports
	 * work (SQLite could not even read a WAL file without creating the
	 * -shm file beside it) and a write fails as "read-only". */
	bool frozen = access(path, W_OK) != 0 && (errno == EROFS || errno == EPERM);
	if (frozen && (flags & STORE_CREATE))
		return dun_fail(cause, DUN_EDB, "%s: the ledger is read-only (%s)", path, strerror(errno));
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	int oflags = (flags & STORE_READONLY) || frozen ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	char *uri = frozen ? immutable_uri(path) : NULL;
	int opened = sqlite3_open_v2(uri ? uri : path, &s->db, oflags | SQLITE_OPEN_NOMUTEX | (uri ? SQLITE_OPEN_URI : 0), NULL);
	free(uri);
	if (opened != SQLITE_OK) {
		int rc = store_error(s, "open the ledger", cause);
		store_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);

	int rc, version = 0, tables = 0;
	if ((rc = pragma_int(s, "PRAGMA user_version", &version, cause)) != DUN_OK ||
	    (rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables, cause)) != DUN_OK)
		goto fail;
	int latest = store_schema_version();
	if (version > latest) {
		rc = dun_fail(cause, DUN_EDB,
		    "%s: the ledger's schema (version %d) is newer than this dun understands (%d): upgrade dun",
		    path, version, latest);
		goto fail;
	}
	if (version == 0 && tables > 0) {
		rc = dun_fail(cause, DUN_EDB, "%s: not a dun ledger (an SQLite file with other tables)", path);
		goto fail;
	}
	/* An empty file (made by touch, or a failed copy) becomes a ledger only
	 * through `dun init`: a report on it would otherwise quietly build an
	 * empty ledger and print nothing, as if the data were gone. */
	if (version == 0 && !(flags & STORE_CREATE)) {
		rc = dun_fail(cause, DUN_EDATA, "%s: an empty file, not a ledger: run `dun init` on it, or name the"
		    " ledger with --db", path);
		goto fail;
	}
	if (!(flags & STORE_READONLY) && !frozen) {
		if ((rc = exec(s, "PRAGMA journal_mode = WAL", "open the ledger", cause)) != DUN_OK)
			goto fail;
	}
	if ((rc = exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768;",
	    "open the ledger", cause)) != DUN_OK)
		goto fail;
	if (version < latest) {
		if (flags & STORE_READONLY) {
			rc = dun_fail(cause, DUN_EDB, "%s: the ledger's schema (version %d) needs an upgrade to %d, which a"
			    " read-only command does not make: run `dun init` on it first", path, version, latest);
			goto fail;
		}
		if ((rc = migrate(s, version, cause)) != DUN_OK)
			goto fail;
	}
	*out = s;
	return DUN_OK;
fail:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STMT_CACHE_SIZE; i++)
		sqlite3_finalize(s->cache[i].st);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

sqlite3 *store_db(struct store *s) { return s->db; }
const char *store_path(struct store *s) { return s->path; }

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ULL;
	for (unsigned i = 0; i < STMT_CACHE_SIZE; i++) {
		struct stmt_slot *slot = &s->cache[(h + i) & (STMT_CACHE_SIZE - 1)];
		if (slot->sql == sql) {
			sqlite3_reset(slot->st);
			sqlite3_clear_bindings(slot->st);
			return slot->st;
		}
		if (slot->sql == NULL) {
			if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &slot->st, NULL) != SQLITE_OK) {
				fprintf(stderr, "dun: internal error preparing SQL: %s\n%s\n", sqlite3_errmsg(s->db), sql);
				abort();
			}
			slot->sql = sql;
			return slot->st;
		}
	}
	fputs("dun: internal error: statement cache full\n", stderr);
	abort();
}

int store_begin(struct store *s, char **cause)
{
	return exec(s, "BEGIN IMMEDIATE", "start a transaction", cause);
}

int store_read_begin(struct store *s, bool *started, char **cause)
{
	*started = false;
	if (!sqlite3_get_autocommit(s->db))
		return DUN_OK;
	int rc = exec(s, "BEGIN", "read the ledger", cause);
	*started = rc == DUN_OK;
	return rc;
}

int store_cache_size(struct store *s, int size)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA cache_size");
	int old = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : size;
	sqlite3_reset(st);
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", size);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return old;
}

void store_read_end(struct store *s, bool started)
{
	if (started)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

int store_commit(struct store *s, char **cause)
{
	int rc = exec(s, "COMMIT", "commit", cause);
	if (rc != DUN_OK)
		store_rollback(s);
	return rc;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_error(struct store *s, const char *what, char **cause)
{
	int code = sqlite3_extended_errcode(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return dun_fail(cause, DUN_EDB, "%s: cannot %s: the ledger is busy (another dun is writing); try again",
		    s->path, what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return dun_fail(cause, DUN_EDB, "%s: cannot %s: the file is not a ledger or is corrupt (%s)",
		    s->path, what, msg);
	case SQLITE_READONLY:
		return dun_fail(cause, DUN_EDB, "%s: cannot %s: the ledger is read-only", s->path, what);
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return dun_fail(cause, DUN_EDB, "%s: cannot %s: %s", s->path, what, msg);
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return dun_fail(cause, DUN_EDB, "%s: cannot %s: disk full or I/O error (%s)", s->path, what, msg);
	case SQLITE_CONSTRAINT:
		return dun_fail(cause, DUN_EDATA, "%s: cannot %s: %s", s->path, what, msg);
	default:
		return dun_fail(cause, DUN_EDB, "%s: cannot %s: %s", s->path, what, msg);
	}
}

int store_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	return rc == SQLITE_ROW ? SQLITE_DONE : rc;
}

void store_bind_text(sqlite3_stmt *st, int idx, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
}

void store_bind_date(sqlite3_stmt *st, int idx, day_t d)
{
	char buf[DATE_TEXT_MAX];
	if (d == DATE_NONE)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, date_format_iso(d, buf), -1, SQLITE_TRANSIENT);
}

day_t store_column_date(sqlite3_stmt *st, int col)
{
	const char *text = (const char *)sqlite3_column_text(st, col);
	day_t d;
	if (text == NULL || !date_parse_iso(text, &d))
		return DATE_NONE;
	return d;
}

const char *store_column_text(sqlite3_stmt *st, int col)
{
	const char *text = (const char *)sqlite3_column_text(st, col);
	return text ? text : "";
}

char *store_setting_get(struct store *s, const char *key)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM setting WHERE key = ?1");
	store_bind_text(st, 1, key);
	char *value = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		value = xstrdup(store_column_text(st, 0));
	sqlite3_reset(st);
	return value;
}

int store_setting_set(struct store *s, const char *key, const char *value, char **cause)
{
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	store_bind_text(st, 1, key);
	store_bind_text(st, 2, value);
	int rc = store_step_done(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(s, "save a setting", cause);
}

int store_data_version(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "PRAGMA data_version");
	int v = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return v;
}
