/* One modal at a time over the view. */
#include "modal.h"
#include <stddef.h>

void modal_open(struct ui *ui, const struct modal_ops *ops, void *state)
{
	if (ui->modal != NULL)
		modal_close(ui);
	ui->modal = ops;
	ui->modal_state = state;
	ui->dirty |= UI_REDRAW;
}

void modal_close(struct ui *ui)
{
	if (ui->modal == NULL)
		return;
	modal_reap(ui);
	ui->modal_dead = ui->modal;
	ui->modal_dead_state = ui->modal_state;
	ui->modal = NULL;
	ui->modal_state = NULL;
	ui->dirty |= UI_REDRAW;
}

bool modal_active(const struct ui *ui)
{
	return ui->modal != NULL;
}

void modal_draw(struct ui *ui)
{
	if (ui->modal != NULL)
		ui->modal->draw(ui, ui->modal_state);
}

int modal_key(struct ui *ui, int key)
{
	int r = ui->modal->key(ui, ui->modal_state, key);
	modal_reap(ui);
	return r;
}

void modal_reap(struct ui *ui)
{
	if (ui->modal_dead != NULL) {
		ui->modal_dead->free(ui->modal_dead_state);
		ui->modal_dead = NULL;
		ui->modal_dead_state = NULL;
	}
}
