/* The UI command table, the key map (keys to command strings, as tmux's
 * key-bindings.c defaults) and the ':' and '/' lines. */
#include "command.h"
#include <curses.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "action.h"
#include "config.h"
#include "customer_filter.h"
#include "edit.h"
#include "ledger.h"
#include "modal.h"
#include "screen.h"
#include "search.h"
#include "status.h"
#include "text.h"
#include "user_regex.h"
#include "worker.h"

#define HISTORY_MAX 100

static int run_view(struct ui *ui, int argc, char **argv)
{
	const struct view_ops *v = argc == 2 ? view_find(argv[1]) : NULL;
	if (v == NULL) {
		ui_message(ui, true, "no view %s: try :help", argc == 2 ? argv[1] : "given");
		return DUN_EUSAGE;
	}
	ui_view_open(ui, v);
	return DUN_OK;
}

static int run_back(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ui_view_back(ui);
	return DUN_OK;
}

static int run_quit(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ui->quit = true;
	return DUN_OK;
}

static int run_as_of(struct ui *ui, int argc, char **argv)
{
	day_t d;
	if (argc != 2 || !date_parse_iso(argv[1], &d)) {
		ui_message(ui, true, "as-of: a date as YYYY-MM-DD");
		return DUN_EUSAGE;
	}
	ui->aging.as_of = d;
	ui->ctx->as_of = d;
	ui->ctx->as_of_given = true;
	ui_changed(ui);
	ui_message(ui, false, "as of %s", argv[1]);
	return DUN_OK;
}

static int run_buckets(struct ui *ui, int argc, char **argv)
{
	char *cause = NULL;
	int edges[8], n;
	if (argc != 2 || config_parse_buckets(argv[1], edges, &n, &cause) != DUN_OK) {
		ui_message(ui, true, "buckets: %s", cause ? cause : "give edges as 30,60,90,120");
		free(cause);
		return DUN_EUSAGE;
	}
	memcpy(ui->aging.edges, edges, sizeof(int) * (size_t)n);
	ui->aging.nedges = n;
	ui_changed(ui);
	return DUN_OK;
}

static int run_basis(struct ui *ui, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "due") != 0 && strcmp(argv[1], "invoice") != 0)) {
		ui_message(ui, true, "basis: due or invoice");
		return DUN_EUSAGE;
	}
	ui->aging.basis_invoice = strcmp(argv[1], "invoice") == 0;
	ui_changed(ui);
	return DUN_OK;
}

static int run_goto(struct ui *ui, int argc, char **argv)
{
	if (argc != 2) {
		ui_message(ui, true, "goto: give a customer code");
		return DUN_EUSAGE;
	}
	int64_t id = ledger_customer_id(ui->store, argv[1]);
	if (id == 0) {
		ui_message(ui, true, "no customer %s", argv[1]);
		return DUN_EDATA;
	}
	ui_show_customer(ui, id, argv[1]);
	return DUN_OK;
}

static int run_refresh(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ui_changed(ui);
	clearok(curscr, TRUE);
	return DUN_OK;
}

/* s: the view's own sort when it has one (the aging grid), else a word
 * saying which list sorts, rather than a key that does nothing. */
static int run_sort(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int r = ui->view != NULL && ui->view->key != NULL ? ui->view->key(ui, ui->view_state, 's') : UI_IGNORED;
	if (r != UI_IGNORED)
		ui->dirty |= r;
	else
		ui_message(ui, false, "this list keeps its own order; s sorts the aging grid (view 3)");
	return DUN_OK;
}

static int run_help(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct buf b = {0};
	command_help(&b);
	ui_pager(ui, "Help", b.data);
	buf_free(&b);
	return DUN_OK;
}

