/* The workstation's loop: one thread polls the keyboard (and the
 * background module's wake-up fd) with a one-second timeout, handlers set
 * dirty bits, and one place draws with one doupdate per turn. Every second
 * it checks PRAGMA data_version so that other processes' changes appear. */
#include "ui.h"
#include <curses.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "action.h"
#include "background.h"
#include "command.h"
#include "modal.h"
#include "screen.h"
#include "search.h"
#include "status.h"
#include "status_bar.h"
#include "text.h"
#include "user_regex.h"
#include "view.h"
#include "worker.h"
#include "xalloc.h"

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	/* Commands' messages end with a newline; the line shows the first. */
	char *nl = strchr(ui->message, '\n');
	if (nl != NULL)
		*nl = '\0';
	ui->message_error = error;
	ui->dirty |= UI_REDRAW;
}

const char *ui_as_of_text(struct ui *ui)
{
	static char buf[DATE_TEXT_MAX];
	return date_format_iso(ui->aging.as_of, buf);
}

static void view_close_current(struct ui *ui)
{
	if (ui->view != NULL && ui->view->close != NULL)
		ui->view->close(ui, ui->view_state);
	ui->view = NULL;
	ui->view_state = NULL;
}

static void view_switch(struct ui *ui, const struct view_ops *view)
{
	view_close_current(ui);
	ui->view_generation++;
	ui->view = view;
	ui->view_state = view->open(ui);
	ui->dirty |= UI_REDRAW;
}

void ui_view_open(struct ui *ui, const struct view_ops *view)
{
	if (ui->store == NULL || view == ui->view)
		return;
	if (ui->view != NULL) {
		/* Keep one entry per view: going back to a view drops what was above it. */
		int i;
		for (i = 0; i < ui->nback && ui->back[i] != view; i++)
			;
		if (i < ui->nback)
			ui->nback = i;
		else if (ui->nback < (int)(sizeof ui->back / sizeof ui->back[0]))
			ui->back[ui->nback++] = ui->view;
	}
	view_switch(ui, view);
}

void ui_view_back(struct ui *ui)
{
	if (ui->nback == 0) {
		ui->quit = true;
		return;
	}
	view_switch(ui, ui->back[--ui->nback]);
}

int64_t ui_customer(struct ui *ui)
{
	if (ui->view == NULL || ui->view->customer == NULL)
		return 0;
	return ui->view->customer(ui, ui->view_state);
}

int64_t ui_invoice(struct ui *ui)
{
	if (ui->view == NULL || ui->view->invoice == NULL)
		return 0;
	return ui->view->invoice(ui, ui->view_state);
}

void ui_show_customer(struct ui *ui, int64_t customer_id, const char *code)
{
	/* code may live in the rows of the view about to close */
	char *copy = xstrdup(code ? code : "");
	const struct view_ops *v = view_find("customers");
	if (ui->view != v)
		ui_view_open(ui, v);
	if (ui->view == v && !v->show_customer(ui, ui->view_state, customer_id, copy))
		ui_message(ui, true, "no customer %s", copy);
	free(copy);
}

void ui_job(struct ui *ui, struct worker_job *job)
{
	job->generation = ui->view_generation;
	if (ui->worker != NULL) {
		worker_submit(ui->worker, job);
		return;
	}
	job->run(job, ui->store);
	job->done(job, ui);
}

void ui_rescore(struct ui *ui, int64_t customer_id)
{
	if (ui->background != NULL)
		background_rescore_customers(ui->background, &customer_id, 1);
}

void ui_changed(struct ui *ui)
{
	ui->dirty |= UI_RELOAD | UI_REDRAW;
}

int ui_dispatch(struct ui *ui, int argc, char **argv, char **output)
{
	/* one command at a time: they share getopt's state */
	const char *running = command_running(ui);
	if (running != NULL) {
		*output = xasprintf("dun: %s is still running: wait for it, or Esc cancels it\n", running);
		return DUN_EUSAGE;
	}
	return ui_dispatch_ctx(ui->ctx, argc, argv, output);
}

int ui_dispatch_ctx(struct cmd_ctx *ctx, int argc, char **argv, char **output)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	FILE *out = ctx->out, *err = ctx->err;
	enum report_format format = ctx->format;
	ctx->out = ctx->err = f;
	ctx->format = REPORT_TABLE;
	ctx->in_tui = true;
	int rc = cmd_dispatch(ctx, argc, argv);
	fclose(f);
	ctx->out = out;
	ctx->err = err;
	ctx->format = format;
	*output = text;
	return rc;
}

/* Scores are recomputed at start in the background thread; it cannot
 * start only for want of a thread or a pipe, and the TUI works without. */
