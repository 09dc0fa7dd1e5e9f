/* One thread, a FIFO of jobs in, a list of finished jobs out, a mutex and
 * a condition variable around them, and a non-blocking pipe to wake the UI
 * loop's poll(). */
#include "worker.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include "status.h"
#include "xalloc.h"

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct worker_job *queue, *finished;
	int running;             /* jobs taken and not finished */
	bool stop;
	bool held;               /* queued jobs wait (worker_hold) */
	int pipe[2];
	char *path;
	struct store *store;     /* the worker's connection, for worker_stop to interrupt */
};

static void append(struct worker_job **list, struct worker_job *job)
{
	job->next = NULL;
	while (*list != NULL)
		list = &(*list)->next;
	*list = job;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct store *s = NULL;
	char *cause = NULL;
	if (store_open(w->path, 0, &s, &cause) == DUN_OK)
		/* a small cache: the TUI's memory stays bounded on a large ledger */
		store_cache_size(s, -4096);
	free(cause);
	pthread_mutex_lock(&w->lock);
	w->store = s;
	for (;;) {
		while ((w->queue == NULL || w->held) && !w->stop)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->stop)
			break;
		struct worker_job *job = w->queue;
		w->queue = job->next;
		w->running++;
		pthread_mutex_unlock(&w->lock);
		job->run(job, s);
		pthread_mutex_lock(&w->lock);
		w->running--;
		append(&w->finished, job);
		ssize_t n = write(w->pipe[1], "j", 1);
		(void)n; /* a full pipe already wakes the loop */
	}
	w->store = NULL;
	pthread_mutex_unlock(&w->lock);
	store_close(s);
	return NULL;
}

int worker_start(const char *path, struct worker **out, char **cause)
{
	struct worker *w = xcalloc(1, sizeof *w);
	if (pipe(w->pipe) != 0) {
		free(w);
		return dun_fail(cause, DUN_EDB, "cannot create the worker's pipe");
	}
	fcntl(w->pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(w->pipe[1], F_SETFL, O_NONBLOCK);
	fcntl(w->pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(w->pipe[1], F_SETFD, FD_CLOEXEC);
	w->path = xstrdup(path);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		close(w->pipe[0]);
		close(w->pipe[1]);
		free(w->path);
		free(w);
		return dun_fail(cause, DUN_EDB, "cannot start the worker thread");
	}
	*out = w;
	return DUN_OK;
}

void worker_submit(struct worker *w, struct worker_job *job)
{
	pthread_mutex_lock(&w->lock);
	append(&w->queue, job);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void worker_hold(struct worker *w, bool hold)
{
	pthread_mutex_lock(&w->lock);
	w->held = hold;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

int worker_fd(const struct worker *w)
{
	return w->pipe[0];
}

void worker_collect(struct worker *w, struct ui *ui)
{
	char drain[64];
	while (read(w->pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&w->lock);
	struct worker_job *done = w->finished;
	w->finished = NULL;
	pthread_mutex_unlock(&w->lock);
	while (done != NULL) {
		struct worker_job *next = done->next;
		done->done(done, ui);
		done = next;
	}
}

void worker_stop(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	/* quitting must not wait for a ranking of 50,000 customers */
	if (w->store != NULL)
		sqlite3_interrupt(store_db(w->store));
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	for (struct worker_job *job = w->queue, *next; job != NULL; job = next) {
		next = job->next;
		job->done(job, NULL);
	}
	w->queue = NULL;
	worker_collect(w, NULL);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w->path);
	free(w);
}
