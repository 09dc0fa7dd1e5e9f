/* The background rescoring thread. See background.h. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "background.h"
#include "risk.h"
#include "status.h"
#include "store.h"
#include "xalloc.h"

struct background {
	pthread_t thread;
	pthread_mutex_t lock;     /* guards everything below down to events */
	pthread_cond_t wake;
	bool stop;
	bool want_all;
	int64_t *ids;
	int nids, capids;
	struct background_event *events;
	int nevents, capevents;
	int fds[2];               /* wake-up pipe: [0] the UI polls, [1] the worker writes */
	atomic_bool cancel;       /* read by the worker's progress hooks */
	/* the worker's own, never touched by the UI thread */
	char *path;
	day_t today;
	struct store *store;
	struct risk_model *model;
	int job_percent;
};

/* Queues an event and wakes the UI. A progress event replaces a progress
 * event the UI has not read yet: only the latest figure matters. */
static void push_event(struct background *bg, const struct background_event *ev)
{
	pthread_mutex_lock(&bg->lock);
	if (ev->kind == BACKGROUND_PROGRESS && bg->nevents > 0
	    && bg->events[bg->nevents - 1].kind == BACKGROUND_PROGRESS) {
		bg->events[bg->nevents - 1] = *ev;
	} else {
		if (bg->nevents == bg->capevents) {
			bg->capevents = bg->capevents ? 2 * bg->capevents : 8;
			bg->events = xreallocarray(bg->events, bg->capevents, sizeof *bg->events);
		}
		bg->events[bg->nevents++] = *ev;
	}
	/* a full pipe already wakes the UI: losing this byte loses nothing */
	ssize_t w = write(bg->fds[1], "", 1);
	(void)w;
	pthread_mutex_unlock(&bg->lock);
}

/* Stages share the job's percentage: reading the ledger is about a fifth
 * of a full run, the fit and the scoring two fifths each. */
static bool on_progress(void *arg, const char *stage, int done, int total)
{
	struct background *bg = arg;
	int lo = 0, span = 20;
	if (strcmp(stage, "fitting") == 0) {
		lo = 20;
		span = 40;
	} else if (strcmp(stage, "scoring") == 0) {
		lo = 60;
		span = 40;
	}
	int percent = lo + (total > 0 ? (int)((int64_t)span * done / total) : 0);
	if (percent != bg->job_percent) {
		bg->job_percent = percent;
		struct background_event ev = { .kind = BACKGROUND_PROGRESS, .percent = percent, .all = true };
		push_event(bg, &ev);
	}
	return !atomic_load(&bg->cancel);
}

/* SQLite's progress hook: a non-zero return interrupts the statement. */
static int on_sqlite_progress(void *arg)
{
	struct background *bg = arg;
	return atomic_load(&bg->cancel);
}

static void run_job(struct background *bg, bool all, int64_t *ids, int n)
{
	struct background_event ev = { .all = all };
	char *cause = NULL;
	int rc = DUN_OK;
	if (bg->store == NULL) {
		rc = store_open(bg->path, 0, &bg->store, &cause);
		if (rc == DUN_OK) {
			sqlite3_progress_handler(store_db(bg->store), 1000, on_sqlite_progress, bg);
			/* It shares the process with a workstation that stays small. */
			store_cache_size(bg->store, -2048);
		}
	}
	if (rc == DUN_OK && all) {
		struct risk_model *m = NULL;
		int counts[5];
		bg->job_percent = -1;
		rc = risk_score_all(bg->store, bg->today, on_progress, bg, &m, counts, &cause);
		if (rc == DUN_OK) {
			risk_model_free(bg->model);
			bg->model = m;
			n = counts[0] + counts[1] + counts[2] + counts[3] + counts[4];
		}
	} else if (rc == DUN_OK) {
		rc = risk_score_customers(bg->store, bg->today, bg->model, ids, n, &cause);
	}
	if (rc == DUN_OK) {
		ev.kind = BACKGROUND_DONE;
		ev.percent = 100;
		ev.customers = n;
		free(cause);
	} else if (atomic_load(&bg->cancel)) {
		ev.kind = BACKGROUND_CANCELLED;
		free(cause);
	} else {
		ev.kind = BACKGROUND_FAILED;
		ev.message = cause ? cause : xstrdup("rescoring failed");
	}
	push_event(bg, &ev);
}