static void start_background(struct ui *ui)
{
	char *cause = NULL;
	const char *off = getenv("DUN_NO_BACKGROUND");
	if (off != NULL && *off != '\0')
		return;
	if (background_start(store_path(ui->store), ui->ctx->today, &ui->background, &cause) != DUN_OK) {
		ui_message(ui, true, "no background scoring: %s", cause ? cause : "?");
		free(cause);
		ui->background = NULL;
		return;
	}
	background_rescore_all(ui->background);
	if (ui->worker != NULL)
		worker_hold(ui->worker, true);
}

/* Opens the ledger; the reason stays for the empty or error screen. */
static bool open_store(struct ui *ui)
{
	if (ui->store != NULL)
		return true;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	FILE *err = ui->ctx->err;
	ui->ctx->err = f;
	int rc = cmd_store(ui->ctx, 0, &ui->store);
	ui->ctx->err = err;
	fclose(f);
	free(ui->store_problem);
	ui->store_problem = NULL;
	if (rc != DUN_OK) {
		ui->store = NULL;
		size_t n = strlen(text);
		while (n > 0 && text[n - 1] == '\n')
			text[--n] = '\0';
		ui->store_problem = text;
		return false;
	}
	free(text);
	/* the TUI reads a screenful at a time: a small cache bounds its memory */
	store_cache_size(ui->store, -4096);
	/* the customer filter's pattern runs in the list's SQL */
	user_regex_sql_register(store_db(ui->store));
	ui->data_version = store_data_version(ui->store);
	ui->status_pending = 1;
	char *cause = NULL;
	if (worker_start(store_path(ui->store), &ui->worker, &cause) != DUN_OK) {
		ui->worker = NULL; /* jobs then run on this thread */
		free(cause);
	}
	start_background(ui);
	return true;
}

static void draw_empty(struct ui *ui, int height, int width)
{
	static const char *const lines[] = {
		"To start with your own data:",
		"    dun init",
		"    dun import customers customers.csv",
		"    dun import invoices invoices.csv",
		"    dun import payments payments.csv",
		"",
		"To try dun on a realistic synthetic ledger:",
		"    dun demo --open",
		"",
		"Press : to run a command here (:init, :demo), q to quit.",
		NULL,
	};
	bool missing = ui->store_problem == NULL || strstr(ui->store_problem, "no ledger here") != NULL;
	screen_box(0, 0, height, width, missing ? "dun — no ledger yet" : "dun — the ledger cannot be opened", true);
	const char *problem = ui->store_problem ? ui->store_problem : "";
	if (strncmp(problem, "dun: ", 5) == 0)
		problem += 5;
	int y = 2 + screen_wrap(2, 2, width - 4, 4, problem, missing ? STYLE_NORMAL : STYLE_ERROR) + 1;
	if (!missing) {
		screen_text(y, 2, width - 4, "dun tries again every second; q quits.", false, STYLE_DIM);
		return;
	}
	for (int i = 0; lines[i] != NULL && y + i < height - 1; i++)
		screen_text(y + i, 2, width - 4, lines[i], false, STYLE_NORMAL);
}

static void draw(struct ui *ui)
{
	int rows = getmaxy(stdscr), cols = getmaxx(stdscr);
	erase();
	if (rows < 3 || cols < 20) {
		screen_text(0, 0, cols, "dun: the terminal is too small", false, STYLE_ERROR);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (ui->store == NULL)
		draw_empty(ui, rows - 1, cols);
	else
		ui->view->draw(ui, ui->view_state, 0, rows - 1, cols);
	if (ui->message[0])
		screen_text(rows - 1, 0, cols, ui->message, false, ui->message_error ? STYLE_ERROR : STYLE_NORMAL);
	else
		status_bar_draw(ui, rows - 1, cols);
	curs_set(0);
	modal_draw(ui);
	wnoutrefresh(stdscr);
	doupdate();
}

static void handle_mouse(struct ui *ui)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		for (int i = 0; i < 3; i++)
			command_key(ui, KEY_UP);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		for (int i = 0; i < 3; i++)
			command_key(ui, KEY_DOWN);
	} else if (ui->view != NULL && ui->view->click != NULL && !modal_active(ui)) {
		ui->dirty |= ui->view->click(ui, ui->view_state, ev.y, ev.x);
	}
	ui->dirty |= UI_REDRAW;
}

