/* The one-key actions on the customer in view: each opens a small form
 * and writes its result as one activity, in one transaction, through the
 * core. Their signature is a UI command's (command.h). */
#ifndef DUN_UI_ACTION_H
#define DUN_UI_ACTION_H
#include "view.h"

int action_call(struct ui *ui, int argc, char **argv);
int action_note(struct ui *ui, int argc, char **argv);
int action_promise(struct ui *ui, int argc, char **argv);
int action_dispute(struct ui *ui, int argc, char **argv);
int action_allocate(struct ui *ui, int argc, char **argv);
int action_edit(struct ui *ui, int argc, char **argv);
int action_undo(struct ui *ui, int argc, char **argv);
/* Forgets what u would undo: another action came after it. */
void action_undo_forget(struct ui *ui);
int action_statement(struct ui *ui, int argc, char **argv);
#endif
