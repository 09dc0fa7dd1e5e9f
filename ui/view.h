/* The workstation's state and its views. A view is an ops table (open,
 * draw, key, refresh); views are registered in one table (view.c) by
 * number, so a new view is one file and one line. Handlers never draw:
 * they set dirty bits, and the loop in ui.c draws once per turn. */
#ifndef DUN_UI_VIEW_H
#define DUN_UI_VIEW_H
#include <stdbool.h>
#include <stdint.h>
#include "aging.h"
#include "cmd.h"
#include "customer.h"
#include "customer_filter.h"
#include "list.h"
#include "store.h"

/* What a handler did, as in htop's HandlerResult. */
enum ui_result {
	UI_IGNORED = 0,
	UI_HANDLED = 1,
	UI_REDRAW = 2,      /* the screen must be drawn again */
	UI_RELOAD = 4,      /* the ledger changed: every view re-reads */
};

struct ui;
struct modal_ops;
struct search;
struct background;
struct worker_job;
struct command_job;

struct view_ops {
	int number;              /* key '1'..'9' */
	const char *name;        /* for :view NAME */
	const char *title;
	const char *help;        /* one line for the help screen */
	void *(*open)(struct ui *ui);
	void (*close)(struct ui *ui, void *state);
	/* Draws inside rows [y, y + height) of the full width. */
	void (*draw)(struct ui *ui, void *state, int y, int height, int width);
	int (*key)(struct ui *ui, void *state, int key);
	/* The ledger changed (another process, or our own edit). */
	void (*changed)(struct ui *ui, void *state);
	/* A mouse click at (y, x) in screen coordinates. */
	int (*click)(struct ui *ui, void *state, int y, int x);
	/* The customer the user is looking at, 0 when none. */
	int64_t (*customer)(struct ui *ui, void *state);
	/* The invoice the user is on (the invoices pane), 0 when none. */
	int64_t (*invoice)(struct ui *ui, void *state);
	/* Shows this customer (search, :goto); false when the view cannot. */
	bool (*show_customer)(struct ui *ui, void *state, int64_t customer_id, const char *code);
	/* The customer filter (ui->filter) changed. */
	void (*filtered)(struct ui *ui, void *state);
	/* A list in an order of its own (the call list's rank), for '/' to
	 * walk in that order rather than by customer code; with key, also
	 * the key of customer_id's row in it (edge -1 when not listed). */
	struct list *(*search_list)(struct ui *ui, void *state, int64_t customer_id, struct list_key *key);
};

/* The registered views, ended by a NULL entry. */
extern const struct view_ops *const view_table[];
const struct view_ops *view_find(const char *name_or_number);

struct ui {
	struct cmd_ctx *ctx;
	struct store *store;     /* NULL: no ledger (the empty state) */
	char *store_problem;     /* why there is no store */
	bool quit;
	unsigned dirty;          /* UI_REDRAW / UI_RELOAD waiting */
	int data_version;
	/* the current view and the stack backed out of with q */
	const struct view_ops *view;
	void *view_state;
	const struct view_ops *back[8];
	int nback;
	/* shared by views */
	struct aging_options aging;
	char message[512];
	bool message_error;
	char *search_pattern;    /* the last '/' pattern, or NULL */
	struct customer_filter filter; /* narrows the customers view (:filter) */
	char *status_kpi;        /* AR, overdue, DSO text for the status bar */
	char *status_background; /* the background module's progress, or NULL */
	int status_pending;      /* KPIs to compute after the next frame */
	/* The last action made here, when u can take it back: an allocation,
	 * or a customer edit with the values it replaced (before.version is
	 * the version the edit made, so that a change by anyone since is not
	 * undone over). */
	struct {
		enum { UNDO_NONE, UNDO_ALLOCATION, UNDO_EDIT } kind;
		int64_t allocation;
		struct customer_edit before;
	} undo;
	/* the modal that has the keyboard (modal.h), and one closed by its
	 * own handler, freed after that handler returns */
	const struct modal_ops *modal, *modal_dead;
	void *modal_state, *modal_dead_state;
	/* the ':' line's history, oldest first */
	char **history;
	int nhistory;
	bool search_active;      /* n/N step through matches until Esc */
	struct search *search;   /* search.h */
	struct background *background; /* the scoring thread, or NULL */
	struct worker *worker;   /* whole-ledger computations (worker.h), or NULL */
	struct worker *command_worker; /* the ':' line's CLI commands, started on first use */
	struct command_job *command;   /* the one running (command.c), or NULL */
	unsigned view_generation; /* bumped when a view opens: older jobs are stale */
	_Atomic int64_t aging_wanted; /* the customer whose aging the worker should compute */
};

/* Shows a message on the bottom line until the next key. */
void ui_message(struct ui *ui, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Switches to a view, remembering the current one for q. */
void ui_view_open(struct ui *ui, const struct view_ops *view);
/* Backs out of the current view; quits from the first one. */
void ui_view_back(struct ui *ui);
/* Opens the customers view on a customer. */
void ui_show_customer(struct ui *ui, int64_t customer_id, const char *code);
/* The customer / invoice the current view is on, 0 when none. */
int64_t ui_customer(struct ui *ui);
int64_t ui_invoice(struct ui *ui);
/* Runs one ':' line (UI command or CLI command with captured output). */
void ui_command(struct ui *ui, const char *line);
/* Starts a CLI command given as words on the commands' worker and shows
 * its output when it ends: a pager for several lines (titled title), else
 * the message line. Refused, with a message, while another one runs. */
void ui_run_cli(struct ui *ui, const char *title, int argc, char **argv);
/* Runs a CLI command given as words, capturing its output and errors into
 * *output (caller frees). Returns the command's exit status; refused while
 * a ':' command runs (they share getopt's state). */
int ui_dispatch(struct ui *ui, int argc, char **argv, char **output);
/* The same with ctx (the ':' commands' copy on their worker): the command
 * runs as from the TUI, as a table, its output and errors in *output. */
int ui_dispatch_ctx(struct cmd_ctx *ctx, int argc, char **argv, char **output);
/* Shows text in a full-screen pager until q. */
void ui_pager(struct ui *ui, const char *title, const char *text);
/* Runs a whole-ledger job on the worker (or here when there is none);
 * its done function applies the result on this thread. */
void ui_job(struct ui *ui, struct worker_job *job);
/* Asks the background module to rescore a customer after an edit. */
void ui_rescore(struct ui *ui, int64_t customer_id);
/* Marks the ledger changed by us: views re-read, scores recompute. */
void ui_changed(struct ui *ui);
/* The display cutoff of as-of as ISO text. */
const char *ui_as_of_text(struct ui *ui);

/* Views draw their panes' lists with a box and a position in the title. */
void view_draw_list(struct ui *ui, struct list *l, const char *title, int y, int x, int height, int width, bool focused);
/* Navigation keys common to every list (arrows, jk, PgUp/PgDn, Home/End,
 * g/G, wheel); UI_IGNORED for others. */
int view_list_key(struct list *l, int key);
#endif