/* The code of the customer in view, for searches to start from. */
static char *current_code(struct ui *ui)
{
	static const char *const sql = "SELECT code FROM customer WHERE id = ?1";
	int64_t id = ui_customer(ui);
	char *code = NULL;
	if (id == 0 || ui->store == NULL)
		return xstrdup("");
	sqlite3_stmt *st = store_stmt(ui->store, sql);
	sqlite3_bind_int64(st, 1, id);
	code = xstrdup(sqlite3_step(st) == SQLITE_ROW ? store_column_text(st, 0) : "");
	sqlite3_reset(st);
	return code;
}

static int search_again(struct ui *ui, bool backward)
{
	if (ui->search_pattern == NULL) {
		ui_message(ui, true, "no search yet: press /");
		return DUN_EUSAGE;
	}
	char why[256], *from = current_code(ui);
	search_start(ui, ui->search_pattern, from, true, backward, why, sizeof why);
	free(from);
	return DUN_OK;
}

static int run_search_next(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return search_again(ui, false);
}

static int run_search_prev(struct ui *ui, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return search_again(ui, true);
}

/* :filter TERMS narrows the customers view (opening it); :filter alone
 * clears the filter. A bad term leaves the filter as it was. */
static int run_filter(struct ui *ui, int argc, char **argv)
{
	struct customer_filter f;
	char *cause = NULL;
	int rc = customer_filter_parse(argc > 1 ? argv[1] : "", &f, &cause);
	if (rc != DUN_OK) {
		ui_message(ui, true, "%s", cause);
		free(cause);
		return rc;
	}
	customer_filter_free(&ui->filter);
	ui->filter = f;
	const struct view_ops *v = view_find("customers");
	if (ui->view != v)
		ui_view_open(ui, v); /* it opens filtered */
	else
		v->filtered(ui, ui->view_state);
	if (f.text == NULL)
		ui_message(ui, false, "filter cleared");
	return DUN_OK;
}

static int run_prompt(struct ui *ui, int argc, char **argv);
static int run_search(struct ui *ui, int argc, char **argv);

const struct ui_command ui_commands[] = {
	{"view", "N|NAME", "show a view: 1 call list, 2 customers, 3 aging, 4 disputes, 5 outbox, 6 matching, 7 forecast", run_view, false},
	{"back", "", "back out of the view; quit from the first one", run_back, false},
	{"quit", "", "leave dun", run_quit, false},
	{"as-of", "YYYY-MM-DD", "compute every figure as of this date", run_as_of, false},
	{"buckets", "30,60,90,120", "aging bucket edges in days", run_buckets, false},
	{"basis", "due|invoice", "age by days past due or days since issue", run_basis, false},
	{"goto", "CODE", "open a customer", run_goto, false},
	{"search", "", "search customer codes, names and invoice numbers (PCRE2)", run_search, false},
	{"search-next", "", "the next match", run_search_next, false},
	{"search-prev", "", "the previous match", run_search_prev, false},
	{"filter", "[TERM...]", "narrow the customers (f): profile= class= collector= segment= overdue PATTERN (\"in quotes\" with spaces)",
	    run_filter, true},
	{"prompt", "[TEXT]", "the command line (TEXT typed in): UI commands and every CLI command", run_prompt, false},
	{"call", "", "log a call with its outcome", action_call, false},
	{"note", "", "add a note to the customer's history", action_note, false},
	{"promise", "", "record a promise to pay (date, amount, invoices)", action_promise, false},
	{"dispute", "", "open or resolve a dispute on the selected invoice", action_dispute, false},
	{"allocate", "", "allocate an unapplied payment to the selected invoice", action_allocate, false},
	{"edit", "", "edit the customer's contact, collector, segment, limit, terms", action_edit, false},
	{"undo", "", "undo the last action when it is safe", action_undo, false},
	{"statement", "", "export the customer's statement of account (.xlsx)", action_statement, false},
	{"sort", "", "sort the aging grid by its next column (S reverses it)", run_sort, false},
	{"refresh", "", "read the ledger again and redraw", run_refresh, false},
	{"help", "", "this screen", run_help, false},
	{NULL, NULL, NULL, NULL, false},
};

