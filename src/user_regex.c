/* User patterns compiled once and matched against many short subjects
 * (codes, names, invoice numbers) with one match data block. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "user_regex.h"
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include "xalloc.h"

struct user_regex {
	pcre2_code *code;
	pcre2_match_data *match;
	pcre2_match_context *context;
};

struct user_regex *user_regex_compile(const char *pattern, char *why, size_t size)
{
	int err;
	PCRE2_SIZE offset;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &offset, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[200];
		pcre2_get_error_message(err, msg, sizeof msg);
		snprintf(why, size, "at %zu: %s", (size_t)offset, (char *)msg);
		return NULL;
	}
	struct user_regex *r = xcalloc(1, sizeof *r);
	r->code = code;
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* without JIT it still works, slower */
	r->match = pcre2_match_data_create_from_pattern(code, NULL);
	r->context = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->context, USER_REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(r->context, USER_REGEX_DEPTH_LIMIT);
	return r;
}

bool user_regex_match(struct user_regex *r, const char *text, size_t len)
{
	return pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, r->match, r->context) >= 0;
}

void user_regex_free(struct user_regex *r)
{
	if (r == NULL)
		return;
	pcre2_code_free(r->code);
	pcre2_match_data_free(r->match);
	pcre2_match_context_free(r->context);
	free(r);
}

static void sql_regexp_free(void *p)
{
	user_regex_free(p);
}

/* regexp(PATTERN, TEXT), as SQLite calls it for TEXT REGEXP PATTERN. */
static void sql_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[1]);
	if (text == NULL || sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return; /* NULL, as any operator on NULL */
	size_t len = (size_t)sqlite3_value_bytes(argv[1]);
	struct user_regex *r = sqlite3_get_auxdata(ctx, 0);
	if (r != NULL) {
		sqlite3_result_int(ctx, user_regex_match(r, text, len));
		return;
	}
	char why[256];
	r = user_regex_compile((const char *)sqlite3_value_text(argv[0]), why, sizeof why);
	if (r == NULL) {
		sqlite3_result_error(ctx, why, -1);
		return;
	}
	sqlite3_result_int(ctx, user_regex_match(r, text, len));
	/* kept for the next row; SQLite may free it at once, so not used after */
	sqlite3_set_auxdata(ctx, 0, r, sql_regexp_free);
}

int user_regex_sql_register(sqlite3 *db)
{
	return sqlite3_create_function(db, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_regexp, NULL, NULL);
}
