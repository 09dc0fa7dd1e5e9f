/* The status line: as-of date, receivables, overdue share and DSO, the
 * background module's progress, and the view's name. The figures are
 * computed after a frame is on screen (they read the whole ledger). */
#ifndef DUN_UI_STATUS_BAR_H
#define DUN_UI_STATUS_BAR_H
#include <poll.h>
#include "view.h"

void status_bar_compute(struct ui *ui);
void status_bar_draw(struct ui *ui, int y, int width);
/* Fills *pfd with the background module's wake-up fd; returns 1, or 0
 * when there is none. */
int status_bar_poll_fd(struct ui *ui, struct pollfd *pfd);
/* The wake-up fd is readable: take the background module's news. */
void status_bar_wakeup(struct ui *ui);
#endif