static const struct {
	int key;
	const char *name;    /* shown in help */
	const char *command;
} key_table[] = {
	{'1', "1", "view 1"},
	{'2', "2", "view 2"},
	{'3', "3", "view 3"},
	{'4', "4", "view 4"},
	{'5', "5", "view 5"},
	{'6', "6", "view 6"},
	{'7', "7", "view 7"},
	{'?', "?", "help"},
	{':', ":", "prompt"},
	{'/', "/", "search"},
	{'f', "f", "prompt filter"},
	{'q', "q", "back"},
	{'c', "c", "call"},
	{'p', "p", "promise"},
	{'d', "d", "dispute"},
	{'n', "n", "note"},
	{'a', "a", "allocate"},
	{'e', "e", "edit"},
	{'u', "u", "undo"},
	{'x', "x", "statement"},
	{'s', "s", "sort"},
	{'L' & 0x1f, "^L", "refresh"},
	{'C' & 0x1f, "^C", "quit"},
};

static const struct ui_command *ui_command_find(const char *name)
{
	for (int i = 0; ui_commands[i].name != NULL; i++)
		if (strcmp(ui_commands[i].name, name) == 0)
			return &ui_commands[i];
	return NULL;
}

/* A CLI command of the ':' line runs on its own worker thread and
 * connection (SPEC §11: the workstation never blocks on the ledger); the
 * UI keeps reading keys, Esc cancels it, and its output comes back here. */
struct command_job {
	struct worker_job job;
	struct cmd_ctx ctx;      /* the UI's, copied when the command starts */
	int argc;
	char **argv;
	char *title;
	char *output;
	int rc;
	atomic_bool cancel;
	int busy_ms;             /* the connection's busy timeout */
	bool finished;           /* back on the UI thread, waiting for a modal to close */
};

/* SQLite's progress hook: a non-zero return interrupts the statement, and
 * every later one, so that Esc between two statements still stops it. */
static int command_cancelled(void *arg)
{
	struct command_job *c = arg;
	return atomic_load(&c->cancel);
}

/* The connection's busy timeout in 10 ms naps, but Esc ends the wait for
 * another process's write as well. */
static int command_busy(void *arg, int tries)
{
	struct command_job *c = arg;
	if (atomic_load(&c->cancel) || tries * 10 >= c->busy_ms)
		return 0;
	sqlite3_sleep(10);
	return 1;
}

static void command_run(struct worker_job *job, struct store *s)
{
	struct command_job *c = (struct command_job *)job;
	if (s == NULL) {
		c->output = xstrdup("dun: the ledger cannot be opened for commands\n");
		c->rc = DUN_EDB;
		return;
	}
	c->ctx.workstation = NULL; /* no curses off the UI thread */
	/* the worker's connection, so that a command refuses what it
	 * refuses with the ledger open (demo) and never opens another */
	c->ctx.store = s;
	static const char *const sql = "PRAGMA busy_timeout";
	sqlite3_stmt *st = store_stmt(s, sql);
	c->busy_ms = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	sqlite3_progress_handler(store_db(s), 1000, command_cancelled, c);
	sqlite3_busy_handler(store_db(s), command_busy, c);
	c->rc = ui_dispatch_ctx(&c->ctx, c->argc, c->argv, &c->output);
	sqlite3_busy_timeout(store_db(s), c->busy_ms);
	sqlite3_progress_handler(store_db(s), 0, NULL, NULL);
}

static void command_job_free(struct command_job *c)
{
	cmd_words_free(c->argc, c->argv);
	free(c->title);
	free(c->output);
	free(c);
}

