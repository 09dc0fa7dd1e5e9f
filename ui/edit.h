/* A one-line text editor for the ':' and '/' lines and form fields. Input
 * bytes arrive one at a time from getch (UTF-8 sequences too); editing and
 * the cursor move by code point. */
#ifndef DUN_UI_EDIT_H
#define DUN_UI_EDIT_H
#include <stdbool.h>
#include <stddef.h>
#include "xalloc.h"

struct edit {
	struct buf text;
	size_t cursor;      /* byte offset */
};

void edit_set(struct edit *e, const char *text);
void edit_free(struct edit *e);
const char *edit_text(const struct edit *e);
/* Handles an editing key; false when the key is not an editing key. */
bool edit_key(struct edit *e, int key);
/* Draws the text in width columns at (y, x) with the cursor shown; the
 * start scrolls so that the cursor stays visible. */
void edit_draw(const struct edit *e, int y, int x, int width, int style);
#endif
