/* Status line figures come from the core (aging for AR and overdue), so
 * the TUI and `dun aging` can never disagree. */
#include "status_bar.h"
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "aging.h"
#include "background.h"
#include "command.h"
#include "kpi.h"
#include "money.h"
#include "report.h"
#include "screen.h"
#include "status.h"
#include "text.h"
#include "worker.h"
#include "xalloc.h"

/* 1.4B, 12.4M, 830.5k, 950: short amounts for the status line, B for
 * billions as finance reads them (not the SI G). */
static void short_amount(money_t amount, int exponent, char *buf, size_t size)
{
	int64_t scale = 1;
	for (int i = 0; i < exponent; i++)
		scale *= 10;
	static const struct {
		int64_t div;
		const char *suffix;
	} units[] = {{1000000000, "B"}, {1000000, "M"}, {1000, "k"}, {1, ""}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		int64_t den = scale * units[i].div;
		if (llabs(amount) >= den || units[i].div == 1) {
			char r[32];
			report_ratio(amount, den, units[i].div == 1 ? 0 : 1, r, sizeof r);
			snprintf(buf, size, "%s%s", r, units[i].suffix);
			return;
		}
	}
}

struct kpi_job {
	struct worker_job job;
	struct kpi_options options;
	struct kpi_result result;
	int status;
	char *cause;
};

static void kpi_run(struct worker_job *job, struct store *s)
{
	struct kpi_job *k = (struct kpi_job *)job;
	k->status = s ? kpi_compute(s, &k->options, &k->result, &k->cause) : DUN_EDB;
}

static void kpi_done(struct worker_job *job, struct ui *ui)
{
	struct kpi_job *k = (struct kpi_job *)job;
	if (ui != NULL) {
		free(ui->status_kpi);
		if (k->status != DUN_OK) {
			ui->status_kpi = xasprintf("KPI: %s", k->cause ? k->cause : "?");
		} else {
			const struct kpi_result *r = &k->result;
			char ar[32], pct[32] = "n/a", dso[48];
			short_amount(r->value[KPI_AR].amount, r->exponent, ar, sizeof ar);
			const struct kpi_value *ratio = &r->value[KPI_OVERDUE_RATIO];
			if (ratio->den != 0) {
				report_ratio(ratio->num * 100, ratio->den, 0, pct, sizeof pct);
				strcat(pct, "%");
			}
			const char *d = kpi_format(r, KPI_DSO, dso, sizeof dso);
			ui->status_kpi = xasprintf("AR %s  overdue %s  DSO %s", ar, pct, d ? d : "n/a");
		}
		ui->dirty |= UI_REDRAW;
	}
	free(k->cause);
	free(k);
}

void status_bar_compute(struct ui *ui)
{
	struct kpi_job *k = xcalloc(1, sizeof *k);
	k->job.run = kpi_run;
	k->job.done = kpi_done;
	k->options = (struct kpi_options){
		.as_of = ui->aging.as_of,
		.period = 90,
		.base_currency = ui->aging.base_currency,
	};
	ui_job(ui, &k->job);
}

void status_bar_draw(struct ui *ui, int y, int width)
{
	const char *running = command_running(ui);
	/* first: the line is cut on the right when narrow */
	char *command = running ? xasprintf(" running :%s…  Esc cancels ", running) : NULL;
	char *left = xasprintf("%s as of %s  %s%s%s", command ? command : "", ui_as_of_text(ui),
	    ui->status_kpi ? ui->status_kpi : "", ui->status_background ? "  " : "",
	    ui->status_background ? ui->status_background : "");
	char *right = xasprintf("%s%s  ? help ", ui->search_active ? "n/N: next match  " : "", ui->view ? ui->view->title : "");
	screen_fill(y, 0, 1, width, STYLE_STATUS);
	int rw = screen_clamp(text_width(right), 0, width / 2);
	screen_text(y, 0, width - rw, left, false, STYLE_STATUS);
	screen_text(y, width - rw, rw, right, true, STYLE_STATUS);
	free(command);
	free(left);
	free(right);
}

int status_bar_poll_fd(struct ui *ui, struct pollfd *pfd)
{
	if (ui->background == NULL)
		return 0;
	pfd->fd = background_fd(ui->background);
	pfd->events = POLLIN;
	pfd->revents = 0;
	return 1;
}

void status_bar_wakeup(struct ui *ui)
{
	struct background_event ev;
	while (background_poll(ui->background, &ev)) {
		free(ui->status_background);
		ui->status_background = NULL;
		/* the percentage is of the whole rescoring (reading, fitting,
		 * scoring): one word for it, as SPEC §11 shows the status bar */
		if (ev.kind == BACKGROUND_PROGRESS)
			ui->status_background = xasprintf("scoring… %d%%", ev.percent);
		else if (ev.kind == BACKGROUND_DONE)
			ui_changed(ui);
		else if (ev.kind == BACKGROUND_FAILED)
			ui_message(ui, true, "scoring: %s", ev.message ? ev.message : "failed");
		if (ev.kind != BACKGROUND_PROGRESS && ui->worker != NULL)
			worker_hold(ui->worker, false);
		background_event_clear(&ev);
		ui->dirty |= UI_REDRAW;
	}
}