/* Shows the output: a pager for several lines, else the message line. */
static void command_show(struct ui *ui, struct command_job *c)
{
	char *output = c->output;
	size_t len = strlen(output);
	while (len > 0 && output[len - 1] == '\n')
		output[--len] = '\0';
	if (c->rc != DUN_OK && atomic_load(&c->cancel))
		ui_message(ui, true, "%s: cancelled", c->title);
	else if (strchr(output, '\n') != NULL)
		ui_pager(ui, c->title, output);
	else if (len > 0)
		ui_message(ui, c->rc != DUN_OK, "%s", output);
	else
		ui_message(ui, c->rc != DUN_OK, "%s: %s", c->argv[0], c->rc == DUN_OK ? "done" : "failed");
	/* the command may have written to the ledger */
	ui_changed(ui);
}

void command_show_finished(struct ui *ui)
{
	struct command_job *c = ui->command;
	if (c == NULL || !c->finished || modal_active(ui))
		return;
	ui->command = NULL;
	command_show(ui, c);
	command_job_free(c);
}

/* Its output waits while a form or the ':' line is open: the pager would
 * replace it and lose what is being typed. */
static void command_done(struct worker_job *job, struct ui *ui)
{
	struct command_job *c = (struct command_job *)job;
	if (ui == NULL) {
		command_job_free(c);
		return;
	}
	c->finished = true;
	command_show_finished(ui);
}

const char *command_running(const struct ui *ui)
{
	return ui->command != NULL && !ui->command->finished ? ui->command->title : NULL;
}

void command_stop(struct ui *ui)
{
	struct command_job *c = ui->command;
	ui->command = NULL;
	if (c != NULL && c->finished)
		command_job_free(c); /* back from the worker, not shown: dun quits */
	else if (c != NULL)
		atomic_store(&c->cancel, true); /* worker_stop frees it */
	if (ui->command_worker != NULL)
		worker_stop(ui->command_worker);
	ui->command_worker = NULL;
}

void ui_run_cli(struct ui *ui, const char *title, int argc, char **argv)
{
	if (command_running(ui) != NULL) {
		ui_message(ui, true, "%s is still running: wait for it, or Esc cancels it", ui->command->title);
		return;
	}
	command_show_finished(ui);
	struct command_job *c = xcalloc(1, sizeof *c);
	c->job.run = command_run;
	c->job.done = command_done;
	c->argc = argc;
	c->argv = xcalloc((size_t)argc + 1, sizeof *c->argv);
	for (int i = 0; i < argc; i++)
		c->argv[i] = xstrdup(argv[i]);
	c->title = xstrdup(title);
	atomic_init(&c->cancel, false);
	char *cause = NULL;
	if (ui->store != NULL && ui->command_worker == NULL &&
	    worker_start(store_path(ui->store), &ui->command_worker, &cause) != DUN_OK) {
		ui->command_worker = NULL;
		free(cause);
	}
	if (ui->store == NULL || ui->command_worker == NULL) {
		/* no ledger yet (:init, :demo) or no thread: here, as the CLI */
		c->rc = ui_dispatch(ui, argc, argv, &c->output);
		command_show(ui, c);
		command_job_free(c);
		return;
	}
	c->ctx = *ui->ctx;
	ui->command = c;
	worker_submit(ui->command_worker, &c->job);
	ui->dirty |= UI_REDRAW;
}

void ui_command(struct ui *ui, const char *line)
{
	int argc;
	char **argv, *cause = NULL;
	if (cmd_split(line, &argc, &argv, &cause) != DUN_OK) {
		ui_message(ui, true, "%s", cause ? cause : "bad command line");
		free(cause);
		return;
	}
	if (argc == 0) {
		cmd_words_free(argc, argv);
		return;
	}
	const struct ui_command *uc = ui_command_find(argv[0]);
	if (uc != NULL && uc->raw) {
		/* the words after the first, as typed */
		const char *rest = line + strspn(line, " \t");
		rest += strcspn(rest, " \t");
		rest += strspn(rest, " \t");
		cmd_words_free(argc, argv);
		argc = *rest ? 2 : 1;
		argv = xcalloc(3, sizeof *argv);
		argv[0] = xstrdup(uc->name);
		argv[1] = *rest ? xstrdup(rest) : NULL;
	}
	if (uc != NULL) {
		if (ui->store != NULL || uc->run == run_quit || uc->run == run_help || uc->run == run_prompt)
			uc->run(ui, argc, argv);
	} else if (cmd_find(argv[0]) != NULL) {
		ui_run_cli(ui, line, argc, argv);
	} else {
		ui_message(ui, true, "unknown command: %s (press ? for help)", argv[0]);
	}
	cmd_words_free(argc, argv);
}

