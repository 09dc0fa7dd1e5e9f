/* The background module (SPEC §8): a worker thread that rescores risk
 * (risk.h) on its own SQLite connection while the UI stays live. The UI
 * never waits on it: requests are queued and return at once; results and
 * progress come back as events through a mutex-protected queue, and a
 * wake-up pipe tells the UI loop there is something to read.
 *
 * Use from the UI thread (no curses here, nothing blocks):
 *
 *     struct background *bg;
 *     if (background_start(store_path(s), today, &bg, &cause) != DUN_OK) ...
 *     background_rescore_all(bg);                 // at start
 *     ... in the loop, poll background_fd(bg) for POLLIN beside stdin ...
 *     struct background_event ev;
 *     while (background_poll(bg, &ev)) {          // drains the pipe too
 *             if (ev.kind == BACKGROUND_PROGRESS) show "scoring… ev.percent%"
 *             else if (ev.kind == BACKGROUND_DONE) reload the risk columns
 *             else if (ev.kind == BACKGROUND_FAILED) show ev.message
 *             background_event_clear(&ev);
 *     }
 *     background_rescore_customers(bg, ids, n);   // after an edit
 *     background_stop(bg);                        // at exit: cancels, joins
 *
 * Requests merge: a "rescore all" pending swallows every customer request,
 * and customer requests pile into one set. A customer request before the
 * first full run (no fitted model yet) becomes a full run. */
#ifndef DUN_BACKGROUND_H
#define DUN_BACKGROUND_H
#include <stdbool.h>
#include <stdint.h>
#include "date.h"

struct background;

enum background_event_kind {
	BACKGROUND_PROGRESS,  /* percent of the running job */
	BACKGROUND_DONE,      /* a job finished: the risk table is updated */
	BACKGROUND_CANCELLED, /* a job was cancelled: nothing was written */
	BACKGROUND_FAILED,    /* message says why (e.g. the database was busy) */
};

struct background_event {
	enum background_event_kind kind;
	int percent;          /* 0-100 over the whole job */
	bool all;             /* the job was a full rescore */
	int customers;        /* DONE: customers rescored */
	char *message;        /* FAILED: owned by the event */
};

/* Starts the worker, which opens db_path itself. `today` is the date
 * scores are computed at. Fails only when the thread or the pipe cannot
 * be created; a database error comes later as a FAILED event. */
int background_start(const char *db_path, day_t today, struct background **out, char **cause);
/* The read end of the wake-up pipe (non-blocking): readable when events
 * wait. */
int background_fd(const struct background *bg);
void background_rescore_all(struct background *bg);
void background_rescore_customers(struct background *bg, const int64_t *ids, int n);
/* Takes the next event, if any (never blocks). The caller clears it. */
bool background_poll(struct background *bg, struct background_event *ev);
void background_event_clear(struct background_event *ev);
/* Cancels the running job (its writes are rolled back); queued requests
 * stay queued. */
void background_cancel(struct background *bg);
/* Cancels, stops the thread, waits for it (a running SQL statement is
 * interrupted, so this is prompt) and frees everything. */
void background_stop(struct background *bg);
#endif