static void *worker(void *arg)
{
	struct background *bg = arg;
	for (;;) {
		pthread_mutex_lock(&bg->lock);
		while (!bg->stop && !bg->want_all && bg->nids == 0)
			pthread_cond_wait(&bg->wake, &bg->lock);
		if (bg->stop) {
			pthread_mutex_unlock(&bg->lock);
			break;
		}
		bool all = bg->want_all || bg->model == NULL;
		int64_t *ids = bg->ids;
		int n = bg->nids;
		bg->want_all = false;
		bg->ids = NULL;
		bg->nids = bg->capids = 0;
		atomic_store(&bg->cancel, false);
		pthread_mutex_unlock(&bg->lock);
		run_job(bg, all, ids, n);
		free(ids);
	}
	risk_model_free(bg->model);
	store_close(bg->store);
	return NULL;
}

int background_start(const char *db_path, day_t today, struct background **out, char **cause)
{
	struct background *bg = xcalloc(1, sizeof *bg);
	*out = NULL;
	if (pipe2(bg->fds, O_NONBLOCK | O_CLOEXEC) != 0) {
		free(bg);
		return dun_fail(cause, DUN_EDB, "background: pipe: %s", strerror(errno));
	}
	bg->path = xstrdup(db_path);
	bg->today = today;
	atomic_init(&bg->cancel, false);
	pthread_mutex_init(&bg->lock, NULL);
	pthread_cond_init(&bg->wake, NULL);
	int err = pthread_create(&bg->thread, NULL, worker, bg);
	if (err != 0) {
		close(bg->fds[0]);
		close(bg->fds[1]);
		pthread_mutex_destroy(&bg->lock);
		pthread_cond_destroy(&bg->wake);
		free(bg->path);
		free(bg);
		return dun_fail(cause, DUN_EDB, "background: thread: %s", strerror(err));
	}
	*out = bg;
	return DUN_OK;
}

int background_fd(const struct background *bg)
{
	return bg->fds[0];
}

void background_rescore_all(struct background *bg)
{
	pthread_mutex_lock(&bg->lock);
	bg->want_all = true;
	bg->nids = 0;
	pthread_cond_signal(&bg->wake);
	pthread_mutex_unlock(&bg->lock);
}

void background_rescore_customers(struct background *bg, const int64_t *ids, int n)
{
	pthread_mutex_lock(&bg->lock);
	if (!bg->want_all) {
		for (int i = 0; i < n; i++) {
			if (bg->nids == bg->capids) {
				bg->capids = bg->capids ? 2 * bg->capids : 16;
				bg->ids = xreallocarray(bg->ids, bg->capids, sizeof *bg->ids);
			}
			bg->ids[bg->nids++] = ids[i];
		}
	}
	pthread_cond_signal(&bg->wake);
	pthread_mutex_unlock(&bg->lock);
}

bool background_poll(struct background *bg, struct background_event *ev)
{
	bool got = false;
	pthread_mutex_lock(&bg->lock);
	if (bg->nevents > 0) {
		*ev = bg->events[0];
		memmove(bg->events, bg->events + 1, (bg->nevents - 1) * sizeof *bg->events);
		bg->nevents--;
		got = true;
	}
	if (bg->nevents == 0) { /* drained: the pipe's bytes are all stale */
		char sink[64];
		while (read(bg->fds[0], sink, sizeof sink) > 0)
			;
	}
	pthread_mutex_unlock(&bg->lock);
	return got;
}

void background_event_clear(struct background_event *ev)
{
	free(ev->message);
	ev->message = NULL;
}

void background_cancel(struct background *bg)
{
	atomic_store(&bg->cancel, true);
}

void background_stop(struct background *bg)
{
	if (bg == NULL)
		return;
	pthread_mutex_lock(&bg->lock);
	bg->stop = true;
	atomic_store(&bg->cancel, true);
	pthread_cond_signal(&bg->wake);
	pthread_mutex_unlock(&bg->lock);
	pthread_join(bg->thread, NULL);
	for (int i = 0; i < bg->nevents; i++)
		background_event_clear(&bg->events[i]);
	free(bg->events);
	free(bg->ids);
	free(bg->path);
	close(bg->fds[0]);
	close(bg->fds[1]);
	pthread_mutex_destroy(&bg->lock);
	pthread_cond_destroy(&bg->wake);
	free(bg);
}
