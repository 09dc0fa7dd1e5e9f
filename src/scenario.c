/* Dunning scenarios: INI in, ledger tables, INI out. */
#include "scenario.h"
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "embedded.h"
#include "money.h"
#include "risk.h"
#include "status.h"

static const char *const channel_names[] = {
#define X(name, text) text,
	SCENARIO_CHANNEL_LIST(X)
#undef X
};
#define NCHANNELS ((int)(sizeof channel_names / sizeof channel_names[0]))

static const char DEFAULT_KEY[] = "dunning.default_scenario";
static const char *const rule_section[] = { [SCENARIO_BY_SEGMENT] = "segment", [SCENARIO_BY_PROFILE] = "profile" };
static const char *const rule_insert[] = {
	[SCENARIO_BY_SEGMENT] = "INSERT INTO segment_scenario (segment, scenario) VALUES (?, ?)",
	[SCENARIO_BY_PROFILE] = "INSERT INTO profile_scenario (profile, scenario) VALUES (?, ?)",
};

const char *scenario_channel_name(enum scenario_channel c)
{
	return channel_names[c];
}

static bool channel_parse(const char *text, enum scenario_channel *out)
{
	for (int i = 0; i < NCHANNELS; i++)
		if (strcmp(text, channel_names[i]) == 0) {
			*out = (enum scenario_channel)i;
			return true;
		}
	return false;
}

bool scenario_template_exists(const char *name)
{
	static const char *const langs[] = { "en", "fr" };
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		char *path = xasprintf("templates/%s/%s.txt", langs[i], name);
		bool found = embedded_find(path) != NULL;
		free(path);
		if (!found)
			return false;
	}
	return true;
}

