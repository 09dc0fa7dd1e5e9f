/* The workstation (SPEC §11): the curses front end over the core library.
 * The CLI's main() calls ui_run when dun is started without a command, and
 * `dun demo --open` calls it on the demo ledger. */
#ifndef DUN_UI_H
#define DUN_UI_H
#include "cmd.h"

/* Runs the TUI on ctx's ledger until the user quits. Opens the store through
 * cmd_store; a missing ledger shows how to create one, a locked or corrupt
 * one a message. Returns an exit status of SPEC §4 (0 after a normal quit). */
int ui_run(struct cmd_ctx *ctx);
#endif