void command_key(struct ui *ui, int key)
{
	if (key == 27 && command_running(ui) != NULL) {
		atomic_store(&ui->command->cancel, true);
		ui_message(ui, false, "cancelling %s…", ui->command->title);
		return;
	}
	if (key == 27) {
		/* Esc ends a search, and backs a view out of a detail */
		ui->search_active = false;
		ui->dirty |= UI_REDRAW;
		if (ui->view != NULL && ui->view->key != NULL)
			ui->dirty |= ui->view->key(ui, ui->view_state, key);
		return;
	}
	if (ui->search_active && (key == 'n' || key == 'N')) {
		ui_command(ui, key == 'n' ? "search-next" : "search-prev");
		return;
	}
	if (ui->view != NULL && ui->view->key != NULL) {
		int r = ui->view->key(ui, ui->view_state, key);
		if (r != UI_IGNORED) {
			ui->dirty |= r;
			return;
		}
	}
	for (size_t i = 0; i < sizeof key_table / sizeof key_table[0]; i++)
		if (key_table[i].key == key) {
			ui_command(ui, key_table[i].command);
			return;
		}
}

void command_help(struct buf *b)
{
	buf_puts(b, "Views\n");
	for (int i = 0; view_table[i] != NULL; i++)
		buf_printf(b, "  %d  %-12s %s\n", view_table[i]->number, view_table[i]->name, view_table[i]->help);
	buf_puts(b, "\nKeys (each runs the command beside it)\n");
	size_t n = sizeof key_table / sizeof key_table[0];
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%-3s %-14s%s", i % 4 ? "" : "  ", key_table[i].name, key_table[i].command,
		    i % 4 == 3 || i + 1 == n ? "\n" : "");
	buf_puts(b, "  arrows, hjkl, PgUp/PgDn, Home/End, g/G move; Tab / Shift-Tab change pane; Enter\n"
	    "  drills down (on the aging pane: the portfolio and back; on an invoice: its detail,\n"
	    "  j/k scroll it, Enter, q or Esc leave it; on an activity: its whole text); o shows\n"
	    "  paid invoices too (a narrow pane's ! column: D disputed, P paid, C credit note);\n"
	    "  f filters the customers: profile=prompt|slow|erratic|deteriorating|risky\n"
	    "  class=A..E collector=NAME segment=NAME overdue and a PCRE2 pattern on code or\n"
	    "  name, all of them holding (:filter alone clears it); s / S sort the aging grid;\n"
	    "  after a search n / N step through matches until Esc; the mouse selects and\n"
	    "  scrolls; h / l scroll this help and command output sideways.\n\n");
	buf_puts(b, "Workstation commands (type : then the command; Tab completes, Up/Down recall)\n");
	for (int i = 0; ui_commands[i].name != NULL; i++) {
		char *head = xasprintf("%s %s", ui_commands[i].name, ui_commands[i].usage);
		buf_printf(b, "  :%-26s %s\n", head, ui_commands[i].help);
		free(head);
	}
	buf_puts(b, "\nLedger commands (the CLI's, run from : with their output shown here)\n");
	for (int i = 0; cmd_table[i].name != NULL; i++) {
		char *head = xasprintf("%s %s", cmd_table[i].name, cmd_table[i].usage ? cmd_table[i].usage : "");
		buf_printf(b, "  :%s\n      %s\n", head, cmd_table[i].help ? cmd_table[i].help : "");
		free(head);
	}
}