static void handle_key(struct ui *ui, int key)
{
	if (key == KEY_RESIZE) {
		ui->dirty |= UI_REDRAW;
		return;
	}
	if (key == KEY_MOUSE) {
		handle_mouse(ui);
		return;
	}
	ui->message[0] = '\0';
	ui->dirty |= UI_REDRAW;
	if (modal_active(ui)) {
		ui->dirty |= modal_key(ui, key);
		return;
	}
	if (ui->store == NULL) {
		if (key == 'q' || key == ('C' & 0x1f))
			ui->quit = true;
		else if (key == ':')
			command_key(ui, key);
		return;
	}
	command_key(ui, key);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Once a second: another process's commit shows as a new data_version; a
 * missing or locked ledger is tried again. */
static void tick(struct ui *ui)
{
	if (ui->store == NULL) {
		if (open_store(ui)) {
			view_switch(ui, view_table[0]);
			ui->dirty |= UI_REDRAW;
		}
		return;
	}
	int v = store_data_version(ui->store);
	if (v != ui->data_version) {
		ui->data_version = v;
		ui_changed(ui);
	}
}

static void reload(struct ui *ui)
{
	if (ui->store == NULL || ui->view == NULL)
		return;
	if (ui->view->changed != NULL)
		ui->view->changed(ui, ui->view_state);
	ui->status_pending = 1;
	/* our own commits do not move data_version: take its value now */
	ui->data_version = store_data_version(ui->store);
}

int ui_run(struct cmd_ctx *ctx)
{
	/* One malloc arena for the UI, worker and scoring threads: what one
	 * whole-ledger pass frees, the next reuses, so their peaks do not add. */
	mallopt(M_ARENA_MAX, 1);
	struct ui ui = {.ctx = ctx};
	aging_options_default(&ui.aging);
	ui.aging.as_of = ctx->as_of;
	ui.aging.base_currency = ctx->config.base_currency;
	if (ctx->config.aging_bucket_count > 0) {
		ui.aging.nedges = ctx->config.aging_bucket_count;
		memcpy(ui.aging.edges, ctx->config.aging_buckets, sizeof(int) * (size_t)ui.aging.nedges);
	}
	ui.aging.basis_invoice = ctx->config.aging_basis_invoice != 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cmd_error(ctx, DUN_EUSAGE, "the workstation needs a terminal: give a command (dun help)");
	if (!screen_start())
		return cmd_error(ctx, DUN_EUSAGE, "cannot start the terminal (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
	if (open_store(&ui))
		view_switch(&ui, view_table[0]);
	ui.dirty = UI_REDRAW;
	double next_tick = now_seconds() + 1.0;
	while (!ui.quit) {
		if (ui.dirty & UI_RELOAD)
			reload(&ui);
		if (ui.dirty) {
			draw(&ui);
			ui.dirty = 0;
		}
		/* Slow figures wait for a frame to be on screen first. */
		if (ui.status_pending && ui.store != NULL) {
			status_bar_compute(&ui);
			ui.status_pending = 0;
			ui.dirty |= UI_REDRAW;
			continue;
		}
		struct pollfd fds[4] = {{.fd = STDIN_FILENO, .events = POLLIN}};
		int nfds = 1, worker_at = 0, command_at = 0, background_at = 0;
		if (ui.worker != NULL) {
			worker_at = nfds;
			fds[nfds++] = (struct pollfd){.fd = worker_fd(ui.worker), .events = POLLIN};
		}
		if (ui.command_worker != NULL) {
			command_at = nfds;
			fds[nfds++] = (struct pollfd){.fd = worker_fd(ui.command_worker), .events = POLLIN};
		}
		if (status_bar_poll_fd(&ui, &fds[nfds]))
			background_at = nfds++;
		double wait = next_tick - now_seconds();
		int timeout = wait <= 0 ? 0 : (int)(wait * 1000) + 1;
		/* A search in progress works in slices between keys. */
		if (search_idle(&ui))
			timeout = 0;
		int n = poll(fds, (nfds_t)nfds, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && worker_at && (fds[worker_at].revents & POLLIN))
			worker_collect(ui.worker, &ui);
		if (n > 0 && command_at && (fds[command_at].revents & POLLIN))
			worker_collect(ui.command_worker, &ui);
		if (n > 0 && background_at && (fds[background_at].revents & POLLIN))
			status_bar_wakeup(&ui);
		int key;
		while ((key = getch()) != ERR && !ui.quit)
			handle_key(&ui, key);
		command_show_finished(&ui);
		if (now_seconds() >= next_tick) {
			tick(&ui);
			next_tick = now_seconds() + 1.0;
		}
	}
	if (ui.background != NULL)
		background_stop(ui.background);
	view_close_current(&ui);
	if (ui.worker != NULL)
		worker_stop(ui.worker);
	command_stop(&ui);
	modal_close(&ui);
	modal_reap(&ui);
	screen_stop();
	command_history_free(&ui);
	action_undo_forget(&ui);
	free(ui.store_problem);
	free(ui.search_pattern);
	free(ui.status_kpi);
	free(ui.status_background);
	return DUN_OK;
}
