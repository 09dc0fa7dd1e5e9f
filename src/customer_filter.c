/* Filter terms checked once here, so that the list's query only compares
 * values (and runs a pattern that is known to compile). */
#include "customer_filter.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "risk.h"
#include "status.h"
#include "user_regex.h"
#include "xalloc.h"

#define FILTER_TERMS "profile=, class=, collector=, segment=, overdue or a pattern"

/* Sets a term's value once; a second time is refused. */
static int set_once(char **field, const char *value, const char *term, char **cause)
{
	if (*field != NULL)
		return dun_fail(cause, DUN_EUSAGE, "filter: \"%s\" given twice", term);
	*field = xstrdup(value);
	return DUN_OK;
}

/* A word "key=value" whose key is a plain word; a pattern such as
 * "(?=x)" is not one. */
static bool keyed(const char *word, const char *eq)
{
	if (eq == NULL || eq == word)
		return false;
	for (const char *p = word; p < eq; p++)
		if (!isalpha((unsigned char)*p))
			return false;
	return true;
}

static int parse_keyed(struct customer_filter *f, const char *word, const char *eq, char **cause)
{
	size_t klen = (size_t)(eq - word);
	const char *value = eq + 1;
	if (*value == '\0')
		return dun_fail(cause, DUN_EUSAGE, "filter: \"%s\" needs a value", word);
	if (klen == 7 && strncmp(word, "profile", klen) == 0) {
		enum risk_profile p;
		if (!risk_profile_parse(value, &p))
			return dun_fail(cause, DUN_EUSAGE, "filter: profile \"%s\": prompt, slow, erratic, deteriorating or risky",
			    value);
		return set_once(&f->profile, value, "profile", cause);
	}
	if (klen == 5 && strncmp(word, "class", klen) == 0) {
		char c = (char)toupper((unsigned char)value[0]);
		if (value[1] != '\0' || c < 'A' || c > 'E')
			return dun_fail(cause, DUN_EUSAGE, "filter: class \"%s\": one of A, B, C, D, E", value);
		return set_once(&f->class, (char[]){c, '\0'}, "class", cause);
	}
	if (klen == 9 && strncmp(word, "collector", klen) == 0)
		return set_once(&f->collector, value, "collector", cause);
	if (klen == 7 && strncmp(word, "segment", klen) == 0)
		return set_once(&f->segment, value, "segment", cause);
	return dun_fail(cause, DUN_EUSAGE, "filter: unknown term \"%s\" (" FILTER_TERMS ")", word);
}

static int parse_word(struct customer_filter *f, const char *word, char **cause)
{
	const char *eq = strchr(word, '=');
	if (keyed(word, eq))
		return parse_keyed(f, word, eq, cause);
	if (strcmp(word, "overdue") == 0) {
		if (f->overdue)
			return dun_fail(cause, DUN_EUSAGE, "filter: \"overdue\" given twice");
		f->overdue = true;
		return DUN_OK;
	}
	if (f->pattern != NULL)
		return dun_fail(cause, DUN_EUSAGE, "filter: one pattern only (\"%s\" and \"%s\")", f->pattern, word);
	char why[256];
	struct user_regex *r = user_regex_compile(word, why, sizeof why);
	if (r == NULL)
		return dun_fail(cause, DUN_EUSAGE, "filter: pattern \"%s\" %s", word, why);
	user_regex_free(r);
	f->pattern = xstrdup(word);
	return DUN_OK;
}

int customer_filter_parse(const char *expr, struct customer_filter *f, char **cause)
{
	memset(f, 0, sizeof *f);
	char *copy = xstrdup(expr);
	struct buf text = {0};
	int rc = DUN_OK;
	/* Words between blanks; a word in double quotes keeps its blanks. No
	 * escapes: a pattern's backslashes are the pattern's. */
	for (char *p = copy; rc == DUN_OK;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		bool quoted = *p == '"';
		char *word = p + quoted, *end = quoted ? strchr(word, '"') : word + strcspn(word, " \t");
		if (end == NULL) {
			rc = dun_fail(cause, DUN_EUSAGE, "filter: a quote is not closed (%s)", p);
			break;
		}
		p = *end ? end + 1 : end;
		*end = '\0';
		rc = parse_word(f, word, cause);
		buf_printf(&text, quoted ? "%s\"%s\"" : "%s%s", text.len ? " " : "", word);
	}
	free(copy);
	if (rc != DUN_OK || text.len == 0) {
		buf_free(&text);
		customer_filter_free(f);
		return rc;
	}
	f->text = buf_take(&text);
	return DUN_OK;
}

void customer_filter_free(struct customer_filter *f)
{
	free(f->profile);
	free(f->class);
	free(f->collector);
	free(f->segment);
	free(f->pattern);
	free(f->text);
	memset(f, 0, sizeof *f);
}
