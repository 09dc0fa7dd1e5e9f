/* Every user action of the workstation is a named command, as in tmux:
 * one table of UI commands (name, usage, help, handler), a key map from
 * keys to command strings, and the ':' line that runs either a UI command
 * or any CLI command of cmd_table with its output captured. The help
 * screen is generated from these tables. */
#ifndef DUN_UI_COMMAND_H
#define DUN_UI_COMMAND_H
#include "view.h"
#include "xalloc.h"

struct ui_command {
	const char *name;
	const char *usage;
	const char *help;
	/* Returns DUN_OK or a status (the handler shows its own message). */
	int (*run)(struct ui *ui, int argc, char **argv);
	/* argv[1] is the rest of the line as typed (a pattern keeps its
	 * backslashes), rather than its words */
	bool raw;
};

extern const struct ui_command ui_commands[];

/* A key from the loop: the view first, then the key map. */
void command_key(struct ui *ui, int key);
/* Writes the help screen: keys, UI commands, CLI commands. */
void command_help(struct buf *b);
void command_history_free(struct ui *ui);
/* The CLI command running off the UI thread, as typed, or NULL. */
const char *command_running(const struct ui *ui);
/* Shows a finished command's output once no modal is open (the loop). */
void command_show_finished(struct ui *ui);
/* Quitting: cancels the running command (its SQL is interrupted; every
 * write being one transaction, nothing is half-written), stops the
 * commands' worker and frees what is left. */
void command_stop(struct ui *ui);
#endif
