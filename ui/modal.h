/* Things that take the keyboard over the current view for a moment: the
 * ':' and '/' line, an action's form, the pager. One at a time; a modal
 * closes itself with modal_close, which takes effect after its handler. */
#ifndef DUN_UI_MODAL_H
#define DUN_UI_MODAL_H
#include "view.h"

struct modal_ops {
	void (*draw)(struct ui *ui, void *state);
	int (*key)(struct ui *ui, void *state, int key);
	void (*free)(void *state);
};

void modal_open(struct ui *ui, const struct modal_ops *ops, void *state);
void modal_close(struct ui *ui);
bool modal_active(const struct ui *ui);
/* The loop's side: draws the modal, gives it a key, frees a closed one. */
void modal_draw(struct ui *ui);
int modal_key(struct ui *ui, int key);
void modal_reap(struct ui *ui);
#endif
