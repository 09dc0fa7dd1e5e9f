/* '/' search (PCRE2, JIT, with match and depth limits) over customer codes
 * and names, then invoice numbers. The scan pages through the ledger by
 * key in slices of a few milliseconds between keys, so a search of two
 * million invoices never freezes the screen; a match shows its customer. */
#ifndef DUN_UI_SEARCH_H
#define DUN_UI_SEARCH_H
#include <stdbool.h>
#include "view.h"

/* Compiles pattern and starts scanning from the customer code `from`
 * (inclusive, or after it when skip_from) forwards (backward false) or
 * backwards: from its row in the view's own order when the view has one
 * (view_ops.search_list), else in code order. A bad pattern returns false
 * with the reason in why (size bytes). */
bool search_start(struct ui *ui, const char *pattern, const char *from, bool skip_from,
    bool backward, char *why, int size);
/* Runs one slice of a search in progress; true while it goes on. */
bool search_idle(struct ui *ui);
void search_free(struct ui *ui);
#endif