/* ---- the ':' and '/' lines ---- */

struct prompt {
	bool search;
	struct edit edit;
	int history_at;          /* index while browsing history, nhistory: the new line */
	char *origin;            /* search: the code the search starts from */
	char *saved;             /* the line being typed before browsing history */
};

static void prompt_free(void *state)
{
	struct prompt *p = state;
	edit_free(&p->edit);
	free(p->origin);
	free(p->saved);
	free(p);
}

static void prompt_draw(struct ui *ui, void *state)
{
	struct prompt *p = state;
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	screen_fill(rows - 1, 0, 1, cols, STYLE_NORMAL);
	screen_text(rows - 1, 0, 1, p->search ? "/" : ":", false, STYLE_NORMAL);
	edit_draw(&p->edit, rows - 1, 1, cols - 1, STYLE_NORMAL);
	if (ui->message[0] && cols > 40) {
		int w = screen_clamp(text_width(ui->message), 0, cols / 2);
		screen_text(rows - 1, cols - w, w, ui->message, false, ui->message_error ? STYLE_ERROR : STYLE_DIM);
	}
}

static void history_add(struct ui *ui, const char *line)
{
	if (*line == '\0' || (ui->nhistory > 0 && strcmp(ui->history[ui->nhistory - 1], line) == 0))
		return;
	if (ui->nhistory == HISTORY_MAX) {
		free(ui->history[0]);
		memmove(ui->history, ui->history + 1, sizeof *ui->history * (HISTORY_MAX - 1));
		ui->nhistory--;
	}
	ui->history = xreallocarray(ui->history, (size_t)ui->nhistory + 1, sizeof *ui->history);
	ui->history[ui->nhistory++] = xstrdup(line);
}

void command_history_free(struct ui *ui)
{
	for (int i = 0; i < ui->nhistory; i++)
		free(ui->history[i]);
	free(ui->history);
	ui->history = NULL;
	ui->nhistory = 0;
	search_free(ui);
	customer_filter_free(&ui->filter);
}

/* Tab: completes the first word from the command names, later words from
 * customer codes; several candidates complete to their common prefix and
 * are listed on the message line. */
static void complete(struct ui *ui, struct prompt *p)
{
	static const char *const sql = "SELECT code FROM customer WHERE code >= ?1 ORDER BY code LIMIT 8";
	const char *text = edit_text(&p->edit);
	const char *word = strrchr(text, ' ');
	bool first = word == NULL;
	word = first ? text : word + 1;
	size_t wlen = strlen(word);
	char *candidates[8];
	int n = 0;
	if (first) {
		for (int i = 0; ui_commands[i].name != NULL && n < 8; i++)
			if (strncmp(ui_commands[i].name, word, wlen) == 0)
				candidates[n++] = xstrdup(ui_commands[i].name);
		for (int i = 0; cmd_table[i].name != NULL && n < 8; i++)
			if (strncmp(cmd_table[i].name, word, wlen) == 0)
				candidates[n++] = xstrdup(cmd_table[i].name);
	} else if (ui->store != NULL) {
		sqlite3_stmt *st = store_stmt(ui->store, sql);
		sqlite3_bind_text(st, 1, word, -1, SQLITE_TRANSIENT);
		while (n < 8 && sqlite3_step(st) == SQLITE_ROW && strncmp(store_column_text(st, 0), word, wlen) == 0)
			candidates[n++] = xstrdup(store_column_text(st, 0));
		sqlite3_reset(st);
	}
	if (n == 0) {
		ui_message(ui, true, "no completion");
		return;
	}
	size_t common = strlen(candidates[0]);
	for (int i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && candidates[i][k] == candidates[0][k])
			k++;
		common = k;
	}
	struct buf line = {0}, list = {0};
	buf_add(&line, text, (size_t)(word - text));
	buf_add(&line, candidates[0], common);
	if (n == 1)
		buf_putc(&line, ' ');
	edit_set(&p->edit, line.data);
	for (int i = 0; i < n && n > 1; i++)
		buf_printf(&list, "%s%s", i ? " " : "", candidates[i]);
	if (n > 1)
		ui_message(ui, false, "%s", list.data);
	for (int i = 0; i < n; i++)
		free(candidates[i]);
	buf_free(&line);
	buf_free(&list);
}

