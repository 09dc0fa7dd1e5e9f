/* Every user action is a named command in one table (name, usage, help,
 * handler), run by the CLI, by the TUI's ':' line and by its key map. The
 * handlers live in cmd_*.c; they parse their own options with getopt_long
 * (after cmd_options_reset), call the core and print through report.h. */
#ifndef DUN_CMD_H
#define DUN_CMD_H
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include "config.h"
#include "date.h"
#include "report.h"
#include "store.h"

struct cmd_ctx {
	const char *db_option;   /* --db, or NULL */
	const char *config_option;
	struct store *store;     /* opened on demand by cmd_store */
	struct config config;
	day_t today;             /* DUN_TODAY or the clock */
	day_t as_of;             /* --as-of, else today */
	bool as_of_given;
	enum report_format format;
	FILE *out, *err;
	bool in_tui;             /* run from the TUI's ':' line */
	/* The workstation's entry point (ui_run), set by main: the core
	 * library links without curses, so tests and fuzzers leave it NULL. */
	int (*workstation)(struct cmd_ctx *ctx);
};

struct cmd_entry {
	const char *name;
	const char *usage;       /* arguments after the name */
	const char *help;        /* one paragraph */
	int (*handler)(struct cmd_ctx *ctx, int argc, char **argv);
};

/* The table, ended by an entry whose name is NULL. */
extern const struct cmd_entry cmd_table[];
const struct cmd_entry *cmd_find(const char *name);

/* Runs argv[0] with its arguments: handles --help / -h, then the handler.
 * Returns the exit status of SPEC §4. */
int cmd_dispatch(struct cmd_ctx *ctx, int argc, char **argv);

/* Opens the ledger (once; later calls return the same store). Prints the
 * error and returns its status on failure. */
int cmd_store(struct cmd_ctx *ctx, int flags, struct store **out);
/* Prints "dun: MESSAGE" to ctx->err and returns status. */
int cmd_error(struct cmd_ctx *ctx, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prints a cause (already "FILE:LINE: FIELD ...: reason"), frees it, and
 * returns status. */
int cmd_fail(struct cmd_ctx *ctx, int status, char *cause);
/* A core notice callback (import_options.notice, bank_csv_map.notice):
 * prints message to ctx's err as "dun: MESSAGE". */
void cmd_notice(void *ctx, const char *message);
/* Prints the command's usage line to ctx->err and returns DUN_EUSAGE. */
int cmd_usage(struct cmd_ctx *ctx, const char *name);
/* Before each cmd_getopt loop in a handler (handlers are reentrant from
 * the TUI, getopt keeps global state). */
void cmd_options_reset(void);
/* getopt_long, whose complaints (an unknown option, one without its
 * value) go to ctx->err as "dun: COMMAND: ...", where the TUI's ':' line
 * shows them, instead of to stderr under curses. Returns '?' for them. */
int cmd_getopt(struct cmd_ctx *ctx, int argc, char **argv, const char *shortopts, const struct option *longopts);
/* Parses a date argument (ISO) or fails with a usage message. */
int cmd_parse_date(struct cmd_ctx *ctx, const char *option, const char *text, day_t *out);

/* Splits a ':' command line into words (single and double quotes,
 * backslash escapes). The caller frees with cmd_words_free. */
int cmd_split(const char *line, int *argc, char ***argv, char **cause);
void cmd_words_free(int argc, char **argv);

/* Handlers, one per command (cmd_*.c). */
int cmd_help(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_init(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_demo(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_import(struct cmd_ctx *ctx, int argc, char **argv);
/* `import bank FILE` with the options `import` parsed (cmd_bank.c). */
struct import_options;
int cmd_import_bank(struct cmd_ctx *ctx, const struct import_options *o);
int cmd_match(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_customers(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_invoices(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_show(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_aging(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_kpi(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_log(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_dunning(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_outbox(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_scenarios(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_score(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_calllist(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_forecast(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_statement(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_statements(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_export(struct cmd_ctx *ctx, int argc, char **argv);
#endif
