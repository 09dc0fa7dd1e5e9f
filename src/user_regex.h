/* Regular expressions typed by a user (the workstation's '/' search):
 * PCRE2, caseless, UTF-8 tolerant of invalid bytes in the subject, JIT when
 * available, and always run under match and depth limits so a
 * catastrophic pattern like (a+)+$ costs a bounded time per subject
 * (SPEC §13). */
#ifndef DUN_USER_REGEX_H
#define DUN_USER_REGEX_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Match attempts and backtracking depth allowed per subject. */
#define USER_REGEX_MATCH_LIMIT 100000
#define USER_REGEX_DEPTH_LIMIT 1000

struct user_regex;

/* Compiles pattern; NULL with the reason ("at OFFSET: message") in why
 * (size bytes) when it is not a valid pattern. Free with user_regex_free. */
struct user_regex *user_regex_compile(const char *pattern, char *why, size_t size);
/* True when text (len bytes) matches; a subject that hits a limit does
 * not match. */
bool user_regex_match(struct user_regex *r, const char *text, size_t len);
void user_regex_free(struct user_regex *r);
/* Defines the REGEXP operator on a connection: `TEXT REGEXP PATTERN` is
 * true when a user pattern matches, the pattern compiled once per
 * statement (while it stays bound) and run under the limits above; a bad
 * pattern is an SQL error. Returns the SQLite result code. */
int user_regex_sql_register(sqlite3 *db);
#endif
