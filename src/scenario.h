/* Dunning scenarios (SPEC §7): the INI configuration (read with libinih,
 * validated with FILE:LINE messages), kept in the ledger so every
 * collector shares it, exported back as INI, and the rule that gives a
 * customer its scenario (its own, else its segment's, else its payer
 * profile's, else the default). */
#ifndef DUN_SCENARIO_H
#define DUN_SCENARIO_H
#include <stdbool.h>
#include "store.h"
#include "xalloc.h"

#define SCENARIO_CHANNEL_LIST(X) \
	X(SCENARIO_EMAIL, "email") \
	X(SCENARIO_LETTER, "letter") \
	X(SCENARIO_CALL, "call") \
	X(SCENARIO_TASK, "task") \
	X(SCENARIO_ESCALATE, "escalate")

enum scenario_channel {
#define X(name, text) name,
	SCENARIO_CHANNEL_LIST(X)
#undef X
};

struct scenario_step {
	int position;            /* 1-based */
	int offset;              /* days from the due date, negative = before */
	enum scenario_channel channel;
	char *name;              /* template (email, letter) or label */
	char *min_amount;        /* major units of the invoice's currency, "0" */
	bool attach_statement;   /* attach=statement */
};

struct scenario {
	char *code;              /* [scenario CODE] */
	char *name;
	int max_amicable_days;   /* default 60 */
	int min_gap_days;        /* default 0 */
	struct scenario_step *steps;
	int nsteps;
};

/* [segment NAME] or [profile NAME] (a payer profile of risk.h): the
 * scenario for customers with no scenario of their own. A segment is a
 * person's choice, a profile is derived, so a segment rule comes first. */
enum scenario_rule_kind { SCENARIO_BY_SEGMENT, SCENARIO_BY_PROFILE };

struct scenario_rule {
	enum scenario_rule_kind kind;
	char *match;             /* the segment or profile name */
	char *scenario;
};

/* A whole configuration; the caller frees with scenario_set_free. */
struct scenario_set {
	struct scenario *scenarios;
	int nscenarios;
	struct scenario_rule *rules;
	int nrules;
	char *default_scenario;  /* [defaults] scenario, or NULL */
};

const char *scenario_channel_name(enum scenario_channel c);
/* True when templates/en/NAME.txt and templates/fr/NAME.txt are embedded. */
bool scenario_template_exists(const char *name);

/* Parses INI text; file names the source in messages ("FILE:LINE: FIELD
 * "VALUE": reason"). Unknown sections or keys, bad numbers, unknown
 * channels, missing templates, unknown profiles, non-increasing offsets
 * and references to scenarios not defined are errors. */
int scenario_parse(const char *text, const char *file, struct scenario_set *out, char **cause);
/* Replaces the ledger's whole configuration with set, in one transaction. */
int scenario_save(struct store *s, const struct scenario_set *set, char **cause);
/* Reads the ledger's configuration. */
int scenario_load(struct store *s, struct scenario_set *out, char **cause);
/* Writes set as INI text that scenario_parse reads back to the same set. */
void scenario_export(const struct scenario_set *set, struct buf *out);
/* Loads the embedded data/scenarios.ini into a ledger that has no
 * scenario yet (dun init, which is idempotent: a loaded configuration is
 * kept). */
int scenario_install_defaults(struct store *s, char **cause);
void scenario_set_free(struct scenario_set *set);

int scenario_rule_count(const struct scenario_set *set, enum scenario_rule_kind kind);
/* Calls each once per scenario that customers name as their own but the
 * configuration lacks (those customers follow their segment's, profile's
 * or the default scenario), with how many name it. */
int scenario_orphans(struct store *s, void (*each)(void *arg, const char *scenario, int customers), void *arg,
    char **cause);

/* The scenario for a customer: its own code when set and known, else its
 * segment's rule, else its profile's (NULL or "" when not scored), else
 * the default; NULL when none applies. *rule, when rule is not NULL, is
 * the rule that chose it, or NULL. */
const struct scenario *scenario_for(const struct scenario_set *set, const char *customer_scenario,
    const char *segment, const char *profile, const struct scenario_rule **rule);
const struct scenario *scenario_find(const struct scenario_set *set, const char *code);
#endif