static void history_move(struct ui *ui, struct prompt *p, int step)
{
	int at = screen_clamp(p->history_at + step, 0, ui->nhistory);
	if (at == p->history_at)
		return;
	if (p->history_at == ui->nhistory) {
		free(p->saved);
		p->saved = xstrdup(edit_text(&p->edit));
	}
	p->history_at = at;
	edit_set(&p->edit, at == ui->nhistory ? p->saved : ui->history[at]);
}

static int prompt_key(struct ui *ui, void *state, int key)
{
	struct prompt *p = state;
	switch (key) {
	case 27:
		modal_close(ui);
		return UI_REDRAW;
	case '\r':
	case '\n':
	case KEY_ENTER: {
		char *line = xstrdup(edit_text(&p->edit));
		bool search = p->search;
		modal_close(ui); /* p is freed after this handler; use the copy */
		if (search) {
			/* a pattern that does not compile keeps its reason on the
			 * screen, and n / N are not offered for it */
			char why[256];
			struct user_regex *re = *line ? user_regex_compile(line, why, sizeof why) : NULL;
			if (*line && re == NULL) {
				ui_message(ui, true, "search %s: %s", line, why);
			} else if (re != NULL) {
				user_regex_free(re);
				free(ui->search_pattern);
				ui->search_pattern = xstrdup(line);
				ui->search_active = true;
			}
		} else {
			history_add(ui, line);
			ui_command(ui, line);
		}
		free(line);
		return UI_REDRAW;
	}
	case '\t':
		if (!p->search)
			complete(ui, p);
		return UI_REDRAW;
	case KEY_UP:
		if (!p->search)
			history_move(ui, p, -1);
		return UI_REDRAW;
	case KEY_DOWN:
		if (!p->search)
			history_move(ui, p, 1);
		return UI_REDRAW;
	}
	if (!edit_key(&p->edit, key))
		return UI_REDRAW;
	if (p->search && ui->store != NULL && *edit_text(&p->edit)) {
		char why[256];
		if (!search_start(ui, edit_text(&p->edit), p->origin, false, false, why, sizeof why))
			ui_message(ui, true, "%s", why);
	}
	return UI_REDRAW;
}

static const struct modal_ops prompt_ops = {
	.draw = prompt_draw,
	.key = prompt_key,
	.free = prompt_free,
};

/* Opens the ':' or '/' line with text already typed. */
static void prompt_open(struct ui *ui, bool search, const char *text)
{
	struct prompt *p = xcalloc(1, sizeof *p);
	p->search = search;
	p->history_at = ui->nhistory;
	edit_set(&p->edit, text);
	if (search)
		p->origin = current_code(ui);
	modal_open(ui, &prompt_ops, p);
}

static int run_prompt(struct ui *ui, int argc, char **argv)
{
	struct buf text = {0};
	for (int i = 1; i < argc; i++)
		buf_printf(&text, "%s ", argv[i]);
	prompt_open(ui, false, text.data ? text.data : "");
	buf_free(&text);
	return DUN_OK;
}

static int run_search(struct ui *ui, int argc, char **argv)
{
	if (argc >= 2) {
		char why[256], *from = current_code(ui);
		if (search_start(ui, argv[1], from, false, false, why, sizeof why)) {
			free(ui->search_pattern);
			ui->search_pattern = xstrdup(argv[1]);
			ui->search_active = true;
		} else {
			ui_message(ui, true, "search %s: %s", argv[1], why);
		}
		free(from);
		return DUN_OK;
	}
	prompt_open(ui, true, "");
	return DUN_OK;
}
