/* Whole-ledger computations of the views (the call list, the portfolio
 * aging) run on one worker thread with its own SQLite connection, so that
 * the first frame and every key cost the same on 50 customers as on
 * 50,000. Finished jobs come back through a queue and a wake-up pipe
 * polled beside the keyboard; the UI thread applies them. No curses call
 * happens on the worker. The ':' line's CLI commands run on a second one
 * (command.c), so that a long report does not hold up the views' jobs. */
#ifndef DUN_UI_WORKER_H
#define DUN_UI_WORKER_H
#include <stdbool.h>
#include "store.h"

struct ui;
struct worker;

/* A job is embedded first in a larger struct that holds its inputs and
 * results. */
struct worker_job {
	/* On the worker, with the worker's connection. */
	void (*run)(struct worker_job *job, struct store *s);
	/* On the UI thread: applies the result, or drops it when the view it
	 * was for is gone (job->generation != ui->view_generation), and frees
	 * the job. */
	void (*done)(struct worker_job *job, struct ui *ui);
	unsigned generation;
	struct worker_job *next;
};

/* Starts the thread; it opens the ledger at path itself. */
int worker_start(const char *path, struct worker **out, char **cause);
/* Queues a job (the worker owns it until it comes back). */
void worker_submit(struct worker *w, struct worker_job *job);
/* While held, queued jobs wait (the running one finishes). The TUI holds
 * them while the start-up rescoring runs: the ranking needs the new scores
 * anyway, and the two whole-ledger passes one after the other keep the
 * peak memory of one. */
void worker_hold(struct worker *w, bool hold);
/* The read end of the wake-up pipe. */
int worker_fd(const struct worker *w);
/* Hands finished jobs to their done functions (UI thread). */
void worker_collect(struct worker *w, struct ui *ui);
/* Stops the thread (interrupting the running job's SQL), drops queued and
 * finished jobs through their done functions with ui NULL, and frees
 * everything. */
void worker_stop(struct worker *w);
#endif