/* Codes name sections and appear in files and messages: keep them plain. */
static bool code_valid(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

static bool int_parse(const char *text, int min, int max, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* libinih reads through this, so the handler knows the line it is on.
 * It also sees the section headers, which libinih (built without
 * INI_CALL_HANDLER_ON_NEW_SECTION) only shows through the keys under
 * them: a header read again ([scenario a] twice in a row) and a header
 * with no key under it would otherwise go unnoticed. */
struct reader {
	const char *p;
	int line;
	int long_line;   /* first line longer than the parser's buffer, or 0 */
	bool new_header; /* a header was read since the handler last looked */
	int header_line; /* the last header's line, until a key under it is read */
	char *header;    /* its text */
	int empty_line;  /* the first header with no key under it, or 0 */
	char *empty;     /* its text */
};

static void reader_header(struct reader *r, const char *line)
{
	if (r->line == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3; /* libinih skips a UTF-8 BOM too */
	/* an indented line after a key continues its value, for libinih */
	if (*line != '[')
		return;
	if (r->header_line && !r->empty_line) {
		r->empty_line = r->header_line;
		r->empty = r->header;
		r->header = NULL;
	}
	free(r->header);
	line++;
	r->header = xstrndup(line, strcspn(line, "]\r\n"));
	r->header_line = r->line;
	r->new_header = true;
}

static char *reader_next(char *str, int num, void *stream)
{
	struct reader *r = stream;
	if (*r->p == '\0')
		return NULL;
	r->line++;
	const char *nl = strchr(r->p, '\n');
	size_t len = nl ? (size_t)(nl - r->p) + 1 : strlen(r->p);
	if (len > (size_t)num - 1) {
		if (!r->long_line)
			r->long_line = r->line;
		len = (size_t)num - 1;
	}
	memcpy(str, r->p, len);
	str[len] = '\0';
	r->p = nl ? nl + 1 : r->p + strlen(r->p);
	reader_header(r, str);
	return str;
}

enum section_kind { SECTION_NONE, SECTION_SCENARIO, SECTION_RULE, SECTION_DEFAULTS };

struct parser {
	struct scenario_set *set;
	struct reader reader;
	const char *file;
	char **cause;
	char *section;            /* the section being read */
	enum section_kind kind;
	int *rule_lines;          /* line of each rule's scenario key */
	int default_line;
	int *scenario_lines;      /* line each scenario starts on */
};

static int parse_fail(struct parser *p, const char *field, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int parse_fail(struct parser *p, const char *field, const char *value, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	dun_fail(p->cause, DUN_EDATA, "%s:%d: %s \"%s\": %s", p->file, p->reader.line, field, value, why);
	free(why);
	return 0;
}

static int section_begin(struct parser *p, const char *section)
{
	struct scenario_set *set = p->set;
	free(p->section);
	p->section = xstrdup(section);
	p->kind = SECTION_NONE;
	if (strncmp(section, "scenario ", 9) == 0) {
		const char *code = section + 9;
		if (!code_valid(code))
			return parse_fail(p, "section", section, "a scenario code is letters, digits, '-', '_' or '.'");
		if (scenario_find(set, code))
			return parse_fail(p, "section", section, "scenario defined twice");
		set->scenarios = xreallocarray(set->scenarios, (size_t)set->nscenarios + 1, sizeof *set->scenarios);
		p->scenario_lines = xreallocarray(p->scenario_lines, (size_t)set->nscenarios + 1, sizeof *p->scenario_lines);
		p->scenario_lines[set->nscenarios] = p->reader.line;
		struct scenario *sc = &set->scenarios[set->nscenarios++];
		*sc = (struct scenario){ .code = xstrdup(code), .name = xstrdup(code), .max_amicable_days = 60 };
		p->kind = SECTION_SCENARIO;
	} else if (strncmp(section, "segment ", 8) == 0 || strncmp(section, "profile ", 8) == 0) {
		enum scenario_rule_kind kind = section[0] == 's' ? SCENARIO_BY_SEGMENT : SCENARIO_BY_PROFILE;
		const char *match = section + 8;
		enum risk_profile profile;
		if (kind == SCENARIO_BY_PROFILE && !risk_profile_parse(match, &profile))
			return parse_fail(p, "section", section,
			    "unknown payer profile (prompt, slow, erratic, deteriorating or risky)");
		for (int i = 0; i < set->nrules; i++)
			if (set->rules[i].kind == kind && strcmp(set->rules[i].match, match) == 0)
				return parse_fail(p, "section", section, "rule given twice");
		set->rules = xreallocarray(set->rules, (size_t)set->nrules + 1, sizeof *set->rules);
		p->rule_lines = xreallocarray(p->rule_lines, (size_t)set->nrules + 1, sizeof *p->rule_lines);
		p->rule_lines[set->nrules] = 0;
		set->rules[set->nrules++] = (struct scenario_rule){ .kind = kind, .match = xstrdup(match) };
		p->kind = SECTION_RULE;
	} else if (strcmp(section, "defaults") == 0) {
		p->kind = SECTION_DEFAULTS;
	} else {
		return parse_fail(p, "section", section,
		    "unknown section (scenario CODE, segment NAME, profile NAME or defaults)");
	}
	return 1;
}

static int step_parse(struct parser *p, struct scenario *sc, const char *value)
{
	char *copy = xstrdup(value);
	char *words[8];
	int n = 0;
	for (char *save, *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == 8) {
			free(copy);
			return parse_fail(p, "step", value, "too many words (offset channel name [min=AMOUNT] [attach=statement])");
		}
		words[n++] = w;
	}
	int ok = 1;
	struct scenario_step step = { .position = sc->nsteps + 1 };
	enum scenario_channel channel = SCENARIO_EMAIL;
	if (n < 3)
		ok = parse_fail(p, "step", value, "expected: offset channel name [min=AMOUNT] [attach=statement]");
	else if (!int_parse(words[0], -365, 3650, &step.offset))
		ok = parse_fail(p, "step", value, "bad offset \"%s\" (days from the due date, -365 to 3650)", words[0]);
	else if (sc->nsteps > 0 && step.offset <= sc->steps[sc->nsteps - 1].offset)
		ok = parse_fail(p, "step", value, "offset %d does not follow the previous step's %d (offsets must increase)",
		    step.offset, sc->steps[sc->nsteps - 1].offset);
	else if (!channel_parse(words[1], &channel))
		ok = parse_fail(p, "step", value, "unknown channel \"%s\" (email, letter, call, task or escalate)", words[1]);
	else if (!code_valid(words[2]))
		ok = parse_fail(p, "step", value, "bad name \"%s\" (letters, digits, '-', '_' or '.')", words[2]);
	else if ((channel == SCENARIO_EMAIL || channel == SCENARIO_LETTER) && !scenario_template_exists(words[2]))
		ok = parse_fail(p, "step", value, "no template \"%s\" in both en and fr", words[2]);
	if (!ok) {
		free(copy);
		return 0;
	}
	step.channel = channel;
	for (int i = 3; i < n && ok; i++) {
		money_t amount;
		const char *why;
		if (strncmp(words[i], "min=", 4) == 0) {
			if (!money_parse(words[i] + 4, 3, MONEY_MARK_DOT, &amount, &why) || amount < 0)
				ok = parse_fail(p, "step", value, "bad minimum amount \"%s\"", words[i] + 4);
			else {
				free(step.min_amount);
				step.min_amount = xstrdup(words[i] + 4);
			}
		} else if (strcmp(words[i], "attach=statement") == 0) {
			if (channel != SCENARIO_EMAIL)
				ok = parse_fail(p, "step", value, "only an email step carries an attachment");
			step.attach_statement = true;
		} else
			ok = parse_fail(p, "step", value, "unknown option \"%s\" (min=AMOUNT or attach=statement)", words[i]);
	}
	if (!ok) {
		free(step.min_amount);
		free(copy);
		return 0;
	}
	step.name = xstrdup(words[2]);
	if (!step.min_amount)
		step.min_amount = xstrdup("0");
	sc->steps = xreallocarray(sc->steps, (size_t)sc->nsteps + 1, sizeof *sc->steps);
	sc->steps[sc->nsteps++] = step;
	free(copy);
	return 1;
}

static int empty_fail(struct parser *p)
{
	dun_fail(p->cause, DUN_EDATA, "%s:%d: section \"%s\": nothing under it", p->file, p->reader.empty_line,
	    p->reader.empty);
	return 0;
}

static int parse_handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	struct scenario_set *set = p->set;
	bool new_header = p->reader.new_header;
	p->reader.new_header = false;
	p->reader.header_line = 0;
	if (p->reader.empty_line)
		return empty_fail(p);
	if ((new_header || !p->section || strcmp(p->section, section) != 0) && !section_begin(p, section))
		return 0;
	switch (p->kind) {
	case SECTION_SCENARIO: {
		struct scenario *sc = &set->scenarios[set->nscenarios - 1];
		if (strcmp(name, "name") == 0) {
			if (*value == '\0')
				return parse_fail(p, name, value, "empty name");
			/* "name =;x" reads as ";x", but "name = ;x", as export writes
			 * it, as a comment: the export would not read back */
			if (*value == ';')
				return parse_fail(p, name, value, "a name cannot start with ';' (a comment)");
			free(sc->name);
			sc->name = xstrdup(value);
		} else if (strcmp(name, "max_amicable_days") == 0) {
			if (!int_parse(value, 1, 3650, &sc->max_amicable_days))
				return parse_fail(p, name, value, "expected days, 1 to 3650");
		} else if (strcmp(name, "min_gap_days") == 0) {
			if (!int_parse(value, 0, 365, &sc->min_gap_days))
				return parse_fail(p, name, value, "expected days, 0 to 365");
		} else if (strcmp(name, "step") == 0)
			return step_parse(p, sc, value);
		else
			return parse_fail(p, name, value, "unknown key (name, max_amicable_days, min_gap_days, step)");
		return 1;
	}
	case SECTION_RULE:
	case SECTION_DEFAULTS: {
		if (strcmp(name, "scenario") != 0)
			return parse_fail(p, name, value, "unknown key (scenario)");
		if (!code_valid(value))
			return parse_fail(p, name, value, "bad scenario code");
		if (p->kind == SECTION_DEFAULTS) {
			free(set->default_scenario);
			set->default_scenario = xstrdup(value);
			p->default_line = p->reader.line;
		} else {
			struct scenario_rule *rule = &set->rules[set->nrules - 1];
			free(rule->scenario);
			rule->scenario = xstrdup(value);
			p->rule_lines[set->nrules - 1] = p->reader.line;
		}
		return 1;
	}
	case SECTION_NONE:
		break;
	}
	return 0;
}

/* References and completeness, once every section is read. */
static int parse_check(struct parser *p)
{
	struct scenario_set *set = p->set;
	for (int i = 0; i < set->nscenarios; i++)
		if (set->scenarios[i].nsteps == 0) {
			p->reader.line = p->scenario_lines[i];
			return dun_fail(p->cause, DUN_EDATA, "%s:%d: section \"scenario %s\": a scenario needs at least one step",
			    p->file, p->reader.line, set->scenarios[i].code);
		}
	for (int i = 0; i < set->nrules; i++) {
		const struct scenario_rule *rule = &set->rules[i];
		p->reader.line = p->rule_lines[i];
		if (!rule->scenario)
			return dun_fail(p->cause, DUN_EDATA, "%s: section \"%s %s\": no scenario key",
			    p->file, rule_section[rule->kind], rule->match);
		if (!scenario_find(set, rule->scenario)) {
			parse_fail(p, "scenario", rule->scenario, "no such scenario");
			return DUN_EDATA;
		}
	}
	if (set->default_scenario && !scenario_find(set, set->default_scenario)) {
		p->reader.line = p->default_line;
		parse_fail(p, "scenario", set->default_scenario, "no such scenario");
		return DUN_EDATA;
	}
	return DUN_OK;
}

int scenario_parse(const char *text, const char *file, struct scenario_set *out, char **cause)
{
	*out = (struct scenario_set){ 0 };
	struct parser p = { .set = out, .reader = { .p = text }, .file = file, .cause = cause };
	char *mine = NULL;
	if (!p.cause)
		p.cause = &mine;
	int rc = ini_parse_stream(reader_next, &p.reader, parse_handler, &p);
	int status = DUN_OK;
	if (p.reader.long_line)
		status = dun_fail(p.cause, DUN_EDATA, "%s:%d: line longer than %d bytes", file, p.reader.long_line, INI_MAX_LINE - 2);
	else if (rc > 0) /* the handler's message, or libinih's own syntax error */
		status = dun_fail(p.cause, DUN_EDATA, "%s:%d: syntax error (expected [section] or key = value)", file, rc);
	else if (rc < 0)
		status = dun_fail(p.cause, DUN_EDATA, "%s: cannot parse", file);
	else if (p.reader.header_line && !p.reader.empty_line) {
		p.reader.empty_line = p.reader.header_line; /* the last header, at the end of the file */
		p.reader.empty = p.reader.header;
		p.reader.header = NULL;
	}
	if (status == DUN_OK && p.reader.empty_line) {
		empty_fail(&p);
		status = DUN_EDATA;
	}
	if (status == DUN_OK)
		status = parse_check(&p);
	free(p.section);
	free(p.reader.header);
	free(p.reader.empty);
	free(p.rule_lines);
	free(p.scenario_lines);
	free(mine);
	if (status != DUN_OK)
		scenario_set_free(out);
	return status;
}

int scenario_save(struct store *s, const struct scenario_set *set, char **cause)
{
	int status = store_begin(s, cause);
	if (status != DUN_OK)
		return status;
	static const char *const clear[] = {
		"DELETE FROM scenario_step", "DELETE FROM scenario", "DELETE FROM segment_scenario",
		"DELETE FROM profile_scenario",
	};
	for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++)
		if (store_step_done(store_stmt(s, clear[i])) != SQLITE_DONE)
			goto fail;
	for (int i = 0; i < set->nscenarios; i++) {
		const struct scenario *sc = &set->scenarios[i];
		sqlite3_stmt *st = store_stmt(s,
		    "INSERT INTO scenario (code, name, max_amicable_days, min_gap_days) VALUES (?, ?, ?, ?)");
		store_bind_text(st, 1, sc->code);
		store_bind_text(st, 2, sc->name);
		sqlite3_bind_int(st, 3, sc->max_amicable_days);
		sqlite3_bind_int(st, 4, sc->min_gap_days);
		if (store_step_done(st) != SQLITE_DONE)
			goto fail;
		sqlite3_int64 id = sqlite3_last_insert_rowid(store_db(s));
		for (int j = 0; j < sc->nsteps; j++) {
			const struct scenario_step *step = &sc->steps[j];
			st = store_stmt(s, "INSERT INTO scenario_step (scenario_id, position, offset_days, channel, name, min_amount, options)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?)");
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int(st, 2, step->position);
			sqlite3_bind_int(st, 3, step->offset);
			store_bind_text(st, 4, scenario_channel_name(step->channel));
			store_bind_text(st, 5, step->name);
			store_bind_text(st, 6, step->min_amount);
			store_bind_text(st, 7, step->attach_statement ? "attach=statement" : "");
			if (store_step_done(st) != SQLITE_DONE)
				goto fail;
		}
	}
	for (int i = 0; i < set->nrules; i++) {
		sqlite3_stmt *st = store_stmt(s, rule_insert[set->rules[i].kind]);
		store_bind_text(st, 1, set->rules[i].match);
		store_bind_text(st, 2, set->rules[i].scenario);
		if (store_step_done(st) != SQLITE_DONE)
			goto fail;
	}
	sqlite3_stmt *st;
	if (set->default_scenario) {
		st = store_stmt(s, "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)");
		store_bind_text(st, 1, DEFAULT_KEY);
		store_bind_text(st, 2, set->default_scenario);
	} else {
		st = store_stmt(s, "DELETE FROM setting WHERE key = ?");
		store_bind_text(st, 1, DEFAULT_KEY);
	}
	if (store_step_done(st) != SQLITE_DONE)
		goto fail;
	return store_commit(s, cause);
fail:
	status = store_error(s, "save scenarios", cause);
	store_rollback(s);
	return status;
}

int scenario_load(struct store *s, struct scenario_set *out, char **cause)
{
	*out = (struct scenario_set){ 0 };
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT s.code, s.name, s.max_amicable_days, s.min_gap_days, t.position, t.offset_days, t.channel, t.name,"
	    " t.min_amount, t.options FROM scenario s JOIN scenario_step t ON t.scenario_id = s.id"
	    " ORDER BY s.id, t.position");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = store_column_text(st, 0);
		struct scenario *sc = out->nscenarios ? &out->scenarios[out->nscenarios - 1] : NULL;
		if (!sc || strcmp(sc->code, code) != 0) {
			out->scenarios = xreallocarray(out->scenarios, (size_t)out->nscenarios + 1, sizeof *out->scenarios);
			sc = &out->scenarios[out->nscenarios++];
			*sc = (struct scenario){
				.code = xstrdup(code), .name = xstrdup(store_column_text(st, 1)),
				.max_amicable_days = sqlite3_column_int(st, 2), .min_gap_days = sqlite3_column_int(st, 3),
			};
		}
		struct scenario_step step = {
			.position = sqlite3_column_int(st, 4), .offset = sqlite3_column_int(st, 5),
			.name = xstrdup(store_column_text(st, 7)), .min_amount = xstrdup(store_column_text(st, 8)),
			.attach_statement = strstr(store_column_text(st, 9), "attach=statement") != NULL,
		};
		channel_parse(store_column_text(st, 6), &step.channel); /* the table's CHECK keeps it known */
		sc->steps = xreallocarray(sc->steps, (size_t)sc->nsteps + 1, sizeof *sc->steps);
		sc->steps[sc->nsteps++] = step;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = store_stmt(s, "SELECT 0, segment, scenario FROM segment_scenario"
	    " UNION ALL SELECT 1, profile, scenario FROM profile_scenario ORDER BY 1, 2");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->rules = xreallocarray(out->rules, (size_t)out->nrules + 1, sizeof *out->rules);
		out->rules[out->nrules++] = (struct scenario_rule){
			.kind = sqlite3_column_int(st, 0) ? SCENARIO_BY_PROFILE : SCENARIO_BY_SEGMENT,
			.match = xstrdup(store_column_text(st, 1)), .scenario = xstrdup(store_column_text(st, 2)),
		};
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	st = store_stmt(s, "SELECT value FROM setting WHERE key = ?");
	store_bind_text(st, 1, DEFAULT_KEY);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		out->default_scenario = xstrdup(store_column_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	return DUN_OK;
fail:;
	int status = store_error(s, "read scenarios", cause);
	scenario_set_free(out);
	return status;
}

void scenario_export(const struct scenario_set *set, struct buf *out)
{
	for (int i = 0; i < set->nscenarios; i++) {
		const struct scenario *sc = &set->scenarios[i];
		buf_printf(out, "%s[scenario %s]\nname = %s\nmax_amicable_days = %d\nmin_gap_days = %d\n",
		    i ? "\n" : "", sc->code, sc->name, sc->max_amicable_days, sc->min_gap_days);
		for (int j = 0; j < sc->nsteps; j++) {
			const struct scenario_step *step = &sc->steps[j];
			buf_printf(out, "step = %d %s %s", step->offset, scenario_channel_name(step->channel), step->name);
			if (strcmp(step->min_amount, "0") != 0)
				buf_printf(out, " min=%s", step->min_amount);
			if (step->attach_statement)
				buf_puts(out, " attach=statement");
			buf_putc(out, '\n');
		}
	}
	for (int i = 0; i < set->nrules; i++)
		buf_printf(out, "\n[%s %s]\nscenario = %s\n", rule_section[set->rules[i].kind], set->rules[i].match,
		    set->rules[i].scenario);
	if (set->default_scenario)
		buf_printf(out, "\n[defaults]\nscenario = %s\n", set->default_scenario);
}

int scenario_install_defaults(struct store *s, char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS (SELECT 1 FROM scenario)");
	int rc = sqlite3_step(st);
	bool any = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_error(s, "read scenarios", cause);
	if (any)
		return DUN_OK;
	const struct embedded_file *f = embedded_find("scenarios.ini");
	struct scenario_set set;
	int status = scenario_parse(f->data, "data/scenarios.ini", &set, cause);
	if (status != DUN_OK)
		return status;
	status = scenario_save(s, &set, cause);
	scenario_set_free(&set);
	return status;
}

void scenario_set_free(struct scenario_set *set)
{
	for (int i = 0; i < set->nscenarios; i++) {
		struct scenario *sc = &set->scenarios[i];
		for (int j = 0; j < sc->nsteps; j++) {
			free(sc->steps[j].name);
			free(sc->steps[j].min_amount);
		}
		free(sc->steps);
		free(sc->code);
		free(sc->name);
	}
	free(set->scenarios);
	for (int i = 0; i < set->nrules; i++) {
		free(set->rules[i].match);
		free(set->rules[i].scenario);
	}
	free(set->rules);
	free(set->default_scenario);
	*set = (struct scenario_set){ 0 };
}

const struct scenario *scenario_find(const struct scenario_set *set, const char *code)
{
	for (int i = 0; i < set->nscenarios; i++)
		if (strcmp(set->scenarios[i].code, code) == 0)
			return &set->scenarios[i];
	return NULL;
}

int scenario_rule_count(const struct scenario_set *set, enum scenario_rule_kind kind)
{
	int n = 0;
	for (int i = 0; i < set->nrules; i++)
		n += set->rules[i].kind == kind;
	return n;
}

static const struct scenario_rule *rule_find(const struct scenario_set *set, enum scenario_rule_kind kind,
    const char *match)
{
	for (int i = 0; match && *match && i < set->nrules; i++)
		if (set->rules[i].kind == kind && strcmp(set->rules[i].match, match) == 0)
			return &set->rules[i];
	return NULL;
}

const struct scenario *scenario_for(const struct scenario_set *set, const char *customer_scenario,
    const char *segment, const char *profile, const struct scenario_rule **rule)
{
	const struct scenario *sc;
	const struct scenario_rule *r = NULL;
	if (!customer_scenario || !*customer_scenario || !(sc = scenario_find(set, customer_scenario))) {
		if (!(r = rule_find(set, SCENARIO_BY_SEGMENT, segment)))
			r = rule_find(set, SCENARIO_BY_PROFILE, profile);
		sc = r ? scenario_find(set, r->scenario)
		    : set->default_scenario ? scenario_find(set, set->default_scenario) : NULL;
	}
	if (rule)
		*rule = r;
	return sc;
}

int scenario_orphans(struct store *s, void (*each)(void *arg, const char *scenario, int customers), void *arg,
    char **cause)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT c.scenario, count(*) FROM customer c WHERE c.scenario <> ''"
	    " AND NOT EXISTS (SELECT 1 FROM scenario WHERE code = c.scenario) GROUP BY c.scenario ORDER BY c.scenario");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		each(arg, store_column_text(st, 0), sqlite3_column_int(st, 1));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? DUN_OK : store_error(s, "read customers' scenarios", cause);
}
