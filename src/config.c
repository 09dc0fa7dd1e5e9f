/* Configuration file reading (libinih). */
#include "config.h"
#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mail.h"
#include "match.h"
#include "status.h"
#include "xalloc.h"

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->company_name = xstrdup("");
	cfg->company_address = xstrdup("");
	cfg->base_currency = xstrdup("EUR");
	cfg->payment_link = xstrdup("");
	cfg->mail_from = xstrdup("");
	cfg->mail_transport = xstrdup("sendmail /usr/sbin/sendmail -oi -t");
	cfg->late_interest_rate = xstrdup("12.15");
	cfg->recovery_indemnity = 4000;
	cfg->promise_grace_days = 2;
	static const int edges[] = {30, 60, 90, 120};
	memcpy(cfg->aging_buckets, edges, sizeof edges);
	cfg->aging_bucket_count = 4;
	cfg->ui_collector = xstrdup("");
	cfg->match_patterns = xstrdup("");
	cfg->match_min_confidence = 0.90;
}

static void url_encode(struct buf *b, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* The placeholders config_payment_link replaces, and the one test of them
 * that a pattern's braces are all placeholders. */
static const char *const link_fields[] = {"{invoice}", "{customer}", "{amount}"};

static size_t link_field_at(const char *p)
{
	for (size_t i = 0; i < sizeof link_fields / sizeof link_fields[0]; i++)
		if (strncmp(p, link_fields[i], strlen(link_fields[i])) == 0)
			return i;
	return SIZE_MAX;
}

static bool payment_link_valid(const char *pattern)
{
	for (const char *p = strchr(pattern, '{'); p != NULL; p = strchr(p + 1, '{'))
		if (link_field_at(p) == SIZE_MAX)
			return false;
	return true;
}

char *config_payment_link(const char *pattern, const char *customer, const char *invoice, const char *amount)
{
	struct buf b = {0};
	buf_puts(&b, "");
	const char *values[] = {invoice, customer, amount};
	for (const char *p = pattern ? pattern : ""; *p;) {
		size_t field = *p == '{' ? link_field_at(p) : SIZE_MAX;
		if (field != SIZE_MAX) {
			url_encode(&b, values[field]);
			p += strlen(link_fields[field]);
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_take(&b);
}

void config_free(struct config *cfg)
{
	free(cfg->path);
	free(cfg->company_name);
	free(cfg->company_address);
	free(cfg->base_currency);
	free(cfg->payment_link);
	free(cfg->mail_from);
	free(cfg->mail_transport);
	free(cfg->late_interest_rate);
	free(cfg->ui_collector);
	free(cfg->match_patterns);
	memset(cfg, 0, sizeof *cfg);
}

int config_parse_buckets(const char *text, int *edges, int *count, char **cause)
{
	int n = 0;
	const char *s = text;
	while (*s) {
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (end == s || errno != 0 || v <= 0 || v > 36500 || (n > 0 && v <= edges[n - 1]))
			return dun_fail(cause, DUN_EUSAGE, "buckets \"%s\": expected increasing day counts like 30,60,90,120", text);
		if (n == 8)
			return dun_fail(cause, DUN_EUSAGE, "buckets \"%s\": at most 8 edges", text);
		edges[n++] = (int)v;
		s = end;
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return dun_fail(cause, DUN_EUSAGE, "buckets \"%s\": expected increasing day counts like 30,60,90,120", text);
	}
	if (n == 0)
		return dun_fail(cause, DUN_EUSAGE, "buckets \"%s\": expected increasing day counts like 30,60,90,120", text);
	*count = n;
	return DUN_OK;
}

struct parse_state {
	struct config *cfg;
	char *cause;
	int cause_line;
	int line;
	/* recovery_indemnity is in the base currency, which a later line may
	 * set: it is read once the whole file is. */
	char *indemnity;
	int indemnity_line;
};

struct counted_reader {
	FILE *f;
	int *line;
};

static char *read_counted(char *str, int num, void *stream)
{
	struct counted_reader *r = stream;
	char *got = fgets(str, num, r->f);
	if (got != NULL)
		(*r->line)++;
	return got;
}

int config_ini_parse(FILE *f, int (*handler)(void *user, const char *section,
    const char *key, const char *value), void *user, int *line)
{
	struct counted_reader r = {f, line};
	*line = 0;
	return ini_parse_stream(read_counted, &r, handler, user);
}

static void set_string(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* Returns NULL when the value is fine, else why not. */
static const char *config_set(struct parse_state *ps, const char *section, const char *key, const char *value)
{
	struct config *cfg = ps->cfg;
	const char *why;
	if (strcmp(section, "company") == 0) {
		if (strcmp(key, "name") == 0)
			set_string(&cfg->company_name, value);
		else if (strcmp(key, "address") == 0)
			set_string(&cfg->company_address, value);
		else if (strcmp(key, "base_currency") == 0) {
			if (!money_currency_valid(value))
				return "not an ISO 4217 currency code";
			set_string(&cfg->base_currency, value);
		} else if (strcmp(key, "payment_link") == 0) {
			if (!payment_link_valid(value))
				return "a '{' starts {invoice}, {customer} or {amount}";
			set_string(&cfg->payment_link, value);
		} else
			return "unknown key";
	} else if (strcmp(section, "mail") == 0) {
		if (strcmp(key, "from") == 0) {
			if (strpbrk(value, "\r\n"))
				return "line breaks are not allowed";
			/* refused here, at its line, rather than at every send */
			char *name = NULL, *address = NULL, *cause = NULL;
			bool valid = *value == '\0' || mail_address_parse(value, &name, &address, &cause) == DUN_OK;
			free(name);
			free(address);
			free(cause);
			if (!valid)
				return "expected an e-mail address, as in Credit control <ar@example.com>";
			set_string(&cfg->mail_from, value);
		} else if (strcmp(key, "transport") == 0) {
			if ((why = mail_transport_check(value)) != NULL)
				return why;
			set_string(&cfg->mail_transport, value);
		} else
			return "unknown key";
	} else if (strcmp(section, "dunning") == 0) {
		if (strcmp(key, "late_interest_rate") == 0) {
			money_t rate;
			/* Four decimals: the precision the dunning run computes
			 * with; at most 1000 %, which also keeps its rate x days
			 * product far inside 64 bits. */
			if (!money_parse(value, 4, MONEY_MARK_DOT, &rate, &why) || rate < 0 || rate > 1000 * 10000)
				return "expected an annual percentage from 0 to 1000 like 12.15 (at most 4 decimals)";
			set_string(&cfg->late_interest_rate, value);
		} else if (strcmp(key, "recovery_indemnity") == 0) {
			set_string(&ps->indemnity, value);
			ps->indemnity_line = ps->line;
		} else if (strcmp(key, "promise_grace_days") == 0) {
			char *end;
			long v = strtol(value, &end, 10);
			if (*value == '\0' || *end != '\0' || v < 0 || v > 365)
				return "expected a number of days from 0 to 365";
			cfg->promise_grace_days = (int)v;
		} else
			return "unknown key";
	} else if (strcmp(section, "aging") == 0) {
		if (strcmp(key, "buckets") == 0) {
			char *cause = NULL;
			if (config_parse_buckets(value, cfg->aging_buckets, &cfg->aging_bucket_count, &cause) != DUN_OK) {
				free(cause);
				return "expected increasing day counts like 30,60,90,120";
			}
		} else if (strcmp(key, "basis") == 0) {
			if (strcmp(value, "due") == 0)
				cfg->aging_basis_invoice = 0;
			else if (strcmp(value, "invoice") == 0)
				cfg->aging_basis_invoice = 1;
			else
				return "expected due or invoice";
		} else
			return "unknown key";
	} else if (strcmp(section, "ui") == 0) {
		if (strcmp(key, "collector") == 0)
			set_string(&cfg->ui_collector, value);
		else
			return "unknown key";
	} else if (strcmp(section, "match") == 0) {
		if (strcmp(key, "pattern") == 0 || strcmp(key, "patterns") == 0) {
			static char bad[300]; /* the configuration is read once, by the main thread */
			if (!match_pattern_check(value, bad, sizeof bad))
				return bad;
			char *joined = *cfg->match_patterns ? xasprintf("%s\n%s", cfg->match_patterns, value) : xstrdup(value);
			free(cfg->match_patterns);
			cfg->match_patterns = joined;
		} else if (strcmp(key, "min_confidence") == 0) {
			char *end;
			double v = strtod(value, &end);
			if (*value == '\0' || *end != '\0' || v < 0 || v > 1)
				return "expected a confidence from 0 to 1";
			cfg->match_min_confidence = v;
		} else
			return "unknown key";
	} else {
		return "unknown section";
	}
	return NULL;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	int line = ((struct parse_state *)user)->line;
	struct parse_state *ps = user;
	if (key == NULL)
		return 1; /* a section header alone */
	const char *why = config_set(ps, section, key, value);
	if (why != NULL && ps->cause == NULL) {
		ps->cause = xasprintf("%s:%d: %s \"%s\": %s", ps->cfg->path, line, key, value, why);
		ps->cause_line = line;
	}
	return why == NULL;
}

int config_load(const char *path, struct config *cfg, char **cause)
{
	char *resolved;
	bool explicit = true;
	const char *env = getenv("DUN_CONFIG");
	if (path != NULL)
		resolved = xstrdup(path);
	else if (env != NULL && *env != '\0')
		resolved = xstrdup(env);
	else {
		explicit = false;
		const char *xdg = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");
		resolved = (xdg && *xdg == '/') ? xasprintf("%s/dun/dun.ini", xdg)
		    : xasprintf("%s/.config/dun/dun.ini", home ? home : ".");
	}
	FILE *f = fopen(resolved, "r");
	if (f == NULL) {
		int e = errno;
		if (!explicit && e == ENOENT) {
			free(resolved);
			return DUN_OK;
		}
		dun_fail(cause, DUN_EDATA, "%s: cannot read the configuration: %s", resolved, strerror(e));
		free(resolved);
		return DUN_EDATA;
	}
	free(cfg->path);
	cfg->path = resolved;
	int rc = config_read(f, cfg, cause);
	fclose(f);
	return rc;
}

int config_read(FILE *f, struct config *cfg, char **cause)
{
	const char *resolved = cfg->path;
	struct parse_state ps = {cfg, NULL, 0, 0, NULL, 0};
	int rc = config_ini_parse(f, handler, &ps, &ps.line);
	/* The indemnity, in the base currency the whole file settled on; by
	 * default 40 of its units (EUR 40.00). */
	const char *why;
	if (!money_parse(ps.indemnity ? ps.indemnity : "40", money_exponent(cfg->base_currency), MONEY_MARK_DOT,
	    &cfg->recovery_indemnity, &why) || cfg->recovery_indemnity < 0) {
		if (ps.cause == NULL || ps.indemnity_line < ps.cause_line) {
			free(ps.cause);
			ps.cause = xasprintf("%s:%d: recovery_indemnity \"%s\": expected a non-negative amount in %s"
			    " (at most %d decimals)", resolved, ps.indemnity_line, ps.indemnity, cfg->base_currency,
			    money_exponent(cfg->base_currency));
			ps.cause_line = ps.indemnity_line;
		}
	}
	free(ps.indemnity);
	/* libinih reads on past a malformed line ("[aging" without its "]"):
	 * what follows it is judged in the wrong section, so the malformed
	 * line, when it comes first, is the error to name. */
	if (rc > 0 && (ps.cause == NULL || rc < ps.cause_line)) {
		free(ps.cause);
		return dun_fail(cause, DUN_EDATA, "%s:%d: malformed line (expected [section] or key = value)", resolved, rc);
	}
	if (ps.cause != NULL) {
		dun_fail(cause, DUN_EDATA, "%s", ps.cause);
		free(ps.cause);
		return DUN_EDATA;
	}
	if (rc != 0)
		return dun_fail(cause, DUN_EDATA, "%s: cannot read the configuration", resolved);
	return DUN_OK;
}
